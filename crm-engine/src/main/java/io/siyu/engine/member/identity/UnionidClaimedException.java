package io.siyu.engine.member.identity;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/**
 * A unionid another member holds: the first claim holds (the same person registered in two Mini Programs of one
 * brand, or a wrong unionid). Nothing is changed for this member; the conflict is recorded for an operator to merge or
 * split ({@code GET /api/v1/admin/identity-conflicts}). Field {@code unionid}.
 */
public final class UnionidClaimedException extends Refusal {

    UnionidClaimedException(String heldBy) {
        super("unionid-claimed", false, "This WeChat unionid belongs to another member (" + heldBy + "); the conflict "
                + "is recorded for an operator (field unionid)", Map.of("heldBy", heldBy, "field", "unionid"));
    }
}
