package io.siyu.wecom.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Plays WeChat's Mini Program server API for the engine, with WeChat's JSON shapes and error codes:
 * {@code cgi-bin/token} (40013 bad appid, 40125 bad secret), {@code sns/jscode2session} (a {@code wx.login} code
 * works once: 40029 unknown, 40163 used; 40226 for a user WeChat blocked as high-risk) and
 * {@code wxa/business/getuserphonenumber} (40029 bad or used code). A test makes login codes and phone codes for the
 * users it plays and can make any API answer an errcode for its next calls (45011 too frequent, -1 busy). WxJava
 * reaches it through {@code setApiHostUrl}.
 */
public final class WeChatSimulator implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final String appId;
    private final String secret;
    private final Map<String, String[]> loginCodes = new ConcurrentHashMap<>();
    private final Set<String> usedCodes = ConcurrentHashMap.newKeySet();
    private final Map<String, String> phoneCodes = new ConcurrentHashMap<>();
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<Integer>> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger codes = new AtomicInteger();
    private volatile String validToken;

    public WeChatSimulator(String appId, String secret) throws IOException {
        this(appId, secret, 0);
    }

    /** A simulator on {@code port} (0: any free port). */
    public WeChatSimulator(String appId, String secret, int port) throws IOException {
        this.appId = appId;
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "wechat-simulator");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::serve);
        server.createContext("/demo/", this::demo);
        server.start();
    }

    /** @return the API host to give WxJava ({@code siyu.miniapp.api-base-url}) */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A {@code wx.login} code for the user {@code openid} (with a unionid, or null when the app has none). */
    public String loginCode(String openid, String unionid) {
        String code = "sim-login-" + codes.incrementAndGet();
        loginCodes.put(code, new String[] {openid, unionid});
        return code;
    }

    /** A {@code getPhoneNumber} button code vouching for {@code phone} (11 digits). */
    public String phoneCode(String phone) {
        String code = "sim-phone-" + codes.incrementAndGet();
        phoneCodes.put(code, phone);
        return code;
    }

    /** WeChat blocks this user as high-risk: their logins answer 40226. */
    public void block(String openid) {
        blocked.add(openid);
    }

    /** The next {@code times} calls of {@code api} (e.g. {@code sns/jscode2session}) answer {@code errcode}. */
    public void fail(String api, int times, int errcode) {
        Deque<Integer> queue = failures.computeIfAbsent(api, any -> new ConcurrentLinkedDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(errcode);
        }
    }

    public int calls(String api) {
        AtomicInteger count = calls.get(api);
        return count == null ? 0 : count.get();
    }

    /**
     * What a phone with WeChat would hand the widget, for a person trying the engine by hand:
     * {@code GET /demo/login-code?openid=…[&unionid=…]} and {@code GET /demo/phone-code?phone=…} answer a fresh code
     * as plain text.
     */
    private void demo(HttpExchange exchange) throws IOException {
        Map<String, String> query = SimulatedHttp.query(exchange.getRequestURI());
        String code = switch (exchange.getRequestURI().getPath()) {
            case "/demo/login-code" -> query.containsKey("openid") ? loginCode(query.get("openid"), query.get("unionid"))
                    : null;
            case "/demo/phone-code" -> query.containsKey("phone") ? phoneCode(query.get("phone")) : null;
            default -> null;
        };
        SimulatedHttp.answer(exchange, code == null ? 400 : 200, "text/plain; charset=utf-8",
                code == null ? "use /demo/login-code?openid=… or /demo/phone-code?phone=…" : code);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(1);
        Map<String, String> query = SimulatedHttp.query(exchange.getRequestURI());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.computeIfAbsent(path, any -> new AtomicInteger()).incrementAndGet();
        if ("cgi-bin/token".equals(path)) {
            SimulatedHttp.json(exchange, token(query.get("appid"), query.get("secret")));
            return;
        }
        if ("cgi-bin/stable_token".equals(path)) {
            JsonObject request = JsonParser.parseString(body).getAsJsonObject();
            SimulatedHttp.json(exchange, token(request.get("appid").getAsString(), request.get("secret").getAsString()));
            return;
        }
        Integer failure = failures.getOrDefault(path, new ConcurrentLinkedDeque<>()).poll();
        if (failure != null) {
            SimulatedHttp.json(exchange, error(failure, "simulated"));
            return;
        }
        SimulatedHttp.json(exchange, switch (path) {
            case "sns/jscode2session" -> session(query);
            case "wxa/business/getuserphonenumber" -> validToken != null && validToken.equals(query.get("access_token"))
                    ? phone(body) : error(40001, "invalid credential, access_token is invalid");
            default -> error(48001, "api unauthorized");
        });
    }

    private String token(String requestAppId, String requestSecret) {
        if (!appId.equals(requestAppId)) {
            return error(40013, "invalid appid");
        }
        if (!secret.equals(requestSecret)) {
            return error(40125, "invalid appsecret");
        }
        validToken = "sim-wechat-token-" + codes.incrementAndGet();
        return "{\"access_token\":\"" + validToken + "\",\"expires_in\":7200}";
    }

    private String session(Map<String, String> query) {
        if (!appId.equals(query.get("appid")) || !secret.equals(query.get("secret"))) {
            return error(40013, "invalid appid");
        }
        String code = query.get("js_code");
        if (code != null && usedCodes.contains(code)) {
            return error(40163, "code been used");
        }
        String[] user = code == null ? null : loginCodes.remove(code);
        if (user == null) {
            return error(40029, "invalid code");
        }
        usedCodes.add(code);
        if (blocked.contains(user[0])) {
            return error(40226, "high risk user");
        }
        JsonObject answer = new JsonObject();
        answer.addProperty("openid", user[0]);
        answer.addProperty("session_key", "sim-session-key-" + code);
        if (user[1] != null) {
            answer.addProperty("unionid", user[1]);
        }
        return answer.toString();
    }

    private String phone(String body) {
        JsonObject request = JsonParser.parseString(body).getAsJsonObject();
        String phone = request.has("code") ? phoneCodes.remove(request.get("code").getAsString()) : null;
        if (phone == null) {
            return error(40029, "invalid code");
        }
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"phone_info\":{\"phoneNumber\":\"" + phone
                + "\",\"purePhoneNumber\":\"" + phone + "\",\"countryCode\":86,\"watermark\":{\"timestamp\":"
                + System.currentTimeMillis() / 1000 + ",\"appid\":\"" + appId + "\"}}}";
    }

    private static String error(int errcode, String errmsg) {
        return SimulatedHttp.error(errcode, errmsg);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
