package io.siyu.engine.access;

import static io.siyu.engine.access.Role.AGENT;
import static io.siyu.engine.access.Role.INTEGRATION;
import static io.siyu.engine.access.Role.MARKETER;
import static io.siyu.engine.access.Role.MEMBER;
import static io.siyu.engine.access.Role.METRICS;
import static io.siyu.engine.access.Role.OPERATOR;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.http.HttpMethod;

/**
 * Who may call what: the one table a reviewer reads. Every route a controller declares must be here (the engine
 * refuses to start otherwise, see {@link RouteTableCheck}); the security filter chain, the OpenAPI document and the
 * authorization matrix test all read this table.
 */
public final class AccessRules {

    private static final String MEMBERS = "/api/v1/members/{memberId}";

    private static final List<Route> ROUTES = new ArrayList<>();

    static {
        // signing in: public, each proves its caller itself (a WeChat or WeCom code, a staff credential)
        route(POST, "/api/v1/auth/mini-program");
        route(POST, "/api/v1/auth/wecom");
        route(POST, "/api/v1/auth/token", AGENT, MARKETER, OPERATOR);
        route(POST, "/api/v1/auth/mini-program/phone", MEMBER);
        // WeCom's callback URL proves its caller with WeCom's signature
        route(GET, "/wecom/callback");
        route(POST, "/wecom/callback");

        // members
        route(POST, "/api/v1/members", INTEGRATION);
        route(GET, "/api/v1/members/by-openid/{openid}", INTEGRATION, OPERATOR);
        route(POST, MEMBERS + "/consents", MEMBER, INTEGRATION);
        route(GET, MEMBERS + "/consents", MEMBER, INTEGRATION, OPERATOR);
        route(GET, MEMBERS + "/export", MEMBER, OPERATOR);
        route(POST, MEMBERS + "/erasure", MEMBER, OPERATOR);
        route(POST, MEMBERS + "/purchases", INTEGRATION);
        route(POST, MEMBERS + "/refunds", INTEGRATION);
        route(POST, MEMBERS + "/redemptions", MEMBER);
        route(GET, MEMBERS + "/redemptions/{redemptionId}", MEMBER, AGENT, INTEGRATION, OPERATOR);
        route(POST, MEMBERS + "/adjustments", AGENT, INTEGRATION, OPERATOR);
        route(POST, MEMBERS + "/check-ins", MEMBER);
        route(GET, MEMBERS + "/points", MEMBER, AGENT, INTEGRATION, OPERATOR);
        route(GET, MEMBERS + "/points/history", MEMBER, AGENT, OPERATOR);
        route(GET, MEMBERS + "/tier", MEMBER, AGENT, INTEGRATION, OPERATOR);
        route(POST, MEMBERS + "/tier/overrides", OPERATOR);
        route(GET, MEMBERS + "/timeline", MEMBER, AGENT, OPERATOR);
        route(GET, "/api/v1/wecom/contacts/{externalUserId}/timeline", AGENT, OPERATOR);
        route(GET, MEMBERS + "/profile", AGENT, OPERATOR);
        route(GET, "/api/v1/wecom/contacts/{externalUserId}/profile", AGENT, OPERATOR);

        // the widget's own member: the same routes for the token's member
        me(GET, "/points");
        me(GET, "/points/history");
        me(GET, "/tier");
        me(GET, "/timeline");
        me(POST, "/check-ins");
        me(POST, "/redemptions");
        me(GET, "/redemptions/{redemptionId}");
        me(POST, "/consents");
        me(GET, "/consents");
        me(GET, "/export");
        me(POST, "/erasure");
        route(GET, "/api/v1/me/member-code", MEMBER);

        // the till: a member recognised by member code (or id, openid, unionid)
        route(POST, "/api/v1/purchases", INTEGRATION);
        route(POST, "/api/v1/refunds", INTEGRATION);
        route(POST, "/api/v1/redemptions", INTEGRATION);

        // loyalty rules and rewards
        route(POST, "/api/v1/admin/earning-rules", OPERATOR);
        route(GET, "/api/v1/admin/earning-rules", OPERATOR, MARKETER);
        route(POST, "/api/v1/rewards", MARKETER);
        route(POST, "/api/v1/rewards/{rewardId}/restocks", MARKETER);
        route(GET, "/api/v1/rewards", MEMBER, AGENT, MARKETER, INTEGRATION, OPERATOR);
        route(GET, "/api/v1/rewards/{rewardId}", MEMBER, AGENT, MARKETER, INTEGRATION, OPERATOR);

        // marketers: funnel, segments, WeCom contact ways, join ways, tags and campaigns
        route(GET, "/api/v1/funnels/private-domain", MARKETER);
        route(GET, "/api/v1/funnels/private-domain/buyers-outside-groups", MARKETER);
        route(GET, "/api/v1/funnels/private-domain/stages/{stage}/members", MARKETER);
        route(GET, "/api/v1/overview", MARKETER, OPERATOR);
        route(POST, "/api/v1/segments/preview", MARKETER);
        route(POST, "/api/v1/segments", MARKETER);
        route(GET, "/api/v1/segments", MARKETER);
        route(GET, "/api/v1/segments/{segmentId}", MARKETER);
        route(GET, "/api/v1/segments/{segmentId}/members", MARKETER);
        route(GET, "/api/v1/segments/{segmentId}/growth", MARKETER);
        route(PUT, "/api/v1/segments/{segmentId}/wecom-tag", MARKETER);
        route(DELETE, "/api/v1/segments/{segmentId}/wecom-tag", MARKETER);
        route(POST, "/api/v1/wecom/contact-ways", MARKETER);
        route(GET, "/api/v1/wecom/contact-ways/{state}", MARKETER);
        route(POST, "/api/v1/wecom/join-ways", MARKETER);
        route(GET, "/api/v1/wecom/join-ways/{state}", MARKETER);
        route(POST, "/api/v1/campaigns", MARKETER);
        route(GET, "/api/v1/campaigns", MARKETER);
        route(GET, "/api/v1/campaigns/{campaignId}", MARKETER);
        route(GET, "/api/v1/campaigns/{campaignId}/recipients", MARKETER);
        route(POST, "/api/v1/campaigns/{campaignId}/stop", MARKETER);

        // the agent's sidebar
        route(GET, "/api/v1/wecom/sidebar/config", AGENT);

        // operators
        route(GET, "/api/v1/admin/demo", OPERATOR, MARKETER);
        route(GET, "/api/v1/admin/projections", OPERATOR);
        route(POST, "/api/v1/admin/projections/{projection}/rebuild", OPERATOR);
        route(GET, "/api/v1/admin/projections/{projection}/rebuild", OPERATOR);
        route(GET, "/api/v1/admin/dead-letters", OPERATOR);
        route(GET, "/api/v1/admin/identity-conflicts", OPERATOR);
        route(POST, "/api/v1/admin/privacy/key-rotations", OPERATOR);
        route(GET, "/api/v1/admin/privacy/key-rotations/{rotationId}", OPERATOR);
        route(POST, "/api/v1/admin/dead-letters/{group}/retry", OPERATOR);
        route(POST, "/api/v1/admin/wecom/callbacks/replay", OPERATOR);
        route(GET, "/api/v1/admin/wecom/outbox", OPERATOR);
        route(POST, "/api/v1/admin/wecom/reconciliations", OPERATOR);
        route(GET, "/api/v1/admin/wecom/reconciliations", OPERATOR);
        route(GET, "/api/v1/admin/wecom/reconciliations/{runId}", OPERATOR);
        route(POST, "/api/v1/admin/credentials", OPERATOR);
        route(GET, "/api/v1/admin/credentials", OPERATOR);
        route(DELETE, "/api/v1/admin/credentials/{credentialId}", OPERATOR);
    }

