package io.siyu.engine.member;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;

import io.siyu.api.campaign.CampaignMessageHeldBack;
import io.siyu.api.campaign.CampaignMessageQueued;
import io.siyu.api.campaign.CampaignMessageSettled;
import io.siyu.api.campaign.RecordCampaignMessageHeldBack;
import io.siyu.api.campaign.RecordCampaignMessageQueued;
import io.siyu.api.campaign.RecordCampaignMessageSettled;

/**
 * What campaigns did with the member's messages, on the member's stream (the timeline shows it). Each fact is keyed
 * by campaign and task (or attempt), so the bridge may send a command again after a crash and nothing is recorded
 * twice; nothing is held here, so the state does not grow with the campaigns a member has received.
 *
 * @return for each command, whether it recorded a fact ({@code false}: recorded before)
 */
class MemberCampaigns {

    @CommandHandler
    boolean handle(RecordCampaignMessageQueued command, RecordedFacts facts) {
        CampaignMessageQueued queued = new CampaignMessageQueued(command.memberId(), command.campaignId(),
                command.campaignName(), command.taskId(), command.staffUserId(), command.joinWayState(),
                command.joinChatIds(), command.occurredAt());
        return record(facts, command.memberId(), queued.idempotencyKey(), queued);
    }

    @CommandHandler
    boolean handle(RecordCampaignMessageHeldBack command, RecordedFacts facts) {
        CampaignMessageHeldBack held = new CampaignMessageHeldBack(command.memberId(), command.campaignId(),
                command.campaignName(), command.reason(), command.attempt(), command.retryAt(), command.occurredAt());
        return record(facts, command.memberId(), held.idempotencyKey(), held);
    }

    @CommandHandler
    boolean handle(RecordCampaignMessageSettled command, RecordedFacts facts) {
        CampaignMessageSettled settled = new CampaignMessageSettled(command.memberId(), command.campaignId(),
                command.campaignName(), command.taskId(), command.staffUserId(), command.outcome(), command.sentAt(),
                command.joinWayState(), command.joinChatIds(), command.occurredAt());
        return record(facts, command.memberId(), settled.idempotencyKey(), settled);
    }

    private static boolean record(RecordedFacts facts, String memberId, String key, Object fact) {
        if (!facts.carrying(memberId, key).isEmpty()) {
            return false;
        }
        apply(fact);
        return true;
    }
}
