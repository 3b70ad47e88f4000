#!/usr/bin/env bash
# Benchmark (not a test): the producer rows of Kreps 2014 ("2 million writes per second on three cheap
# machines", ../shared/reproduce.md item 11) simulated on kreps-2014.json's hardware, next to the published
# figures, with the wall time of each run pinned to one core.
# Usage: tests/bench/kreps_bench.sh [path/to/kafkasim] [extra kafkasim args...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/sim/kafkasim}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
py=/usr/bin/python3
# Each row: name, producers, replication factor, acks, batch.size, published records/s.
rows=(
  "1-producer-no-replication 1 1 1 8196 821557"
  "1-producer-rf3-acks1 1 3 1 8196 786980"
  "1-producer-rf3-acks-all 1 3 all 64000 421823"
  "3-producers-rf3-acks1 3 3 1 8196 2024032"
)
printf '%-28s %14s %14s %8s %9s %8s\n' row simulated/s published/s ratio "sim MB/s" wall_s
for row in "${rows[@]}"; do
  read -r name producers rf acks batch published <<<"$row"
  "$py" - "$here/kreps-2014.json" "$out/$name.json" "$producers" "$rf" "$acks" "$batch" <<'PY'
import json, sys
src, dst, producers, rf, acks, batch = sys.argv[1:]
s = json.load(open(src))
s["name"] = "bench-kreps-" + dst.rsplit("/", 1)[-1][:-5]
s["topics"][0]["replication_factor"] = int(rf)
s["producers"] = s["producers"][: int(producers)]
for p in s["producers"]:
    p["config"]["acks"] = acks
    p["config"]["batch.size"] = int(batch)
json.dump(s, open(dst, "w"))
PY
  /usr/bin/time -f '%e %M' -o "$out/time" taskset -c 0 "$bin" run "$out/$name.json" --out "$out/$name" --quiet "$@"
  read -r wall rss_kb <"$out/time"
  "$py" - "$out/$name/summary.json" "$name" "$published" "$wall" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); name, published, wall = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
rate = s["throughput"]["acknowledged_records_per_s"]
print(f"{name:<28} {rate:>14,.0f} {published:>14,} {rate / published:>8.2f} {s['throughput']['log_MB_per_s']:>9.1f} {wall:>8.2f}")
PY
done
