package io.siyu.engine.access;

import java.util.EnumSet;
import java.util.Set;

import org.springframework.http.HttpMethod;

/**
 * One route of the API and who may call it. A route with no roles is public (it proves its caller some other way,
 * like WeCom's signed callbacks, or it is how a caller signs in). On a route with a {@code {memberId}} path variable a
 * member may reach only their own member and an agent only members who are their WeCom contacts; on one with
 * {@code {externalUserId}} an agent only their own contacts.
 *
 * @param pattern the path pattern as the controller declares it ({@code /api/v1/members/{memberId}/points})
 * @param mirror  for a {@code /api/v1/me/…} route, the member route it mirrors for the token's own member
 */
public record Route(HttpMethod method, String pattern, Set<Role> roles, String mirror) {

    public Route {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public boolean isPublic() {
        return roles.isEmpty();
    }

    public boolean memberScoped() {
        return pattern.contains("{memberId}");
    }

    public boolean contactScoped() {
        return pattern.contains("{externalUserId}");
    }

    public String key() {
        return method.name() + " " + pattern;
    }
}
