package io.siyu.wecom.callback;

import java.time.Instant;
import java.util.Date;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Every verified callback, first of all, as WeCom sent it (decrypted), keyed by its dedupe key
 * ({@code wecom_callbacks}, one document per callback, written before WeCom is answered). A retry finds its key taken
 * and adds nothing. The log is what translation reads and what a replay after a fix reads again.
 */
@Component
public class CallbackLog {

    public static final String COLLECTION = "wecom_callbacks";

    private final MongoCollection<Document> callbacks;

    CallbackLog(MongoDatabase reactiveMongoDatabase) {
        this.callbacks = reactiveMongoDatabase.getCollection(COLLECTION);
    }

    /** @return {@code true} when the callback is new, {@code false} when its dedupe key was logged before */
    public Mono<Boolean> append(CallbackMessage message, Instant receivedAt) {
        Document entry = new Document("_id", message.dedupeKey())
                .append("event", message.field("Event"))
                .append("changeType", message.field("ChangeType"))
                .append("createTime", message.field("CreateTime"))
                .append("xml", message.xml())
                .append("receivedAt", Date.from(receivedAt))
                .append("translated", false);
        return Mono.from(callbacks.insertOne(entry)).thenReturn(true)
                .onErrorResume(MongoWriteException.class, failure ->
                        failure.getError().getCategory() == ErrorCategory.DUPLICATE_KEY
                                ? Mono.just(false) : Mono.error(failure));
    }
}
