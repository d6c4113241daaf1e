package io.siyu.projections.timeline;

import java.util.Map;
import java.util.Set;

/**
 * Which fields of each kind of fact a timeline entry shows in its {@code data}: an allow-list, so a field added to an
 * event later is not shown until it is named here. No identifier of the person (openid, unionid, external_userid,
 * phone hash, nickname, callback keys) and no free-text reason is listed; the phone appears only masked. A fact not
 * listed shows no data (its lines still say what happened).
 */
final class TimelineFields {

    private static final Map<String, Set<String>> SHOWN = Map.ofEntries(
            Map.entry("MemberRegistered", Set.of("channel", "storeId", "phoneMasked")),
            Map.entry("PhoneBound", Set.of("phoneMasked", "source")),
            Map.entry("MemberUnionidAttached", Set.of("source")),
            Map.entry("MemberErased", Set.of("actor")),
            Map.entry("ConsentChanged", Set.of("changeId", "purpose", "granted", "source", "policyVersion")),
            Map.entry("PurchaseRecorded", Set.of("orderId", "amountFen", "storeId", "channel", "occurredAt", "lines")),
            Map.entry("PurchaseRefunded", Set.of("orderId", "refundId", "amountFen", "refundedTotalFen")),
            Map.entry("CheckedIn", Set.of("day", "streak", "at")),
            Map.entry("PointsEarned", Set.of("lotId", "points", "debtRepaid", "balanceAfter", "source", "sourceId",
                    "earnedAt", "expiresAt", "ruleSetVersion", "rules")),
            Map.entry("PointsAdjusted", Set.of("adjustmentId", "points", "actor", "lots", "debtRepaid", "expiresAt",
                    "balanceAfter", "debtAfter")),
            Map.entry("PointsExpired", Set.of("points", "lots", "expiredAt", "balanceAfter")),
            Map.entry("PointsRedeemed", Set.of("redemptionId", "points", "lots", "balanceAfter")),
            Map.entry("PointsReversed", Set.of("orderId", "refundId", "points", "lots", "debtIncurred",
                    "balanceAfter")),
            Map.entry("TierChanged", Set.of("from", "to", "cause", "actor", "qualifyingSpendFen", "qualifyingPoints",
                    "nextReviewAt")),
            Map.entry("TierRetained", Set.of("tier", "reason", "qualifyingSpendFen", "qualifyingPoints",
                    "nextReviewAt")),
            Map.entry("TierFloorSet", Set.of("overrideId", "tier", "until", "actor")),
            Map.entry("TierFloorEnded", Set.of("overrideId", "tier")),
            Map.entry("RewardRedeemed", Set.of("redemptionId", "rewardId", "couponCode", "validUntil")),
            Map.entry("RewardRedemptionHeld", Set.of("redemptionId", "rewardId", "rewardName", "points")),
            Map.entry("RewardRedemptionAbandoned", Set.of("redemptionId", "rewardId", "reason")),
            Map.entry("WeComContactAdded", Set.of("staffUserId", "state", "occurredAt", "foundAt")),
            Map.entry("WeComContactRemoved", Set.of("staffUserId", "removedBy", "occurredAt", "foundAt")),
            Map.entry("WeComGroupJoined", Set.of("chatId", "joinScene", "state", "memberVersion", "occurredAt",
                    "foundAt")),
            Map.entry("WeComGroupLeft", Set.of("chatId", "quitScene", "memberVersion", "occurredAt", "foundAt")),
            Map.entry("WeComTagsChanged", Set.of("staffUserId", "added", "removed", "occurredAt")),
            Map.entry("MemberEnteredSegment", Set.of("segmentId")),
            Map.entry("MemberLeftSegment", Set.of("segmentId")),
            Map.entry("CampaignMessageQueued", Set.of("campaignId", "campaignName", "staffUserId", "joinWayState",
                    "joinChatIds", "occurredAt")),
            Map.entry("CampaignMessageHeldBack", Set.of("campaignId", "campaignName", "reason", "retryAt",
                    "occurredAt")),
            Map.entry("CampaignMessageSettled", Set.of("campaignId", "campaignName", "staffUserId", "outcome",
                    "sentAt", "joinWayState", "joinChatIds", "occurredAt")));

    private TimelineFields() {
    }

    /** @return the fields an entry for this fact shows (empty for a kind not listed) */
    static Set<String> shown(Object event) {
        return SHOWN.getOrDefault(event.getClass().getSimpleName(), Set.of());
    }
}
