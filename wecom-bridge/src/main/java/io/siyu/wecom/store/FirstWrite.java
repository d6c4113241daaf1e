package io.siyu.wecom.store;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.reactivestreams.client.MongoCollection;

import reactor.core.publisher.Mono;

/** A document keyed by what makes it unique (a dedupe key, a state): the first insert wins, later ones find it. */
public final class FirstWrite {

    private FirstWrite() {
    }

    /** @return {@code true} when this insert wrote the document, {@code false} when its {@code _id} was taken */
    public static Mono<Boolean> insert(MongoCollection<Document> collection, Document document) {
        return Mono.from(collection.insertOne(document)).thenReturn(true)
                .onErrorResume(MongoWriteException.class, taken ->
                        taken.getError().getCategory() == ErrorCategory.DUPLICATE_KEY
                                ? Mono.just(false) : Mono.error(taken));
    }
}
