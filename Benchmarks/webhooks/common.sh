# Shared by the webhook benchmarks: build, start and stop a release ThingBridge.
# shellcheck shell=bash
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
scratch="${THINGBRIDGE_BENCH_SCRATCH:-$repo/.build-release}"
# THINGBRIDGE_BENCH_BINARY runs a given binary instead (no build).
binary="${THINGBRIDGE_BENCH_BINARY:-$scratch/release/thingbridge}"
secret="bench-secret-0123456789abcdef"

build_release() {
  if [ "${THINGBRIDGE_BENCH_SKIP_BUILD:-0}" != "1" ] && [ -z "${THINGBRIDGE_BENCH_BINARY:-}" ]; then
    # As the Dockerfile builds what is shipped: the Swift runtime linked in (see benchlib.py).
    echo "==> swift build -c release --static-swift-stdlib (scratch $scratch)" >&2
    (cd "$repo" && swift build -c release --product thingbridge --static-swift-stdlib --scratch-path "$scratch" 2>&1 | tail -n 3) >&2
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server DB_PATH PORT GROUP_COMMIT LOG: starts the server in the background, sets server_pid.
start_server() {
  local database=$1 port=$2 group_commit=$3 log=$4
  (cd "$repo" && exec env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
    THINGBRIDGE_DATABASE_URL="sqlite:$database" THINGBRIDGE_PORT="$port" \
    THINGBRIDGE_WEBHOOK_SECRETS="$secret" THINGBRIDGE_WEBHOOK_GROUP_COMMIT="$group_commit" \
    THINGBRIDGE_DATA_DIR="$(dirname "$database")" THINGBRIDGE_LOG_LEVEL="${THINGBRIDGE_BENCH_LOG_LEVEL:-warning}" \
    ${THINGBRIDGE_BENCH_EXTRA_ENV:-} "$binary" serve >>"$log" 2>&1) &
  server_pid=$!
  for _ in $(seq 1 200); do
    if curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then echo "the server did not start; see $log" >&2; tail -n 20 "$log" >&2; return 1; fi
    sleep 0.05
  done
  echo "the server did not become ready; see $log" >&2
  return 1
}

stop_server() {
  if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
