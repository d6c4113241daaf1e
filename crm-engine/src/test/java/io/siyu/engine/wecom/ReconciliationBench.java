package io.siyu.engine.wecom;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.siyu.api.member.RegisterMember;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.SiyuApplication;
import io.siyu.engine.support.EngineTest;
import io.siyu.wecom.reconcile.Reconciliation;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * The reconciliation rate against the WeCom simulator, whole engine, in-memory store, at the configured quota
 * ({@code siyu.wecom.calls-per-second}, 100): relationships that WeCom holds and Siyu never heard of (each a member,
 * tagged), spread over 20 staff members, all found by one run; then a second run over the same state, which records
 * nothing. Baseline: a run over 1,000 relationships, in the same JVM. Reports relationships per second and the ratio.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine exec:java@bench-reconcile
 * -Dexec.args=10000}
 */
public final class ReconciliationBench {

    private static final int STAFF = 20;

    private ReconciliationBench() {
    }

    public static void main(String[] args) throws Exception {
        int large = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        try (WeComSimulator wecom = new WeComSimulator(EngineTest.WECOM_CORP, "bench-secret")) {
            ConfigurableApplicationContext engine = new SpringApplicationBuilder(SiyuApplication.class).properties(
                    "siyu.embedded.in-memory=true", "server.port=0", "siyu.wecom.corp-id=" + EngineTest.WECOM_CORP,
                    "siyu.wecom.token=" + EngineTest.WECOM_TOKEN, "siyu.wecom.encoding-aes-key=" + EngineTest.WECOM_KEY,
                    "siyu.wecom.secret=bench-secret", "siyu.wecom.agent-id=1000002",
                    "siyu.wecom.api-base-url=" + wecom.baseUrl(), "siyu.wecom.welcome=",
                    "siyu.wecom.reconciliation.on-start=false", "siyu.wecom.reconciliation.cron=-",
                    "siyu.access.first-operator=false", "logging.level.root=warn").run();
            try {
                wecom.corpTag("et-bench", "VIP", "等级");
                double[] base = run(engine, wecom, "base", 1_000);
                double[] measured = run(engine, wecom, "large", large);
                System.out.printf(Locale.ROOT, "%n%,7d relationships: first run %,8.1f relationships/s (baseline), "
                        + "repeat %,8.1f/s%n", 1_000, base[0], base[1]);
                System.out.printf(Locale.ROOT, "%,7d relationships: first run %,8.1f relationships/s (%.2fx), "
                        + "repeat %,8.1f/s (%.2fx)%n", large, measured[0], measured[0] / base[0], measured[1],
                        measured[1] / base[1]);
            } finally {
                engine.close();
            }
        }
        System.exit(0);
    }

    /** @return relationships per second of a first run and of a repeat */
    private static double[] run(ConfigurableApplicationContext engine, WeComSimulator wecom, String name, int count)
            throws Exception {
        CommandGateway commands = engine.getBean(CommandGateway.class);
        List<CompletableFuture<Object>> registered = new ArrayList<>();
        long addedAt = Instant.now().getEpochSecond() - 3_600;
        for (int i = 0; i < count; i++) {
            String unionid = "u-" + name + "-" + i;
            String external = "wm-" + name + "-" + i;
            wecom.externalContact(external, unionid);
            wecom.follow(external, name + "-staff-" + (i % STAFF), addedAt);
            wecom.tagInApp(external, name + "-staff-" + (i % STAFF), "et-bench");
            registered.add(commands.send(new RegisterMember("m-" + name + "-" + i, "o-" + name + "-" + i, unionid,
                    null, null, null, SalesChannel.MINI_PROGRAM, null)));
            if (registered.size() == 500) {
                CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).join();
                registered.clear();
            }
        }
        CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).join();
        // the unionid directory (a tracking processor) learns of every registration before the run starts
        io.siyu.wecom.identity.UnionidDirectory directory = engine.getBean(io.siyu.wecom.identity.UnionidDirectory.class);
        for (int i = 0; i < count; i++) {
            while (directory.memberOf("u-" + name + "-" + i).isEmpty()) {
                Thread.sleep(50);
            }
        }
        Reconciliation reconciliation = engine.getBean(Reconciliation.class);
        double first = timed(reconciliation, count);
        double repeat = timed(reconciliation, count);
        return new double[] {first, repeat};
    }

    private static double timed(Reconciliation reconciliation, int count) throws InterruptedException {
        Instant start = Instant.now();
        String runId = reconciliation.start("bench").run().runId();
        Reconciliation.Run run;
        do {
            Thread.sleep(50);
            run = reconciliation.find(runId).orElseThrow();
        } while ("running".equals(run.state()));
        Duration took = Duration.between(start, Instant.now());
        System.out.printf(Locale.ROOT, "run %s: %,d relationships seen, %,d facts recorded, %,d not members, %.1f s%n",
                runId, run.relationshipsSeen(), run.recorded(), run.notMembers(), took.toMillis() / 1000.0);
        return run.relationshipsSeen() / Math.max(0.001, took.toMillis() / 1000.0);
    }
}
