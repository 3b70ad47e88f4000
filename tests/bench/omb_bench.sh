#!/usr/bin/env bash
# Benchmark (not a test): Confluent's 2020 OpenMessaging Benchmark of Kafka (../shared/reproduce.md item 12)
# simulated on omb-2020.json's hardware, next to the published figures, with the wall time of each run pinned to one
# core. It asserts nothing.
#   peak: 4 producers offered 250,000 records/s each (1 GB/s in all, above capacity) for 120 s; the figure is
#         acknowledged records/s over the last 30 s, once the brokers' page caches have filled and the disks set
#         the pace (OMB's runs last many minutes), in OMB's MB/s (2^20 bytes of 1 KiB payloads); the first 30 s,
#         which the page cache absorbs, are printed beside it.
#   latency at 200 MB/s: 4 producers at 50,000 records/s each; latency_ms in the summary is the time from send()
#         to the consumer's poll() returning the record (check/record_ledger.cpp), as OMB measures end to end.
# Usage: tests/bench/omb_bench.sh [path/to/kafkasim] [extra kafkasim args...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/sim/kafkasim}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
py=/usr/bin/python3
run() {  # name, producer rate, extra args
  local name=$1 rate=$2
  shift 2
  local sets=()
  for i in 0 1 2 3; do sets+=(--set "producers/$i/rate=$rate"); done
  /usr/bin/time -f '%e %M' -o "$out/$name.time" taskset -c 0 "$bin" run "$here/omb-2020.json" --out "$out/$name" \
    --quiet "${sets[@]}" "$@"
}
run peak 250000 --set duration=120s "$@"
run latency-200MBps 50000 "$@"
"$py" - "$out" <<'PY'
import csv, json, sys
out = sys.argv[1]
wall = lambda name: float(open(f"{out}/{name}.time").read().split()[0])
rows = list(csv.DictReader(open(f"{out}/peak/metrics.csv")))
def mean_rate(lo, hi):
    window = [float(r["acknowledged_per_s"]) for r in rows if lo < float(r["time_s"]) <= hi]
    return sum(window) / len(window)
rate = mean_rate(90, 120)
mib = rate * 1024 / 2**20
early = mean_rate(3, 30) * 1024 / 2**20
print(f"{'row':<24} {'simulated':>22} {'published':>12} {'ratio':>6} {'wall_s':>7}")
print(f"{'peak throughput':<24} {mib:>11.0f} MB/s ({rate / 1000:,.0f}k/s) {605:>7} MB/s {mib / 605:>6.2f} {wall('peak'):>7.2f}"
      f"   (first 30 s, into the page cache: {early:.0f} MB/s)")
s = json.load(open(f"{out}/latency-200MBps/summary.json"))
l = s["latency_ms"]
print(f"{'p99 latency at 200 MB/s':<24} {l['p99']:>19.1f} ms {5:>9} ms {l['p99'] / 5:>6.2f} {wall('latency-200MBps'):>7.2f}"
      f"   (p50 {l['p50']:.1f} ms, max {l['max']:.1f} ms, {l['count']:,} records)")
PY
