#!/usr/bin/env bash
# Processing time and CPU of a pre-filled data set, the way BENCHMARKS.md's "Where the time goes"
# measured it: a standalone broker, the replay, then a fresh `serve` until every event is visible;
# CPU of the application's threads (stream threads, RocksDB) and of the broker from /proc.
#
#   tools/processing-cpu.sh DATA_DIR [JAVA_OPTS]
#   e.g. ./vizsprints replay generate --users 100000 --out /tmp/data-100000
#        tools/processing-cpu.sh /tmp/data-100000
#        tools/processing-cpu.sh /tmp/data-100000 "-XX:StartFlightRecording=filename=/tmp/p.jfr,settings=profile"
# PARTITIONS=N sets the partitions of the topics the replay creates (default: the replay's, 6).
# Needs curl and python3. Uses ports 19092, 18080, 18081 and a temporary directory.
set -euo pipefail
DATA=$(cd "$1" && pwd)
JOPTS=${2:-}
V="$(cd "$(dirname "$0")/.." && pwd)/vizsprints"
WORK=$(mktemp -d)
EVENTS=$(($(wc -l < "$DATA/events.csv") - 1))
cpu() { local s; s=($(cat "/proc/$1/stat")); echo $((s[13] + s[14])); }
cleanup() {
  pkill -f "app.Main serve --bootstrap-servers 127.0.0.1:19092" || true; pkill -f "app.Main broker --port 19092" || true
  while pgrep -f "app.Main (serve|broker) .*19092" >/dev/null; do sleep 1; done  # the next run needs the ports
  rm -rf "$WORK"
}
trap cleanup EXIT

"$V" broker --port 19092 --dir "$WORK/broker" > "$WORK/broker.log" 2>&1 &
for _ in $(seq 1 120); do grep -q "ready" "$WORK/broker.log" && break; sleep 1; done
broker=$(pgrep -f "app.Main broker --port 19092" | head -1)
"$V" replay --bootstrap-servers 127.0.0.1:19092 ${PARTITIONS:+--partitions "$PARTITIONS"} --users "$DATA/users.csv" --events "$DATA/events.csv" > "$WORK/replay.log" 2>&1
broker_before=$(cpu "$broker")
VIZSPRINTS_JAVA_OPTS="-Xmx1g $JOPTS" "$V" serve --bootstrap-servers 127.0.0.1:19092 --port 18080 --peer-port 18081 \
  --state-dir "$WORK/state" > "$WORK/serve.log" 2>&1 &
start=$(date +%s.%N)
until [ "$(curl -s localhost:18080/api/health | python3 -c 'import sys,json; print(json.load(sys.stdin).get("events",0))' 2>/dev/null || echo 0)" = "$EVENTS" ]; do
  sleep 0.5
done
end=$(date +%s.%N)
broker_after=$(cpu "$broker")
app=$(pgrep -f "app.Main serve --bootstrap-servers 127.0.0.1:19092" | head -1)
all=0; stream=0; rocks=0
for t in /proc/"$app"/task/*; do
  c=$(cpu "${t#/proc/}" 2>/dev/null || echo 0)
  all=$((all + c))
  case "$(cat "$t/comm")" in vizsprints-stre*) stream=$((stream + c)) ;; rocksdb*) rocks=$((rocks + c)) ;; esac
done
for t in /proc/"$app"/task/*; do
  echo "$(cpu "${t#/proc/}" 2>/dev/null || echo 0) $(cat "$t/comm")"
done | python3 -c '
import re, sys, collections
groups = collections.Counter()
for line in sys.stdin:
    ticks, name = line.rstrip("\n").split(" ", 1)
    groups[re.sub(r"[-#:]?[0-9]+$", "", name)] += int(ticks)
print("application CPU by thread (s): " + ", ".join("%s %.1f" % (n, t / 100) for n, t in groups.most_common(8) if t >= 50))'
python3 -c "print('%d events visible %.1f s after serve started; application CPU %d s (stream threads %d s, RocksDB %d s); broker CPU %d s' % ($EVENTS, $end - $start, $all / 100, $stream / 100, $rocks / 100, ($broker_after - $broker_before) / 100))"
