package io.siyu.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void noWriteIsAcknowledgedBeforeACommitThatCoversIt() throws Exception {
        AtomicLong applied = new AtomicLong();
        AtomicLong durable = new AtomicLong();
        GroupCommit groupCommit = new GroupCommit(() -> {
            durable.set(applied.get());
            Thread.onSpinWait();
        });
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> acks = new ArrayList<>();
            for (int i = 0; i < 4_000; i++) {
                acks.add(writers.submit(() -> {
                    long mine = applied.incrementAndGet();
                    groupCommit.awaitDurable();
                    return durable.get() >= mine;
                }));
            }
            for (Future<Boolean> ack : acks) {
                assertThat(ack.get()).isTrue();
            }
        } finally {
            writers.shutdown();
        }
        assertThat(groupCommit.writes()).isEqualTo(4_000);
        assertThat(groupCommit.commits()).isBetween(1L, 4_000L);
    }

    @Test
    void aLoneWriterCommitsEveryWrite() {
        AtomicLong commits = new AtomicLong();
        GroupCommit groupCommit = new GroupCommit(commits::incrementAndGet);
        for (int i = 0; i < 10; i++) {
            groupCommit.awaitDurable();
        }
        assertThat(commits).hasValue(10);
    }
}
