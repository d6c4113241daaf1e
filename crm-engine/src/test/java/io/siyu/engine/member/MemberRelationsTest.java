package io.siyu.engine.member;

import static io.siyu.engine.member.MemberFixture.ID;
import static io.siyu.engine.member.MemberFixture.NOW;
import static io.siyu.engine.member.MemberFixture.REGISTERED;

import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import io.siyu.api.wecom.WeComRemoval;
import io.siyu.api.wecom.WeComTagsChanged;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/** Consents, WeCom facts and segment membership on the member stream: each fact once, retries write nothing. */
class MemberRelationsTest {

    private AggregateTestFixture<Member> fixture;

    @BeforeEach
    void setUp() {
        fixture = new MemberFixture().fixture;
    }

    private static final WeComContactAdded ADDED = new WeComContactAdded(ID, "cb-1", "staff-7", "wm-1", "store-9", NOW);

    @Test
    void aContactAddedIsRecordedOnce() {
        fixture.given(REGISTERED)
                .when(new RecordWeComContactAdded(ID, "cb-1", "staff-7", "wm-1", "store-9", NOW))
                .expectEvents(ADDED)
                .expectResultMessagePayload(new WeComFactResult(true, false, 1));
    }

    @Test
    void theSameCallbackAgainIsADuplicateAndWritesNothing() {
        fixture.given(REGISTERED, ADDED)
                .when(new RecordWeComContactAdded(ID, "cb-1", "staff-7", "wm-1", "store-9", NOW))
                .expectNoEvents()
                .expectResultMessagePayload(new WeComFactResult(false, true, 1));
    }

    @Test
    void anotherCallbackAboutTheSameContactIsAnotherFact() {
        fixture.given(REGISTERED, ADDED)
                .when(new RecordWeComContactAdded(ID, "cb-2", "staff-7", "wm-1", "store-9", NOW.plusSeconds(60)))
                .expectEvents(new WeComContactAdded(ID, "cb-2", "staff-7", "wm-1", "store-9", NOW.plusSeconds(60)))
                .expectResultMessagePayload(new WeComFactResult(true, false, 2));
    }

    @Test
    void aRemovedContactCanBeAddedAgain() {
        fixture.given(REGISTERED, ADDED, new WeComContactRemoved(ID, "cb-2", "staff-7", "wm-1",
                        WeComRemoval.CUSTOMER_REMOVED_STAFF, NOW))
                .when(new RecordWeComContactAdded(ID, "cb-3", "staff-7", "wm-1", null, NOW))
                .expectEvents(new WeComContactAdded(ID, "cb-3", "staff-7", "wm-1", null, NOW));
    }

    @Test
    void aRemovalThatArrivesBeforeItsAddIsStillRecorded() {
        fixture.given(REGISTERED)
                .when(new RecordWeComContactRemoved(ID, "cb-9", "staff-7", "wm-1",
                        WeComRemoval.STAFF_REMOVED_CUSTOMER, NOW))
                .expectEvents(new WeComContactRemoved(ID, "cb-9", "staff-7", "wm-1",
                        WeComRemoval.STAFF_REMOVED_CUSTOMER, NOW));
    }

    @Test
    void twoGroupUpdatesInTheSameSecondBothCount() {
        WeComGroupJoined joined = new WeComGroupJoined(ID, "cb-j", "chat-1", 3, null, "v1", NOW, null);
        fixture.given(REGISTERED, joined)
                .when(new RecordWeComGroupLeft(ID, "cb-l", "chat-1", 0, "v2", NOW, null))
                .expectEvents(new WeComGroupLeft(ID, "cb-l", "chat-1", 0, "v2", NOW, null));
    }

    @Test
    void aGroupJoinRetriedIsOneFact() {
        fixture.given(REGISTERED, new WeComGroupJoined(ID, "cb-j", "chat-1", 3, null, "v1", NOW, null))
                .when(new RecordWeComGroupJoined(ID, "cb-j", "chat-1", 3, null, "v1", NOW, null))
                .expectNoEvents();
    }

    @Test
    void tagsAreRecordedAsWhatWasAddedAndRemoved() {
        fixture.given(REGISTERED, new WeComTagsChanged(ID, "cb-t1", "staff-7", List.of("VIP", "skincare"), List.of(),
                        NOW))
                .when(new RecordWeComTags(ID, "cb-t2", "staff-7", List.of("VIP", "makeup"), NOW))
                .expectEvents(new WeComTagsChanged(ID, "cb-t2", "staff-7", List.of("makeup"), List.of("skincare"),
                        NOW));
    }

    @Test
    void consentIsRecordedWhenItChangesAndAChangeIdIsNotReusedForAnother() {
        ConsentChanged granted = new ConsentChanged(ID, "c-1", "marketing", true, "settings");
        fixture.given(REGISTERED)
                .when(new ChangeConsent(ID, "c-1", "marketing", true, "settings"))
                .expectEvents(granted)
                .expectResultMessagePayload(new ConsentResult("marketing", true, false, 1));
        new MemberFixture().fixture.given(REGISTERED, granted)
                .when(new ChangeConsent(ID, "c-1", "marketing", false, "settings"))
                .expectException(IdempotencyKeyReusedException.class);
        new MemberFixture().fixture.given(REGISTERED, granted)
                .when(new ChangeConsent(ID, "c-2", "marketing", true, "settings"))
                .expectNoEvents();
    }

    @Test
    void segmentEntriesAndExitsAreRecordedOnce() {
        fixture.given(REGISTERED)
                .when(new EnterSegment(ID, "lapsed"))
                .expectEvents(new MemberEnteredSegment(ID, "lapsed"))
                .expectResultMessagePayload(new SegmentMembershipResult(true, 1));
        new MemberFixture().fixture.given(REGISTERED, new MemberEnteredSegment(ID, "lapsed"))
                .when(new EnterSegment(ID, "lapsed"))
                .expectNoEvents();
        new MemberFixture().fixture.given(REGISTERED, new MemberEnteredSegment(ID, "lapsed"))
                .when(new LeaveSegment(ID, "lapsed"))
                .expectEvents(new MemberLeftSegment(ID, "lapsed"));
        new MemberFixture().fixture.given(REGISTERED)
                .when(new LeaveSegment(ID, "lapsed"))
                .expectNoEvents();
    }
}
