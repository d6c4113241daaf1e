package io.siyu.wecom.identity;

/** A member registered with this unionid: WeCom people seen before under it can be linked to them now. */
public record UnionidRegistered(String unionid) {
}
