package io.siyu.wecom.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.siyu.wecom.callback.CallbackCrypto;

/**
 * Drives a running engine through the private-domain journey as WeCom would: plays WeCom on a fixed port, waits for
 * an engine configured for it, then registers a member, makes a "contact me" code, sends the encrypted callback of
 * the member adding a staff member through it, binds a segment of that code's contacts to a WeCom tag, makes a group
 * join way and a campaign inviting the segment's buyers outside groups with its QR code, has the staff member confirm
 * the mass-message task, sends the callback of the member joining through the QR code, and prints what the engine
 * made of it: the welcome message and tag WeCom received, the task, the campaign's results, the member's timeline and
 * the funnel of those who joined through the join way.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl wecom-bridge exec:java@wecom-demo
 * [-Dexec.args="http://127.0.0.1:8080 18090 ./demo-data"]}, then start the engine with the options it prints. It signs
 * in with the first operator credential the engine writes into the data directory and makes the integration and
 * marketer credentials it calls with.
 */
public final class WeComDemo {

    static final String CORP = "ww-siyu-demo";
    static final String TOKEN = "siyuDemoToken";
    static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String SECRET = "demo-secret";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String engine;
    private final java.nio.file.Path dataDir;
    private final java.util.Map<String, String> keys = new java.util.HashMap<>();

    private WeComDemo(String engine, java.nio.file.Path dataDir) {
        this.engine = engine;
        this.dataDir = dataDir;
    }

    public static void main(String[] args) throws Exception {
        String engine = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 18090;
        java.nio.file.Path dataDir = java.nio.file.Path.of(args.length > 2 ? args[2] : "./demo-data");
        try (WeComSimulator wecom = new WeComSimulator(CORP, SECRET, port)) {
            System.out.println("WeCom simulator on " + wecom.baseUrl() + ". Start the engine with:");
            System.out.println("  java -jar crm-engine/target/crm-engine-0.1.0-SNAPSHOT.jar"
                    + " --siyu.embedded.in-memory=true --siyu.data-dir=" + dataDir
                    + " --siyu.wecom.corp-id=" + CORP + " --siyu.wecom.token=" + TOKEN
                    + " --siyu.wecom.encoding-aes-key=" + KEY + " --siyu.wecom.secret=" + SECRET
                    + " --siyu.wecom.agent-id=1000002 --siyu.wecom.api-base-url=" + wecom.baseUrl()
                    + " --siyu.campaigns.poll-interval=2s");
            new WeComDemo(engine, dataDir).run(wecom);
        }
        System.exit(0);
    }

