package io.siyu.engine.web;

import org.springframework.stereotype.Component;

import io.siyu.api.member.MemberStreamResult;
import reactor.core.publisher.Mono;

/** A command on a member stream, answered once the widget's read model includes it (read-your-writes). */
@Component
public class MemberWrites {

    private final CommandDispatch dispatch;
    private final ReadYourWrites readYourWrites;

    MemberWrites(CommandDispatch dispatch, ReadYourWrites readYourWrites) {
        this.dispatch = dispatch;
        this.readYourWrites = readYourWrites;
    }

    public <R extends MemberStreamResult> Mono<R> send(String memberId, Object command) {
        return dispatch.<R>send(command)
                .flatMap(result -> readYourWrites.awaitMemberPoints(memberId, result.version()).thenReturn(result));
    }
}
