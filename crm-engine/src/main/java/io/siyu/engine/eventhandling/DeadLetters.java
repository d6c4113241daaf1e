package io.siyu.engine.eventhandling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.siyu.wecom.work.DeadWork;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The dead letters of every processing group: what waits, and retrying it. A letter shows the event's type, id,
 * aggregate (member or reward id) and sequence, when it happened and why it failed; never its payload (personal data).
 */
@Component
public class DeadLetters {

    /** One description for the gauge, whatever the group (Prometheus keeps one HELP per name). */
    private static final String DEAD_LETTERS_HELP = "events (a processing group) or bridge work (wecom-translation, "
            + "wecom-outbox) waiting in dead letters for an operator's retry";

    /** Letters shown per processing group. */
    static final int SHOWN_PER_GROUP = 50;

    private final EventProcessingConfiguration processing;
    private final MeterRegistry meters;
    private final List<DeadWork> bridgeWork;

    DeadLetters(EventProcessingConfiguration processing, MeterRegistry meters, List<DeadWork> bridgeWork) {
        this.processing = processing;
        this.meters = meters;
        this.bridgeWork = bridgeWork;
    }

    /** A gauge {@code siyu.events.dead-letters{group}} per dead-lettered processing group. */
    @EventListener(ApplicationReadyEvent.class)
    void registerGauges() {
        queues().forEach((group, queue) -> Gauge.builder("siyu.events.dead-letters", queue,
                        SequencedDeadLetterQueue::size)
                .tag("group", group).description(DEAD_LETTERS_HELP)
                .register(meters));
        bridgeWork.forEach(work -> Gauge.builder("siyu.events.dead-letters", work, DeadWork::dead)
                .tag("group", work.name()).description(DEAD_LETTERS_HELP)
                .register(meters));
    }

    /** The bridge's given-up work ({@code wecom-translation}, {@code wecom-outbox}): counts and first entries. */
    public List<WorkLetters> work() {
        return bridgeWork.stream().map(work -> new WorkLetters(work.name(), work.dead(), work.first(SHOWN_PER_GROUP)))
                .toList();
    }

    /** One kind of bridge work given up: how many entries, and the first (oldest) ones. */
    public record WorkLetters(String group, long letters, List<DeadWork.Entry> first) {
    }

    private Map<String, SequencedDeadLetterQueue<EventMessage<?>>> queues() {
        Map<String, SequencedDeadLetterQueue<EventMessage<?>>> queues = new TreeMap<>();
        // only groups whose letters can also be retried (a queue and its processor)
        processing.eventProcessors().keySet().stream()
                .filter(group -> processing.sequencedDeadLetterProcessor(group).isPresent())
                .forEach(group -> processing.deadLetterQueue(group).ifPresent(queue -> queues.put(group, queue)));
        return queues;
    }

    /** Every dead-lettered group with its counts and its first letters, sequence by sequence. */
    public List<GroupLetters> all() {
        List<GroupLetters> groups = new ArrayList<>();
        queues().forEach((group, queue) -> {
            List<Letter> shown = new ArrayList<>();
            for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
                for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                    if (shown.size() == SHOWN_PER_GROUP) {
                        break;
                    }
                    shown.add(Letter.of(letter));
                }
            }
            groups.add(new GroupLetters(group, queue.size(), queue.amountOfSequences(), shown));
        });
        return groups;
    }

    /**
     * Hands each of the group's dead-lettered sequences to its handlers again, oldest first; a sequence whose first
     * letter fails again stays (with the new cause) and the others are still tried.
     *
     * @return empty if the group has no dead-letter queue
     */
    public Optional<RetryResult> retry(String group) {
        Optional<DeadWork> work = bridgeWork.stream().filter(kind -> kind.name().equals(group)).findFirst();
        if (work.isPresent()) {
            int retried = work.get().retryDead();
            return Optional.of(new RetryResult(group, retried, work.get().dead()));
        }
        Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue = processing.deadLetterQueue(group);
        Optional<SequencedDeadLetterProcessor<EventMessage<?>>> processor =
                processing.sequencedDeadLetterProcessor(group);
        if (queue.isEmpty() || processor.isEmpty()) {
            return Optional.empty();
        }
        long sequences = queue.get().amountOfSequences();
        int cleared = 0;
        for (long i = 0; i < sequences; i++) {
            if (processor.get().processAny()) {
                cleared++;
            }
        }
        return Optional.of(new RetryResult(group, cleared, queue.get().size()));
    }

    /** One group's dead letters: events waiting, sequences (members, rewards) stopped, and the first letters. */
    public record GroupLetters(String group, long letters, long sequences, List<Letter> first) {
    }

    /**
     * One dead letter.
     *
     * @param aggregateId       the member (or reward) whose events wait behind it
     * @param aggregateSequence the event's number in that member's stream
     * @param occurredAt        when the event was recorded
     * @param cause             the failure's type and code, or why it waits (behind an earlier letter)
     */
    public record Letter(String eventId, String eventType, String aggregateId, Long aggregateSequence,
                         Instant occurredAt, Instant enqueuedAt, Instant lastTouched, String cause) {

        static Letter of(DeadLetter<? extends EventMessage<?>> letter) {
            EventMessage<?> message = letter.message();
            DomainEventMessage<?> domain = message instanceof DomainEventMessage<?> d ? d : null;
            return new Letter(message.getIdentifier(), message.getPayloadType().getSimpleName(),
                    domain == null ? null : domain.getAggregateIdentifier(),
                    domain == null ? null : domain.getSequenceNumber(), message.getTimestamp(), letter.enqueuedAt(),
                    letter.lastTouched(),
                    letter.cause().map(cause -> cause.type() + describeMessage(cause.message()))
                            .orElse("waits behind an earlier event of the same aggregate"));
        }

        private static String describeMessage(String message) {
            return message == null || message.isBlank() ? "" : ": " + message;
        }
    }

    /** What a retry did: sequences cleared, events still waiting. */
    public record RetryResult(String group, int sequencesCleared, long remaining) {
    }
}
