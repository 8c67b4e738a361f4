#!/usr/bin/env bash
# End-to-end tests of `tillit serve` (the classroom). Installs the test
# driver (playwright-core, from tests/serve/package-lock.json; no browser is
# downloaded: Debian's chromium is used; npm is needed for this driver only,
# never for the page), starts the server on a free port with the page as it
# is in web/page and Debian's Chart.js, runs
#   test_api.py  the JSON API and hostile requests (Debian's python3 + h5py)
#   e2e.mjs      the page in headless Chromium
# and stops the server with SIGINT, which must end it cleanly.
#
# Environment: TILLIT_BIN (default build/tillit), TL_SERVE_OUT (downloads,
# screenshots, logs; default build/serve-e2e), TL_SCREENSHOTS (also write the
# documentation's screenshots there, e.g. docs/img), CHROMIUM (default
# /usr/bin/chromium), E2E_ONLY (only the e2e.mjs tests whose name contains
# it, e.g. "a lesson with 30").
# Exits 77 (skipped) when Chromium, npm or h5py are missing, unless
# TILLIT_REQUIRE_BROWSER=1.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
TILLIT_BIN=${TILLIT_BIN:-$repo/build/tillit}
OUT=${TL_SERVE_OUT:-$repo/build/serve-e2e}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

# TILLIT_REQUIRE_BROWSER=1 (set in CI): a missing tool is a failure, not a skip
skip() {
  if [[ ${TILLIT_REQUIRE_BROWSER:-0} == 1 ]]; then echo "serve e2e: $* (required)" >&2; exit 1; fi
  echo "serve e2e: skipped: $*"; exit 77
}
die() { echo "serve e2e: $*" >&2; exit 1; }

[[ -x $TILLIT_BIN ]] || die "no $TILLIT_BIN (build first, or set TILLIT_BIN)"
"$TILLIT_BIN" serve --help >/dev/null 2>&1 || die "$TILLIT_BIN has no serve command"
[[ -x $CHROMIUM ]] || skip "no $CHROMIUM (scripts/setup --all installs chromium)"
command -v npm >/dev/null || skip "no npm (scripts/setup --all installs nodejs and npm)"
/usr/bin/python3 -c 'import h5py' 2>/dev/null || skip "no python3-h5py"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

"$TILLIT_BIN" serve --check --assets "$repo/web/page" --lessons "$repo/scenarios/lessons" ||
  die "the page or Chart.js is missing (scripts/setup installs libjs-chart.js)"
if [[ ! -d $here/node_modules/playwright-core ]] || [[ $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in tests/serve failed"
fi

"$TILLIT_BIN" serve --port 0 --assets "$repo/web/page" --lessons "$repo/scenarios/lessons" \
  --max-sessions 40 --sessions-per-address 24 >"$OUT/server.out" 2>"$OUT/server.log" &
pid=$!
trap 'kill -9 $pid 2>/dev/null' EXIT
port=""
for _ in $(seq 200); do
  port=$(grep -o '127\.0\.0\.1:[0-9]*' "$OUT/server.out" 2>/dev/null | head -1 | cut -d: -f2)
  [[ -n $port ]] && break
  kill -0 $pid 2>/dev/null || { cat "$OUT/server.log"; die "the server did not start"; }
  sleep 0.1
done
[[ -n $port ]] || die "the server printed no address"
echo "serve e2e: server on port $port (pid $pid)"

passed=0; failed=0
if /usr/bin/python3 "$here/test_api.py" "$port" "$TILLIT_BIN" "$OUT"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if (cd "$here" && node e2e.mjs "http://127.0.0.1:$port" "$OUT" ${TL_SCREENSHOTS:+"$TL_SCREENSHOTS"}); then
  passed=$((passed + 1)); else failed=$((failed + 1)); fi

# Ctrl-C stops it cleanly: exit status 0 within a few seconds
kill -INT $pid
for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
  echo "FAIL the server did not stop on SIGINT"; failed=$((failed + 1))
else
  wait $pid; st=$?
  if [[ $st == 0 ]]; then echo "ok   SIGINT stops the server (exit 0)"; passed=$((passed + 1));
  else echo "FAIL the server exited with $st on SIGINT"; failed=$((failed + 1)); fi
fi
trap - EXIT
if grep -q "Sanitizer" "$OUT/server.log"; then
  echo "FAIL the sanitizers reported errors:"; cat "$OUT/server.log"; failed=$((failed + 1))
fi
echo "serve e2e: $passed passed, $failed failed"
[[ $failed == 0 ]]
