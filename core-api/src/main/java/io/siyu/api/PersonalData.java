package io.siyu.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field holding personal information (PIPL) of the member the message names in its {@code memberId}: an openid,
 * unionid, external_userid, nickname, phone (hash or masked form) or a free-text reason that may carry one. It is
 * stored encrypted under that member's data key and reads as {@code null} once the member is erased; handlers and
 * aggregates see the plain value. Applies to text fields and lists of text.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface PersonalData {
}
