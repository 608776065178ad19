#!/usr/bin/env bash
# Real-time benchmarks of issue #3 with fr-load on a release build: the server
# on core 0, the load generator on core 1 (taskset), SQLite in a temporary data
# dir, cheap argon2 so that setting up thousands of members is quick.
#
# Usage: bench/realtime.sh <scenario> [seconds]
#   a      10,000 sockets in 2,000 rooms of 5, 20,000 deliveries/s
#   b      1,000 sockets in rooms of 5 (ROOM_SIZE=n: of n) at increasing
#          post rates (RATES="2000 4000"): the highest held with p99 <= 10 ms
#   c      one room of 10,000 members, 10 broadcasts/s
#   d      resident memory per idle subscribed socket (10,000 sockets)
#   e      durable activity appends on SQLite (group commit), no server
# Needs: taskset, curl; raises the open-file limit to 20,000.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:?scenario a|b|c|d|e}"
seconds="${2:-20}"
source bench/lib.sh
ulimit -n 20000
load=(taskset -c 1 "$target/release/fr-load")

if [ "$scenario" = e ]; then
  # No server here: the appenders and the store share one process. It runs
  # once on core 1 alone, then on both cores.
  [ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --locked -p bench >/dev/null
  for n in 160 192; do
    echo "== $n appenders, one core"
    "${load[@]}" appends --count 100000 --concurrency "$n"
    echo "== $n appenders, both cores"
    "$target/release/fr-load" appends --count 100000 --concurrency "$n"
  done
  exit 0
fi

# (d) measures memory: mimalloc returns freed pages at once instead of after
# its purge delay, so the memory the set-up of 10,000 members freed is gone
# before the sockets open, not given back while they open and hiding their cost.
[ "$scenario" = d ] && export MIMALLOC_PURGE_DELAY=0
start_realtime_server

case "$scenario" in
  a) "${load[@]}" fanout --base "$base" --rooms 2000 --room-size 5 --rate 4000 --seconds "$seconds" --server-pid $server ;;
  b) size="${ROOM_SIZE:-5}"
     for rate in ${RATES:-2000 4000 6000 8000 12000}; do
       echo "== $rate posts/s in rooms of $size"
       "${load[@]}" fanout --base "$base" --rooms $((1000 / size)) --room-size "$size" --rate "$rate" --seconds "$seconds" --server-pid $server
     done ;;
  c) "${load[@]}" fanout --base "$base" --rooms 1 --room-size 10000 --rate 10 --seconds "$seconds" --server-pid $server ;;
  d) "${load[@]}" idle --base "$base" --connections 10000 --server-pid $server ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
