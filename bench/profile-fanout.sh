#!/usr/bin/env bash
# A CPU profile of the server under scenario (b)'s load: rooms of 5 at
# <posts per second>, the server on core 0 and fr-load on core 1 as in
# bench/realtime.sh, `perf record -g` on the server for 5 s of the run.
#
# Usage: bench/profile-fanout.sh [posts per second] [perf data file]
# Needs: perf (Debian's linux-perf), taskset, curl. Read the result with
#   perf report -i <file> --no-children --sort comm,dso -g none
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-12000}"
out="${2:-/tmp/familyroom-fanout.perf}"
source bench/lib.sh
start_realtime_server
report="$(mktemp)"
start_fanout_load "$rate" "$report"
perf record -F 1999 -g -o "$out" -p "$server" -- sleep 5 >/dev/null 2>&1
wait "$load"
cat "$report"
rm -f "$report"
echo "profile in $out"