    /** Routes outside the controllers (Actuator, the OpenAPI document): matched by prefix where they end in /**. */
    private static final List<Route> INFRASTRUCTURE = List.of(
            new Route(GET, "/actuator/health", Set.of(), null),
            new Route(GET, "/actuator/prometheus", Set.of(METRICS, OPERATOR), null),
            new Route(GET, "/actuator/**", Set.of(OPERATOR), null),
            new Route(GET, "/v3/api-docs/**", Set.of(), null),
            new Route(GET, "/v3/api-docs", Set.of(), null),
            new Route(GET, "/swagger-ui.html", Set.of(), null),
            new Route(GET, "/swagger-ui/**", Set.of(), null),
            new Route(GET, "/webjars/swagger-ui/**", Set.of(), null),
            // the faces: static pages that sign in through the API like any caller, and the libraries they load
            new Route(GET, "/console/**", Set.of(), null),
            new Route(GET, "/sidebar/**", Set.of(), null),
            new Route(GET, "/shared/**", Set.of(), null),
            new Route(GET, "/webjars/echarts/**", Set.of(), null));

    private AccessRules() {
    }

    private static void route(HttpMethod method, String pattern, Role... roles) {
        ROUTES.add(new Route(method, pattern, roles.length == 0 ? Set.of() : Set.of(roles), null));
    }

    private static void me(HttpMethod method, String suffix) {
        Route mirrored = ROUTES.stream().filter(route -> route.method().equals(method)
                && route.pattern().equals(MEMBERS + suffix)).findFirst().orElseThrow();
        if (!mirrored.roles().contains(MEMBER)) {
            throw new IllegalStateException(mirrored.key() + " is not a member route");
        }
        ROUTES.add(new Route(method, "/api/v1/me" + suffix, Set.of(MEMBER), mirrored.pattern()));
    }

    /** Every API route a controller declares, and the {@code /me} mirrors. */
    public static List<Route> routes() {
        return List.copyOf(ROUTES);
    }

    public static List<Route> infrastructure() {
        return INFRASTRUCTURE;
    }

    public static Optional<Route> find(HttpMethod method, String pattern) {
        return ROUTES.stream().filter(route -> route.method().equals(method) && route.pattern().equals(pattern))
                .findFirst();
    }

    /** The controllers' routes, their mirrors and the infrastructure's, in the order the security chain matches them. */
    public static List<Route> all() {
        List<Route> all = new ArrayList<>(ROUTES);
        all.addAll(INFRASTRUCTURE);
        return all;
    }
}
