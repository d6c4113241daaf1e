package io.siyu.wecom.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.wecom.api.WeComApi;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Mono;

/**
 * The non-member welcome's Mini Program card: its cover is a temporary media id ({@code media/upload}, valid three
 * days), kept in {@code wecom_media} so every node uses one upload, and uploaded again once it is older than
 * {@link #RENEW_AFTER} (before WeCom forgets it).
 */
@Component
public class WelcomeCard {

    /** A media id is valid three days; renewed with half a day to spare. */
    static final Duration RENEW_AFTER = Duration.ofHours(60);
    private static final String ID = "non-member-welcome-cover";

    private final MongoCollection<Document> media;
    private final WeComApi api;
    private final NonMemberWelcome welcome;
    private final Clock clock;

    WelcomeCard(MongoDatabase reactiveMongoDatabase, WeComApi api, NonMemberWelcome welcome, Clock clock) {
        this.media = reactiveMongoDatabase.getCollection("wecom_media");
        this.api = api;
        this.welcome = welcome;
        this.clock = clock;
    }

    /** @return the card to send, or empty when no Mini Program is configured */
    public Optional<WeComApi.MiniProgramCard> card() throws WxErrorException {
        if (!welcome.hasCard()) {
            return Optional.empty();
        }
        return Optional.of(new WeComApi.MiniProgramCard(welcome.title(), coverMediaId(), welcome.appId(),
                welcome.page()));
    }

    private String coverMediaId() throws WxErrorException {
        Instant now = clock.instant();
        Document kept = Mono.from(media.find(Filters.eq("_id", ID)).first()).block();
        if (kept != null && kept.getDate("uploadedAt").toInstant().plus(RENEW_AFTER).isAfter(now)
                && welcome.cover().equals(kept.getString("cover"))) {
            return kept.getString("mediaId");
        }
        String mediaId;
        try (InputStream image = open(welcome.cover())) {
            mediaId = api.uploadImage(image, welcome.cover().toLowerCase().endsWith(".jpg") ? "jpg" : "png");
        } catch (IOException unreadable) {
            throw new IllegalStateException("the welcome card's cover (siyu.wecom.non-member.cover) cannot be read",
                    unreadable);
        }
        Mono.from(media.replaceOne(Filters.eq("_id", ID), new Document("_id", ID).append("mediaId", mediaId)
                .append("cover", welcome.cover()).append("uploadedAt", Date.from(now)),
                new ReplaceOptions().upsert(true))).block();
        return mediaId;
    }

    private static InputStream open(String cover) throws IOException {
        if (cover.startsWith("classpath:")) {
            InputStream resource = WelcomeCard.class.getClassLoader()
                    .getResourceAsStream(cover.substring("classpath:".length()));
            if (resource == null) {
                throw new IOException("no resource " + cover);
            }
            return resource;
        }
        return Files.newInputStream(Path.of(cover));
    }
}
