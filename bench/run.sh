#!/usr/bin/env bash
# Run the benchmarks and print the figures for docs/performance.md.
# Usage: bench/run.sh [build-dir]   (a Release build; default build)
set -euo pipefail
cd "$(dirname "$0")/.."
b="${1:-build}"
cmake --build "$b" -j"$(nproc)" --target tillit_cli bench_large >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "## large municipality (one core): taskset -c 0 $b/bench/bench_large 3"
taskset -c 0 "$b/bench/bench_large" 3 "$tmp/large.h5"
echo
echo "## the same through the command line (one core): /usr/bin/time -v tillit run ..."
/usr/bin/time -v "$b/tillit" run -p balanced --set employees=10000 --set units=200 \
  --set citizens=500000 -r 1 -j 1 -o "$tmp/cli.h5" -q --progress none 2>&1 |
  grep -E 'wrote|Elapsed|Maximum resident'
echo
echo "## 1,000-run sweep (bench/sweep-1000.yaml) on 1 and 2 threads"
for j in 1 2; do
  s=$(date +%s.%N)
  "$b/tillit" sweep bench/sweep-1000.yaml -o "$tmp/s$j.h5" -j $j -q --progress none >/dev/null
  e=$(date +%s.%N)
  t=$(awk "BEGIN{print $e - $s}")
  echo "threads $j: $(printf %.2f "$t") s"
  eval "t$j=$t"
done
echo "speed-up: $(awk "BEGIN{printf \"%.2f\", $t1 / $t2}")"
echo
echo "## the same sweep without writing (pilot estimate of simulation alone): tillit check"
"$b/tillit" check bench/sweep-1000.yaml -j 1 | tail -3
