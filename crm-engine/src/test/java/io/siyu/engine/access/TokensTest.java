package io.siyu.engine.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.siyu.engine.support.SettableClock;
import io.siyu.engine.system.SecretKeys;

/** Tokens are checked on the engine's clock, and a rotation keeps the previous key's tokens valid until they expire. */
class TokensTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-29T08:00:00Z"));
    private final byte[] first = SecretKeys.random(32);
    private final byte[] second = SecretKeys.random(32);
    private final byte[] third = SecretKeys.random(32);

    @Test
    void aRotationKeepsThePreviousKeysTokensValidAndNoOlderOnes() {
        String signedWithFirst = new Tokens(clock, first, null)
                .issue(Role.MEMBER, "m-1", "test", Duration.ofHours(2)).accessToken();
        Tokens rotatedOnce = new Tokens(clock, second, first);
        assertThat(rotatedOnce.verify(signedWithFirst).block().subject()).isEqualTo("m-1");
        String signedWithSecond = rotatedOnce.issue(Role.OPERATOR, "alice", "cr1", Duration.ofHours(1))
                .accessToken();
        assertThat(rotatedOnce.verify(signedWithSecond).block().role()).isEqualTo(Role.OPERATOR);

        Tokens rotatedTwice = new Tokens(clock, third, second);
        assertThat(rotatedTwice.verify(signedWithSecond).block().actor()).isEqualTo("operator:alice");
        assertThatThrownBy(() -> rotatedTwice.verify(signedWithFirst).block()).hasMessageContaining("unknown key");
    }

    @Test
    void expiryIsTheEnginesClockNotTheWallClock() {
        Tokens tokens = new Tokens(clock, first, null);
        String token = tokens.issue(Role.MEMBER, "m-1", "test", Duration.ofHours(2)).accessToken();
        clock.set(Instant.parse("2026-11-29T09:59:59Z"));
        assertThat(tokens.verify(token).block().subject()).isEqualTo("m-1");
        clock.set(Instant.parse("2026-11-29T10:00:01Z"));
        assertThatThrownBy(() -> tokens.verify(token).block()).hasMessageContaining("expired");
        assertThat(Tokens.ours(token)).isTrue();
        assertThat(Tokens.ours("not.a.jwt")).isFalse();
    }
}
