package io.siyu.api.wecom;

import io.siyu.api.PersonalData;

import java.time.Instant;
import java.util.List;

import io.siyu.api.KeyedFact;

/**
 * The tags on one staff member's contact entry of the member changed.
 *
 * @param memberId    the member
 * @param factKey     the dedupe key of the callback that reported it
 * @param staffUserId the staff member
 * @param added       tags that were not there before
 * @param removed     tags that are gone
 * @param occurredAt  when WeCom says they changed
 */
public record WeComTagsChanged(String memberId, @PersonalData String factKey, String staffUserId, List<String> added,
                               List<String> removed, Instant occurredAt) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "wecom:" + factKey;
    }

    public WeComTagsChanged {
        added = added == null ? List.of() : List.copyOf(added);
        removed = removed == null ? List.of() : List.copyOf(removed);
    }
}
