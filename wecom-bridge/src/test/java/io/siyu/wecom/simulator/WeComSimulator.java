package io.siyu.wecom.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Plays WeCom's REST side for the bridge: {@code gettoken}, {@code externalcontact/get},
 * {@code externalcontact/groupchat/get}, {@code send_welcome_msg} and {@code ticket/get} with WeCom's JSON shapes and
 * error codes (40001 bad secret, 42001 expired token, 84061 no relationship, 701008 no such chat, 41051 welcome
 * already sent, and any failure a test injects). The bridge reaches it through
 * WxJava's {@code setBaseApiUrl}. Callbacks are sealed with {@code CallbackCrypto} exactly as WeCom seals them.
 */
public final class WeComSimulator implements AutoCloseable {

    private final HttpServer server;
    private final String corpId;
    private final String secret;
    private final Map<String, String> unionids = new ConcurrentHashMap<>();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Map<String, String> welcomes = new ConcurrentHashMap<>();
    private final AtomicInteger welcomeCalls = new AtomicInteger();
    private final java.util.Deque<Integer> welcomeFailures = new java.util.concurrent.ConcurrentLinkedDeque<>();

    /** A customer group as WeCom holds it now: its member version and external members with their join state. */
    private record Group(String version, Map<String, String> members) {
    }
    private final AtomicInteger tokens = new AtomicInteger();
    private final AtomicInteger contactReads = new AtomicInteger();
    private volatile String validToken;

    public WeComSimulator(String corpId, String secret) throws IOException {
        this.corpId = corpId;
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cgi-bin/gettoken", this::token);
        server.createContext("/cgi-bin/externalcontact/get", this::contact);
        server.createContext("/cgi-bin/ticket/get", this::ticket);
        server.createContext("/cgi-bin/externalcontact/groupchat/get", this::groupChat);
        server.createContext("/cgi-bin/externalcontact/send_welcome_msg", this::welcome);
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

    /** Sets what {@code groupchat/get} answers for a group: its member version and external members (with state). */
    public void group(String chatId, String memberVersion, Map<String, String> externalMembersWithState) {
        groups.put(chatId, new Group(memberVersion, new LinkedHashMap<>(externalMembersWithState)));
    }

    /** The next {@code times} welcome calls answer {@code errcode} (45009 limit, 41096 another app sending, …). */
    public void failWelcomes(int times, int errcode) {
        for (int i = 0; i < times; i++) {
            welcomeFailures.add(errcode);
        }
    }

    /** @return the welcome messages WeCom accepted, by welcome code */
    public Map<String, String> welcomes() {
        return Map.copyOf(welcomes);
    }

    public int welcomeCalls() {
        return welcomeCalls.get();
    }

    /** The current token stops working (WeCom answers 42001 until a new one is fetched). */
    public void expireToken() {
        validToken = null;
    }

    public int tokensIssued() {
        return tokens.get();
    }

    public int contactReads() {
        return contactReads.get();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        if (!corpId.equals(query.get("corpid"))) {
            answer(exchange, "{\"errcode\":40013,\"errmsg\":\"invalid corpid\"}");
        } else if (!secret.equals(query.get("corpsecret"))) {
            answer(exchange, "{\"errcode\":40001,\"errmsg\":\"invalid credential\"}");
        } else {
            validToken = "sim-token-" + tokens.incrementAndGet();
            answer(exchange, "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"" + validToken
                    + "\",\"expires_in\":7200}");
        }
    }

    private void contact(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        if (validToken == null || !validToken.equals(query.get("access_token"))) {
            answer(exchange, "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}");
            return;
        }
        contactReads.incrementAndGet();
        String externalUserId = query.get("external_userid");
        String unionid = externalUserId == null ? null : unionids.get(externalUserId);
        if (unionid == null) {
            answer(exchange, "{\"errcode\":84061,\"errmsg\":\"not external contact\"}");
            return;
        }
        answer(exchange, "{\"errcode\":0,\"errmsg\":\"ok\",\"external_contact\":{\"external_userid\":\""
                + externalUserId + "\",\"name\":\"微信用户\",\"type\":1,\"gender\":0,\"unionid\":\"" + unionid
                + "\"},\"follow_user\":[],\"next_cursor\":\"\"}");
    }

    /** The agent ticket the sidebar's JS-SDK signature is made with. */
    public static final String AGENT_TICKET = "sim-agent-ticket-kgt8ON7yVITDhtdwci0qeRmQ";

    private void ticket(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        if (validToken == null || !validToken.equals(query.get("access_token"))) {
            answer(exchange, "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}");
        } else if (!"agent_config".equals(query.get("type"))) {
            answer(exchange, "{\"errcode\":40003,\"errmsg\":\"invalid type\"}");
        } else {
            answer(exchange, "{\"errcode\":0,\"errmsg\":\"ok\",\"ticket\":\"" + AGENT_TICKET
                    + "\",\"expires_in\":7200}");
        }
    }

    private void groupChat(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (validToken == null || !validToken.equals(query.get("access_token"))) {
            answer(exchange, "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}");
            return;
        }
        java.util.regex.Matcher chat = java.util.regex.Pattern.compile("\"chat_id\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(body);
        Group group = chat.find() ? groups.get(chat.group(1)) : null;
        if (group == null) {
            answer(exchange, "{\"errcode\":701008,\"errmsg\":\"chat not exist\"}");
            return;
        }
        StringBuilder members = new StringBuilder();
        group.members().forEach((external, state) -> {
            if (members.length() > 0) {
                members.append(',');
            }
            members.append("{\"userid\":\"").append(external).append("\",\"type\":2,\"unionid\":\"")
                    .append(unionids.getOrDefault(external, "")).append("\",\"join_time\":1700000000,")
                    .append("\"join_scene\":3").append(state == null ? "" : ",\"state\":\"" + state + "\"")
                    .append('}');
        });
        answer(exchange, "{\"errcode\":0,\"errmsg\":\"ok\",\"group_chat\":{\"chat_id\":\"" + chat.group(1)
                + "\",\"name\":\"VIP\",\"owner\":\"staff-1\",\"create_time\":1700000000,\"member_list\":["
                + members + "],\"admin_list\":[],\"member_version\":\"" + group.version() + "\"}}");
    }

    private void welcome(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        welcomeCalls.incrementAndGet();
        if (validToken == null || !validToken.equals(query.get("access_token"))) {
            answer(exchange, "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}");
            return;
        }
        Integer failure = welcomeFailures.poll();
        if (failure != null) {
            answer(exchange, "{\"errcode\":" + failure + ",\"errmsg\":\"simulated\"}");
            return;
        }
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("\"welcome_code\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(body);
        java.util.regex.Matcher content = java.util.regex.Pattern.compile("\"content\"\\s*:\\s*\"([^\"]*)\"")
                .matcher(body);
        if (!code.find()) {
            answer(exchange, "{\"errcode\":40063,\"errmsg\":\"missing welcome_code\"}");
        } else if (welcomes.putIfAbsent(code.group(1), content.find() ? content.group(1) : "") != null) {
            answer(exchange, "{\"errcode\":41051,\"errmsg\":\"welcome already sent\"}");
        } else {
            answer(exchange, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int at = pair.indexOf('=');
                if (at > 0) {
                    query.put(pair.substring(0, at), URLDecoder.decode(pair.substring(at + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
