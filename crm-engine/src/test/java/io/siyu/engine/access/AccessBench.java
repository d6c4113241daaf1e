package io.siyu.engine.access;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.HdrHistogram.Histogram;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.siyu.engine.SiyuApplication;
import io.siyu.engine.support.HttpBench;
import io.siyu.engine.support.Signer;
import io.siyu.wecom.simulator.WeChatSimulator;

/**
 * What proving the caller costs, in one run against the whole engine (embedded in-memory store) and the WeChat
 * simulator, 4 clients, 2 cores. Baseline: an unauthenticated read through the same filter chain
 * ({@code GET /actuator/health}). Against it: the widget's points read with a member token (JWT checked in process),
 * the same read by an integration with an API key (one point read of the credential) and with a signed request (the
 * credential read, an HMAC, a nonce insert), and a Mini Program sign-in ({@code jscode2session} at the simulator, the
 * openid claim, registration answered from the aggregate, a token signed). Also the in-process cost of checking and
 * signing one token.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine exec:java@bench-access}
 */
public final class AccessBench {

    private static final int CLIENTS = 4;
    private static final int REQUESTS = 4_000;

    private AccessBench() {
    }

    public static void main(String[] args) throws Exception {
        try (WeChatSimulator wechat = new WeChatSimulator("wx-bench", "bench-secret")) {
            ConfigurableApplicationContext engine = new SpringApplicationBuilder(SiyuApplication.class).properties(
                    "siyu.embedded.in-memory=true", "server.port=0", "siyu.access.first-operator=false",
                    "siyu.access.rate-limits.logins-per-minute=1000000",
                    "siyu.access.rate-limits.requests-per-credential-per-minute=100000000", "siyu.miniapp.app-id=wx-bench",
                    "siyu.miniapp.secret=bench-secret", "siyu.miniapp.api-base-url=" + wechat.baseUrl(),
                    "logging.level.root=warn").run();
            try {
                run(engine, wechat);
            } finally {
                engine.close();
            }
        }
        System.exit(0);
    }

    private static void run(ConfigurableApplicationContext engine, WeChatSimulator wechat) throws Exception {
        String base = "http://127.0.0.1:" + engine.getEnvironment().getProperty("local.server.port");
        HttpClient http = HttpClient.newHttpClient();
        Tokens tokens = engine.getBean(Tokens.class);
        Clock clock = engine.getBean(Clock.class);
        String key = engine.getBean(Credentials.class).create(Role.INTEGRATION, "access-bench", "bench").block()
                .secret();

        List<String> openids = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String openid = "bench-o-" + i;
            String answer = http.send(login(base, wechat.loginCode(openid, null)),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            openids.add(openid);
            members.add(answer.replaceAll(".*\"memberId\":\"([^\"]+)\".*", "$1"));
        }
        List<String> memberTokens = members.stream().map(id -> tokens.issue(Role.MEMBER, id, "bench",
                Duration.ofHours(2)).accessToken()).toList();

        var health = (java.util.function.IntFunction<HttpRequest>) i -> HttpRequest.newBuilder(
                URI.create(base + "/actuator/health")).GET().build();
        var memberRead = (java.util.function.IntFunction<HttpRequest>) i -> HttpRequest.newBuilder(
                URI.create(base + "/api/v1/me/points")).header("Authorization", "Bearer "
                + memberTokens.get(i % memberTokens.size())).GET().build();
        var keyRead = (java.util.function.IntFunction<HttpRequest>) i -> HttpRequest.newBuilder(
                URI.create(base + "/api/v1/members/" + members.get(i % members.size()) + "/points"))
                .header("Authorization", "Bearer " + key).GET().build();
        var signedRead = (java.util.function.IntFunction<HttpRequest>) i -> {
            String path = "/api/v1/members/" + members.get(i % members.size()) + "/points";
            return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", Signer.authorization(key,
                    "GET", path, clock.instant().getEpochSecond(), UUID.randomUUID().toString(), "")).GET().build();
        };
        // each sign-in needs a fresh wx.login code, made before the clock starts
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < REQUESTS + 400; i++) {
            codes.add(wechat.loginCode(openids.get(i % openids.size()), null));
        }
        var signIn = (java.util.function.IntFunction<HttpRequest>) i -> login(base, codes.get(i));

        for (var warm : List.of(health, memberRead, keyRead, signedRead)) {
            HttpBench.measure(400, CLIENTS, warm, http, 200);
        }
        HttpBench.measure(400, CLIENTS, i -> signIn.apply(REQUESTS + i), http, 200);
        // two rounds, each measure in turn, so that none gains from running later; the second round is reported
        Histogram baseline = null;
        Histogram member = null;
        Histogram apiKey = null;
        Histogram signed = null;
        Histogram login = null;
        for (int round = 0; round < 2; round++) {
            int offset = round * REQUESTS / 2;
            baseline = HttpBench.measure(REQUESTS, CLIENTS, health, http, 200);
            member = HttpBench.measure(REQUESTS, CLIENTS, memberRead, http, 200);
            apiKey = HttpBench.measure(REQUESTS, CLIENTS, keyRead, http, 200);
            signed = HttpBench.measure(REQUESTS, CLIENTS, signedRead, http, 200);
            login = HttpBench.measure(REQUESTS / 2, CLIENTS, i -> signIn.apply(offset + i), http, 200);
        }

        System.out.printf(Locale.ROOT, "%n%-58s %8s %8s %8s%n", "measure (" + CLIENTS + " clients, " + REQUESTS
                + " requests each)", "p50 ms", "p99 ms", "max ms");
        HttpBench.print("1 GET /actuator/health, no credential (baseline)", baseline);
        HttpBench.print("2 GET /me/points, member token (JWT)", member);
        HttpBench.print("3 GET /members/{id}/points, integration API key", apiKey);
        HttpBench.print("4 GET /members/{id}/points, signed request", signed);
        HttpBench.print("5 POST /auth/mini-program (jscode2session, token), " + REQUESTS / 2, login);
        double p50 = baseline.getValueAtPercentile(50);
        System.out.printf(Locale.ROOT, "ratios to 1 at p50: 2 %.2f, 3 %.2f, 4 %.2f, 5 %.2f%n",
                member.getValueAtPercentile(50) / p50, apiKey.getValueAtPercentile(50) / p50,
                signed.getValueAtPercentile(50) / p50, login.getValueAtPercentile(50) / p50);

        String token = memberTokens.get(0);
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) {
            tokens.verify(token).block();
        }
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            tokens.verify(token).block();
        }
        double verifyMicros = (System.nanoTime() - started) / 1e3 / rounds;
        started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            tokens.issue(Role.MEMBER, members.get(0), "bench", Duration.ofHours(2));
        }
        double issueMicros = (System.nanoTime() - started) / 1e3 / rounds;
        System.out.printf(Locale.ROOT, "in process, one thread: token check %.1f µs, token signing %.1f µs%n",
                verifyMicros, issueMicros);
    }

    private static HttpRequest login(String base, String code) {
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/mini-program"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}")).build();
    }
}
