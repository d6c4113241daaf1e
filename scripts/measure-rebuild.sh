#!/usr/bin/env bash
# Rebuild rates of every projection on a running engine with a synthetic load.
# Usage: scripts/measure-rebuild.sh [members] [base-url] [operator credential file]
# (the engine must be running, e.g. on the embedded store; the credential file defaults to data/operator.credential)
set -euo pipefail
MEMBERS=${1:-2000}
API=${2:-http://localhost:8080}/api/v1
OP="Authorization: Bearer $(cat "${3:-data/operator.credential}")"
STORE="bench-$(date +%s)"
INT="Authorization: Bearer $(curl -sf -H "$OP" -H 'content-type: application/json' \
  -d "{\"role\":\"integration\",\"name\":\"rebuild-bench-$STORE\"}" "$API/admin/credentials" \
  | sed 's/.*"secret":"\([^"]*\)".*/\1/')"

one_member() {
  local i=$1 id
  id=$(curl -sf -H "$INT" -H 'content-type: application/json' -d "{\"openid\":\"o-bench-$STORE-$i\",\"storeId\":\"$STORE\"}" \
    "$API/members" | sed 's/.*"memberId":"\([^"]*\)".*/\1/')
  for o in 1 2; do
    curl -sf -o /dev/null -H "$INT" -H 'content-type: application/json' "$API/members/$id/purchases" \
      -d "{\"orderId\":\"O-$o\",\"amountFen\":$(( (i % 50 + 1) * 1000 )),\"storeId\":\"$STORE\",\"channel\":\"mini_program\",\"occurredAt\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}"
  done
  # a goodwill adjustment (check-ins are the member's own, from the Mini Program)
  curl -sf -o /dev/null -H "$INT" -H 'content-type: application/json' "$API/members/$id/adjustments" \
    -d '{"adjustmentId":"A-1","points":5,"reason":"welcome"}'
}
export -f one_member
export API STORE INT
started=$(date +%s)
seq 1 "$MEMBERS" | xargs -P 8 -I{} bash -c 'one_member {}'
echo "loaded $MEMBERS members (register, 2 purchases, an adjustment) in $(( $(date +%s) - started )) s"

for projection in member-points member-facts member-timeline rewards segment-catalog; do
  curl -sf -o /dev/null -H "$OP" -X POST "$API/admin/projections/$projection/rebuild"
  until curl -sf -H "$OP" "$API/admin/projections/$projection/rebuild" | grep -q '"state":"\(done\|failed\)"'; do sleep 1; done
  curl -sf -H "$OP" "$API/admin/projections/$projection/rebuild"; echo
done
