#!/usr/bin/env bash
# Benchmark (not a test): simulated records per wall second and peak memory for the foundation workload
# (3 brokers, 6 partitions, 100-byte records at 500,000 records/s for 10 simulated seconds), on one core.
# Usage: tests/bench/run_bench.sh [path/to/kafkasim] [extra kafkasim args...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/sim/kafkasim}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for scenario in "$here"/throughput.json; do
  /usr/bin/time -f '%e %M' -o "$out/time" taskset -c 0 "$bin" run "$scenario" --out "$out/run" --quiet "$@"
  read -r wall rss_kb <"$out/time"
  python3 - "$out/run/summary.json" "$wall" "$rss_kb" "$(basename "$scenario")" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); wall = float(sys.argv[2]); rss = int(sys.argv[3]) / 1024
r = s["records"]
print(f"{sys.argv[4]}: {r['produced']:,} records in {s['duration_s']:.0f} simulated s; "
      f"wall {wall:.2f} s on one core; {r['produced'] / wall:,.0f} simulated records per wall second; "
      f"peak memory {rss:.0f} MB; simulated throughput {s['throughput']['acknowledged_records_per_s']:,.0f} records/s, "
      f"{s['throughput']['log_MB_per_s']:.1f} MB/s")
PY
done
