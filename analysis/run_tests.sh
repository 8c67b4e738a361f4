#!/usr/bin/env bash
# Tests of the analysis toolkit: the pytest suite (analysis/tests), then the R
# example (analysis/examples/read_output.R) against a file the engine writes
# now, compared with the Python example's output, when Rscript and hdf5r exist.
#
# Usage: analysis/run_tests.sh [PYTEST ARGS...]
#   TILLIT_BIN             the engine (default: build/tillit under the repository
#                          root; built there with CMake when missing)
#   TILLIT_REQUIRE_PYTHON=1  fail instead of skipping (exit 77) when /usr/bin/python3
#                          lacks numpy/pandas/xarray/h5netcdf/h5py/matplotlib/scipy/pytest
#   TILLIT_REQUIRE_R=1     fail instead of skipping the R example when Rscript or
#                          hdf5r is missing
# Exit status: 0 passed, 1 failed, 77 skipped (for ctest's SKIP_RETURN_CODE).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
py=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1 MPLBACKEND=Agg

if ! "$py" -c 'import numpy, pandas, xarray, h5netcdf, h5py, matplotlib, scipy, pytest' 2>/dev/null; then
  msg="analysis tests: $py lacks one of numpy pandas xarray h5netcdf h5py matplotlib scipy pytest"
  msg+=" (apt-get install python3-numpy python3-pandas python3-xarray python3-h5netcdf"
  msg+=" python3-h5py python3-matplotlib python3-scipy python3-pytest)"
  if [[ "${TILLIT_REQUIRE_PYTHON:-0}" == 1 ]]; then echo "$msg" >&2; exit 1; fi
  echo "$msg: skipped"; exit 77
fi

tillit="${TILLIT_BIN:-$repo/build/tillit}"
if [[ ! -x "$tillit" ]]; then
  if [[ -n "${TILLIT_BIN:-}" ]]; then
    echo "analysis tests: TILLIT_BIN=$TILLIT_BIN is not an executable" >&2; exit 1
  fi
  echo "analysis tests: building the engine in $repo/build"
  cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$repo/build" -j"$(nproc)" --target tillit
fi
export TILLIT_BIN="$(cd "$(dirname "$tillit")" && pwd)/$(basename "$tillit")"

work="$(mktemp -d "${TMPDIR:-/tmp}/tillit-analysis-tests.XXXXXX")"
trap 'rm -rf "$work"' EXIT

status=0
echo "== pytest (engine: $TILLIT_BIN)"
(cd "$repo" && "$py" -m pytest -p no:cacheprovider -q --basetemp="$work/pytest" \
   analysis/tests "$@") || status=1

echo "== R example (analysis/examples/read_output.R)"
if command -v Rscript >/dev/null && Rscript -e 'suppressPackageStartupMessages(library(hdf5r))' \
     >/dev/null 2>&1; then
  file="$work/r-example.h5"
  "$TILLIT_BIN" run -r 3 -t 60 -q -o "$file" >/dev/null
  # one failed run: both readers must leave it out
  "$py" - "$file" <<'EOF'
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    st = f["run_status"][()]
    st[1, 0] = 2
    f["run_status"][...] = st
EOF
  for metric in quality_true cost_per_case incidents; do
    PYTHONPATH="$here" "$py" "$here/examples/read_output.py" "$file" "$metric" 26 >"$work/py.txt"
    Rscript "$here/examples/read_output.R" "$file" "$metric" 26 >"$work/r.txt"
    if "$py" - "$work/py.txt" "$work/r.txt" <<'EOF'
import math, sys
py, r = (open(p).read().splitlines() for p in sys.argv[1:3])
assert py[0] == r[0], f"headers differ: {py[0]!r} vs {r[0]!r}"
assert len(py) == len(r) == 4, f"{len(py)} and {len(r)} lines"
for a, b in zip(py[1:], r[1:]):
    la, va, na = a.split("\t")
    lb, vb, nb = b.split("\t")
    assert la == lb and na == nb, (a, b)
    assert math.isclose(float(va), float(vb), rel_tol=1e-9), (a, b)
assert py[2].split("\t")[2] == "2", "the failed run of point 1 must be left out"
EOF
    then echo "R and Python agree on $metric"; else echo "R example: FAILED on $metric"; status=1; fi
  done
  cat "$work/r.txt"
elif [[ "${TILLIT_REQUIRE_R:-0}" == 1 ]]; then
  echo "R example: Rscript with hdf5r is required (apt-get install r-base-core r-cran-hdf5r)" >&2
  status=1
else
  echo "R example: skipped (no Rscript with hdf5r; apt-get install r-base-core r-cran-hdf5r)"
fi

exit "$status"
