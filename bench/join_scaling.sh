#!/usr/bin/env bash
# join_scaling.sh — the time and memory of joining N shard files with `tillit merge --virtual`
# (docs/performance.md, "The join"; the J(P) of bench/rank_model.py).
# Usage: bench/join_scaling.sh TILLIT SIDE N...   e.g. bench/join_scaling.sh build/tillit 71 16 64 256 1024
# Makes a SIDE x SIDE grid (control_intensity x control_selectivity, balanced, 4 employees,
# 2 steps, one replicate: one block per point), runs shard 1 of it once and copies that file
# N times with shard_index 1..N and shard_count N (h5py), since the join of one-block points
# reads no runs. Prints per N the join's wall and CPU seconds (twice: the second with the
# shards in the page cache), peak memory and the joined file's size. Needs about 7.5 MB x N
# of disk for SIDE 71 (in a temporary directory).
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo "usage: $0 TILLIT SIDE N..." >&2
  exit 2
fi
bin=$(realpath "$1") side=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/grid.yaml" <<YAML
name: join-grid
preset: balanced
organisation: {units: 1, employees: 4, citizens: 20}
run: {steps: 2, replicates: 1, seed: 7}
sweep:
  design: grid
  parameters:
    control_intensity: {from: 0.0, to: 0.7, steps: $side}
    control_selectivity: {from: 0.0, to: 0.7, steps: $side}
YAML
"$bin" sweep "$tmp/grid.yaml" --shard 1/2 -o "$tmp/first.h5" -q --progress none >/dev/null
for n in "$@"; do
  mkdir "$tmp/n$n"
  /usr/bin/python3 - "$tmp/first.h5" "$tmp/n$n" "$n" <<'PY'
import shutil, sys
import h5py, numpy as np
first, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for k in range(1, n + 1):
    p = f"{d}/s-{k:04d}.h5"
    shutil.copyfile(first, p)
    with h5py.File(p, "r+") as f:
        f.attrs.modify("shard_index", np.int32(k))
        f.attrs.modify("shard_count", np.int32(n))
PY
  sync   # the copies on disk: the first join does not pay for writing them back
  for round in 1 2; do
    /usr/bin/time -f "shards=$n round=$round wall=%e s cpu=%U+%S s peak=%M KB" \
      "$bin" merge --virtual -f -o "$tmp/v$n.h5" "$tmp/n$n"/s-*.h5 2>&1 >/dev/null | tail -1
  done
  echo "  joined file: $(stat -c %s "$tmp/v$n.h5") bytes"
  rm -rf "$tmp/n$n" "$tmp/v$n.h5"
done
