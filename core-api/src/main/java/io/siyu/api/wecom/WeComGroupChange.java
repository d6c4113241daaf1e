package io.siyu.api.wecom;

/** What happened to a WeCom customer group itself ({@code change_external_chat} other than member changes). */
public enum WeComGroupChange {
    /** The group was created. */
    CREATED,
    /** It was renamed. */
    NAME_CHANGED,
    /** Another staff member owns it now. */
    OWNER_CHANGED,
    /** Its notice changed. */
    NOTICE_CHANGED,
    /** It was dismissed: every member left. */
    DISMISSED
}
