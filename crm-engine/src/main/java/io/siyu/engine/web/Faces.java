package io.siyu.engine.web;

import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * The faces' addresses: {@code /console} and {@code /sidebar} (with or without the slash, with any query, such as
 * WeCom's {@code ?code=}) answer their page's {@code index.html}, served from the console module's static resources
 * like every file beside it. The pages call only the public API. Libraries under a versioned path (ECharts' WebJar,
 * the vendored WeCom JS-SDK) may be cached for a year; everything else keeps the engine's no-store.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class Faces implements WebFilter {

    private static final Map<String, String> PAGES = Map.of(
            "/console", "/console/index.html", "/console/", "/console/index.html",
            "/sidebar", "/sidebar/index.html", "/sidebar/", "/sidebar/index.html");

    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        String path = exchange.getRequest().getPath().value();
        if (path.startsWith("/webjars/echarts/") || path.startsWith("/sidebar/vendor/")) {
            // set before the security headers are written: they leave a response that has a Cache-Control alone
            exchange.getResponse().getHeaders().setCacheControl(IMMUTABLE);
        }
        String page = PAGES.get(path);
        if (page == null || !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(request -> request.path(page)).build());
    }
}
