package io.siyu.engine.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.siyu.api.PersonalData;

/**
 * The rules sealing rests on: every message with a personal field names whose it is ({@code memberId}), and a sealed
 * value opens only with its member's key, for its member and field.
 */
class PersonalDataTest {

    @Test
    void everyMessageWithPersonalDataNamesItsMember() {
        List<Class<?>> personal = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.siyu.api").stream().map(JavaClass::reflect)
                .filter(Class::isRecord)
                .filter(type -> !PersonalDataSerializer.personalFields(type).isEmpty()).toList();
        assertThat(personal).as("messages with personal fields").hasSizeGreaterThanOrEqualTo(10);
        for (Class<?> type : personal) {
            assertThat(Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName))
                    .as(type.getSimpleName()).contains(PersonalDataSerializer.SUBJECT);
            assertThat(Arrays.stream(type.getRecordComponents())
                    .filter(component -> component.isAnnotationPresent(PersonalData.class))
                    .map(RecordComponent::getType)).as(type.getSimpleName() + ": text or lists of text only")
                    .allMatch(t -> t == String.class || t == List.class);
        }
    }

    @Test
    void aSealedValueOpensOnlyForItsMemberAndFieldWithItsKey() throws Exception {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        SecretKey key = generator.generateKey();
        String sealed = FieldCipher.sealText(key, "oAbC123", "m-1|openid");
        assertThat(sealed).startsWith(FieldCipher.PREFIX).doesNotContain("oAbC123");
        assertThat(FieldCipher.sealText(key, "oAbC123", "m-1|openid")).as("a fresh nonce each time")
                .isNotEqualTo(sealed);
        assertThat(FieldCipher.openText(key, sealed, "m-1|openid")).isEqualTo("oAbC123");
        assertThatThrownBy(() -> FieldCipher.openText(key, sealed, "m-2|openid"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FieldCipher.openText(key, sealed, "m-1|unionid"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FieldCipher.openText(generator.generateKey(), sealed, "m-1|openid"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMalformedMasterKeyIsRefusedNamingWhichWithoutShowingIt() {
        assertThatThrownBy(() -> new MasterKeys("no-colon", List.of())).hasMessageContaining("id:base64");
        assertThatThrownBy(() -> new MasterKeys("k1:c2hvcnQ=", List.of())).hasMessageContaining("32 bytes")
                .hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> new MasterKeys("k1:" + "A".repeat(43) + "=", List.of("k1:" + "A".repeat(43) + "=")))
                .hasMessageContaining("two master keys have the id k1");
    }
}
