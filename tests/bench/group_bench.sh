#!/usr/bin/env bash
# Benchmark (not a test): one consumer group of 1,000 members over 2,000 partitions through a rolling restart
# (each member closes, is down 1 s, starts again, one after the other), pinned to one core. Prints simulated
# rebalances, wall time and peak memory (/usr/bin/time -v). Issue 4's target: under 60 s of wall time.
# Usage: tests/bench/group_bench.sh [path/to/kafkasim] [static|dynamic] [members] [partitions]
set -euo pipefail
bin=${1:-$(cd "$(dirname "$0")" && pwd)/../../build/sim/kafkasim}
mode=${2:-static}
members=${3:-1000}
partitions=${4:-2000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/python3 - "$out/scenario.json" "$mode" "$members" "$partitions" <<'PY'
import json, sys
dst, mode, members, partitions = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
down_s = 1
consumers = []
for i in range(members):
    config = {"group.id": "fleet", "auto.offset.reset": "earliest"}
    if mode == "static":
        config["group.instance.id"] = "fleet-%d" % i
    consumers.append({"name": "m%d" % i, "topics": ["events"], "processing_time": "100us", "config": config})
start = 30
s = {
    "name": "bench-group-%s-%d-%d" % (mode, members, partitions),
    "description": "group benchmark", "expected": "", "seed": 1,
    "duration": "%ds" % (start + members * down_s + 10),
    "cluster": {"brokers": 3},
    "topics": [{"name": "events", "partitions": partitions, "replication_factor": 1}],
    "producers": [{"name": "source", "topic": "events", "rate": partitions, "record_size": "100B",
                   "keys": {"distribution": "uniform", "count": 100000}}],
    "consumers": consumers,
    "faults": [{"at": "%ds" % start, "kind": "rolling_restart", "target": "group:fleet", "duration": "%ds" % down_s}],
    "metrics": {"interval": "10s"},
}
json.dump(s, open(dst, "w"))
PY
/usr/bin/time -v -o "$out/time" taskset -c "${CORE:-0}" "$bin" run "$out/scenario.json" --out "$out/run" --quiet
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time")
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time")
/usr/bin/python3 - "$out/run/summary.json" "$mode" "$members" "$partitions" "$wall" "$rss_kb" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
mode, members, partitions, wall, rss_kb = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])
g = s["groups"][0]
print("group of %s members (%s) over %s partitions, rolling restart; %s s simulated" % (members, mode, partitions, s["duration_s"]))
print("  rebalances %d, rebalancing %.1f s, records consumed %d, delivered twice %d, events %d" % (
    g["rebalances"], g["rebalancing_s"], s["records"]["consumed"], g["delivered_twice"], s["events"]["count"]))
print("  wall %s (m:ss), peak memory %.0f MB" % (wall, rss_kb / 1024))
PY
