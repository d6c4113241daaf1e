#!/usr/bin/env bash
# Rebuild rates of every projection on a running engine with a synthetic load.
# Usage: scripts/measure-rebuild.sh [members] [base-url]   (the engine must be running, e.g. on the embedded store)
set -euo pipefail
MEMBERS=${1:-2000}
API=${2:-http://localhost:8080}/api/v1
STORE="bench-$(date +%s)"

one_member() {
  local i=$1 id
  id=$(curl -sf -H 'content-type: application/json' -d "{\"openid\":\"o-bench-$STORE-$i\",\"storeId\":\"$STORE\"}" \
    "$API/members" | sed 's/.*"memberId":"\([^"]*\)".*/\1/')
  for o in 1 2; do
    curl -sf -o /dev/null -H 'content-type: application/json' "$API/members/$id/purchases" \
      -d "{\"orderId\":\"O-$o\",\"amountFen\":$(( (i % 50 + 1) * 1000 )),\"storeId\":\"$STORE\",\"channel\":\"mini_program\",\"occurredAt\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}"
  done
  curl -sf -o /dev/null -X POST "$API/members/$id/check-ins"
}
export -f one_member
export API STORE
started=$(date +%s)
seq 1 "$MEMBERS" | xargs -P 8 -I{} bash -c 'one_member {}'
echo "loaded $MEMBERS members (register, 2 purchases, check-in) in $(( $(date +%s) - started )) s"

for projection in member-points member-facts member-timeline rewards segment-catalog; do
  curl -sf -o /dev/null -X POST "$API/admin/projections/$projection/rebuild"
  until curl -sf "$API/admin/projections/$projection/rebuild" | grep -q '"state":"\(done\|failed\)"'; do sleep 1; done
  curl -sf "$API/admin/projections/$projection/rebuild"; echo
done
