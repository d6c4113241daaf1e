package io.siyu.wecom.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Plays WeCom's REST side for the bridge with WeCom's JSON shapes and error codes: {@code gettoken} (40013 bad corp
 * id, 40001 bad secret), tokens that expire (42001 until a new one is fetched), {@code externalcontact/get} (84061 no
 * relationship; each staff member's entry with its tags), {@code groupchat/get} (701008 no such chat),
 * {@code send_welcome_msg} (41051 sent already), {@code mark_tag} (40068 no such tag, 84061 no relationship),
 * {@code get_corp_tag_list}, {@code add_contact_way}, {@code ticket/get} and the sidebar's OAuth
 * {@code auth/getuserinfo} (40029 for an unknown or used code), and the reconciliation reads
 * {@code get_follow_user_list}, {@code batch/get_by_user} and {@code groupchat/list} (paged by cursor, with the
 * relationships' add times and corp tag ids), {@code media/upload} (a welcome card's {@code pic_media_id} must be an
 * uploaded one, else 40007). A test can make any API answer an errcode
 * for its next calls (45009 limits, -1 busy, …), hold an API's answers until it releases them, or take the whole
 * service down (connections dropped) and up again.
 * The bridge reaches it through WxJava's {@code setBaseApiUrl}; {@link CallbackSender} plays the callback side.
 */
public final class WeComSimulator implements AutoCloseable {

    static {
        // the JDK server writes headers and body apart; with Nagle's algorithm and delayed ACKs every answer on a
        // kept-alive connection would wait ~40 ms, a latency WeCom does not have
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** The agent ticket the sidebar's JS-SDK signature is made with. */
    public static final String AGENT_TICKET = "sim-agent-ticket-kgt8ON7yVITDhtdwci0qeRmQ";

    private final HttpServer server;
    private final String corpId;
    private volatile String secret;
    private final Map<String, String> unionids = new ConcurrentHashMap<>();
    /** external user → staff member → tag ids on that staff member's contact entry. */
    private final Map<String, Map<String, Set<String>>> follows = new ConcurrentHashMap<>();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    /** {@code external|staff} → WeCom's add time (epoch seconds) of that relationship. */
    private final Map<String, Long> followTimes = new ConcurrentHashMap<>();
    private final Map<String, Long> joinTimes = new ConcurrentHashMap<>();
    private final Map<String, String[]> corpTags = new ConcurrentHashMap<>();
    private final Map<String, String> welcomes = new ConcurrentHashMap<>();
    private final Map<String, JsonArray> welcomeAttachments = new ConcurrentHashMap<>();
    private final Map<String, Integer> media = new ConcurrentHashMap<>();
    private final Map<String, ContactWay> contactWays = new ConcurrentHashMap<>();
    private final Map<String, String> oauthCodes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> tagChanges = new ConcurrentHashMap<>();
    private final Map<String, Deque<Integer>> failures = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> holding = new ConcurrentHashMap<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private volatile String validToken;
    private volatile boolean down;
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();
    private final Map<String, JoinWay> joinWays = new ConcurrentHashMap<>();
    private final Map<String, MassMessage> massMessages = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** external user → when each mass message reached them (epoch seconds). */
    private final Map<String, List<Long>> received = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.CountDownLatch> heldAnswers = new ConcurrentHashMap<>();
    private volatile int receiveLimitPerDay = 1;
    /** api → how many more of its calls lose their answer before WeCom acts on them, and after. */
    private final Map<String, AtomicInteger> loseBefore = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> loseAfter = new ConcurrentHashMap<>();

    /** A customer group as WeCom holds it now: its member version and external members with their join state. */
    private record Group(String version, Map<String, String> members) {
    }

    /** A group join way made through {@code groupchat/add_join_way}. */
    public record JoinWay(String configId, int scene, String state, List<String> chatIds, String remark,
                          int autoCreateRoom, String roomBaseName, Integer roomBaseId, String qrCode) {
    }

    /**
     * A mass message ({@code add_msg_template}, or made in the admin console): per staff member whether they sent it
     * (2) and when, and per customer its status (0 not sent, 1 sent, 2 not a contact, 3 over the receive limit).
     */
    public static final class MassMessage {
        final String msgid;
        final String creator;
        final int createType;
        final long createTime;
        final String text;
        final JsonArray attachments;
        final Map<String, long[]> staff = new LinkedHashMap<>();
        final Map<String, Map<String, long[]>> deliveries = new LinkedHashMap<>();
        volatile boolean cancelled;

        MassMessage(String msgid, String creator, int createType, long createTime, String text,
                    JsonArray attachments) {
            this.msgid = msgid;
            this.creator = creator;
            this.createType = createType;
            this.createTime = createTime;
            this.text = text;
            this.attachments = attachments;
        }

        public String text() {
            return text;
        }

        public JsonArray attachments() {
            return attachments;
        }

        /** @return the customers of one staff member's part whom it reached (status 1) */
        public List<String> delivered(String staffUserId) {
            return deliveries.getOrDefault(staffUserId, Map.of()).entrySet().stream()
                    .filter(delivery -> delivery.getValue()[0] == 1).map(Map.Entry::getKey).toList();
        }

        /** @return the customers of one staff member's part */
        public java.util.Set<String> recipients(String staffUserId) {
            return Set.copyOf(deliveries.getOrDefault(staffUserId, Map.of()).keySet());
        }
    }

    /** A "contact me" code made through {@code add_contact_way}. */
    public record ContactWay(String configId, String state, List<String> users, int type, int scene) {
    }

    public WeComSimulator(String corpId, String secret) throws IOException {
        this(corpId, secret, 0);
    }

    /** A simulator on {@code port} (0: any free port). */
    public WeComSimulator(String corpId, String secret, int port) throws IOException {
        this.corpId = corpId;
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "wecom-simulator");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/cgi-bin/", this::serve);
        server.start();
    }

    /** @return the base URL to give WxJava ({@code siyu.wecom.api-base-url}) */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A WeChat user who is (or will be) an external contact, with the unionid WeCom reports for them. */
    public void externalContact(String externalUserId, String unionid) {
        unionids.put(externalUserId, unionid);
    }

    /** Staff member {@code staffUserId} has {@code externalUserId} as a contact (what the add callback reports). */
    public void follow(String externalUserId, String staffUserId) {
        follow(externalUserId, staffUserId, System.currentTimeMillis() / 1000);
    }

    /** As {@link #follow(String, String)}, the relationship added at {@code createTime} (epoch seconds). */
    public void follow(String externalUserId, String staffUserId, long createTime) {
        follows.computeIfAbsent(externalUserId, any -> new ConcurrentHashMap<>())
                .putIfAbsent(staffUserId, ConcurrentHashMap.newKeySet());
        followTimes.putIfAbsent(externalUserId + "|" + staffUserId, createTime);
    }

    /** The relationship between the staff member and the external user ended (either side deleted the other). */
    public void unfollow(String externalUserId, String staffUserId) {
        Map<String, Set<String>> staff = follows.get(externalUserId);
        if (staff != null) {
            staff.remove(staffUserId);
        }
        followTimes.remove(externalUserId + "|" + staffUserId);
    }

    /** Staff member {@code staffUserId} put a tag on their contact entry of {@code externalUserId} in WeCom's app. */
    public void tagInApp(String externalUserId, String staffUserId, String tagId) {
        follow(externalUserId, staffUserId);
        follows.get(externalUserId).get(staffUserId).add(tagId);
    }

    /** Staff member {@code staffUserId} took a tag off their contact entry of {@code externalUserId} in WeCom's app. */
    public void untagInApp(String externalUserId, String staffUserId, String tagId) {
        follows.getOrDefault(externalUserId, Map.of()).getOrDefault(staffUserId, new java.util.HashSet<>())
                .remove(tagId);
    }

    /**
     * Calls of {@code api} (its path, e.g. {@code externalcontact/get}) from now on are held unanswered until
     * {@link #release(String)}: WeCom withholding its answer, so a test can stop the bridge mid-call.
     */
    public void hold(String api) {
        held.put(api, new java.util.concurrent.CountDownLatch(1));
    }

    /** Answers the held calls of {@code api} and stops holding it. */
    public void release(String api) {
        java.util.concurrent.CountDownLatch latch = held.remove(api);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** @return how many calls of {@code api} are being held now */
    public int heldCalls(String api) {
        AtomicInteger waiting = holding.get(api);
        return waiting == null ? 0 : waiting.get();
    }

    /** A corp tag for customers. */
    public void corpTag(String tagId, String name, String groupName) {
        corpTags.put(tagId, new String[] {name, groupName});
    }

    /** @return the tag ids on staff member {@code staffUserId}'s contact entry of {@code externalUserId} */
    public Set<String> tagsOf(String externalUserId, String staffUserId) {
        return Set.copyOf(follows.getOrDefault(externalUserId, Map.of()).getOrDefault(staffUserId, Set.of()));
    }

    /** @return how many accepted {@code mark_tag} calls changed the tag on that contact entry (added or removed it) */
    public int tagChanges(String tagId, String staffUserId, String externalUserId) {
        AtomicInteger changes = tagChanges.get(tagId + "|" + staffUserId + "|" + externalUserId);
        return changes == null ? 0 : changes.get();
    }

    /** Sets what {@code groupchat/get} answers for a group: its member version and external members (with state). */
    /** WeCom's {@code join_time} (epoch seconds) for one member of a group in {@code groupchat/get}. */
    public void joinTime(String chatId, String external, long epochSecond) {
        joinTimes.put(chatId + "|" + external, epochSecond);
    }

    public void group(String chatId, String memberVersion, Map<String, String> externalMembersWithState) {
        groups.put(chatId, new Group(memberVersion, new LinkedHashMap<>(externalMembersWithState)));
    }

    /**
     * The next {@code times} calls of {@code api} (its path, e.g. {@code externalcontact/mark_tag}) answer
     * {@code errcode} (45009, -1, …).
     */
    public void fail(String api, int times, int errcode) {
        Deque<Integer> queue = failures.computeIfAbsent(api, any -> new ConcurrentLinkedDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(errcode);
        }
    }

    /** The next {@code times} welcome calls answer {@code errcode} (45009 limit, 41096 another app sending, …). */
    public void failWelcomes(int times, int errcode) {
        fail("externalcontact/send_welcome_msg", times, errcode);
    }

    /** While down, every connection is dropped without an answer, as when WeCom cannot be reached. */
    public void down(boolean down) {
        this.down = down;
    }

    /** @return the welcome messages WeCom accepted, by welcome code */
    public Map<String, String> welcomes() {
        return Map.copyOf(welcomes);
    }

    /** @return the attachments WeCom accepted with the welcome sent with {@code welcomeCode} (JSON), or null */
    public String welcomeAttachments(String welcomeCode) {
        JsonArray attachments = welcomeAttachments.get(welcomeCode);
        return attachments == null ? null : attachments.toString();
    }

    /** @return how many temporary media were uploaded ({@code media/upload}) */
    public int uploads() {
        return media.size();
    }

    /** @return the contact ways made, by config id */
    public Map<String, ContactWay> contactWays() {
        return Map.copyOf(contactWays);
    }

    /** @return how many calls with a token reached {@code api} (its path, e.g. {@code externalcontact/mark_tag}) */
    public int calls(String api) {
        AtomicInteger count = calls.get(api);
        return count == null ? 0 : count.get();
    }

    public int welcomeCalls() {
        return calls("externalcontact/send_welcome_msg");
    }

    public int contactReads() {
        return calls("externalcontact/get");
    }

    /**
     * The corp's secret is now {@code secret} (an admin reset it in WeCom): a bridge configured with another one is
     * refused a token (40001) and its current token stops working.
     */
    public void secret(String secret) {
        this.secret = secret;
        validToken = null;
    }

    /** The current token stops working (WeCom answers 42001 until a new one is fetched). */
    public void expireToken() {
        validToken = null;
    }

    public int tokensIssued() {
        return tokens.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        if (down) {
            exchange.close();
            return;
        }
        String path = exchange.getRequestURI().getPath().substring("/cgi-bin/".length());
        Map<String, String> query = query(exchange.getRequestURI());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if ("gettoken".equals(path)) {
            answer(exchange, token(query));
            return;
        }
        calls.computeIfAbsent(path, any -> new AtomicInteger()).incrementAndGet();
        java.util.concurrent.CountDownLatch hold = held.get(path);
        if (hold != null) {
            AtomicInteger waiting = holding.computeIfAbsent(path, any -> new AtomicInteger());
            waiting.incrementAndGet();
            try {
                hold.await();
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                exchange.close();
                return;
            } finally {
                waiting.decrementAndGet();
            }
        }
        AtomicInteger lostBefore = loseBefore.get(path);
        if (lostBefore != null && lostBefore.getAndDecrement() > 0) {
            exchange.close(); // the request reached nobody who acted on it, and nothing comes back
            return;
        }
        if (validToken == null || !validToken.equals(query.get("access_token"))) {
            answer(exchange, error(42001, "access_token expired"));
            return;
        }
        Integer failure = failures.getOrDefault(path, new ConcurrentLinkedDeque<>()).poll();
        if (failure != null) {
            answer(exchange, error(failure, "simulated"));
            return;
        }
        JsonObject request = body.isBlank() || path.equals("media/upload") ? new JsonObject()
                : JsonParser.parseString(body).getAsJsonObject();
        String answer = switch (path) {
            case "externalcontact/get" -> contact(query.get("external_userid"));
            case "externalcontact/groupchat/get" -> groupChat(string(request, "chat_id"));
            case "externalcontact/get_follow_user_list" -> followUserList();
            case "externalcontact/batch/get_by_user" -> batchByUser(request);
            case "externalcontact/groupchat/list" -> groupChatList(request);
            case "externalcontact/send_welcome_msg" -> welcome(request);
            case "media/upload" -> upload(query.get("type"), body);
            case "externalcontact/mark_tag" -> markTag(request);
            case "externalcontact/get_corp_tag_list" -> corpTagList();
            case "externalcontact/add_contact_way" -> addContactWay(request);
            case "externalcontact/groupchat/add_join_way" -> addJoinWay(request);
            case "externalcontact/groupchat/get_join_way" -> getJoinWay(string(request, "config_id"));
            case "externalcontact/add_msg_template" -> addMsgTemplate(request);
            case "externalcontact/get_groupmsg_list_v2" -> groupMsgList(request);
            case "externalcontact/get_groupmsg_task" -> groupMsgTask(request);
            case "externalcontact/get_groupmsg_send_result" -> groupMsgSendResult(request);
            case "externalcontact/cancel_groupmsg_send" -> cancelGroupMsg(string(request, "msgid"));
            case "auth/getuserinfo" -> oauth(query.get("code"));
            case "ticket/get" -> "agent_config".equals(query.get("type"))
                    ? "{\"errcode\":0,\"errmsg\":\"ok\",\"ticket\":\"" + AGENT_TICKET + "\",\"expires_in\":7200}"
                    : error(40003, "invalid type");
            default -> error(48001, "api unauthorized");
        };
        AtomicInteger lostAfter = loseAfter.get(path);
        if (lostAfter != null && lostAfter.getAndDecrement() > 0) {
            exchange.close(); // WeCom acted; its answer is lost on the way back
            return;
        }
        java.util.concurrent.CountDownLatch afterwards = heldAnswers.get(path);
        if (afterwards != null) {
            // WeCom did the work; its answer is withheld (a test kills the caller meanwhile)
            AtomicInteger waiting = holding.computeIfAbsent(path, any -> new AtomicInteger());
            waiting.incrementAndGet();
            try {
                afterwards.await();
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            answer(exchange, answer);
        } catch (IOException callerGone) {
            exchange.close();
        }
    }

    /** The simulator's clock (WeCom's times: send times, create times, the receive limit's days). */
    public void clock(java.time.Clock clock) {
        this.clock = clock;
    }

    /** How many enterprise mass messages one customer may receive per day (Asia/Shanghai days); 1 by default. */
    public void receiveLimitPerDay(int limit) {
        this.receiveLimitPerDay = limit;
    }

    /**
     * Calls of {@code api} from now on are done, but their answers are withheld until {@link #releaseAnswers}: WeCom
     * acted, and the caller does not know it.
     */
    public void holdAnswers(String api) {
        heldAnswers.put(api, new java.util.concurrent.CountDownLatch(1));
    }

    public void releaseAnswers(String api) {
        java.util.concurrent.CountDownLatch latch = heldAnswers.remove(api);
        if (latch != null) {
            latch.countDown();
        }
    }

    /**
     * The next {@code times} calls of {@code api} lose their answer: the connection closes without one, before WeCom
     * acts on the call ({@code afterActing} false) or after it did.
     */
    public void loseAnswers(String api, int times, boolean afterActing) {
        (afterActing ? loseAfter : loseBefore).put(api, new AtomicInteger(times));
    }

    /** @return the join ways made, by config id */
    public Map<String, JoinWay> joinWays() {
        return Map.copyOf(joinWays);
    }

    /**
     * An external user joins a group through the join way made for {@code state} (its first group): the group's member
     * list now holds them with the state, at a new member version.
     *
     * @return the chat id they joined, and the group's member version before and after ({chatId, before, after})
     */
    public synchronized String[] joinThroughJoinWay(String state, String externalUserId) {
        JoinWay way = joinWays.values().stream().filter(candidate -> state.equals(candidate.state())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no join way for " + state));
        String chatId = way.chatIds().get(0);
        Group group = groups.getOrDefault(chatId, new Group("v0", new LinkedHashMap<>()));
        Map<String, String> members = new LinkedHashMap<>(group.members());
        members.put(externalUserId, state);
        String before = group.version();
        String after = "v" + System.nanoTime();
        groups.put(chatId, new Group(after, members));
        joinTimes.put(chatId + "|" + externalUserId, clock.instant().getEpochSecond());
        return new String[] {chatId, before, after};
    }

    /** @return the mass messages WeCom holds, by msgid */
    public Map<String, MassMessage> massMessages() {
        return Map.copyOf(massMessages);
    }

    /** @return how many mass-message tasks were handed to {@code staffUserId} */
    public long massMessageTasks(String staffUserId) {
        return massMessages.values().stream().filter(message -> message.staff.containsKey(staffUserId)).count();
    }

    /**
     * Staff member {@code staffUserId} confirms every task of theirs still unsent in the WeCom client: each customer
     * receives it (1) unless no longer their contact (2) or already at the receive limit today (3).
     *
     * @return how many tasks they confirmed
     */
    public synchronized int confirmMassMessages(String staffUserId) {
        int confirmed = 0;
        long now = clock.instant().getEpochSecond();
        for (MassMessage message : massMessages.values()) {
            long[] task = message.staff.get(staffUserId);
            if (task == null || task[0] != 0 || message.cancelled) {
                continue;
            }
            task[0] = 2;
            task[1] = now;
            confirmed++;
            message.deliveries.get(staffUserId).forEach((external, delivery) -> deliver(external, staffUserId,
                    delivery, now));
        }
        return confirmed;
    }

    private void deliver(String external, String staffUserId, long[] delivery, long now) {
        if (!follows.getOrDefault(external, Map.of()).containsKey(staffUserId)) {
            delivery[0] = 2;
        } else if (receivedToday(external, now) >= receiveLimitPerDay) {
            delivery[0] = 3;
        } else {
            delivery[0] = 1;
            delivery[1] = now;
            received.computeIfAbsent(external, any -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(now);
        }
    }

    private long receivedToday(String external, long now) {
        java.time.ZoneId shanghai = java.time.ZoneId.of("Asia/Shanghai");
        java.time.LocalDate today = java.time.LocalDate.ofInstant(java.time.Instant.ofEpochSecond(now), shanghai);
        return received.getOrDefault(external, List.of()).stream().filter(at -> java.time.LocalDate.ofInstant(
                java.time.Instant.ofEpochSecond(at), shanghai).equals(today)).count();
    }

    /** @return how many mass messages reached {@code externalUserId} */
    public int massMessagesReceived(String externalUserId) {
        return received.getOrDefault(externalUserId, List.of()).size();
    }

    /**
     * A staff member sends a mass message of their own from the WeCom client (not through Siyu) to these customers,
     * at once: it counts against the customers' receive limit like any other.
     */
    public synchronized String massMessageFromStaff(String staffUserId, String text, String... externalUserIds) {
        long now = clock.instant().getEpochSecond();
        MassMessage message = new MassMessage("msg-staff-" + (massMessages.size() + 1) + "-" + System.nanoTime(),
                staffUserId, 1, now, text, new JsonArray());
        message.staff.put(staffUserId, new long[] {2, now});
        Map<String, long[]> deliveries = new LinkedHashMap<>();
        for (String external : externalUserIds) {
            long[] delivery = new long[2];
            deliver(external, staffUserId, delivery, now);
            deliveries.put(external, delivery);
        }
        message.deliveries.put(staffUserId, deliveries);
        massMessages.put(message.msgid, message);
        return message.msgid;
    }

    /** A sidebar OAuth code for a staff member (WeCom's {@code connect/oauth2/authorize} redirect): single use. */
    public String oauthCode(String staffUserId) {
        String code = "sim-oauth-" + tokens.get() + "-" + oauthCodes.size() + "-" + System.nanoTime();
        oauthCodes.put(code, staffUserId);
        return code;
    }

    private String oauth(String code) {
        String staff = code == null ? null : oauthCodes.remove(code);
        if (staff == null) {
            return error(40029, "invalid code");
        }
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"userid\":\"" + staff + "\",\"user_ticket\":\"t-" + staff
                + "\",\"expires_in\":1800}";
    }

    private String token(Map<String, String> query) {
        if (!corpId.equals(query.get("corpid"))) {
            return error(40013, "invalid corpid");
        }
        if (!secret.equals(query.get("corpsecret"))) {
            return error(40001, "invalid credential");
        }
        validToken = "sim-token-" + tokens.incrementAndGet();
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"" + validToken + "\",\"expires_in\":7200}";
    }

    private String contact(String externalUserId) {
        String unionid = externalUserId == null ? null : unionids.get(externalUserId);
        if (unionid == null) {
            return error(84061, "not external contact");
        }
        JsonArray followUsers = new JsonArray();
        follows.getOrDefault(externalUserId, Map.of()).forEach((staff, tagIds) -> {
            JsonObject follower = new JsonObject();
            follower.addProperty("userid", staff);
            follower.addProperty("createtime", followTimes.getOrDefault(externalUserId + "|" + staff, 0L));
            JsonArray tags = new JsonArray();
            tagIds.forEach(tagId -> {
                String[] tag = corpTags.get(tagId);
                JsonObject entry = new JsonObject();
                entry.addProperty("group_name", tag == null ? "" : tag[1]);
                entry.addProperty("tag_name", tag == null ? tagId : tag[0]);
                entry.addProperty("tag_id", tagId);
                entry.addProperty("type", 1);
                tags.add(entry);
            });
            follower.add("tags", tags);
            followUsers.add(follower);
        });
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"external_contact\":{\"external_userid\":\"" + externalUserId
                + "\",\"name\":\"微信用户\",\"type\":1,\"gender\":0,\"unionid\":\"" + unionid
                + "\"},\"follow_user\":" + followUsers + ",\"next_cursor\":\"\"}";
    }

    private String followUserList() {
        java.util.TreeSet<String> staff = new java.util.TreeSet<>();
        follows.values().forEach(byStaff -> staff.addAll(byStaff.keySet()));
        JsonArray list = new JsonArray();
        staff.forEach(list::add);
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"follow_user\":" + list + "}";
    }

    /** One row per (customer, staff member in userid_list), ordered, paged by an opaque offset cursor. */
    private String batchByUser(JsonObject request) {
        List<String> staff = strings(request, "userid_list");
        if (staff.isEmpty() || staff.size() > 100) {
            return error(40058, "userid_list must hold 1 to 100 userids");
        }
        int limit = request.has("limit") && !request.get("limit").isJsonNull() ? request.get("limit").getAsInt() : 50;
        limit = limit < 1 || limit > 100 ? 100 : limit;
        String cursor = string(request, "cursor");
        int from = cursor == null || cursor.isBlank() ? 0 : Integer.parseInt(cursor.substring("c".length()));
        List<String[]> rows = new ArrayList<>();
        new java.util.TreeMap<>(follows).forEach((external, byStaff) -> new java.util.TreeMap<>(byStaff)
                .forEach((member, tags) -> {
                    if (staff.contains(member)) {
                        rows.add(new String[] {external, member});
                    }
                }));
        JsonArray list = new JsonArray();
        for (int i = from; i < Math.min(rows.size(), from + limit); i++) {
            String external = rows.get(i)[0];
            String member = rows.get(i)[1];
            JsonObject contact = new JsonObject();
            contact.addProperty("external_userid", external);
            contact.addProperty("name", "微信用户");
            contact.addProperty("type", 1);
            contact.addProperty("unionid", unionids.getOrDefault(external, ""));
            JsonObject follow = new JsonObject();
            follow.addProperty("userid", member);
            follow.addProperty("remark", "");
            follow.addProperty("createtime", followTimes.getOrDefault(external + "|" + member, 0L));
            JsonArray tagIds = new JsonArray();
            follows.getOrDefault(external, Map.of()).getOrDefault(member, Set.of()).forEach(tagIds::add);
            follow.add("tag_id", tagIds);
            follow.addProperty("add_way", 1);
            JsonObject row = new JsonObject();
            row.add("external_contact", contact);
            row.add("follow_info", follow);
            list.add(row);
        }
        String next = from + limit < rows.size() ? "c" + (from + limit) : "";
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"external_contact_list\":" + list + ",\"next_cursor\":\"" + next
                + "\"}";
    }

    private String groupChatList(JsonObject request) {
        int limit = request.has("limit") && !request.get("limit").isJsonNull() ? request.get("limit").getAsInt() : 100;
        if (limit < 1 || limit > 1000) {
            return error(40058, "limit must be 1 to 1000");
        }
        String cursor = string(request, "cursor");
        int from = cursor == null || cursor.isBlank() ? 0 : Integer.parseInt(cursor.substring("g".length()));
        List<String> ids = new ArrayList<>(new java.util.TreeSet<>(groups.keySet()));
        JsonArray list = new JsonArray();
        for (int i = from; i < Math.min(ids.size(), from + limit); i++) {
            JsonObject chat = new JsonObject();
            chat.addProperty("chat_id", ids.get(i));
            chat.addProperty("status", 0);
            list.add(chat);
        }
        String next = from + limit < ids.size() ? "g" + (from + limit) : "";
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"group_chat_list\":" + list + ",\"next_cursor\":\"" + next + "\"}";
    }

    private String groupChat(String chatId) {
        Group group = chatId == null ? null : groups.get(chatId);
        if (group == null) {
            return error(701008, "chat not exist");
        }
        JsonArray members = new JsonArray();
        group.members().forEach((external, state) -> {
            JsonObject member = new JsonObject();
            member.addProperty("userid", external);
            member.addProperty("type", 2);
            member.addProperty("unionid", unionids.getOrDefault(external, ""));
            member.addProperty("join_time", joinTimes.getOrDefault(chatId + "|" + external, 1700000000L));
            member.addProperty("join_scene", 3);
            if (state != null) {
                member.addProperty("state", state);
            }
            members.add(member);
        });
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"group_chat\":{\"chat_id\":\"" + chatId
                + "\",\"name\":\"VIP\",\"owner\":\"staff-1\",\"create_time\":1700000000,\"member_list\":" + members
                + ",\"admin_list\":[],\"member_version\":\"" + group.version() + "\"}}";
    }

    private String welcome(JsonObject request) {
        String code = string(request, "welcome_code");
        if (code == null) {
            return error(40063, "missing welcome_code");
        }
        JsonObject text = request.has("text") ? request.getAsJsonObject("text") : new JsonObject();
        String content = string(text, "content");
        if (welcomes.putIfAbsent(code, content == null ? "" : content) != null) {
            return error(41051, "welcome already sent");
        }
        if (request.has("attachments")) {
            JsonArray attachments = request.getAsJsonArray("attachments");
            for (JsonElement attachment : attachments) {
                JsonObject mini = attachment.getAsJsonObject().getAsJsonObject("miniprogram");
                if (mini != null && !media.containsKey(string(mini, "pic_media_id"))) {
                    welcomes.remove(code);
                    return error(40007, "invalid media_id");
                }
            }
            welcomeAttachments.put(code, attachments);
        }
        return error(0, "ok");
    }

    /** {@code media/upload?type=image}: any multipart body with a file; answers a media id valid three days. */
    private String upload(String type, String body) {
        if (type == null || body.isEmpty()) {
            return error(41005, "media data missing");
        }
        String mediaId = "sim-media-" + (media.size() + 1) + "-" + Math.abs(body.hashCode());
        media.put(mediaId, body.length());
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"type\":\"" + type + "\",\"media_id\":\"" + mediaId
                + "\",\"created_at\":\"" + System.currentTimeMillis() / 1000 + "\"}";
    }

    private synchronized String markTag(JsonObject request) {
        String staff = string(request, "userid");
        String external = string(request, "external_userid");
        List<String> add = strings(request, "add_tag");
        List<String> remove = strings(request, "remove_tag");
        if (add.isEmpty() && remove.isEmpty()) {
            return error(40068, "invalid tagid");
        }
        for (String tagId : concat(add, remove)) {
            if (!corpTags.containsKey(tagId)) {
                return error(40068, "invalid tagid");
            }
        }
        Set<String> tags = follows.getOrDefault(external, Map.of()).get(staff);
        if (tags == null) {
            return error(84061, "not external contact");
        }
        add.stream().filter(tags::add).forEach(tagId -> changed(tagId, staff, external));
        remove.stream().filter(tags::remove).forEach(tagId -> changed(tagId, staff, external));
        return error(0, "ok");
    }

    private void changed(String tagId, String staff, String external) {
        tagChanges.computeIfAbsent(tagId + "|" + staff + "|" + external, any -> new AtomicInteger()).incrementAndGet();
    }

    private String corpTagList() {
        Map<String, JsonArray> byGroup = new LinkedHashMap<>();
        corpTags.forEach((id, tag) -> {
            JsonObject entry = new JsonObject();
            entry.addProperty("id", id);
            entry.addProperty("name", tag[0]);
            entry.addProperty("create_time", 1700000000);
            entry.addProperty("order", 1);
            byGroup.computeIfAbsent(tag[1], any -> new JsonArray()).add(entry);
        });
        JsonArray groupList = new JsonArray();
        byGroup.forEach((name, tags) -> {
            JsonObject group = new JsonObject();
            group.addProperty("group_id", "grp-" + Math.abs(name.hashCode()));
            group.addProperty("group_name", name);
            group.addProperty("create_time", 1700000000);
            group.addProperty("order", 1);
            group.add("tag", tags);
            groupList.add(group);
        });
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":" + groupList + "}";
    }

    private String addContactWay(JsonObject request) {
        Integer type = request.has("type") ? request.get("type").getAsInt() : null;
        Integer scene = request.has("scene") ? request.get("scene").getAsInt() : null;
        String state = string(request, "state");
        List<String> users = strings(request, "user");
        if (type == null || scene == null || (type != 1 && type != 2) || (scene != 1 && scene != 2)) {
            return error(40001, "invalid type or scene");
        }
        if (state != null && state.length() > 30) {
            return error(40058, "state exceeds 30 characters");
        }
        if (users.isEmpty() || (type == 1 && users.size() != 1)) {
            return error(40031, "invalid user list");
        }
        String configId = "cw-" + (contactWays.size() + 1) + "-" + Math.abs((state + users).hashCode());
        contactWays.put(configId, new ContactWay(configId, state, users, type, scene));
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"config_id\":\"" + configId
                + "\",\"qr_code\":\"https://wework.qpic.cn/wwpic/sim/" + configId + "/0\"}";
    }

    private synchronized String addJoinWay(JsonObject request) {
        Integer scene = request.has("scene") && !request.get("scene").isJsonNull() ? request.get("scene").getAsInt()
                : null;
        List<String> chats = strings(request, "chat_id_list");
        String state = string(request, "state");
        if (scene == null || (scene != 1 && scene != 2)) {
            return error(40001, "invalid scene");
        }
        if (chats.isEmpty() || chats.size() > 5) {
            return error(40058, "chat_id_list must hold 1 to 5 chat ids");
        }
        for (String chat : chats) {
            if (!groups.containsKey(chat)) {
                return error(701008, "chat not exist");
            }
        }
        if (state != null && state.length() > 30) {
            return error(40058, "state exceeds 30 characters");
        }
        String configId = "jw-" + (joinWays.size() + 1) + "-" + Math.abs((state + chats).hashCode());
        Integer baseId = request.has("room_base_id") && !request.get("room_base_id").isJsonNull()
                ? request.get("room_base_id").getAsInt() : null;
        int autoCreate = request.has("auto_create_room") && !request.get("auto_create_room").isJsonNull()
                ? request.get("auto_create_room").getAsInt() : 1;
        joinWays.put(configId, new JoinWay(configId, scene, state, chats, string(request, "remark"), autoCreate,
                string(request, "room_base_name"), baseId, scene == 2 ? "https://wework.qpic.cn/wwpic/joinway/"
                + configId + "/0" : null));
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"config_id\":\"" + configId + "\"}";
    }

    private String getJoinWay(String configId) {
        JoinWay way = configId == null ? null : joinWays.get(configId);
        if (way == null) {
            return error(40058, "invalid config_id");
        }
        JsonObject join = new JsonObject();
        join.addProperty("config_id", way.configId());
        join.addProperty("scene", way.scene());
        join.addProperty("remark", way.remark() == null ? "" : way.remark());
        join.addProperty("auto_create_room", way.autoCreateRoom());
        join.addProperty("room_base_name", way.roomBaseName() == null ? "" : way.roomBaseName());
        if (way.roomBaseId() != null) {
            join.addProperty("room_base_id", way.roomBaseId());
        }
        JsonArray chats = new JsonArray();
        way.chatIds().forEach(chats::add);
        join.add("chat_id_list", chats);
        if (way.qrCode() != null) {
            join.addProperty("qr_code", way.qrCode());
        }
        if (way.state() != null) {
            join.addProperty("state", way.state());
        }
        JsonObject answer = new JsonObject();
        answer.addProperty("errcode", 0);
        answer.addProperty("errmsg", "ok");
        answer.add("join_way", join);
        return answer.toString();
    }

    private synchronized String addMsgTemplate(JsonObject request) {
        String chatType = string(request, "chat_type");
        if (chatType != null && !"single".equals(chatType)) {
            return error(40058, "only single chats are simulated");
        }
        String sender = string(request, "sender");
        List<String> externals = strings(request, "external_userid");
        if (sender == null || sender.isBlank()) {
            return error(40058, "sender is required");
        }
        if (externals.isEmpty() || externals.size() > 10_000) {
            return error(40058, "external_userid must hold 1 to 10000 ids");
        }
        JsonObject text = request.has("text") && request.get("text").isJsonObject() ? request.getAsJsonObject("text")
                : null;
        String content = text == null ? null : string(text, "content");
        JsonArray attachments = request.has("attachments") && request.get("attachments").isJsonArray()
                ? request.getAsJsonArray("attachments") : new JsonArray();
        if ((content == null || content.isEmpty()) && attachments.isEmpty()) {
            return error(41063, "text and attachments are both empty");
        }
        if (content != null && content.getBytes(StandardCharsets.UTF_8).length > 4000) {
            return error(40058, "text exceeds 4000 bytes");
        }
        if (attachments.size() > 9) {
            return error(40058, "at most 9 attachments");
        }
        for (JsonElement attachment : attachments) {
            String type = string(attachment.getAsJsonObject(), "msgtype");
            if (type == null || !attachment.getAsJsonObject().has(type)) {
                return error(40058, "attachment without its msgtype's body");
            }
        }
        long now = clock.instant().getEpochSecond();
        MassMessage message = new MassMessage("msg-" + (massMessages.size() + 1) + "-" + System.nanoTime(), null, 0,
                now, content, attachments);
        JsonArray failList = new JsonArray();
        Map<String, long[]> deliveries = new LinkedHashMap<>();
        for (String external : externals) {
            if (follows.getOrDefault(external, Map.of()).containsKey(sender)) {
                deliveries.put(external, new long[2]);
            } else {
                failList.add(external);
            }
        }
        if (deliveries.isEmpty()) {
            return "{\"errcode\":0,\"errmsg\":\"ok\",\"fail_list\":" + failList + ",\"msgid\":\"\"}";
        }
        message.staff.put(sender, new long[2]);
        message.deliveries.put(sender, deliveries);
        massMessages.put(message.msgid, message);
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"fail_list\":" + failList + ",\"msgid\":\"" + message.msgid
                + "\"}";
    }

    private String groupMsgList(JsonObject request) {
        Long start = longValue(request, "start_time");
        Long end = longValue(request, "end_time");
        if (start == null || end == null || end < start) {
            return error(40058, "start_time and end_time are required");
        }
        if (end - start > 31L * 24 * 3600) {
            return error(40058, "the span exceeds one month");
        }
        int limit = request.has("limit") && !request.get("limit").isJsonNull() ? request.get("limit").getAsInt() : 50;
        limit = limit < 1 || limit > 100 ? 50 : limit;
        String cursor = string(request, "cursor");
        int from = cursor == null || cursor.isBlank() ? 0 : Integer.parseInt(cursor.substring("m".length()));
        List<MassMessage> listed = massMessages.values().stream()
                .filter(message -> message.createTime >= start && message.createTime <= end).toList();
        JsonArray list = new JsonArray();
        for (int i = from; i < Math.min(listed.size(), from + limit); i++) {
            MassMessage message = listed.get(i);
            JsonObject entry = new JsonObject();
            entry.addProperty("msgid", message.msgid);
            if (message.creator != null) {
                entry.addProperty("creator", message.creator);
            }
            entry.addProperty("create_time", String.valueOf(message.createTime));
            entry.addProperty("create_type", message.createType);
            if (message.text != null) {
                JsonObject text = new JsonObject();
                text.addProperty("content", message.text);
                entry.add("text", text);
            }
            entry.add("attachments", message.attachments);
            list.add(entry);
        }
        String next = from + limit < listed.size() ? "m" + (from + limit) : "";
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"group_msg_list\":" + list + ",\"next_cursor\":\"" + next
                + "\"}";
    }

    private synchronized String groupMsgTask(JsonObject request) {
        MassMessage message = massMessages.get(String.valueOf(string(request, "msgid")));
        if (message == null) {
            return error(41062, "invalid msgid");
        }
        JsonArray list = new JsonArray();
        message.staff.forEach((staff, task) -> {
            JsonObject entry = new JsonObject();
            entry.addProperty("userid", staff);
            entry.addProperty("status", task[0]);
            if (task[0] == 2) {
                entry.addProperty("send_time", task[1]);
            }
            list.add(entry);
        });
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"next_cursor\":\"\",\"task_list\":" + list + "}";
    }

    /** One page of a staff member's deliveries, paged by an offset cursor (limit at most 1,000, default 500). */
    private synchronized String groupMsgSendResult(JsonObject request) {
        MassMessage message = massMessages.get(String.valueOf(string(request, "msgid")));
        if (message == null) {
            return error(41062, "invalid msgid");
        }
        String staff = string(request, "userid");
        int limit = request.has("limit") && !request.get("limit").isJsonNull() ? request.get("limit").getAsInt() : 500;
        limit = limit < 1 || limit > 1000 ? 500 : limit;
        String cursor = string(request, "cursor");
        int from = cursor == null || cursor.isBlank() ? 0 : Integer.parseInt(cursor.substring("s".length()));
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(message.deliveries.getOrDefault(staff, Map.of())
                .entrySet());
        JsonArray list = new JsonArray();
        for (int i = from; i < Math.min(rows.size(), from + limit); i++) {
            JsonObject entry = new JsonObject();
            entry.addProperty("external_userid", rows.get(i).getKey());
            entry.addProperty("userid", staff);
            entry.addProperty("status", rows.get(i).getValue()[0]);
            if (rows.get(i).getValue()[0] == 1) {
                entry.addProperty("send_time", rows.get(i).getValue()[1]);
            }
            list.add(entry);
        }
        String next = from + limit < rows.size() ? "s" + (from + limit) : "";
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"next_cursor\":\"" + next + "\",\"send_list\":" + list
                + "}";
    }

    private synchronized String cancelGroupMsg(String msgid) {
        MassMessage message = msgid == null ? null : massMessages.get(msgid);
        if (message == null) {
            return error(41062, "invalid msgid");
        }
        message.cancelled = true;
        return error(0, "ok");
    }

    private static Long longValue(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value == null || value.isJsonNull() ? null : value.getAsLong();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static String string(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }

    private static List<String> strings(JsonObject object, String field) {
        List<String> values = new ArrayList<>();
        if (object.has(field) && object.get(field).isJsonArray()) {
            object.getAsJsonArray(field).forEach(value -> values.add(value.getAsString()));
        }
        return new ArrayList<>(new LinkedHashSet<>(values));
    }

    private static String error(int errcode, String errmsg) {
        return SimulatedHttp.error(errcode, errmsg);
    }

    private static Map<String, String> query(URI uri) {
        return SimulatedHttp.query(uri);
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        SimulatedHttp.json(exchange, json);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
