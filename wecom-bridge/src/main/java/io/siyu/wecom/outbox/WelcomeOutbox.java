package io.siyu.wecom.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.axonframework.queryhandling.QueryGateway;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.siyu.api.member.FindMemberStanding;
import io.siyu.api.member.MemberStandingView;
import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.config.WeComProperties;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Welcome messages for new contacts who are members, personalised with their tier and points. Each is first a
 * document in the durable outbox ({@code wecom_outbox}, keyed by the add callback, so a callback translated twice
 * queues one message), then sent within the welcome code's 20 s: WeCom's transient answers (45009 and 45033 limits,
 * 41096 another app sending) are retried with backoff until the code expires (WxJava retries -1 itself), 41051 (sent already, or the
 * chat has started) is final, every call waits its turn in a rate limiter below WeCom's quota. Pending messages are
 * picked up again at start, so a restart loses none that can still be sent.
 */
@Component
public class WelcomeOutbox implements DisposableBean {

    static final String COLLECTION = "wecom_outbox";
    static final Duration CODE_VALIDITY = Duration.ofSeconds(20);
    private static final Set<Integer> TRANSIENT = Set.of(45009, 45033, 41096);
    private static final int ALREADY_SENT = 41051;
    private static final Logger log = LoggerFactory.getLogger(WelcomeOutbox.class);

    private final MongoCollection<Document> outbox;
    private final WeComApi api;
    private final QueryGateway queries;
    private final Clock clock;
    private final String template;
    private final RateLimiter limiter;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "siyu-wecom-outbox");
        thread.setDaemon(true);
        return thread;
    });

    WelcomeOutbox(MongoDatabase reactiveMongoDatabase, WeComApi api, QueryGateway queries, Clock clock,
                  WeComProperties properties) {
        this.outbox = reactiveMongoDatabase.getCollection(COLLECTION);
        this.api = api;
        this.queries = queries;
        this.clock = clock;
        this.template = properties.welcome();
        this.limiter = RateLimiter.of("wecom-api", RateLimiterConfig.custom()
                .limitForPeriod(properties.callsPerSecond()).limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(CODE_VALIDITY).build());
    }

    /** Queues the welcome for a contact added at {@code addedAt} with {@code welcomeCode} (once per callback). */
    public void enqueue(String callbackKey, String memberId, String welcomeCode, Instant addedAt) {
        if (template == null || template.isBlank() || welcomeCode == null || welcomeCode.isBlank()) {
            return;
        }
        String id = "welcome|" + callbackKey;
        Document message = new Document("_id", id).append("memberId", memberId).append("welcomeCode", welcomeCode)
                .append("deadline", Date.from(addedAt.plus(CODE_VALIDITY))).append("status", "pending")
                .append("attempts", 0);
        boolean queued = Boolean.TRUE.equals(Mono.from(outbox.insertOne(message)).thenReturn(true)
                .onErrorResume(MongoWriteException.class, duplicate ->
                        duplicate.getError().getCategory() == ErrorCategory.DUPLICATE_KEY
                                ? Mono.just(false) : Mono.error(duplicate)).block());
        if (queued) {
            worker.execute(() -> send(message));
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void sendWhatWasLeft() {
        worker.execute(() -> Flux.from(outbox.find(Filters.eq("status", "pending"))).toIterable()
                .forEach(pending -> worker.execute(() -> send(pending))));
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }

    private void send(Document message) {
        String id = message.getString("_id");
        Instant deadline = message.getDate("deadline").toInstant();
        if (clock.instant().isAfter(deadline)) {
            settle(id, "expired", "the welcome code expired before it could be sent");
            return;
        }
        MemberStandingView standing = queries.query(new FindMemberStanding(message.getString("memberId")),
                MemberStandingView.class).orTimeout(5, TimeUnit.SECONDS).join();
        if (standing == null) {
            settle(id, "failed", "the member does not exist");
            return;
        }
        String text = template.replace("{tier}", standing.tierName()).replace("{tierEn}", standing.tierNameEn())
                .replace("{points}", String.valueOf(standing.balance()));
        long left = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
        Retry retry = Retry.of(id, RetryConfig.custom()
                .maxAttempts(8)
                .intervalFunction(attempt -> Math.min(left / 4, 200L * (1L << Math.min(attempt, 6))))
                .retryOnException(failure -> failure instanceof WxErrorException wx && wx.getError() != null
                        && TRANSIENT.contains(wx.getError().getErrorCode())
                        && clock.instant().isBefore(deadline))
                .build());
        try {
            Retry.decorateCheckedRunnable(retry, RateLimiter.decorateCheckedRunnable(limiter,
                    () -> api.sendWelcome(message.getString("welcomeCode"), text))).run();
            settle(id, "sent", null);
        } catch (WxErrorException failure) {
            boolean final41051 = failure.getError() != null && failure.getError().getErrorCode() == ALREADY_SENT;
            settle(id, final41051 ? "already-sent" : "failed", "WeCom errcode "
                    + (failure.getError() == null ? "?" : failure.getError().getErrorCode()));
        } catch (Throwable failure) {
            log.warn("A welcome message could not be sent: {}", failure.toString());
            settle(id, "failed", failure.getClass().getSimpleName());
        }
    }

    private void settle(String id, String status, String reason) {
        Mono.from(outbox.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("status", status),
                Updates.set("reason", reason), Updates.inc("attempts", 1)))).block();
    }
}
