package io.siyu.engine.wecom;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.bson.Document;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.siyu.api.campaign.CampaignMessage;
import io.siyu.api.campaign.CampaignSchedule;
import io.siyu.api.campaign.DefineCampaign;
import io.siyu.api.member.ChangeConsent;
import io.siyu.api.member.RegisterMember;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.api.segment.DefineSegment;
import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.engine.SiyuApplication;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.EngineTest;
import io.siyu.projections.audience.Criterion;
import io.siyu.projections.audience.MemberIndex;
import io.siyu.projections.campaign.CampaignResults;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * What a campaign costs at a brand's scale, whole engine in one JVM on the in-memory store, WeCom played by the
 * simulator: members of one store, each consenting to marketing and the WeCom contact of one of 20 staff members;
 * a campaign over the store's segment. Measured per campaign: <b>planning</b> (the run reads the segment a page at a
 * time, claims each member, picks the sender, checks the receive limit and builds the tasks, until the run is
 * recorded), <b>handing over</b> (every task sent with {@code add_msg_template} and every recipient's
 * {@code CampaignMessageQueued} recorded), and — after every staff member confirms — <b>collecting</b> (outcomes read
 * with {@code get_groupmsg_task} / {@code get_groupmsg_send_result} and every {@code CampaignMessageSettled}
 * recorded); and WeCom calls per 1,000 recipients by API. Baseline: the same over 1,000 members, same JVM.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine exec:java@bench-campaign
 * -Dexec.args=100000}
 */
public final class CampaignBench {

    private static final int STAFF = 20;
    private static final List<String> APIS = List.of("externalcontact/get_groupmsg_list_v2",
            "externalcontact/add_msg_template", "externalcontact/get_groupmsg_task",
            "externalcontact/get_groupmsg_send_result", "externalcontact/cancel_groupmsg_send");

    private CampaignBench() {
    }

    public static void main(String[] args) throws Exception {
        int large = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (WeComSimulator wecom = new WeComSimulator(EngineTest.WECOM_CORP, "bench-secret")) {
            ConfigurableApplicationContext engine = new SpringApplicationBuilder(SiyuApplication.class).properties(
                    "siyu.embedded.in-memory=true", "server.port=0", "siyu.wecom.corp-id=" + EngineTest.WECOM_CORP,
                    "siyu.wecom.token=" + EngineTest.WECOM_TOKEN, "siyu.wecom.encoding-aes-key=" + EngineTest.WECOM_KEY,
                    "siyu.wecom.secret=bench-secret", "siyu.wecom.agent-id=1000002",
                    "siyu.wecom.api-base-url=" + wecom.baseUrl(), "siyu.wecom.welcome=",
                    "siyu.wecom.reconciliation.enabled=false", "siyu.access.first-operator=false",
                    "siyu.campaigns.tick=100ms", "siyu.campaigns.poll-interval=200ms", "siyu.wecom.calls-per-second=1000",
                    "logging.level.root=warn").run();
            try {
                Figures base = run(engine, wecom, "base", 1_000);
                Figures measured = run(engine, wecom, "large", large);
                System.out.printf(Locale.ROOT, "%n%-8s %9s %12s %12s %12s%n", "members", "", "planning/s",
                        "handing/s", "collecting/s");
                print(1_000, base, base);
                print(large, measured, base);
                System.out.printf(Locale.ROOT, "%nWeCom calls per 1,000 recipients (%,d recipients, %d staff):%n",
                        large, STAFF);
                measured.calls().forEach((api, calls) -> System.out.printf(Locale.ROOT, "  %-45s %8.2f (%,d)%n",
                        api, calls * 1000.0 / large, calls));
                long total = measured.calls().values().stream().mapToLong(Long::longValue).sum();
                System.out.printf(Locale.ROOT, "  %-45s %8.2f (%,d)%n", "all", total * 1000.0 / large, total);
            } finally {
                engine.close();
            }
        }
        System.exit(0);
    }

    private record Figures(double planning, double handing, double collecting, Map<String, Long> calls) {
    }

    private static void print(int members, Figures figures, Figures base) {
        System.out.printf(Locale.ROOT, "%,8d %9s %12.0f %12.0f %12.0f%n", members, "", figures.planning(),
                figures.handing(), figures.collecting());
        System.out.printf(Locale.ROOT, "%8s %9s %11.2fx %11.2fx %11.2fx%n", "", "ratio",
                figures.planning() / base.planning(), figures.handing() / base.handing(),
                figures.collecting() / base.collecting());
    }

