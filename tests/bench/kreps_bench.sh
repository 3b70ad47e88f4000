#!/usr/bin/env bash
# Benchmark (not a test): the rows of Kreps 2014 ("2 million writes per second on three cheap machines",
# ../shared/reproduce.md item 11) simulated on kreps-2014.json's hardware, next to the published figures, with the
# wall time of each run pinned to one core. It asserts nothing.
#
# Producer rows: producers offered well above capacity; the figure is acknowledged records/s.
# Consumer rows: Kreps ran kafka-consumer-perf-test after the data was written, each process with its own random
#   group id (ConsumerPerformance's default "perf-consumer-<random>"), so each of the three consumers read the whole
#   topic. Here one producer fills the topic for 6 s (RF 3, acks=1), then the consumers (no group: each reads every
#   partition from the earliest offset, on its own machine) read that backlog; the figure is all records delivered
#   divided by the time from the consumers' start until the backlog is drained, summed over consumers.
# Producer + consumer: both run at once from the start; the figure is the producer's acknowledged records/s (the
#   consumer's rate is printed too).
# Latency: Kreps ran kafka.tools.TestEndToEndLatency, which sends one record ("hello there beautiful", 21 bytes) with
#   linger.ms 0 and waits until its consumer (fetch.wait.max.ms 1) returns it before sending the next; it truncates each
#   latency to whole milliseconds. Here a producer sends 21-byte records one at a time at random (Poisson) instants,
#   200 per second, far enough apart that at most one is in flight; latency_ms in the summary is the time from send()
#   to the consumer's poll() returning the record (check/record_ledger.cpp), the same span.
# Usage: tests/bench/kreps_bench.sh [path/to/kafkasim] [extra kafkasim args...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/sim/kafkasim}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
py=/usr/bin/python3
# Each row: name, kind, producers, consumers, replication factor, acks, batch.size, published records/s.
rows=(
  "1-producer-no-replication produce 1 0 1 1 8196 821557"
  "1-producer-rf3-acks1 produce 1 0 3 1 8196 786980"
  "1-producer-rf3-acks-all produce 1 0 3 all 64000 421823"
  "3-producers-rf3-acks1 produce 3 0 3 1 8196 2024032"
  "1-consumer consume 1 1 3 1 8196 940521"
  "3-consumers consume 1 3 3 1 8196 2615968"
  "1-producer-1-consumer both 1 1 3 1 8196 795064"
  "end-to-end-latency latency 1 1 3 1 8196 0"
)
printf '%-26s %12s %12s %6s %8s %8s %7s  %s\n' row simulated/s published/s ratio "sim MB/s" "pub MB/s" wall_s note
for row in "${rows[@]}"; do
  read -r name kind producers consumers rf acks batch published <<<"$row"
  "$py" - "$here/kreps-2014.json" "$out/$name.json" "$kind" "$producers" "$consumers" "$rf" "$acks" "$batch" <<'PY'
import json, sys
src, dst, kind, producers, consumers, rf, acks, batch = sys.argv[1:]
s = json.load(open(src))
s["name"] = "bench-kreps-" + dst.rsplit("/", 1)[-1][:-5]
s["topics"][0]["replication_factor"] = int(rf)
s["producers"] = s["producers"][: int(producers)]
for p in s["producers"]:
    p["config"]["acks"] = acks
    p["config"]["batch.size"] = int(batch)
consumer_start, consumer_config = "0s", {"auto.offset.reset": "earliest"}
if kind == "consume":
    fill = 6  # seconds of one producer filling the topic
    s["producers"][0]["stop"] = f"{fill}s"
    s["duration"] = "14s"
    consumer_start = f"{fill}s"
    s["metrics"] = {"interval": "0.1s"}
elif kind == "both":
    s["metrics"] = {"interval": "1s"}
elif kind == "latency":
    p = s["producers"][0]
    # 21-byte value, in 2014's format: 21 + 18 (see the scenario's description on record_size).
    p.update({"rate": 200, "arrival": "poisson", "record_size": "39B", "start": "1s"})
    p["config"]["linger.ms"] = 0
    s["duration"] = "26s"
    consumer_config = {"auto.offset.reset": "latest", "fetch.max.wait.ms": 1}
s["consumers"] = [{"name": f"c{i + 1}", "topics": ["bench"], "commit": "none", "start": consumer_start,
                   "config": dict(consumer_config)} for i in range(int(consumers))]
json.dump(s, open(dst, "w"))
PY
  /usr/bin/time -f '%e %M' -o "$out/time" taskset -c 0 "$bin" run "$out/$name.json" --out "$out/$name" --quiet "$@"
  read -r wall rss_kb <"$out/time"
  "$py" - "$out/$name" "$out/$name.json" "$name" "$kind" "$published" "$wall" <<'PY'
import csv, json, sys
d, scenario, name, kind, published, wall = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6])
s = json.load(open(d + "/summary.json"))
mb = lambda r: r * 100 / 2**20  # the post's MB/s: 100-byte values, 2^20 bytes
note = ""
if kind == "latency":
    l = s["latency_ms"]
    # TestEndToEndLatency printed whole milliseconds (truncated); published 2 / 3 / 14 ms.
    print(f"{name:<26} p50 {l['p50']:.2f} ms (published 2), p99 {l['p99']:.2f} ms (published 3), "
          f"p99.9 {l['p999']:.2f} ms (published 14) over {l['count']} records; "
          f"whole ms as printed in 2014: {int(l['p50'])} / {int(l['p99'])} / {int(l['p999'])}   wall {wall:.2f} s")
    sys.exit()
if kind == "consume":
    start = min(float(c["start"][:-1]) for c in json.load(open(scenario))["consumers"])
    rows = [(float(r["time_s"]), float(r["consumed_per_s"])) for r in csv.DictReader(open(d + "/metrics.csv"))]
    dt = rows[1][0] - rows[0][0]
    busy = [(t, r) for t, r in rows if t > start + 1e-9 and r > 0]
    total = sum(r * dt for _, r in busy)
    # The backlog ran out inside the last busy interval: count that interval at the rate of the one before.
    (t_prev, r_prev), (t_last, r_last) = busy[-2], busy[-1]
    rate = total / (t_prev - start + r_last * dt / r_prev)
elif kind == "both":
    rows = [r for r in csv.DictReader(open(d + "/metrics.csv")) if float(r["time_s"]) > 1]
    rate = sum(float(r["acknowledged_per_s"]) for r in rows) / len(rows)
    consumed = sum(float(r["consumed_per_s"]) for r in rows) / len(rows)
    note = f"consumer {consumed:,.0f}/s ({consumed / published:.2f})"
else:
    rate = s["throughput"]["acknowledged_records_per_s"]
print(f"{name:<26} {rate:>12,.0f} {published:>12,} {rate / published:>6.2f} {mb(rate):>8.1f} {mb(published):>8.1f} "
      f"{wall:>7.2f}  {note}")
PY
done
