package io.siyu.engine.points.rules;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import io.siyu.api.rules.EarningRulesPublished;

/** Tells this node's catalogue of a publication as soon as it is committed (a subscribing processor). */
@Component
@ProcessingGroup("earning-rules-catalog")
class EarningRuleCatalogUpdates {

    private final EarningRuleCatalog catalog;

    EarningRuleCatalogUpdates(EarningRuleCatalog catalog) {
        this.catalog = catalog;
    }

    @EventHandler
    void on(EarningRulesPublished event) {
        catalog.published(new EarningRuleSet(event.version(), event.effectiveFrom(), event.rules()));
    }
}
