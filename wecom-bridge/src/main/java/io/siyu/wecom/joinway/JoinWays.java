package io.siyu.wecom.joinway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.store.FirstWrite;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Mono;

/**
 * Customer-group join ways, one per {@code state} ({@code wecom_join_ways}, keyed by the state): a group QR code
 * (scene 2) or a Mini Program plugin button (scene 1) for up to five groups. Every join through it carries the state
 * — on the member's group fact, in the funnel's {@code joinState} cut, in segments' {@code joinState} criterion and
 * in the results of the campaigns that invite with it. The state is the idempotency key: asking again for the same
 * state, scene and groups gives the way made the first time; the same state for anything else is refused. The state
 * is claimed before WeCom is asked, so two requests racing for one state make one way.
 */
@Component
public class JoinWays {

    static final String COLLECTION = "wecom_join_ways";
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);
    /** WeCom's scene for a Mini Program plugin button. */
    public static final int MINI_PROGRAM = 1;
    /** WeCom's scene for a group QR code. */
    public static final int QR_CODE = 2;

    private final MongoCollection<Document> ways;
    private final WeComApi api;
    private final Clock clock;

    JoinWays(MongoDatabase reactiveMongoDatabase, WeComApi api, Clock clock) {
        this.ways = reactiveMongoDatabase.getCollection(COLLECTION);
        this.api = api;
        this.clock = clock;
    }

    /** What a join way is asked for. */
    public record Request(String state, int scene, List<String> chatIds, String remark, boolean autoCreateRoom,
                          String roomBaseName, Integer roomBaseId) {
    }

    /** A join way WeCom made for a state; {@code qrCode} is WeCom's QR image URL (scene 2). */
    public record JoinWay(String state, int scene, String configId, String qrCode, List<String> chatIds,
                          String remark, boolean autoCreateRoom, String roomBaseName, Integer roomBaseId,
                          Instant createdAt) {
    }

    /** The outcome of asking for a join way: the way, and whether this request made it. */
    public record Outcome(JoinWay way, boolean created) {
    }

    /** The state is taken by a join way for other groups or scene, or another request is making it right now. */
    public static final class StateTaken extends RuntimeException {

        private final transient JoinWay existing;

        StateTaken(String message, JoinWay existing) {
            super(message, null, false, false);
            this.existing = existing;
        }

        public Optional<JoinWay> existing() {
            return Optional.ofNullable(existing);
        }
    }

    public Outcome create(Request request) throws WxErrorException {
        Document claim = new Document("_id", request.state()).append("scene", request.scene())
                .append("chatIds", request.chatIds()).append("remark", request.remark())
                .append("autoCreateRoom", request.autoCreateRoom()).append("roomBaseName", request.roomBaseName())
                .append("roomBaseId", request.roomBaseId()).append("status", "creating")
                .append("createdAt", Date.from(clock.instant()));
        if (!claimed(claim) && !(abandoned(request.state()) && claimed(claim))) {
            JoinWay existing = find(request.state()).orElse(null);
            if (existing == null) {
                throw new StateTaken("A join way for state " + request.state()
                        + " is being made by another request; retry", null);
            }
            if (existing.scene() != request.scene() || !existing.chatIds().equals(request.chatIds())) {
                throw new StateTaken("State " + request.state() + " names a join way for other groups or scene",
                        existing);
            }
            return new Outcome(existing, false);
        }
        WeComApi.JoinWay made;
        try {
            made = api.addJoinWay(request.scene(), request.state(), request.chatIds(), request.remark(),
                    request.autoCreateRoom(), request.roomBaseName(), request.roomBaseId());
        } catch (WxErrorException | RuntimeException failure) {
            Mono.from(ways.deleteOne(Filters.eq("_id", request.state()))).block();
            throw failure;
        }
        Mono.from(ways.updateOne(Filters.eq("_id", request.state()), Updates.combine(Updates.set("status", "made"),
                Updates.set("configId", made.configId()), Updates.set("qrCode", made.qrCode())))).block();
        return new Outcome(find(request.state()).orElseThrow(), true);
    }

    /** @return the join way made for a state (not one still being made) */
    public Optional<JoinWay> find(String state) {
        return Mono.from(ways.find(Filters.eq("_id", state)).first())
                .filter(way -> "made".equals(way.getString("status")))
                .map(way -> new JoinWay(way.getString("_id"), way.getInteger("scene", QR_CODE),
                        way.getString("configId"), way.getString("qrCode"), way.getList("chatIds", String.class),
                        way.getString("remark"), way.getBoolean("autoCreateRoom", false),
                        way.getString("roomBaseName"), way.getInteger("roomBaseId"),
                        way.getDate("createdAt").toInstant()))
                .blockOptional();
    }

    /** A claim still "creating" after {@link #ABANDONED_AFTER} was left by a request that died: it is released. */
    private boolean abandoned(String state) {
        Date before = Date.from(clock.instant().minus(ABANDONED_AFTER));
        return Mono.from(ways.deleteOne(Filters.and(Filters.eq("_id", state), Filters.eq("status", "creating"),
                Filters.lt("createdAt", before)))).map(deleted -> deleted.getDeletedCount() > 0).block();
    }

    private boolean claimed(Document claim) {
        return Boolean.TRUE.equals(FirstWrite.insert(ways, claim).block());
    }
}
