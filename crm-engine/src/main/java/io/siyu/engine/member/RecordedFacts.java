package io.siyu.engine.member;

import java.util.List;

import io.siyu.api.KeyedFact;

/**
 * What the event store recorded under an idempotency key ({@link KeyedFact}): the member's events of the one commit
 * that carries the key, in order, or an empty list when the key was never used. One point read on a unique index:
 * the member keeps only the orders its rules still need and asks here about anything older, so its state does not
 * grow with its history while a retry of any age is still answered the same and writes nothing.
 */
public interface RecordedFacts {

    List<Object> carrying(String memberId, String key);
}
