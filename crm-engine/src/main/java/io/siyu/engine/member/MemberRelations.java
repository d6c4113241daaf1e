package io.siyu.engine.member;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;

import io.siyu.api.member.ChangeConsent;
import io.siyu.api.member.ConsentChanged;
import io.siyu.api.member.ConsentResult;
import io.siyu.api.segment.EnterSegment;
import io.siyu.api.segment.LeaveSegment;
import io.siyu.api.segment.MemberEnteredSegment;
import io.siyu.api.segment.MemberLeftSegment;
import io.siyu.api.segment.SegmentMembershipResult;
import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.api.wecom.RecordWeComContactRemoved;
import io.siyu.api.wecom.RecordWeComGroupJoined;
import io.siyu.api.wecom.RecordWeComGroupLeft;
import io.siyu.api.wecom.RecordWeComTags;
import io.siyu.api.wecom.WeComContactAdded;
import io.siyu.api.wecom.WeComContactRemoved;
import io.siyu.api.wecom.WeComFactResult;
import io.siyu.api.wecom.WeComGroupJoined;
import io.siyu.api.wecom.WeComGroupLeft;
import io.siyu.api.wecom.WeComTagsChanged;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/**
 * The member's relations outside the points ledger, on the same stream: consents, WeCom contacts, groups and tags,
 * and saved segments. Every distinct WeCom fact is recorded once: a fact key already in a commit
 * ({@link RecordedFacts}) is a retry and writes nothing; keys are not held here, so the state does not grow with
 * the number of callbacks. Facts are not checked against the state they arrive in, because WeCom delivers them out of order (a
 * "removed" can come before the "added" it follows); read models order them by WeCom's time. Tags are the exception:
 * WeCom says only that they changed, so the re-read list is compared with the one held.
 */
class MemberRelations {

    private final Map<String, Boolean> consents = new HashMap<>();
    private final Map<String, Set<String>> tagsByStaff = new HashMap<>();
    private final Set<String> segments = new HashSet<>();

    @CommandHandler
    ConsentResult handle(ChangeConsent command, RecordedFacts facts) {
        Optional<ConsentChanged> known = facts.carrying(command.memberId(), "consent:" + command.changeId()).stream()
                .filter(ConsentChanged.class::isInstance).map(ConsentChanged.class::cast).findFirst();
        if (known.isPresent()) {
            if (!known.get().purpose().equals(command.purpose()) || known.get().granted() != command.granted()) {
                throw new IdempotencyKeyReusedException("changeId", command.changeId());
            }
            return new ConsentResult(command.purpose(), consents.getOrDefault(command.purpose(), false), true,
                    Member.version());
        }
        if (!Objects.equals(consents.get(command.purpose()), command.granted())) {
            apply(new ConsentChanged(command.memberId(), command.changeId(), command.purpose(),
                    command.granted(), command.source(), command.policyVersion()));
        }
        return new ConsentResult(command.purpose(), command.granted(), false, Member.version());
    }

    @CommandHandler
    WeComFactResult handle(RecordWeComContactAdded command, RecordedFacts facts) {
        if (known(facts, command.memberId(), command.alsoKnownAs())) {
            return new WeComFactResult(false, true, Member.version());
        }
        return record(facts, command.memberId(), command.factKey(), true, () -> apply(
                new WeComContactAdded(command.memberId(), command.factKey(), command.staffUserId(),
                        command.externalUserId(), command.state(), command.occurredAt(), command.foundAt(),
                        command.alsoKnownAs())));
    }

    @CommandHandler
    WeComFactResult handle(RecordWeComContactRemoved command, RecordedFacts facts) {
        if (known(facts, command.memberId(), command.alsoKnownAs())) {
            return new WeComFactResult(false, true, Member.version());
        }
        return record(facts, command.memberId(), command.factKey(), true, () -> apply(
                new WeComContactRemoved(command.memberId(), command.factKey(), command.staffUserId(),
                        command.externalUserId(), command.removedBy(), command.occurredAt(), command.foundAt(),
                        command.alsoKnownAs())));
    }

    @CommandHandler
    WeComFactResult handle(RecordWeComGroupJoined command, RecordedFacts facts) {
        return record(facts, command.memberId(), command.factKey(), true, () -> apply(
                new WeComGroupJoined(command.memberId(), command.factKey(), command.chatId(), command.joinScene(),
                        command.state(), command.memberVersion(), command.occurredAt(), command.foundAt())));
    }

    @CommandHandler
    WeComFactResult handle(RecordWeComGroupLeft command, RecordedFacts facts) {
        return record(facts, command.memberId(), command.factKey(), true, () -> apply(
                new WeComGroupLeft(command.memberId(), command.factKey(), command.chatId(), command.quitScene(),
                        command.memberVersion(), command.occurredAt(), command.foundAt())));
    }

    @CommandHandler
    WeComFactResult handle(RecordWeComTags command, RecordedFacts facts) {
        Set<String> before = tagsByStaff.getOrDefault(command.staffUserId(), Set.of());
        List<String> added = command.tags().stream().filter(tag -> !before.contains(tag)).distinct().toList();
        List<String> removed = before.stream().filter(tag -> !command.tags().contains(tag)).sorted().toList();
        return record(facts, command.memberId(), command.factKey(), !added.isEmpty() || !removed.isEmpty(), () -> apply(
                new WeComTagsChanged(command.memberId(), command.factKey(), command.staffUserId(), added, removed,
                        command.occurredAt())));
    }

    @CommandHandler
    SegmentMembershipResult handle(EnterSegment command) {
        boolean changed = !segments.contains(command.segmentId());
        if (changed) {
            apply(new MemberEnteredSegment(command.memberId(), command.segmentId()));
        }
        return new SegmentMembershipResult(changed, Member.version());
    }

    @CommandHandler
    SegmentMembershipResult handle(LeaveSegment command) {
        boolean changed = segments.contains(command.segmentId());
        if (changed) {
            apply(new MemberLeftSegment(command.memberId(), command.segmentId()));
        }
        return new SegmentMembershipResult(changed, Member.version());
    }

    /** @return whether the fact was recorded under its other key */
    private static boolean known(RecordedFacts facts, String memberId, String alsoKnownAs) {
        return alsoKnownAs != null && !facts.carrying(memberId, "wecom:" + alsoKnownAs).isEmpty();
    }

    private WeComFactResult record(RecordedFacts facts, String memberId, String factKey, boolean changesSomething,
                                   Runnable applyFact) {
        if (!facts.carrying(memberId, "wecom:" + factKey).isEmpty()) {
            return new WeComFactResult(false, true, Member.version());
        }
        if (changesSomething) {
            applyFact.run();
        }
        return new WeComFactResult(changesSomething, false, Member.version());
    }

    @EventSourcingHandler
    void on(ConsentChanged event) {
        consents.put(event.purpose(), event.granted());
    }

    @EventSourcingHandler
    void on(WeComTagsChanged event) {
        Set<String> tags = new LinkedHashSet<>(tagsByStaff.getOrDefault(event.staffUserId(), Set.of()));
        tags.addAll(event.added());
        tags.removeAll(event.removed());
        tagsByStaff.put(event.staffUserId(), tags);
    }

    @EventSourcingHandler
    void on(MemberEnteredSegment event) {
        segments.add(event.segmentId());
    }

    @EventSourcingHandler
    void on(MemberLeftSegment event) {
        segments.remove(event.segmentId());
    }
}
