package io.siyu.engine.points.config;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.siyu.api.rules.EarningRules;
import io.siyu.api.rules.EarningRulesPublished;
import io.siyu.api.rules.PublishEarningRules;
import io.siyu.engine.points.PointsExpiryPolicy;
import io.siyu.engine.points.RefundWindow;
import io.siyu.engine.points.rules.EarningRuleCatalog;
import io.siyu.engine.points.rules.EarningRuleSet;
import io.siyu.engine.system.SystemProperties;

/** The named rules the member aggregate decides with, built from configuration and the published rule book. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoyaltyProperties.class)
class LoyaltyRulesConfiguration {

    @Bean
    EarningRuleCatalog earningRuleCatalog(LoyaltyProperties properties, ObjectProvider<EventStore> eventStore) {
        EarningRules defaults = new EarningRules(properties.pointsPerYuan(), Map.of(), Map.of(), Map.of(), Map.of(),
                List.of(), null, properties.checkIn().points(), properties.checkIn().streakBonuses());
        EarningRuleSet version0 = new EarningRuleSet(0, Instant.MIN, defaults);
        EarningRuleSet.problems(defaults).forEach((field, problem) -> {
            throw new IllegalArgumentException("siyu.loyalty: " + field + " " + problem);
        });
        return new EarningRuleCatalog(version0, () -> published(eventStore.getObject()), properties.rulesRefresh(),
                System::nanoTime);
    }

    private static List<EarningRuleSet> published(EventStore eventStore) {
        List<EarningRuleSet> sets = new ArrayList<>();
        eventStore.readEvents(PublishEarningRules.RULE_BOOK, 0).asStream()
                .map(DomainEventMessage::getPayload)
                .filter(EarningRulesPublished.class::isInstance)
                .map(EarningRulesPublished.class::cast)
                .forEach(event -> sets.add(new EarningRuleSet(event.version(), event.effectiveFrom(), event.rules())));
        return sets;
    }

    @Bean
    RefundWindow refundWindow(LoyaltyProperties properties) {
        return new RefundWindow(properties.refundWindow());
    }

    @Bean
    PointsExpiryPolicy pointsExpiryPolicy(LoyaltyProperties properties, SystemProperties system) {
        return new PointsExpiryPolicy(properties.expiryMonths(), system.businessZone());
    }
}
