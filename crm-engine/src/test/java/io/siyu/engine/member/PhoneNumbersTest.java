package io.siyu.engine.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    private final PhoneNumbers phones = new PhoneNumbers("a-test-key-of-32-bytes-length!!!".getBytes(StandardCharsets.UTF_8));

    @Test
    void keepsOnlyAMaskedFormAndAKeyedHash() {
        PhoneNumbers.ProtectedPhone phone = phones.protect("13812345678").orElseThrow();
        assertThat(phone.masked()).isEqualTo("*******5678");
        assertThat(phone.hash()).hasSize(64).doesNotContain("13812345678").doesNotContain("12345678");
    }

    @Test
    void theSameNumberWrittenDifferentlyHashesAlike() {
        String hash = phones.protect("13812345678").orElseThrow().hash();
        assertThat(phones.protect("+86 138-1234-5678").orElseThrow().hash()).isEqualTo(hash);
        assertThat(phones.protect("8613812345678").orElseThrow().hash()).isEqualTo(hash);
    }

    @Test
    void anotherKeyGivesAnotherHash() {
        PhoneNumbers other = new PhoneNumbers("another-key-of-32-bytes-length!!".getBytes(StandardCharsets.UTF_8));
        assertThat(other.protect("13812345678").orElseThrow().hash())
                .isNotEqualTo(phones.protect("13812345678").orElseThrow().hash());
    }

    @Test
    void onlyMainlandMobileNumbersAreAccepted() {
        assertThat(phones.protect("12812345678")).isEmpty();
        assertThat(phones.protect("1381234567")).isEmpty();
        assertThat(phones.protect("021-12345678")).isEmpty();
        assertThat(phones.protect("not a phone")).isEmpty();
    }
}
