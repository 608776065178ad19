#!/usr/bin/env bash
# Real-time benchmarks of issue #3 with fr-load on a release build: the server
# on core 0, the load generator on core 1 (taskset), SQLite in a temporary data
# dir, cheap argon2 so that setting up thousands of members is quick.
#
# Usage: bench/realtime.sh <scenario> [seconds]
#   a      10,000 sockets in 2,000 rooms of 5, 20,000 deliveries/s
#   b      rooms of 5 at increasing rates (the highest held with p99 <= 10 ms)
#   c      one room of 10,000 members, 10 broadcasts/s
#   d      resident memory per idle subscribed socket (10,000 sockets)
#   e      durable activity appends on SQLite (group commit), no server
# Needs: taskset, curl; raises the open-file limit to 20,000.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:?scenario a|b|c|d|e}"
seconds="${2:-20}"
target="${CARGO_TARGET_DIR:-$HOME/.cache/familyroom-target}"
cargo build --release --locked -p familyroom -p bench >/dev/null
ulimit -n 20000
load=(taskset -c 1 "$target/release/fr-load")

if [ "$scenario" = e ]; then
  exec "${load[@]}" appends --count 200000 --concurrency 512
fi

data="$(mktemp -d)"
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
FAMILYROOM_BIND="127.0.0.1:$port" FAMILYROOM_DATA_DIR="$data" FAMILYROOM_DEMO_CATALOG=0 \
  FAMILYROOM_LOG=warn FAMILYROOM_AUTH_ATTEMPTS_PER_MINUTE=1000000 \
  FAMILYROOM_ARGON2_MEMORY_KIB=64 FAMILYROOM_ARGON2_ITERATIONS=1 \
  taskset -c 0 "$target/release/familyroom" serve &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  kill -0 $server 2>/dev/null || { echo "the server did not start" >&2; exit 1; }
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
base="http://127.0.0.1:$port"

case "$scenario" in
  a) "${load[@]}" fanout --base "$base" --rooms 2000 --room-size 5 --rate 4000 --seconds "$seconds" --server-pid $server ;;
  b) for rate in 2000 4000 6000 8000 12000; do
       echo "== $rate posts/s in rooms of 5"
       "${load[@]}" fanout --base "$base" --rooms 200 --room-size 5 --rate "$rate" --seconds "$seconds" --server-pid $server
     done ;;
  c) "${load[@]}" fanout --base "$base" --rooms 1 --room-size 10000 --rate 10 --seconds "$seconds" --server-pid $server ;;
  d) "${load[@]}" idle --base "$base" --connections 10000 --server-pid $server ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
