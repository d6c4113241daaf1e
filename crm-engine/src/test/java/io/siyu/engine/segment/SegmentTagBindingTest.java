package io.siyu.engine.segment;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.siyu.api.segment.BindSegmentToWeComTag;
import io.siyu.api.segment.SegmentBoundToWeComTag;
import io.siyu.api.segment.SegmentDefined;
import io.siyu.api.segment.SegmentUnboundFromWeComTag;
import io.siyu.api.segment.UnbindSegmentFromWeComTag;

/** A segment's WeCom tag binding: recorded when it changes, nothing when it does not. */
class SegmentTagBindingTest {

    private static final SegmentDefined DEFINED = new SegmentDefined("lapsed", "Lapsed buyers",
            "{\"daysSinceLastPurchase\":{\"min\":30}}", "marketer-1");
    private AggregateTestFixture<Segment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Segment.class);
    }

    @Test
    void bindingRecordsTheTag() {
        fixture.given(DEFINED)
                .when(new BindSegmentToWeComTag("lapsed", "et-1", "marketer-1"))
                .expectEvents(new SegmentBoundToWeComTag("lapsed", "et-1", null, "marketer-1"))
                .expectResultMessagePayload(true);
    }

    @Test
    void bindingTheBoundTagAgainChangesNothing() {
        fixture.given(DEFINED, new SegmentBoundToWeComTag("lapsed", "et-1", null, "marketer-1"))
                .when(new BindSegmentToWeComTag("lapsed", "et-1", "marketer-2"))
                .expectNoEvents()
                .expectResultMessagePayload(false);
    }

    @Test
    void bindingAnotherTagNamesTheOneItReplaces() {
        fixture.given(DEFINED, new SegmentBoundToWeComTag("lapsed", "et-1", null, "marketer-1"))
                .when(new BindSegmentToWeComTag("lapsed", "et-2", "marketer-2"))
                .expectEvents(new SegmentBoundToWeComTag("lapsed", "et-2", "et-1", "marketer-2"));
    }

    @Test
    void unbindingNamesTheTagAndUnbindingAnUnboundSegmentChangesNothing() {
        fixture.given(DEFINED, new SegmentBoundToWeComTag("lapsed", "et-1", null, "marketer-1"))
                .when(new UnbindSegmentFromWeComTag("lapsed", "marketer-1"))
                .expectEvents(new SegmentUnboundFromWeComTag("lapsed", "et-1", "marketer-1"));
        fixture.given(DEFINED)
                .when(new UnbindSegmentFromWeComTag("lapsed", "marketer-1"))
                .expectNoEvents()
                .expectResultMessagePayload(false);
    }
}
