#!/usr/bin/env bash
# The bench's two Kafka Streams yardsticks alone, on a pre-filled data set: a standalone broker,
# the replay, then each yardstick in a fresh JVM with the application's settings and heap, one
# after the other (processing-cpu.sh does the same for the application itself).
#   COUNTING        parses every record and counts events in one cached store
#   KEEPING_EVENTS  the same, and puts every event in a changelogged store without a cache
#
#   tools/yardsticks.sh DATA_DIR [RUNS]
#   e.g. ./vizsprints replay generate --users 1000000 --out /tmp/data-1000000
#        tools/yardsticks.sh /tmp/data-1000000
# Prints "VARIANT run N: E events/s". Uses port 19092 and a temporary directory.
set -euo pipefail
DATA=$(cd "$1" && pwd)
RUNS=${2:-1}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
V="$ROOT/vizsprints"
WORK=$(mktemp -d)
EVENTS=$(($(wc -l < "$DATA/events.csv") - 1))
cleanup() {
  pkill -f "app.Main broker --port 19092" || true
  while pgrep -f "app.Main broker --port 19092" >/dev/null; do sleep 1; done  # the next run needs the port
  rm -rf "$WORK"
}
trap cleanup EXIT

"$V" broker --port 19092 --dir "$WORK/broker" > "$WORK/broker.log" 2>&1 &
for _ in $(seq 1 120); do grep -q "ready" "$WORK/broker.log" && break; sleep 1; done
"$V" replay --bootstrap-servers 127.0.0.1:19092 --users "$DATA/users.csv" --events "$DATA/events.csv" > "$WORK/replay.log" 2>&1
for run in $(seq 1 "$RUNS"); do
  for variant in COUNTING KEEPING_EVENTS; do
    app="yardstick-$variant-$run"
    rate=$(java -Xmx1g -cp "$ROOT/app/target/app-0.1.0-SNAPSHOT.jar:$ROOT/app/target/lib/*" \
      com.vizsprints.streams.app.bench.StreamsYardstick 127.0.0.1:19092 vizsprints.users vizsprints.events vizsprints.dead-letter \
      "$app" "$WORK/state-$app" "$EVENTS" "$variant" 2>"$WORK/$app.log" | sed -n 's/^YARDSTICK //p')
    echo "$variant run $run: $rate events/s"
  done
done