    private void run(WeComSimulator wecom) throws Exception {
        waitForEngine();
        String run = Long.toString(System.currentTimeMillis(), 36);
        signIn(run);
        String unionid = "u-demo-" + run;
        String external = "wm-demo-" + run;
        String state = "poster-" + run;
        String tag = "et-demo-" + run;
        wecom.externalContact(external, unionid);
        wecom.follow(external, "staff-demo");
        wecom.corpTag(tag, "海报会员", "Siyu 演示");
        String chat = "wr-demo-" + run;
        String joinState = "join-" + run;
        wecom.group(chat, "v1", java.util.Map.of());

        String member = post("integration", "/api/v1/members", "{\"openid\":\"o-demo-" + run
                + "\",\"unionid\":\"" + unionid
                + "\",\"storeId\":\"SH-001\"}").replaceAll(".*\"memberId\":\"([^\"]+)\".*", "$1");
        // the member agreed to marketing in the Mini Program: tags select people for it, so none is put on without
        post("integration", "/api/v1/members/" + member + "/consents", "{\"changeId\":\"C-demo-" + run
                + "\",\"purpose\":\"marketing\",\"granted\":true,\"source\":\"mini_program_settings\"}");
        for (int order = 1; order <= 2; order++) {
            post("integration", "/api/v1/members/" + member + "/purchases", "{\"orderId\":\"O-demo-" + run + "-" + order
                    + "\",\"amountFen\":12850,\"storeId\":\"SH-001\",\"channel\":\"mini_program\",\"occurredAt\":\""
                    + Instant.now().minusSeconds(3600L * (3 - order)) + "\"}");
        }
        System.out.println("\ncontact way: " + post("marketer", "/api/v1/wecom/contact-ways", "{\"state\":\"" + state
                + "\",\"staffUserIds\":[\"staff-demo\"],\"remark\":\"演示海报\"}"));

        CallbackSender sender = new CallbackSender(new CallbackCrypto(TOKEN, KEY, CORP), CORP,
                URI.create(engine + "/wecom/callback"), Clock.systemUTC());
        String now = String.valueOf(Instant.now().getEpochSecond());
        System.out.println("callback add_external_contact: " + sender.send("<xml><ToUserName><![CDATA[" + CORP
                + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>" + now + "</CreateTime>"
                + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>"
                + "<ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[staff-demo]]></UserID>"
                + "<ExternalUserID><![CDATA[" + external + "]]></ExternalUserID><State><![CDATA[" + state
                + "]]></State><WelcomeCode><![CDATA[WC-" + run + "]]></WelcomeCode></xml>"));
        String segment = "poster-contacts-" + run;
        post("marketer", "/api/v1/segments", "{\"segmentId\":\"" + segment
                + "\",\"name\":\"海报带来的会员\",\"criteria\":"
                + "{\"contactState\":{\"in\":[\"" + state + "\"]}}}");
        send(HttpRequest.newBuilder(URI.create(engine + "/api/v1/segments/" + segment + "/wecom-tag"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + keys.get("marketer"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"tagId\":\"" + tag + "\"}")).build());

        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(until) && (wecom.welcomes().isEmpty()
                || !wecom.tagsOf(external, "staff-demo").contains(tag))) {
            Thread.sleep(500);
        }
        System.out.println("\nWeCom received the welcome: " + wecom.welcomes().get("WC-" + run));
        System.out.println("WeCom holds the tags of staff-demo's contact: " + wecom.tagsOf(external, "staff-demo"));
        // the campaign: the poster's buyers who are in no group are invited with a group join way's QR code
        System.out.println("\njoin way: " + post("marketer", "/api/v1/wecom/join-ways", "{\"state\":\"" + joinState
                + "\",\"chatIds\":[\"" + chat + "\"],\"remark\":\"演示入群\"}"));
        String buyers = "poster-buyers-" + run;
        post("marketer", "/api/v1/segments", "{\"segmentId\":\"" + buyers + "\",\"name\":\"海报买家未入群\","
                + "\"criteria\":{\"and\":[{\"contactState\":{\"in\":[\"" + state + "\"]}},"
                + "{\"funnelStage\":{\"reached\":\"first_purchase\"}},{\"not\":{\"inWeComGroup\":{}}}]}}");
        String campaign = "invite-" + run;
        post("marketer", "/api/v1/campaigns", "{\"campaignId\":\"" + campaign + "\",\"name\":\"海报买家入群邀请\","
                + "\"segmentId\":\"" + buyers + "\",\"message\":{\"text\":\"感谢支持！扫码加入会员群\","
                + "\"attachments\":[{\"type\":\"join_way_qr\",\"joinWayState\":\"" + joinState + "\"}]}}");
        until = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(until) && wecom.massMessageTasks("staff-demo") == 0) {
            Thread.sleep(500);
        }
        wecom.massMessages().values().forEach(message -> System.out.println("WeCom holds a mass-message task for "
                + "staff-demo: " + message.text() + " " + message.attachments()));
        System.out.println("staff-demo confirms it in the WeCom client: " + wecom.confirmMassMessages("staff-demo")
                + " task");
        String[] joined = wecom.joinThroughJoinWay(joinState, external);
        System.out.println("callback group add_member (through the QR code): " + sender.send("<xml><ToUserName>"
                + "<![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>"
                + (Instant.now().getEpochSecond() + 5) + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[" + chat + "]]></ChatId>"
                + "<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail>"
                + "<JoinScene>3</JoinScene><MemChangeCnt>1</MemChangeCnt><MemChangeList><Item>" + external
                + "</Item></MemChangeList><LastMemVer>" + joined[1] + "</LastMemVer><CurMemVer>" + joined[2]
                + "</CurMemVer></xml>"));
        until = Instant.now().plus(Duration.ofSeconds(60));
        String results = get("marketer", "/api/v1/campaigns/" + campaign);
        while (Instant.now().isBefore(until) && !results.contains("\"joined\":1")) {
            Thread.sleep(500);
            results = get("marketer", "/api/v1/campaigns/" + campaign);
        }
        System.out.println("\ncampaign results:\n" + results);
        System.out.println("\ntimeline (as the chat sidebar reads it):\n" + get("operator",
                "/api/v1/wecom/contacts/" + external + "/timeline?limit=10"));
        System.out.println("\nfunnel of those who joined through the join way:\n" + get("marketer",
                "/api/v1/funnels/private-domain?joinState=" + joinState));
    }

    private void waitForEngine() throws InterruptedException {
        System.out.println("waiting for the engine at " + engine + " …");
        while (true) {
            try {
                if (send(HttpRequest.newBuilder(URI.create(engine + "/actuator/health")).GET().build())
                        .contains("UP")) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not up yet
            }
            Thread.sleep(1000);
        }
    }

    /** Reads the engine's first operator credential and makes the credentials the demo calls with. */
    private void signIn(String run) throws Exception {
        java.nio.file.Path file = dataDir.resolve("operator.credential");
        while (!java.nio.file.Files.exists(file)) {
            Thread.sleep(500);
        }
        keys.put("operator", java.nio.file.Files.readString(file).trim());
        for (String role : java.util.List.of("integration", "marketer")) {
            keys.put(role, post("operator", "/api/v1/admin/credentials", "{\"role\":\"" + role
                    + "\",\"name\":\"demo-" + role + "-" + run + "\"}")
                    .replaceAll(".*\"secret\":\"([^\"]+)\".*", "$1"));
        }
    }

    private String post(String role, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(engine + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + keys.get(role))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private String get(String role, String path) {
        return send(HttpRequest.newBuilder(URI.create(engine + path))
                .header("Authorization", "Bearer " + keys.get(role)).GET().build());
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() >= 300) {
                throw new IllegalStateException(request.uri().getPath() + " answered " + answer.statusCode() + ": "
                        + answer.body());
            }
            return answer.body();
        } catch (IOException unreachable) {
            throw new IllegalStateException(unreachable);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
