package io.siyu.engine.faces;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import io.siyu.engine.support.EngineHttp;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.HttpBench;
import io.siyu.engine.support.WeComEngineProcess;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * What the console's routes cost on demo data, as a ratio to a point read measured in the same run: an engine in its
 * own JVM makes a demo year of {@code members} members (its generation rate is reported too), then a marketer's
 * requests — overview, the funnel by month over the year, a stage's members, a two-criteria segment preview, the
 * saved segments — are each sent {@code requests} times from 4 clients, with {@code GET /rewards/coffee} (one point
 * read) as the baseline.
 * <p>
 * {@code ./mvnw -B -q -pl crm-engine exec:java@bench-faces -Dexec.args="2000 400"}
 */
public final class FacesBench {

    private FacesBench() {
    }

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        Path data = Files.createTempDirectory("siyu-faces-bench");
        try (WeComSimulator wecom = new WeComSimulator(EngineTest.WECOM_CORP, "bench-secret");
             WeComEngineProcess engine = new WeComEngineProcess(data, wecom, "bench-secret",
                     "--siyu.demo.members=" + members, "--siyu.loyalty.expiry-months=6",
                     "--siyu.access.rate-limits.requests-per-credential-per-minute=10000000")) {
            Instant started = Instant.now();
            engine.start();
            EngineHttp http = new EngineHttp(engine.httpPort());
            Map<String, Object> demo = http.call("GET", "/api/v1/admin/demo", engine.operator(), null);
            while (!"done".equals(demo.get("state"))) {
                if (!"running".equals(demo.get("state")) && !"waiting".equals(demo.get("state"))) {
                    throw new IllegalStateException("demo " + demo);
                }
                Thread.sleep(2_000); // the demo's own status says when it is done
                demo = http.call("GET", "/api/v1/admin/demo", engine.operator(), null);
            }
            double seconds = Duration.between(Instant.parse((String) demo.get("startedAt")),
                    Instant.parse((String) demo.get("finishedAt"))).toMillis() / 1000.0;
            long commands = ((Number) demo.get("commands")).longValue();
            System.out.printf(Locale.ROOT, "demo: %d members, %d commands in %.0f s (%.0f commands/s; engine start to "
                            + "done %d s)%n", members, commands, seconds, commands / seconds,
                    Duration.between(started, Instant.now()).toSeconds());

            String marketer = engine.credential("marketer", "bench-marketer");
            LocalDate today = LocalDate.parse((String) demo.get("to"));
            Map<String, HttpRequest.Builder> routes = new LinkedHashMap<>();
            String base = "http://127.0.0.1:" + engine.httpPort() + "/api/v1";
            routes.put("baseline GET /rewards/coffee (point read)", get(base + "/rewards/coffee"));
            routes.put("GET /overview (26 weeks)", get(base + "/overview?weeks=26"));
            routes.put("GET /funnels/private-domain (a year by month)", get(base + "/funnels/private-domain?cohortBy=month&from="
                    + today.minusYears(1) + "&to=" + today));
            routes.put("GET /funnels/…/stages/first_purchase/members (year, 50)", get(base
                    + "/funnels/private-domain/stages/first_purchase/members?limit=50&from=" + today.minusYears(1)
                    + "&to=" + today));
            routes.put("POST /segments/preview (tier AND channel)", HttpRequest.newBuilder(URI.create(base
                    + "/segments/preview")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                    .ofString("{\"criteria\":{\"and\":[{\"tier\":{\"in\":[\"silver\",\"gold\",\"black\"]}},"
                            + "{\"registrationChannel\":{\"in\":[\"mini_program\",\"pos\"]}}]}}")));
            routes.put("GET /segments (saved, with live counts)", get(base + "/segments"));
            HttpClient client = HttpClient.newHttpClient();
            // warm up every route, then measure
            for (HttpRequest.Builder route : routes.values()) {
                HttpBench.measure(Math.max(50, requests / 4), 4, i -> route.copy().header("Authorization", marketer)
                        .build(), client, 200);
            }
            // two rounds in turn (the engine may still be settling after the demo in the first), the baseline first
            for (int round = 1; round <= 2; round++) {
                System.out.printf(Locale.ROOT, "round %d%n%-58s %8s %8s %8s %8s%n", round,
                        "route (" + requests + " requests, 4 clients)", "p50 ms", "p99 ms", "max ms", "p50/base");
                double baseline = 0;
                for (Map.Entry<String, HttpRequest.Builder> route : routes.entrySet()) {
                    Histogram latency = HttpBench.measure(requests, 4, i -> route.getValue().copy()
                            .header("Authorization", marketer).build(), client, 200);
                    double p50 = latency.getValueAtPercentile(50) / 1e6;
                    if (baseline == 0) {
                        baseline = p50;
                    }
                    System.out.printf(Locale.ROOT, "%-58s %8.2f %8.2f %8.2f %8.2f%n", route.getKey(), p50,
                            latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6, p50 / baseline);
                }
            }
        }
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET();
    }
}
