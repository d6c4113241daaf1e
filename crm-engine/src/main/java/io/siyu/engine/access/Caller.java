package io.siyu.engine.access;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A caller who proved who they are. {@code subject} is the member id for a member, the WeCom userid for an agent
 * signed in through WeCom, and the credential's name for staff and integrations; {@code actor} is what staff writes
 * record as who did them.
 *
 * @param credentialId the credential (or token) that proved it, for revocation and rate limits
 */
public final class Caller extends AbstractAuthenticationToken {

    private final Role role;
    private final String subject;
    private final String credentialId;
    private final boolean byToken;

    public Caller(Role role, String subject, String credentialId) {
        this(role, subject, credentialId, false);
    }

    /** @param byToken whether a token proved the caller (not a credential's key or signature) */
    public Caller(Role role, String subject, String credentialId, boolean byToken) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + role.name())));
        this.role = role;
        this.subject = subject;
        this.credentialId = credentialId;
        this.byToken = byToken;
        setAuthenticated(true);
    }

    /** @return whether a token proved the caller; tokens are not exchanged for more tokens */
    public boolean byToken() {
        return byToken;
    }

    public Role role() {
        return role;
    }

    public String subject() {
        return subject;
    }

    public String credentialId() {
        return credentialId;
    }

    /** Who a write is recorded as done by: {@code <role>:<subject>}, e.g. {@code operator:alice}. */
    public String actor() {
        return role.code() + ":" + subject;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return this;
    }

    @Override
    public String getName() {
        return actor();
    }

    @Override
    public String toString() {
        return "Caller[" + actor() + "]";
    }
}
