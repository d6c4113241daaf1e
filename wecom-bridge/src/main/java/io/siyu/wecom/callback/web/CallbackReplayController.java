package io.siyu.wecom.callback.web;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.wecom.callback.CallbackTranslator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Replays the whole callback log through the translator, e.g. after a fix in translation. */
@RestController
class CallbackReplayController {

    private final CallbackTranslator translator;

    CallbackReplayController(CallbackTranslator translator) {
        this.translator = translator;
    }

    @PostMapping("/api/v1/admin/wecom/callbacks/replay")
    Mono<ResponseEntity<Map<String, Integer>>> replay() {
        return Mono.fromCallable(translator::replayAll).subscribeOn(Schedulers.boundedElastic())
                .map(queued -> ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("queued", queued)));
    }
}
