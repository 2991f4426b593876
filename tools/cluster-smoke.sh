#!/usr/bin/env bash
# Starts `./vizsprints cluster` as a user does, N times in a row (default 3), each time on a fresh
# directory: waits until it has replayed the sample and both instances answer /api/health with
# every record processed, then stops it with SIGTERM (Ctrl-C). Exits non-zero on the first run that
# does not come up. Usage: tools/cluster-smoke.sh [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-3}"
BASE_PORT="${BASE_PORT:-29092}"
HTTP_PORT="${HTTP_PORT:-25000}"
for run in $(seq 1 "$RUNS"); do
  dir="$(mktemp -d)"
  log="$dir/cluster.out"
  "$ROOT/vizsprints" cluster --dir "$dir/cluster" --base-port "$BASE_PORT" --http-port "$HTTP_PORT" >"$log" 2>&1 &
  pid=$!
  ok=""
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    if grep -q "VizSprints Streams cluster:" "$log"; then
      healthy=0
      for port in "$HTTP_PORT" "$((HTTP_PORT + 1))"; do
        if curl -fsS "http://127.0.0.1:$port/api/health" 2>/dev/null | grep -q '"events":15862'; then
          healthy=$((healthy + 1))
        fi
      done
      if [ "$healthy" = 2 ]; then ok=yes; break; fi
    fi
    sleep 1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -z "$ok" ]; then
    echo "run $run of $RUNS: the cluster did not come up; output in $log" >&2
    cat "$log" >&2
    exit 1
  fi
  echo "run $run of $RUNS: cluster up, both instances processed the sample, stopped"
  rm -rf "$dir"
done
