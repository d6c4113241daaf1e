package io.siyu.api.campaign;

import java.time.Instant;

/**
 * When a campaign runs. {@code once}: a single run at {@code startAt}, to the segment as it stands then.
 * {@code daily}: a standing rule, run at {@code startAt} and every 24 hours after it until {@code endAt} (or until
 * stopped), each run sending to whoever newly qualifies; a member receives a campaign at most once either way.
 *
 * @param kind    {@code once} or {@code daily}
 * @param startAt the first run
 * @param endAt   no run after this ({@code daily} only), or {@code null}
 */
public record CampaignSchedule(String kind, Instant startAt, Instant endAt) {

    public static final String ONCE = "once";
    public static final String DAILY = "daily";

    public boolean daily() {
        return DAILY.equals(kind);
    }
}
