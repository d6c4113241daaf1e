package io.siyu.engine.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;

import io.siyu.engine.SiyuApplication;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.EngineHttp;

/**
 * Rotating the master key on a durable store: members registered under key k1; the engine restarted with k2 as the
 * current key and k1 as a previous one still reads them; a rotation run re-wraps every data key under k2 without
 * touching a single event; restarted with k2 alone, the engine still reads them, and every data key names k2.
 */
@SuppressWarnings("unchecked")
class KeyRotationTest {

    private static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = "k2:" + Base64.getEncoder().encodeToString(filled(7));

    @Test
    void aRotationRewrapsEveryDataKeyAndLeavesTheEventsAlone() throws Exception {
        Path data = Files.createTempDirectory("siyu-rotation");
        List<String> members = new ArrayList<>();
        String operator;
        try (ConfigurableApplicationContext engine = start(data, K1, "")) {
            EngineHttp http = http(engine);
            operator = "Bearer " + Files.readString(data.resolve("operator.credential")).trim();
            String integration = "Bearer " + http.call("POST", "/api/v1/admin/credentials", operator,
                    Map.of("role", "integration", "name", "rotation-pos")).get("secret");
            for (int i = 0; i < 3; i++) {
                members.add((String) http.call("POST", "/api/v1/members", integration, Map.of("openid",
                        "oRotate" + i, "nickname", "轮换" + i, "phone", "1380000000" + i)).get("memberId"));
            }
            for (int i = 0; i < members.size(); i++) {
                assertThat(nickname(http, operator, members.get(i))).isEqualTo("轮换" + i);
            }
            assertThat(masters(engine)).containsOnly("k1");
        }

        String eventsBefore;
        try (ConfigurableApplicationContext engine = start(data, K2, K1)) {
            EngineHttp http = http(engine);
            eventsBefore = digest(database(engine), "events");
            assertThat(nickname(http, operator, members.get(0))).as("read through the previous key").isEqualTo("轮换0");
            Map<String, Object> run = http.call("POST", "/api/v1/admin/privacy/key-rotations", operator, Map.of());
            assertThat(run).containsEntry("masterKeyId", "k2");
            String rotationId = (String) run.get("rotationId");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(http.call("GET",
                    "/api/v1/admin/privacy/key-rotations/" + rotationId, operator, null))
                    .containsEntry("state", "done"));
            Map<String, Object> done = http.call("GET", "/api/v1/admin/privacy/key-rotations/" + rotationId, operator,
                    null);
            assertThat(((Number) done.get("rewrapped")).intValue()).isEqualTo(3);
            assertThat(done).containsEntry("othersRetired", true);
            assertThat(masters(engine)).containsOnly("k2");
            assertThat(digest(database(engine), "events")).as("no event touched").isEqualTo(eventsBefore);
            assertThat(http.send("GET", "/api/v1/admin/privacy/key-rotations/kr-none", operator, null).statusCode())
                    .isEqualTo(404);
        }

        try (ConfigurableApplicationContext engine = start(data, K2, "")) {
            EngineHttp http = http(engine);
            for (int i = 0; i < members.size(); i++) {
                assertThat(nickname(http, operator, members.get(i))).as("k1 is gone").isEqualTo("轮换" + i);
            }
            assertThat(digest(database(engine), "events")).isEqualTo(eventsBefore);
        }

        // started with the old key only, the engine refuses to start, naming the key it lacks (and not showing any)
        assertThatThrownBy(() -> start(data, K1, "").close()).hasStackTraceContaining("master key 'k2'")
                .satisfies(failure -> assertThat(stackTrace(failure)).doesNotContain(K2.substring(3))
                        .doesNotContain(K1.substring(3)));
    }

    private static String stackTrace(Throwable failure) {
        java.io.StringWriter text = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    private static ConfigurableApplicationContext start(Path data, String master, String previous) {
        return new SpringApplicationBuilder(SiyuApplication.class).run("--siyu.data-dir=" + data,
                "--server.port=0", "--logging.level.root=warn", "--server.shutdown=immediate",
                "--siyu.privacy.master-key=" + master, "--siyu.privacy.previous-master-keys=" + previous,
                "--siyu.wecom.reconciliation.enabled=false");
    }

    private static EngineHttp http(ConfigurableApplicationContext engine) {
        return new EngineHttp(Integer.parseInt(engine.getEnvironment().getProperty("local.server.port")));
    }

    private static String nickname(EngineHttp http, String operator, String memberId) throws Exception {
        Map<String, Object> export = http.call("GET", "/api/v1/members/" + memberId + "/export", operator, null);
        return (String) ((Map<String, Object>) export.get("profile")).get("nickname");
    }

    private static MongoDatabase database(ConfigurableApplicationContext engine) {
        return engine.getBean(MongoClient.class).getDatabase(engine.getBean(MongoEndpoint.class).database());
    }

    private static List<String> masters(ConfigurableApplicationContext engine) {
        return database(engine).getCollection("member_keys").find().map(key -> key.getString("master"))
                .into(new ArrayList<>());
    }

    private static String digest(MongoDatabase database, String collection) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Document document : database.getCollection(collection).find().sort(new Document("_id", 1))) {
            sha.update(document.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) value);
        return key;
    }
}
