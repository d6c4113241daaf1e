package io.siyu.engine.wecom;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.engine.SiyuApplication;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.access.Credentials;
import io.siyu.engine.access.Role;
import io.siyu.engine.support.HttpBench;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.callback.CallbackCrypto;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * What WeCom callbacks cost, in one run against the whole engine (embedded in-memory store) and the WeCom simulator,
 * 2 cores: (1) WeCom waits at most 5 s for an answer: the answer time of a callback (verify, decrypt, parse, append to
 * the callback log) against the URL check (verify and decrypt only) as baseline; (2) translation: callbacks turned into
 * recorded contact facts per second (link lookup through {@code externalcontact/get}, the member command) against the
 * same facts sent as commands directly, one at a time as the translator does, as baseline.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine exec:java@bench-wecom}
 */
public final class WeComBench {

    private static final int MEMBERS = 1_000;
    private static final int CLIENTS = 4;

    private WeComBench() {
    }

    public static void main(String[] args) throws Exception {
        try (WeComSimulator wecom = new WeComSimulator(EngineTest.WECOM_CORP, "bench-secret")) {
            ConfigurableApplicationContext engine = new SpringApplicationBuilder(SiyuApplication.class).properties(
                    "siyu.embedded.in-memory=true", "server.port=0", "siyu.wecom.corp-id=" + EngineTest.WECOM_CORP,
                    "siyu.wecom.token=" + EngineTest.WECOM_TOKEN, "siyu.wecom.encoding-aes-key=" + EngineTest.WECOM_KEY,
                    "siyu.wecom.secret=bench-secret", "siyu.wecom.agent-id=1000002",
                    "siyu.wecom.api-base-url=" + wecom.baseUrl(), "siyu.wecom.welcome=",
                    "logging.level.root=warn").run();
            try {
                run(engine, wecom);
            } finally {
                engine.close();
            }
        }
        System.exit(0);
    }

    private static void run(ConfigurableApplicationContext engine, WeComSimulator wecom) throws Exception {
        String base = "http://127.0.0.1:" + engine.getEnvironment().getProperty("local.server.port");
        HttpClient http = HttpClient.newHttpClient();
        CallbackCrypto crypto = WeComCallbacks.WECOM;
        MongoClient mongo = engine.getBean("syncMongoClient", MongoClient.class);
        String database = engine.getBean(MongoEndpoint.class).database();
        CommandGateway commands = engine.getBean(CommandGateway.class);

        String integration = "Bearer " + engine.getBean(Credentials.class).create(Role.INTEGRATION, "wecom-bench",
                "bench").block().secret();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            String body = "{\"openid\":\"bench-o-" + i + "\",\"unionid\":\"bench-u-" + i + "\"}";
            HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/members"))
                    .header("Content-Type", "application/json").header("Authorization", integration)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            members.add(registered.body().replaceAll(".*\"memberId\":\"([^\"]+)\".*", "$1"));
            wecom.externalContact("bench-wm-" + i, "bench-u-" + i);
        }

        // warm-up: both paths, on other data
        measure(200, i -> urlCheck(crypto, base, "warm" + i), http);
        Histogram check = measure(2 * MEMBERS, i -> urlCheck(crypto, base, "echo-" + i), http);

        long started = System.nanoTime();
        Histogram answer = measure(MEMBERS, i -> callback(crypto, base, i), http);
        var log = mongo.getDatabase(database).getCollection("wecom_callbacks");
        while (log.countDocuments(Filters.eq("translated", true)) < MEMBERS) {
            Thread.sleep(20);
        }
        double translated = MEMBERS / ((System.nanoTime() - started) / 1e9);

        long direct = System.nanoTime();
        for (int i = 0; i < MEMBERS; i++) {
            commands.sendAndWait(new RecordWeComContactAdded(members.get(i), "bench-direct-" + i, "staff-direct",
                    "bench-wm-" + i, null, Instant.now()));
        }
        double commanded = MEMBERS / ((System.nanoTime() - direct) / 1e9);

        System.out.printf(Locale.ROOT, "%n%-58s %8s %8s %8s%n", "measure (" + CLIENTS + " clients)", "p50 ms",
                "p99 ms", "max ms");
        print("1 URL check: verify + decrypt (baseline)", check);
        print("2 event callback: verify + decrypt + parse + log append", answer);
        System.out.printf(Locale.ROOT, "ratio 2/1 at p50 %.2f, at p99 %.2f%n",
                answer.getValueAtPercentile(50) / (double) check.getValueAtPercentile(50),
                answer.getValueAtPercentile(99) / (double) check.getValueAtPercentile(99));
        System.out.printf(Locale.ROOT, "%n%-58s %10.0f%n", "3 facts recorded from callbacks per second", translated);
        System.out.printf(Locale.ROOT, "%-58s %10.0f%n", "4 the same facts as direct commands per second (baseline)",
                commanded);
        System.out.printf(Locale.ROOT, "ratio 3/4 %.2f (externalcontact/get calls: %d)%n", translated / commanded,
                wecom.contactReads());
    }

    private static HttpRequest urlCheck(CallbackCrypto crypto, String base, String echo) {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        CallbackCrypto.Sealed sealed = crypto.seal(echo, timestamp, "n");
        return HttpRequest.newBuilder(URI.create(base + "/wecom/callback?msg_signature=" + sealed.msgSignature()
                + "&timestamp=" + timestamp + "&nonce=n&echostr="
                + URLEncoder.encode(sealed.encrypted(), StandardCharsets.UTF_8))).GET().build();
    }

    private static HttpRequest callback(CallbackCrypto crypto, String base, int i) {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        CallbackCrypto.Sealed sealed = crypto.seal(WeComCallbacks.contact("add_external_contact", "staff-bench",
                "bench-wm-" + i, "bench-poster", timestamp), timestamp, "n" + i);
        return HttpRequest.newBuilder(URI.create(base + "/wecom/callback?msg_signature=" + sealed.msgSignature()
                        + "&timestamp=" + timestamp + "&nonce=n" + i)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(WeComCallbacks.envelope(sealed.encrypted()))).build();
    }

    private static Histogram measure(int count, IntFunction<HttpRequest> request, HttpClient http) throws Exception {
        return HttpBench.measure(count, CLIENTS, request, http, 200);
    }

    private static void print(String name, Histogram latency) {
        HttpBench.print(name, latency);
    }
}
