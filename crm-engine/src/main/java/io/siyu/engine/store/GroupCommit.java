package io.siyu.engine.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes writes durable before they are acknowledged, sharing one commit among all writes that finished while the
 * previous commit ran. A writer calls {@link #awaitDurable()} after its write is applied; it returns once a commit
 * that started after that write has completed.
 */
final class GroupCommit {

    private final Runnable commit;
    private final AtomicLong writesApplied = new AtomicLong();
    private final Object commitLock = new Object();
    private long durableUpTo; // guarded by commitLock
    private long commits; // guarded by commitLock

    GroupCommit(Runnable commit) {
        this.commit = commit;
    }

    void awaitDurable() {
        long mine = writesApplied.incrementAndGet();
        synchronized (commitLock) {
            if (durableUpTo >= mine) {
                return;
            }
            // Every write counted so far was applied before it was counted, so this commit covers all of them.
            long covered = writesApplied.get();
            commit.run();
            durableUpTo = covered;
            commits++;
        }
    }

    long commits() {
        synchronized (commitLock) {
            return commits;
        }
    }

    long writes() {
        return writesApplied.get();
    }
}
