package io.siyu.engine.points.rules;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.siyu.api.rules.EarningRules;
import io.siyu.api.rules.EarningRulesPublished;
import io.siyu.api.rules.PublishEarningRules;
import io.siyu.api.rules.RulesPublication;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/**
 * The programme's earning rules as a sequence of published versions. Versions are consecutive and take effect in
 * order, never in the past, so a purchase already decided under one version can never be claimed by a later one.
 */
@Aggregate
class EarningRuleBook {

    @AggregateIdentifier
    private String ruleBookId;
    private int latestVersion;
    private Instant latestEffectiveFrom = Instant.MIN;
    private final Map<Integer, Publication> versions = new HashMap<>();

    EarningRuleBook() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    RulesPublication handle(PublishEarningRules command, Clock clock) {
        Publication known = versions.get(command.version());
        if (known != null) {
            if (!known.rules().equals(command.rules()) || !known.effectiveFrom().equals(command.effectiveFrom())) {
                throw new IdempotencyKeyReusedException("version", Integer.toString(command.version()));
            }
            return new RulesPublication(command.version(), true);
        }
        if (command.version() != latestVersion + 1) {
            throw new RulesOutOfOrderException("version " + command.version() + " is not the next version; the next is "
                    + (latestVersion + 1), latestVersion);
        }
        if (command.effectiveFrom().isBefore(clock.instant())) {
            throw new RulesOutOfOrderException("effectiveFrom " + command.effectiveFrom()
                    + " lies in the past: rules cannot be back-dated", latestVersion);
        }
        if (!command.effectiveFrom().isAfter(latestEffectiveFrom)) {
            throw new RulesOutOfOrderException("effectiveFrom must be after version " + latestVersion + "'s ("
                    + latestEffectiveFrom + ")", latestVersion);
        }
        apply(new EarningRulesPublished(command.ruleBookId(), command.version(), command.effectiveFrom(),
                command.rules(), command.actor()));
        return new RulesPublication(command.version(), false);
    }

    @EventSourcingHandler
    void on(EarningRulesPublished event) {
        ruleBookId = event.ruleBookId();
        latestVersion = Math.max(latestVersion, event.version());
        latestEffectiveFrom = event.effectiveFrom();
        versions.put(event.version(), new Publication(event.effectiveFrom(), event.rules()));
    }

    private record Publication(Instant effectiveFrom, EarningRules rules) {

        Publication {
            Objects.requireNonNull(effectiveFrom);
        }
    }
}
