package io.siyu.engine.web;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import io.siyu.api.points.FindMemberPoints;
import io.siyu.api.points.MemberPointsView;
import reactor.core.publisher.Mono;

/**
 * Lets a write answer only once the widget's read model includes it, so that a GET right after a POST sees the
 * POST's effect. The subscription is registered before the current state is read, so an update in between is not
 * missed; the wait is bounded, after which the write answers anyway (its own answer is authoritative).
 */
@Component
@EnableConfigurationProperties(ApiProperties.class)
public class ReadYourWrites {

    private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);

    private final QueryGateway queryGateway;
    private final ApiProperties properties;

    ReadYourWrites(QueryGateway queryGateway, ApiProperties properties) {
        this.queryGateway = queryGateway;
        this.properties = properties;
    }

    /** Completes when the member's points view includes the member-stream event {@code version}. */
    public Mono<Void> awaitMemberPoints(String memberId, long version) {
        return Mono.using(
                        () -> queryGateway.subscriptionQuery(new FindMemberPoints(memberId),
                                ResponseTypes.instanceOf(MemberPointsView.class),
                                ResponseTypes.instanceOf(MemberPointsView.class)),
                        (SubscriptionQueryResult<MemberPointsView, MemberPointsView> result) -> result.initialResult()
                                .concatWith(result.updates())
                                .filter(view -> view.version() >= version)
                                .next(),
                        SubscriptionQueryResult::cancel)
                .timeout(properties.readYourWritesTimeout())
                .onErrorResume(error -> {
                    log.warn("The member-points view did not reach version {} in {}: answering without it ({})",
                            version, properties.readYourWritesTimeout(), error.toString());
                    return Mono.empty();
                })
                .then();
    }
}