    private static Figures run(ConfigurableApplicationContext engine, WeComSimulator wecom, String name, int count)
            throws Exception {
        CommandGateway commands = engine.getBean(CommandGateway.class);
        String store = "bench-" + name;
        Instant addedAt = Instant.now().minusSeconds(3_600);
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<Object>> sent = new ArrayList<>();
        long seeding = System.nanoTime();
        for (int from = 0; from < count; from += 1_000) {
            // a thousand registrations, then their consents and contacts (a member must exist before either)
            for (int step = 0; step < 2; step++) {
                for (int i = from; i < Math.min(count, from + 1_000); i++) {
                    String member = "m-" + name + "-" + i;
                    String external = "wm-" + name + "-" + i;
                    String staff = name + "-staff-" + (i % STAFF);
                    List<Object> batch = step == 0
                            ? List.of(new RegisterMember(member, "o-" + name + "-" + i, "u-" + name + "-" + i, null,
                                    null, null, SalesChannel.MINI_PROGRAM, store))
                            : List.of(new ChangeConsent(member, "c-" + i, "marketing", true, "bench", null),
                                    new RecordWeComContactAdded(member, "bench|" + staff + "|" + external, staff,
                                            external, null, addedAt, null, null));
                    if (step == 1) {
                        wecom.externalContact(external, "u-" + name + "-" + i);
                        wecom.follow(external, staff, addedAt.getEpochSecond());
                    }
                    for (Object command : batch) {
                        inFlight.acquireUninterruptibly();
                        sent.add(commands.send(command).whenComplete((result, failure) -> inFlight.release()));
                    }
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
                sent.clear();
            }
        }
        MemberIndex index = engine.getBean(MemberIndex.class);
        Criterion ready = new Criterion.And(List.of(new Criterion.StoreIn(java.util.Set.of(store)),
                new Criterion.Consents("marketing"), new Criterion.HasWeComContact()));
        while (index.select(ready, Instant.now()).cardinality() < count) {
            Thread.sleep(200);
        }
        System.out.printf(Locale.ROOT, "%s: %,d members seeded (registration, consent, contact) in %.0f s%n", name,
                count, (System.nanoTime() - seeding) / 1e9);

        commands.sendAndWait(new DefineSegment("seg-" + name, "门店会员", "{\"store\":{\"in\":[\"" + store + "\"]}}",
                "bench"));
        MongoClient mongo = engine.getBean("syncMongoClient", MongoClient.class);
        MongoDatabase database = mongo.getDatabase(engine.getBean(MongoEndpoint.class).database());
        Map<String, Integer> callsBefore = new LinkedHashMap<>();
        APIS.forEach(api -> callsBefore.put(api, wecom.calls(api)));
        String campaign = "bench-" + name;
        long started = System.nanoTime();
        commands.sendAndWait(new DefineCampaign(campaign, "基准活动", "seg-" + name, new CampaignMessage("欢迎入群",
                List.of()), new CampaignSchedule(CampaignSchedule.ONCE, null, null), "marketing", null, List.of(), 7,
                "bench"));
        while (!database.getCollection("wecom_campaigns").find(Filters.and(Filters.eq("_id", campaign),
                Filters.gte("runs", 1))).iterator().hasNext()) {
            Thread.sleep(20);
        }
        long planned = System.nanoTime();
        int tasks = STAFF * (int) Math.ceil(count / (double) STAFF / 10_000);
        while (database.getCollection("wecom_campaign_tasks").countDocuments(Filters.and(
                Filters.eq("campaignId", campaign), Filters.eq("status", "created"),
                Filters.eq("queuedRecorded", true))) < tasks) {
            Thread.sleep(20);
        }
        long handed = System.nanoTime();
        for (int s = 0; s < STAFF; s++) {
            wecom.confirmMassMessages(name + "-staff-" + s);
        }
        long confirmed = System.nanoTime();
        CampaignResults results = engine.getBean(CampaignResults.class);
        while (database.getCollection("wecom_campaign_tasks").countDocuments(Filters.and(
                Filters.eq("campaignId", campaign), Filters.eq("status", "settled"))) < tasks) {
            Thread.sleep(20);
        }
        long collected = System.nanoTime();
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        CampaignResults.Result result;
        while ((result = results.results(campaign, today, today).orElseThrow()).sent() < count) {
            Thread.sleep(2_000); // a results read goes over the campaign's recipients: not too often
        }
        long projected = System.nanoTime();
        Map<String, Long> calls = new LinkedHashMap<>();
        APIS.forEach(api -> calls.put(api, (long) wecom.calls(api) - callsBefore.get(api)));
        Document run = database.getCollection("wecom_campaigns").find(Filters.eq("_id", campaign)).first();
        System.out.printf(Locale.ROOT, "%s: %d tasks; planning %.2f s, handing over %.2f s, collecting %.2f s "
                        + "(results projection caught up %.2f s later); targeted %,d, sent %,d; run %s%n", name, tasks,
                (planned - started) / 1e9, (handed - planned) / 1e9, (collected - confirmed) / 1e9,
                (projected - collected) / 1e9, result.targeted(), result.sent(), run.get("lastRunAt"));
        return new Figures(count / ((planned - started) / 1e9), count / ((handed - planned) / 1e9),
                count / ((collected - confirmed) / 1e9), calls);
    }
}
