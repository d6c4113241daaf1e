package io.siyu.wecom.callback.web;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.wecom.callback.CallbackCrypto;
import io.siyu.wecom.callback.CallbackLog;
import io.siyu.wecom.callback.CallbackMessage;
import io.siyu.wecom.callback.CallbackRefused;
import io.siyu.wecom.callback.CallbackTranslator;
import io.siyu.wecom.callback.CallbackRefused.Reason;
import io.siyu.wecom.config.WeComProperties;
import reactor.core.publisher.Mono;

/**
 * WeCom's callback URL. {@code GET} is the URL check: the signature over {@code echostr}, then its plaintext alone.
 * {@code POST} is an event: signature, timestamp window, decryption and receive id are checked, the decrypted callback
 * is appended to the callback log under its dedupe key, and only then is WeCom answered {@code success} (a retry of a
 * logged callback is answered the same and adds nothing). A refused callback is logged with its reason only, never
 * its payload, and nothing is recorded.
 */
@RestController
@RequestMapping("/wecom/callback")
class CallbackController {

    private static final Logger log = LoggerFactory.getLogger(CallbackController.class);
    private static final String SUCCESS = "success";

    private final Optional<CallbackCrypto> crypto;
    private final CallbackLog callbacks;
    private final CallbackTranslator translator;
    private final Clock clock;
    private final Duration window;

    CallbackController(WeComProperties properties, CallbackLog callbacks, CallbackTranslator translator, Clock clock) {
        this.translator = translator;
        this.crypto = properties.callbacksConfigured() ? Optional.of(new CallbackCrypto(properties.token(),
                properties.encodingAesKey(), properties.corpId())) : Optional.empty();
        this.callbacks = callbacks;
        this.clock = clock;
        this.window = properties.callbackWindow();
        if (crypto.isEmpty()) {
            log.info("WeCom is not configured (siyu.wecom.corp-id, .token, .encoding-aes-key): /wecom/callback "
                    + "answers 503 and no WeCom facts arrive");
        }
    }

    @GetMapping(produces = MediaType.TEXT_PLAIN_VALUE)
    Mono<String> verifyUrl(@RequestParam("msg_signature") String signature, @RequestParam String timestamp,
                           @RequestParam String nonce, @RequestParam String echostr) throws CallbackRefused {
        fresh(timestamp);
        return Mono.just(configured().open(signature, timestamp, nonce, echostr));
    }

    @PostMapping(produces = MediaType.TEXT_PLAIN_VALUE)
    Mono<String> receive(@RequestParam("msg_signature") String signature, @RequestParam String timestamp,
                         @RequestParam String nonce, @RequestBody String body) throws CallbackRefused {
        CallbackCrypto opener = configured();
        fresh(timestamp);
        String encrypted = CallbackMessage.parse(body).field("Encrypt");
        CallbackMessage message = CallbackMessage.parse(opener.open(signature, timestamp, nonce, encrypted));
        message.checkFields();
        return callbacks.append(message, clock.instant())
                .flatMap(isNew -> translator.accept(message, isNew))
                .thenReturn(SUCCESS);
    }

    private CallbackCrypto configured() {
        return crypto.orElseThrow(WeComNotConfigured::new);
    }

    /**
     * The timestamp is untrusted: any decimal text, compared in wide arithmetic, so no value (however far from now,
     * or beyond what an {@code Instant} holds) is more than a refusal.
     */
    private void fresh(String timestamp) throws CallbackRefused {
        if (timestamp == null || timestamp.isEmpty() || timestamp.length() > 40
                || !timestamp.chars().allMatch(c -> c == '-' || c >= '0' && c <= '9')) {
            throw new CallbackRefused(Reason.MALFORMED, "timestamp is not a number of seconds");
        }
        java.math.BigInteger seconds;
        try {
            seconds = new java.math.BigInteger(timestamp);
        } catch (NumberFormatException notANumber) {
            throw new CallbackRefused(Reason.MALFORMED, "timestamp is not a number of seconds");
        }
        java.math.BigInteger skew = seconds.subtract(java.math.BigInteger.valueOf(clock.instant().getEpochSecond()))
                .abs();
        if (skew.compareTo(java.math.BigInteger.valueOf(window.toSeconds())) > 0) {
            throw new CallbackRefused(Reason.STALE, "timestamp is " + skew + " s from now; at most "
                    + window.toSeconds() + " s is accepted");
        }
    }

    @ExceptionHandler(CallbackRefused.class)
    ResponseEntity<ProblemDetail> refused(CallbackRefused refused) {
        HttpStatus status = refused.reason() == Reason.MALFORMED ? HttpStatus.BAD_REQUEST : HttpStatus.FORBIDDEN;
        log.warn("Refused a WeCom callback ({}): {}", refused.reason(), refused.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, refused.getMessage());
        problem.setType(URI.create("urn:siyu:problem:wecom-callback-refused"));
        problem.setProperty("reason", refused.reason().name().toLowerCase().replace('_', '-'));
        return ResponseEntity.status(status).body(problem);
    }

    @ExceptionHandler(WeComNotConfigured.class)
    ResponseEntity<ProblemDetail> notConfigured(WeComNotConfigured unconfigured) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "WeCom is not configured on this engine: set siyu.wecom.corp-id, .token and .encoding-aes-key");
        problem.setType(URI.create("urn:siyu:problem:wecom-not-configured"));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
    }

    static final class WeComNotConfigured extends RuntimeException {
        WeComNotConfigured() {
            super(null, null, false, false);
        }
    }
}
