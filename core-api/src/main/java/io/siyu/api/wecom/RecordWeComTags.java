package io.siyu.api.wecom;

import java.time.Instant;
import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The tags one staff member's contact entry of the member carries now, as re-read from WeCom.
 *
 * @param memberId    the member
 * @param factKey     the callback's dedupe key
 * @param staffUserId the staff member whose contact entry carries the tags
 * @param tags        the tag names, all of them
 * @param occurredAt  when WeCom says they changed
 */
public record RecordWeComTags(@TargetAggregateIdentifier String memberId,
                              String factKey,
                              String staffUserId,
                              List<String> tags,
                              Instant occurredAt) {

    public RecordWeComTags {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
