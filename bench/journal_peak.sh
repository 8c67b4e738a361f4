#!/usr/bin/env bash
# journal_peak.sh — run a sweep and report the peak size of its journal on disk
# (docs/performance.md, "The journal keeps what the output keeps").
# Usage: bench/journal_peak.sh TILLIT SCENARIO OUT.h5
# Polls `du -sb OUT.h5.journal` every 0.2 s while the sweep runs (the peak seen
# may miss the last 0.2 s of growth) and prints the peak in bytes and the wall time.
set -euo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: $0 TILLIT SCENARIO OUT.h5" >&2
  exit 2
fi
bin=$1 scenario=$2 out=$3
rm -rf "$out" "$out.journal"
start=$(date +%s.%N)
"$bin" sweep "$scenario" -o "$out" -q &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
  s=$(du -sb "$out.journal" 2>/dev/null | cut -f1 || true)
  if [[ ${s:-0} -gt $peak ]]; then peak=$s; fi
  sleep 0.2
done
wait "$pid"
echo "peak=$peak bytes wall=$(awk "BEGIN{print $(date +%s.%N) - $start}") s"
