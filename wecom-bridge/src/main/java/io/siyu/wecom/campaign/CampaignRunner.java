package io.siyu.wecom.campaign;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.api.WeComErrors;
import io.siyu.wecom.api.WeComHalt;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Works campaigns every {@code siyu.campaigns.tick}, on the one node that holds the runner's lease
 * ({@code wecom_campaign_runner}): tasks left in {@code intent} are looked up first (before anything is sent), then due
 * runs and retries are planned ({@link CampaignPlanner}, after reading the corp's other mass messages so the receive
 * limit counts them), ready tasks are sent, queued facts a crash left unrecorded are recorded, and created tasks are
 * asked about ({@link MassMessageTasks}). While WeCom work is halted for an operator nothing is done. A failure of one
 * step is logged and the step is taken again at the next tick; each is safe to repeat.
 */
@Component
class CampaignRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CampaignRunner.class);
    static final String LEASE = "wecom_campaign_runner";

    private final MongoCollection<Document> campaigns;
    private final MongoCollection<Document> lease;
    private final CampaignPlanner planner;
    private final MassMessageTasks tasks;
    private final ForeignMassMessages foreign;
    private final WeComHalt halt;
    private final Clock clock;
    private final CampaignProperties properties;
    private final String node = UUID.randomUUID().toString();
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "siyu-campaigns");
        thread.setDaemon(true);
        return thread;
    });

    CampaignRunner(MongoDatabase reactiveMongoDatabase, CampaignPlanner planner, MassMessageTasks tasks,
                   ForeignMassMessages foreign, WeComHalt halt, Clock clock, CampaignProperties properties) {
        this.campaigns = reactiveMongoDatabase.getCollection(CampaignDefinitions.COLLECTION);
        this.lease = reactiveMongoDatabase.getCollection(LEASE);
        this.planner = planner;
        this.tasks = tasks;
        this.foreign = foreign;
        this.halt = halt;
        this.clock = clock;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (properties.enabled()) {
            long every = properties.tick().toMillis();
            runner.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }

    /** One round of work; does nothing unless this node holds (or takes) the lease. */
    void tick() {
        try {
            if (halt.halted() || !holdLease()) {
                return;
            }
            Date settledEnough = Date.from(clock.instant().minus(properties.lookupMargin().dividedBy(4)));
            for (Document task : tasks.due("intent")) {
                if (task.getDate("intentAt").after(settledEnough)) {
                    continue; // its call may still be on its way: looked up once it cannot be
                }
                step("look up a task cut short", () -> tasks.recover(task));
            }
            Date now = Date.from(clock.instant());
            // only campaigns with something due (an index would serve this on MongoDB; embedded it is a scan)
            List<Document> all = Flux.from(campaigns.find(Filters.and(Filters.eq("stopped", false), Filters.or(
                    Filters.exists("currentRun"), Filters.lte("nextRunAt", now), Filters.lte("nextRetryAt", now)))))
                    .collectList().block();
            List<Document> dueRuns = all.stream().filter(campaign -> !campaign.getBoolean("stopped", false)
                    && (campaign.containsKey("currentRun") || campaign.getDate("nextRunAt") != null
                    && !campaign.getDate("nextRunAt").after(now))).toList();
            List<Document> dueRetries = all.stream().filter(campaign -> !campaign.getBoolean("stopped", false)
                    && campaign.getDate("nextRetryAt") != null && !campaign.getDate("nextRetryAt").after(now))
                    .toList();
            if (!dueRuns.isEmpty() || !dueRetries.isEmpty()) {
                if (!step("read the corp's other mass messages", foreign::catchUp)) {
                    return; // the receive limit cannot be judged without them
                }
            }
            for (Document campaign : dueRuns) {
                step("plan a campaign run", () -> {
                    planner.run(campaign, this::stillHolding);
                    return 0;
                });
            }
            for (Document campaign : dueRetries) {
                step("plan held-back members again", () -> {
                    planner.retry(campaign, this::stillHolding);
                    return 0;
                });
            }
            for (Document stopped : Flux.from(campaigns.find(Filters.and(Filters.eq("stopped", true),
                    Filters.exists("nextRetryAt")))).collectList().block()) {
                step("give up the held-back members of a stopped campaign", () -> {
                    planner.giveUp(stopped);
                    return 0;
                });
            }
            for (Document task : tasks.due("ready")) {
                holdLease();
                step("send a task", () -> {
                    tasks.send(task);
                    return 1;
                });
            }
            for (Document task : tasks.due("created")) {
                holdLease();
                if (!task.getBoolean("queuedRecorded", true)) {
                    step("record a task's queued facts", () -> {
                        tasks.recordQueued(task);
                        return 0;
                    });
                    continue;
                }
                step("collect a task's outcomes", () -> tasks.poll(task));
            }
        } catch (RuntimeException failure) {
            log.warn("A campaign round failed; the next tick goes on: {}", failure.toString());
        }
    }

    /** A WeCom step: counts its calls; a failure is logged (and an operator's errcode halts WeCom work). */
    private interface Step {
        int run() throws WxErrorException;
    }

    private boolean step(String what, Step step) {
        try {
            step.run();
            return true;
        } catch (WxErrorException | RuntimeException failure) {
            Integer errcode = WeComApi.errcode(failure);
            if (errcode != null && WeComErrors.verdict(errcode) == WeComErrors.Verdict.OPERATOR) {
                halt.halt(errcode);
            }
            log.warn("Could not {} now, trying again at the next tick: {}", what,
                    errcode == null ? failure.toString() : "WeCom errcode " + errcode);
            return false;
        }
    }

    /** Renews the lease while a long run goes on; stops the run if another node took it meanwhile. */
    private void stillHolding() {
        if (!holdLease()) {
            throw new IllegalStateException("another node took the campaign runner's lease");
        }
    }

    /** Takes or renews the lease; @return whether this node holds it. */
    private boolean holdLease() {
        Date now = Date.from(clock.instant());
        Date until = Date.from(clock.instant().plus(properties.lease()));
        try {
            return Mono.from(lease.updateOne(Filters.and(Filters.eq("_id", "runner"),
                    Filters.or(Filters.eq("node", node), Filters.lt("until", now))),
                    Updates.combine(Updates.set("node", node), Updates.set("until", until)),
                    new UpdateOptions().upsert(true))).map(result -> true).block();
        } catch (MongoWriteException taken) {
            if (taken.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false; // another node holds it
            }
            throw taken;
        }
    }

}
