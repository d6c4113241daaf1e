package io.siyu.engine.access;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/**
 * Refuses to start an engine that has a route {@link AccessRules} does not name (or names a route no controller
 * has): a new route without a rule fails every engine test, so it fails the build.
 */
@Component
class RouteTableCheck implements SmartInitializingSingleton {

    private final RequestMappingHandlerMapping mappings;

    RouteTableCheck(RequestMappingHandlerMapping requestMappingHandlerMapping) {
        this.mappings = requestMappingHandlerMapping;
    }

    /** Every (method, pattern) the controllers declare, as {@code "GET /api/v1/…"}. */
    static Set<String> declared(RequestMappingHandlerMapping mappings) {
        Set<String> routes = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<org.springframework.web.bind.annotation.RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (var pattern : info.getPatternsCondition().getPatterns()) {
                String path = pattern.getPatternString();
                if (path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui")) {
                    continue;
                }
                for (var method : methods) {
                    routes.add(method.name() + " " + path);
                }
            }
        }
        return routes;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<String> declared = declared(mappings);
        Set<String> ruled = new TreeSet<>();
        AccessRules.routes().stream().filter(route -> route.mirror() == null).forEach(route -> ruled.add(route.key()));
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(ruled);
        Set<String> stale = new TreeSet<>(ruled);
        stale.removeAll(declared);
        if (!missing.isEmpty() || !stale.isEmpty()) {
            throw new IllegalStateException("AccessRules and the controllers disagree. Routes without a rule: "
                    + missing + "; rules without a route: " + stale);
        }
    }

    static HttpMethod method(String key) {
        return HttpMethod.valueOf(key.substring(0, key.indexOf(' ')));
    }
}
