#!/usr/bin/env bash
# Catalog figures of issue #4 through the real server on a release build:
# memory at rest with the demo catalog, and cached GET /api/v1/products/{id}
# with wrk (server on core 0, wrk on core 1), on SQLite in a temporary data dir.
# Usage: bench/catalog.sh [seconds] [demo products]   (needs: wrk, curl, taskset, jq)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
products="${2:-2000}"
source bench/lib.sh
start_server FAMILYROOM_DEMO_CATALOG="$products"

# Resident memory in KiB, and how much of it is anonymous (heap, stacks)
# rather than file pages (the binary, SQLite's memory-mapped database file),
# which the kernel can drop and reread.
rss() { awk '/^VmRSS/ {rss=$2} /^RssAnon/ {anon=$2} /^RssFile/ {file=$2} END {print rss " (anonymous " anon ", file " file ")"}' "/proc/$server/status"; }
echo "== memory at rest: server RSS $(rss) KiB with $products demo products, right after start"

ids=$(curl -fs "$base/api/v1/products?limit=50" | jq -r '.items[].id')
for id in $ids; do curl -fs "$base/api/v1/products/$id" >/dev/null; done
echo "== memory at rest after a first read of 50 products: $(rss) KiB"

# Every request picks one of the 50 warm products in turn.
{
  echo "ids = {"
  for id in $ids; do echo "  \"$id\","; done
  echo "}"
  echo 'counter = 0'
  echo 'request = function()'
  echo '  counter = counter + 1'
  echo '  return wrk.format("GET", "/api/v1/products/" .. ids[(counter % #ids) + 1])'
  echo 'end'
} > "$data/products.lua"
echo "== cached GET /api/v1/products/{id} (64 connections, 1 wrk thread on core 1, ${seconds}s)"
cpu_before=$(awk '{print $14 + $15}' "/proc/$server/stat")
taskset -c 1 wrk -t1 -c64 -d"${seconds}s" --latency -s "$data/products.lua" "$base"
cpu_after=$(awk '{print $14 + $15}' "/proc/$server/stat")
echo "server CPU during the run: $(( (cpu_after - cpu_before) )) ticks of 10 ms over ${seconds}s"
echo "== memory after the run: $(rss) KiB"
