package io.siyu.api.member;

/**
 * The answer to {@link ChangeConsent}.
 *
 * @param purpose   the purpose
 * @param granted   whether the member consents after the command
 * @param duplicate {@code true} when the change id had been used before and nothing was written
 * @param version   the sequence number of the member stream's last event after the command
 */
public record ConsentResult(String purpose, boolean granted, boolean duplicate, long version)
        implements MemberStreamResult {
}
