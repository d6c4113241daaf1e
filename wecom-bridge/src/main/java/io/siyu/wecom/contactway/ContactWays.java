package io.siyu.wecom.contactway;

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
 * "Contact me" QR codes, one per {@code state} ({@code wecom_contact_ways}, keyed by the state): a campaign or store
 * names its code by its state, and every contact added through it carries that state — on the member's contact fact,
 * in the funnel's {@code contactState} cut. The state is the idempotency key: asking again for the same state and
 * staff gives the code made the first time; the same state for other staff is refused. The state is claimed before
 * WeCom is asked, so two requests racing for one state make one code.
 */
@Component
public class ContactWays {

    static final String COLLECTION = "wecom_contact_ways";
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);
    /** How long a request for a state another request is making waits for it before answering 409. */
    static final Duration MADE_WITHIN = Duration.ofSeconds(10);

    private final StateClaims ways;
    private final WeComApi api;

    ContactWays(MongoDatabase reactiveMongoDatabase, WeComApi api, Clock clock) {
        this.ways = new StateClaims(reactiveMongoDatabase.getCollection(COLLECTION), clock, ABANDONED_AFTER);
        this.api = api;
    }

    /** A code WeCom made for a state. */
    public record ContactWay(String state, String configId, String qrCode, List<String> staffUserIds, String remark,
                             boolean skipVerify, Instant createdAt) {
    }

    /** The outcome of asking for a code: the code, and whether this request made it. */
    public record Outcome(ContactWay way, boolean created) {
    }

    /** The state is taken by a code for other staff, or another request is making its code right now. */
    public static final class StateTaken extends RuntimeException {

        private final transient ContactWay existing;

        StateTaken(String message, ContactWay existing) {
            super(message, null, false, false);
            this.existing = existing;
        }

        public Optional<ContactWay> existing() {
            return Optional.ofNullable(existing);
        }
    }

    public Outcome create(String state, List<String> staffUserIds, String remark, boolean skipVerify)
            throws WxErrorException {
        Document claim = new Document("_id", state).append("staffUserIds", staffUserIds).append("remark", remark)
                .append("skipVerify", skipVerify);
        if (!ways.claim(claim)) {
            ContactWay existing = ways.awaitMade(state, MADE_WITHIN).map(way -> find(state).orElseThrow())
                    .orElse(null);
            if (existing == null) {
                throw new StateTaken("A code for state " + state + " is being made by another request; retry", null);
            }
            if (!existing.staffUserIds().equals(staffUserIds)) {
                throw new StateTaken("State " + state + " names a code for other staff", existing);
            }
            return new Outcome(existing, false);
        }
        WeComApi.ContactWay made;
        try {
            made = api.addContactWay(state, staffUserIds, remark, skipVerify);
        } catch (WxErrorException | RuntimeException failure) {
            ways.release(state);
            throw failure;
        }
        ways.made(state, Updates.combine(Updates.set("configId", made.configId()),
                Updates.set("qrCode", made.qrCode())));
        return new Outcome(find(state).orElseThrow(), true);
    }

    /** @return the code made for a state (not one still being made) */
    public Optional<ContactWay> find(String state) {
        return ways.find(state)
                .map(way -> new ContactWay(way.getString("_id"), way.getString("configId"), way.getString("qrCode"),
                        way.getList("staffUserIds", String.class), way.getString("remark"),
                        way.getBoolean("skipVerify", true), way.getDate("createdAt").toInstant()));
    }
}
