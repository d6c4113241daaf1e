package io.siyu.engine.segment;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.siyu.api.segment.EnterSegment;
import io.siyu.api.segment.LeaveSegment;
import io.siyu.engine.system.Repeating;
import io.siyu.engine.tier.config.TierProperties;
import io.siyu.projections.audience.Criterion;
import io.siyu.projections.audience.MemberIndex;
import io.siyu.projections.segment.SegmentCatalog;
import io.siyu.projections.segment.SegmentCriteria;

/**
 * Keeps saved segments live. Every {@code siyu.segments.refresh-interval} it evaluates each saved segment over the
 * member index at the current time and compares the result with the membership recorded on the members' streams:
 * whoever meets the criteria and is not recorded gets {@link EnterSegment}, whoever is recorded and no longer meets
 * them gets {@link LeaveSegment}. Events and the passing of time ("no purchase in 30 days") are handled alike. The
 * member aggregate ignores an entry it already has, so a command sent again (before the facts projection has seen
 * the first) records nothing twice.
 */
@Component
@EnableConfigurationProperties(SegmentProperties.class)
public class SegmentMembershipKeeper extends Repeating {

    private static final Logger log = LoggerFactory.getLogger(SegmentMembershipKeeper.class);

    private final SegmentCatalog catalog;
    private final MemberIndex index;
    private final CommandGateway commands;
    private final Clock clock;
    private final SegmentProperties properties;
    private final Set<String> tiers;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Criterion> parsed = new ConcurrentHashMap<>();

    SegmentMembershipKeeper(SegmentCatalog catalog, MemberIndex index, CommandGateway commands, Clock clock,
                            SegmentProperties properties, TierProperties tierProperties) {
        super("siyu-segments", properties.refreshInterval());
        this.catalog = catalog;
        this.index = index;
        this.commands = commands;
        this.clock = clock;
        this.properties = properties;
        this.tiers = tierProperties.codes();
    }

    /** Evaluates every saved segment once and records the entries and exits; @return commands sent */
    public int refresh() {
        int sent = 0;
        for (SegmentCatalog.SavedSegment segment : catalog.all()) {
            Criterion criterion = parsed.computeIfAbsent(segment.segmentId(), id -> criterion(segment.criteria()));
            BitSet wanted = index.select(criterion, clock.instant());
            BitSet recorded = index.recorded(segment.segmentId());
            BitSet entering = (BitSet) wanted.clone();
            entering.andNot(recorded);
            BitSet leaving = recorded;
            leaving.andNot(wanted);
            sent += send(entering, member -> new EnterSegment(member, segment.segmentId()));
            sent += send(leaving, member -> new LeaveSegment(member, segment.segmentId()));
        }
        return sent;
    }

    private int send(BitSet members, Function<String, Object> command) {
        if (members.isEmpty()) {
            return 0;
        }
        Semaphore inFlight = new Semaphore(properties.maxInFlight());
        List<CompletableFuture<Object>> sent = new ArrayList<>();
        String after = null;
        List<String> page;
        while (!(page = index.page(members, after, 1000)).isEmpty()) {
            for (String member : page) {
                inFlight.acquireUninterruptibly();
                sent.add(commands.send(command.apply(member)).whenComplete((result, failure) -> inFlight.release()));
            }
            after = page.get(page.size() - 1);
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        long failed = sent.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        if (failed > 0) {
            log.warn("{} of {} segment membership commands failed; the next refresh sends them again", failed,
                    sent.size());
        }
        return sent.size();
    }

    private Criterion criterion(String criteria) {
        try {
            return SegmentCriteria.parse(json.readTree(criteria), "criteria", tiers);
        } catch (IOException unreadable) {
            throw new IllegalStateException("a saved segment's criteria do not parse", unreadable);
        }
    }

    @Override
    protected void runOnce() {
        refresh();
    }
}
