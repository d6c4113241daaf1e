package io.siyu.wecom.reconcile;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When WeCom's state is read again ({@code siyu.wecom.reconciliation.*}).
 *
 * @param enabled     whether reconciliation runs at all (on start, on schedule, on an operator's request)
 * @param cron        the schedule (Spring cron, in {@code zone}); {@code -} for none
 * @param zone        the schedule's time zone (business days are Asia/Shanghai)
 * @param onStart     run once after start-up (WeCom retries a callback for seconds only: a deploy loses some)
 * @param startDelay  how long after start-up that run begins
 * @param lease       how long a node holds the running reconciliation without a sign of life; a node that dies leaves
 *                    it to the next, which resumes it from its cursor
 */
@ConfigurationProperties(prefix = "siyu.wecom.reconciliation")
public record ReconciliationProperties(@DefaultValue("true") boolean enabled,
                                       @DefaultValue("0 0 3 * * *") String cron,
                                       @DefaultValue("Asia/Shanghai") String zone,
                                       @DefaultValue("true") boolean onStart,
                                       @DefaultValue("1m") Duration startDelay,
                                       @DefaultValue("2m") Duration lease) {
}
