#!/usr/bin/env bash
# What the server's threads do per post under scenario (b)'s load: rooms of
# 5 at <posts per second>, the server on core 0 and fr-load on core 1 as in
# bench/realtime.sh. Over 5 s in the middle of the run it counts, with
# `perf stat`, the server's context switches and the system calls a post and
# its deliveries cost (sends, commits' syncs and WAL writes, futex hand-offs),
# and per thread the voluntary and involuntary switches and CPU ticks
# (/proc/<pid>/task/*/status and stat, 100 ticks a second).
#
# Usage: bench/syscalls-fanout.sh [posts per second]
# Needs: perf (Debian's linux-perf), taskset, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-6000}"
source bench/lib.sh
start_realtime_server
threads() {
  for task in /proc/"$server"/task/*; do
    printf '%s %s %s %s\n' "$(basename "$task")" "$(tr ' ' _ <"$task"/comm)" \
      "$(awk '/^(voluntary|nonvoluntary)_ctxt/ {printf "%s ", $2}' "$task"/status)" \
      "$(awk '{print $14 + $15}' "$task"/stat)"
  done 2>/dev/null | sort
}
out="$(mktemp)"
start_fanout_load "$rate" "$out"
before="$(threads)"
perf stat -e 'context-switches,syscalls:sys_enter_futex,syscalls:sys_enter_sendto,syscalls:sys_enter_writev,syscalls:sys_enter_recvfrom,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,syscalls:sys_enter_pwrite64' \
  -p "$server" -- sleep 5 2>&1 | grep -E '^ +[0-9]'
after="$(threads)"
echo "per thread over the same 5 s (voluntary, involuntary switches; CPU ticks):"
join <(echo "$before") <(echo "$after") |
  awk '{ printf "  %-18s vol %7d  invol %7d  cpu %4d ticks\n", $2, $7 - $3, $8 - $4, $9 - $5 }' |
  awk '$3 > 50 || $5 > 50 || $7 > 0'
wait "$load"
grep -E 'deliveries|latency|CPU' "$out"
rm -f "$out"
