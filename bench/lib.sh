# Shared by the bench/*.sh scripts: builds the release binaries and starts a
# `familyroom serve` pinned to core 0 on SQLite in a temporary data dir.
#   start_server [VAR=value ...]   extra environment for the server
# Sets `target`, `port`, `base`, `server` (its pid) and `data`; stops the
# server and removes the data dir on exit. BENCH_NO_BUILD=1 runs the binaries
# already built in $target (to compare builds without rebuilding between runs).

target="${CARGO_TARGET_DIR:-$HOME/.cache/familyroom-target}"

start_server() {
  [ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --locked -p familyroom -p bench >/dev/null
  data="$(mktemp -d)"
  port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  base="http://127.0.0.1:$port"
  env FAMILYROOM_BIND="127.0.0.1:$port" FAMILYROOM_DATA_DIR="$data" FAMILYROOM_LOG=warn \
    FAMILYROOM_AUTH_ATTEMPTS_PER_MINUTE=1000000 "$@" \
    taskset -c 0 "$target/release/familyroom" serve &
  server=$!
  trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
  for _ in $(seq 1 300); do
    kill -0 "$server" 2>/dev/null || { echo "the server did not start" >&2; exit 1; }
    curl -fs "$base/readyz" >/dev/null && return 0
    sleep 0.1
  done
  echo "the server did not become ready" >&2
  exit 1
}

# The real-time scenarios' server: many sockets (the open-file limit raised to
# 20,000, the most a process may hold here), no demo catalog, and argon2 cheap
# enough that thousands of members register in seconds.
start_realtime_server() {
  ulimit -n 20000
  start_server FAMILYROOM_DEMO_CATALOG=0 FAMILYROOM_ARGON2_MEMORY_KIB=64 FAMILYROOM_ARGON2_ITERATIONS=1
}

# Scenario (b)'s load for the scripts that look inside the server while it
# runs: fr-load on core 1 posting <posts/s> into 200 rooms of 5 for 12 s, in
# the background (its pid in `load`, its report in <file>). Returns in the
# middle of the run: fr-load's set-up takes about a second.
#   start_fanout_load <posts per second> <report file>
start_fanout_load() {
  taskset -c 1 "$target/release/fr-load" fanout --base "$base" --rooms 200 --room-size 5 --rate "$1" \
    --seconds 12 --server-pid "$server" >"$2" 2>&1 &
  load=$!
  sleep 5
}
