package io.siyu.wecom.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;

/**
 * How a campaign's delivery through WeCom stands, for people: its tasks by status, and each task that needs a look —
 * one reported as a {@code possible-duplicate} (a task cut short by a crash that WeCom may have made twice), one sent
 * again after the lookup found nothing ({@code resent-after-lookup}), one adopted from WeCom's list, one that failed,
 * and those still with staff (at most {@link #LISTED}).
 */
@Component
public class CampaignTasks {

    static final int LISTED = 100;

    private final MongoCollection<Document> tasks;

    CampaignTasks(MongoDatabase reactiveMongoDatabase) {
        this.tasks = reactiveMongoDatabase.getCollection(CampaignPlanner.TASKS);
    }

    /** One task: one staff member's batch of a run. */
    public record Task(String taskId, String runId, String staffUserId, int recipients, String status,
                       String recovery, String lastError, Instant createdAt, Instant deadline, Instant settledAt) {
    }

    /**
     * One staff member's tasks: how many they were handed, confirmed (sent from the WeCom client), let pass the
     * deadline, and still have to confirm.
     */
    public record StaffTasks(String staffUserId, long tasks, long confirmed, long notConfirmed, long awaiting) {
    }

    /** A campaign's tasks: how many in each status, per staff member, and those worth a look. */
    public record Delivery(Map<String, Long> tasksByStatus, long possibleDuplicates, long resentAfterLookup,
                           List<StaffTasks> byStaff, List<Task> tasks) {
    }

    public Delivery delivery(String campaignId) {
        Map<String, Long> byStatus = new TreeMap<>();
        long duplicates = 0;
        long resent = 0;
        List<Task> listed = new ArrayList<>();
        Map<String, long[]> staff = new TreeMap<>();
        for (Document task : Flux.from(tasks.find(Filters.eq("campaignId", campaignId))
                .projection(Projections.exclude("text"))).toIterable()) {
            String status = task.getString("status");
            byStatus.merge(status, 1L, Long::sum);
            String recovery = task.getString("recovery");
            if (task.getString("msgid") != null) {
                long[] counts = staff.computeIfAbsent(task.getString("staffUserId"), any -> new long[4]);
                counts[0]++;
                counts[1] += "settled".equals(status) ? 1 : 0;
                counts[2] += "not-confirmed".equals(status) ? 1 : 0;
                counts[3] += "created".equals(status) ? 1 : 0;
            }
            duplicates += "possible-duplicate".equals(status) ? 1 : 0;
            resent += "resent-after-lookup".equals(recovery) ? 1 : 0;
            boolean worthALook = recovery != null || List.of("possible-duplicate", "failed", "intent", "created",
                    "ready").contains(status);
            if (worthALook && listed.size() < LISTED) {
                listed.add(new Task(task.getString("_id"), task.getString("runId"), task.getString("staffUserId"),
                        task.getList("recipients", Document.class, List.of()).size(), status, recovery,
                        task.getString("lastError"), instant(task.getDate("createdAt")),
                        instant(task.getDate("deadline")), instant(task.getDate("settledAt"))));
            }
        }
        List<StaffTasks> byStaff = new ArrayList<>();
        staff.forEach((id, counts) -> byStaff.add(new StaffTasks(id, counts[0], counts[1], counts[2], counts[3])));
        return new Delivery(byStatus, duplicates, resent, byStaff, listed);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
