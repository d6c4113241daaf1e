package io.siyu.wecom.outbox.web;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.wecom.outbox.Outbox;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** For operators: how much outbound WeCom work is pending, sent or settled otherwise, by kind. */
@RestController
class OutboxController {

    private final Outbox outbox;

    OutboxController(Outbox outbox) {
        this.outbox = outbox;
    }

    record OutboxState(List<Outbox.Summary> entries) {
    }

    @GetMapping("/api/v1/admin/wecom/outbox")
    Mono<OutboxState> state() {
        return Mono.fromCallable(() -> new OutboxState(outbox.summary())).subscribeOn(Schedulers.boundedElastic());
    }
}
