package io.siyu.api;

/**
 * An event that records an operation its caller named with an idempotency key (an order id, a refund id, a WeCom
 * callback's fact key…). The event store keeps each key once per aggregate stream, in the commit that recorded it
 * (a second commit carrying it is refused as a conflict), and finds that commit by it: an aggregate need not remember
 * every key it has ever seen to answer a retry the same way.
 */
public interface KeyedFact {

    /** The key, prefixed by what it names ({@code order:O-1001}); unique per aggregate. */
    String idempotencyKey();

    /**
     * Other keys the same fact is known by (a WeCom fact keyed by its relationship is also known by the callback that
     * reported it): kept beside the key, so a lookup by any of them finds the commit. Unique per aggregate too.
     */
    default java.util.List<String> otherIdempotencyKeys() {
        return java.util.List.of();
    }
}
