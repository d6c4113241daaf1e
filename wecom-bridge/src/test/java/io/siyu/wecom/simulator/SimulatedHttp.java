package io.siyu.wecom.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/** What the WeCom and WeChat simulators share of speaking HTTP and JSON as Tencent's APIs do. */
final class SimulatedHttp {

    private SimulatedHttp() {
    }

    /** An API error as Tencent writes it. */
    static String error(int errcode, String errmsg) {
        return "{\"errcode\":" + errcode + ",\"errmsg\":\"" + errmsg + "\"}";
    }

    /** The query parameters, decoded, by name (clients send them in any order). */
    static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int at = pair.indexOf('=');
                if (at > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, at), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(at + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    /** Answers 200 with a JSON body (Tencent's APIs answer errors as 200 with an errcode too). */
    static void json(HttpExchange exchange, String json) throws IOException {
        answer(exchange, 200, "application/json; charset=UTF-8", json);
    }

    static void answer(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
