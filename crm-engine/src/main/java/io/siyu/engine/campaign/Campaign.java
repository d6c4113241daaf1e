package io.siyu.engine.campaign;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.siyu.api.campaign.CampaignDefined;
import io.siyu.api.campaign.CampaignRunPlanned;
import io.siyu.api.campaign.CampaignStopped;
import io.siyu.api.campaign.DefineCampaign;
import io.siyu.api.campaign.RecordCampaignRun;
import io.siyu.api.campaign.StopCampaign;
import io.siyu.engine.member.RecordedFacts;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/**
 * A campaign's definition, its stop, and each run's counts. Who received what is on the members' streams; runs are
 * found again by their keys ({@link RecordedFacts}), so the state stays the definition whatever the number of runs.
 */
@Aggregate
class Campaign {

    @AggregateIdentifier
    private String campaignId;
    private CampaignDefined definition;
    private boolean stopped;

    Campaign() {
        // for Axon
    }

    /** @return {@code true} when this command saved the campaign, {@code false} on a repeat */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    boolean handle(DefineCampaign command) {
        CampaignDefined defined = new CampaignDefined(command.campaignId(), command.name(), command.segmentId(),
                command.message(), command.schedule(), command.purpose(), command.joinWayState(),
                command.joinChatIds(), command.joinWindowDays(), command.actor());
        if (campaignId != null) {
            if (!sameDefinition(definition, defined)) {
                throw new IdempotencyKeyReusedException("campaignId", command.campaignId());
            }
            return false;
        }
        apply(defined);
        return true;
    }

    /** @return {@code true} when this command stopped it */
    @CommandHandler
    boolean handle(StopCampaign command) {
        if (stopped) {
            return false;
        }
        apply(new CampaignStopped(campaignId, command.actor()));
        return true;
    }

    /** @return {@code true} when recorded, {@code false} for a run recorded before */
    @CommandHandler
    boolean handle(RecordCampaignRun command, RecordedFacts facts) {
        CampaignRunPlanned planned = new CampaignRunPlanned(campaignId, command.runId(), command.plannedAt(),
                command.inSegment(), command.withoutConsent(), command.withoutContact(), command.alreadyAddressed(),
                command.newlyAddressed());
        if (!facts.carrying(campaignId, planned.idempotencyKey()).isEmpty()) {
            return false;
        }
        apply(planned);
        return true;
    }

    /** The same definition but for who saved it (a retry by another marketer is still a retry). */
    private static boolean sameDefinition(CampaignDefined held, CampaignDefined asked) {
        return held.equals(new CampaignDefined(asked.campaignId(), asked.name(), asked.segmentId(), asked.message(),
                asked.schedule(), asked.purpose(), asked.joinWayState(), asked.joinChatIds(), asked.joinWindowDays(),
                held.actor()));
    }

    @EventSourcingHandler
    void on(CampaignDefined event) {
        campaignId = event.campaignId();
        definition = event;
    }

    @EventSourcingHandler
    void on(CampaignStopped event) {
        stopped = true;
    }
}
