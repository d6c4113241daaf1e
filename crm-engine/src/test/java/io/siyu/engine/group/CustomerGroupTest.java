package io.siyu.engine.group;

import java.time.Instant;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.siyu.api.wecom.RecordWeComGroupChange;
import io.siyu.api.wecom.WeComGroupChange;
import io.siyu.api.wecom.WeComGroupChanged;

/** A customer group's own history: each distinct callback once. */
class CustomerGroupTest {

    private static final Instant AT = Instant.parse("2026-11-26T02:00:00Z");
    private static final WeComGroupChanged CREATED = new WeComGroupChanged("wr-1", "cb-1", WeComGroupChange.CREATED,
            "VIP", "staff-1", AT);
    private AggregateTestFixture<CustomerGroup> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CustomerGroup.class);
    }

    @Test
    void aGroupsCreationIsRecorded() {
        fixture.givenNoPriorActivity()
                .when(new RecordWeComGroupChange("wr-1", "cb-1", WeComGroupChange.CREATED, "VIP", "staff-1", AT))
                .expectEvents(CREATED)
                .expectResultMessagePayload(true);
    }

    @Test
    void theSameCallbackAgainRecordsNothing() {
        fixture.given(CREATED)
                .when(new RecordWeComGroupChange("wr-1", "cb-1", WeComGroupChange.CREATED, "VIP", "staff-1", AT))
                .expectNoEvents()
                .expectResultMessagePayload(false);
    }

    @Test
    void aDismissalIsRecordedAfterTheCreation() {
        fixture.given(CREATED)
                .when(new RecordWeComGroupChange("wr-1", "cb-2", WeComGroupChange.DISMISSED, null, null,
                        AT.plusSeconds(60)))
                .expectEvents(new WeComGroupChanged("wr-1", "cb-2", WeComGroupChange.DISMISSED, null, null,
                        AT.plusSeconds(60)));
    }
}
