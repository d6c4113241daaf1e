package io.siyu.wecom.work;

import java.time.Instant;
import java.util.List;

/**
 * A kind of bridge work that can be given up (dead): listed and retried through the operators' dead-letter surface
 * ({@code /api/v1/admin/dead-letters}) beside the processors' dead letters.
 */
public interface DeadWork {

    /** @return the name the operator surface shows and retries it by ({@code wecom-translation}, {@code wecom-outbox}) */
    String name();

    /** @return how many entries are dead */
    long dead();

    /** @return up to {@code limit} dead entries, oldest first */
    List<Entry> first(int limit);

    /** Puts every dead entry back to work (attempts counted afresh). @return how many */
    int retryDead();

    /**
     * One dead entry: what it is (a callback's dedupe key, an outbox id — never personal data), its attempts, when it
     * was first queued and given up, and its last error (type and WeCom errcode only).
     */
    record Entry(String id, String kind, int attempts, Instant queuedAt, Instant deadAt, String lastError) {
    }
}
