package io.siyu.wecom.identity;

/**
 * Keyed hashes the bridge keeps in place of the personal ids it looks people up by (the engine's lookup key): a
 * unionid in {@code member_unionids} and {@code wecom_unlinked} is stored as {@link #unionid}. The same value always
 * gives the same hash, which cannot be turned back into the value.
 */
@FunctionalInterface
public interface Pseudonyms {

    /** @return the keyed hash a unionid is stored and looked up under */
    String unionid(String unionid);
}
