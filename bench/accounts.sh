#!/usr/bin/env bash
# Benchmarks the accounts endpoints with wrk on a release build:
#   GET /api/v1/me with a valid token, and POST /api/v1/auth/login.
# The server runs on core 0 and wrk on core 1 (taskset), on SQLite in a
# temporary data dir, with the default argon2id cost (19 MiB, t=2).
# Usage: bench/accounts.sh [seconds]   (needs: wrk, curl, taskset, jq)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
source bench/lib.sh
start_server FAMILYROOM_DEMO_CATALOG=0

email="bench-$RANDOM@example.com"
token=$(curl -fs -H 'content-type: application/json' \
  -d "{\"name\":\"Bench\",\"email\":\"$email\",\"password\":\"a long enough password\"}" \
  "$base/api/v1/auth/register" | jq -r .access_token)

echo "== GET /api/v1/me (64 connections, 1 wrk thread on core 1, ${seconds}s)"
taskset -c 1 wrk -t1 -c64 -d"${seconds}s" --latency -H "Authorization: Bearer $token" \
  "$base/api/v1/me"

cat > "$data/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"$email","password":"a long enough password"}'
LUA
echo "== POST /api/v1/auth/login (8 connections, ${seconds}s; argon2id bound, on purpose)"
taskset -c 1 wrk -t1 -c8 -d"${seconds}s" --latency -s "$data/login.lua" "$base/api/v1/auth/login"
