#!/usr/bin/env bash
# Benchmarks the accounts endpoints with wrk on a release build:
#   GET /api/v1/me with a valid token, and POST /api/v1/auth/login.
# The server runs on core 0 and wrk on core 1 (taskset), on SQLite in a
# temporary data dir, with the default argon2id cost (19 MiB, t=2).
# Usage: bench/accounts.sh [seconds]   (needs: wrk, curl, taskset, jq)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
target="${CARGO_TARGET_DIR:-$HOME/.cache/familyroom-target}"
cargo build --release --locked -p familyroom >/dev/null
data="$(mktemp -d)"
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
FAMILYROOM_BIND="127.0.0.1:$port" FAMILYROOM_DATA_DIR="$data" FAMILYROOM_DEMO_CATALOG=0 \
  FAMILYROOM_LOG=warn FAMILYROOM_AUTH_ATTEMPTS_PER_MINUTE=1000000 \
  taskset -c 0 "$target/release/familyroom" serve &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  kill -0 $server 2>/dev/null || { echo "the server did not start" >&2; exit 1; }
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done

email="bench-$RANDOM@example.com"
token=$(curl -fs -H 'content-type: application/json' \
  -d "{\"name\":\"Bench\",\"email\":\"$email\",\"password\":\"a long enough password\"}" \
  "http://127.0.0.1:$port/api/v1/auth/register" | jq -r .access_token)

echo "== GET /api/v1/me (64 connections, 1 wrk thread on core 1, ${seconds}s)"
taskset -c 1 wrk -t1 -c64 -d"${seconds}s" --latency -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/me"

cat > "$data/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"$email","password":"a long enough password"}'
LUA
echo "== POST /api/v1/auth/login (8 connections, ${seconds}s; argon2id bound, on purpose)"
taskset -c 1 wrk -t1 -c8 -d"${seconds}s" --latency -s "$data/login.lua" "http://127.0.0.1:$port/api/v1/auth/login"
