package io.siyu.wecom.joinway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.store.StateClaims;
import me.chanjar.weixin.common.error.WxErrorException;

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
    /** How long a request for a state another request is making waits for it before answering 409. */
    static final Duration MADE_WITHIN = Duration.ofSeconds(10);
    /** WeCom's scene for a Mini Program plugin button. */
    public static final int MINI_PROGRAM = 1;
    /** WeCom's scene for a group QR code. */
    public static final int QR_CODE = 2;

    private final StateClaims ways;
    private final WeComApi api;

    JoinWays(MongoDatabase reactiveMongoDatabase, WeComApi api, Clock clock) {
        this.ways = new StateClaims(reactiveMongoDatabase.getCollection(COLLECTION), clock, ABANDONED_AFTER);
        this.api = api;
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
                .append("roomBaseId", request.roomBaseId());
        if (!ways.claim(claim)) {
            JoinWay existing = ways.awaitMade(request.state(), MADE_WITHIN).map(way -> find(request.state())
                    .orElseThrow()).orElse(null);
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
            ways.release(request.state());
            if (Integer.valueOf(701008).equals(WeComApi.errcode(failure))) {
                throw new io.siyu.wecom.api.RefusedInput("chatIds", "names a customer group WeCom does not have "
                        + "(errcode 701008)");
            }
            throw failure;
        }
        ways.made(request.state(), Updates.combine(Updates.set("configId", made.configId()),
                Updates.set("qrCode", made.qrCode())));
        return new Outcome(find(request.state()).orElseThrow(), true);
    }

    /** @return the join way made for a state (not one still being made) */
    public Optional<JoinWay> find(String state) {
        return ways.find(state)
                .map(way -> new JoinWay(way.getString("_id"), way.getInteger("scene", QR_CODE),
                        way.getString("configId"), way.getString("qrCode"), way.getList("chatIds", String.class),
                        way.getString("remark"), way.getBoolean("autoCreateRoom", false),
                        way.getString("roomBaseName"), way.getInteger("roomBaseId"),
                        way.getDate("createdAt").toInstant()));
    }
}
