package io.siyu.wecom.campaign;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How campaigns are sent through WeCom's enterprise mass messaging ({@code siyu.campaigns.*}).
 *
 * @param enabled              whether this node runs campaigns (one node at a time does, holding a lease)
 * @param tick                 how often the runner looks for due runs, tasks to send and outcomes to collect
 * @param pollInterval         how often a task handed to a staff member is asked about
 * @param confirmationDeadline how long a staff member has to confirm a task; after it the task is cancelled in WeCom
 *                             and its recipients are recorded {@code not-confirmed}
 * @param receiveLimit         how many enterprise mass messages one customer may receive per window (the corp
 *                             admin's setting in WeCom; every source counts)
 * @param receiveWindow        the window of that limit: {@code day}, {@code week} (Monday first) or {@code month},
 *                             calendar windows in the business zone
 * @param senderRule           which staff member sends to a member followed by several: {@code first-contact}
 *                             (the earliest relationship) or {@code latest-contact}
 * @param batchSize            recipients per task (WeCom takes at most 10,000 external user ids per call)
 * @param giveUpAfter          a member held back by the receive limit this long after first being planned is given
 *                             up for the campaign
 * @param lookupMargin         how far before a task's recorded intent the crash-recovery lookup searches WeCom's list
 *                             of mass messages
 * @param lease                how long the running node holds the runner's lease (renewed while it works)
 */
@ConfigurationProperties(prefix = "siyu.campaigns")
public record CampaignProperties(@DefaultValue("true") boolean enabled,
                                 @DefaultValue("5s") Duration tick,
                                 @DefaultValue("5m") Duration pollInterval,
                                 @DefaultValue("24h") Duration confirmationDeadline,
                                 @DefaultValue("1") int receiveLimit,
                                 @DefaultValue("day") String receiveWindow,
                                 @DefaultValue("first-contact") String senderRule,
                                 @DefaultValue("10000") int batchSize,
                                 @DefaultValue("7d") Duration giveUpAfter,
                                 @DefaultValue("2m") Duration lookupMargin,
                                 @DefaultValue("1m") Duration lease) {

    public CampaignProperties {
        if (receiveLimit < 1) {
            throw new IllegalArgumentException("siyu.campaigns.receive-limit must be at least 1");
        }
        if (!java.util.Set.of("day", "week", "month").contains(receiveWindow)) {
            throw new IllegalArgumentException("siyu.campaigns.receive-window must be day, week or month");
        }
        if (!java.util.Set.of("first-contact", "latest-contact").contains(senderRule)) {
            throw new IllegalArgumentException("siyu.campaigns.sender-rule must be first-contact or latest-contact");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("siyu.campaigns.batch-size must be 1 to 10000 (WeCom's limit)");
        }
        for (Duration positive : new Duration[] {tick, pollInterval, confirmationDeadline, lease}) {
            if (positive.isNegative() || positive.isZero()) {
                throw new IllegalArgumentException("siyu.campaigns durations must be positive");
            }
        }
    }
}
