#!/usr/bin/env bash
# Benchmarks recommendations and trip planning with wrk on a release build:
#   GET /api/v1/rooms/{room}/recommendations (precomputed lists, 3 members
#   with activity), and POST /api/v1/rooms/{room}/trips (the built-in planner,
#   no language model, 4 travellers, products mapped from the demo catalog).
# The server runs on core 0 and wrk on core 1 (taskset), on SQLite in a
# temporary data dir with the default demo catalog (2000 products).
# Usage: bench/recommendations.sh [seconds]   (needs: wrk, curl, taskset, jq)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
source bench/lib.sh
start_server FAMILYROOM_RECS_DEBOUNCE_MS=200

register() {
  curl -fs -H 'content-type: application/json' \
    -d "{\"name\":\"$1\",\"email\":\"$1-$RANDOM@example.com\",\"password\":\"a long enough password\"}" \
    "$base/api/v1/auth/register" | jq -r .access_token
}
asha=$(register Asha); ravi=$(register Ravi); mom=$(register Mom)
room_json=$(curl -fs -H "Authorization: Bearer $asha" -H 'content-type: application/json' \
  -d '{"name":"Bench family"}' "$base/api/v1/rooms")
room=$(echo "$room_json" | jq -r .id); code=$(echo "$room_json" | jq -r .invite_code)
for t in "$ravi" "$mom"; do
  curl -fs -H "Authorization: Bearer $t" -H 'content-type: application/json' \
    -d "{\"invite_code\":\"$code\"}" "$base/api/v1/rooms/join" >/dev/null
done
# Some activity: each member likes and views a few products.
products=$(curl -fs "$base/api/v1/products?limit=60" | jq -r '.items[].id')
i=0
for p in $products; do
  for t in "$asha" "$ravi" "$mom"; do
    i=$((i + 1)); [ $((i % 4)) -eq 0 ] || continue
    curl -fs -H "Authorization: Bearer $t" -H 'content-type: application/json' \
      -d "{\"action_type\":\"liked\",\"product_id\":\"$p\"}" "$base/api/v1/rooms/$room/activities" >/dev/null
  done
done
sleep 1 # let the debounced refresh settle before measuring reads
curl -fs -H "Authorization: Bearer $ravi" "$base/api/v1/rooms/$room/recommendations" | jq -r 'length as $n | "\($n) lists for Ravi"'

for c in 16 64; do
  echo "== GET /api/v1/rooms/{room}/recommendations ($c connections, 1 wrk thread on core 1, ${seconds}s)"
  taskset -c 1 wrk -t1 -c$c -d"${seconds}s" --latency -H "Authorization: Bearer $ravi" \
    "$base/api/v1/rooms/$room/recommendations"
done

cat > "$data/trip.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $asha"
wrk.body = '{"destination":"Goa","trip_type":"beach","duration":7,"start_date":"2026-12-20","occasion":"beach","travelers":[{"age":40,"gender":"men"},{"age":38,"gender":"women"},{"age":9,"gender":"boys"},{"age":2,"gender":"girls"}],"budget":{"amount":"3000.00","currency":"INR"}}'
LUA
for c in 1 8; do
  echo "== POST /api/v1/rooms/{room}/trips (built-in planner, $c connection(s), ${seconds}s)"
  taskset -c 1 wrk -t1 -c$c -d"${seconds}s" --latency -s "$data/trip.lua" "$base/api/v1/rooms/$room/trips"
done
