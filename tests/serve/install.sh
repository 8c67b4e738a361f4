#!/usr/bin/env bash
# `cmake --install` ships everything the classroom page needs: installs the
# build into a temporary prefix and checks that the installed program finds
# its page, its own copy of Chart.js and the lessons there (not in the
# source tree, not in /usr/share/javascript), and serves them.
# Usage: install.sh BUILD_DIR
set -euo pipefail
build=$1
pid=""
prefix=$(mktemp -d)
trap 'if [[ -n $pid ]]; then kill $pid 2>/dev/null || true; fi; rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
out=$("$prefix/bin/tillit" serve --check)
echo "$out"
grep -q "page from $prefix/share/tillit/web" <<<"$out"
! grep -q "Chart.js from" <<<"$out"   # the installed page's own copy is used
grep -q "lessons from $prefix/share/tillit/lessons" <<<"$out"
test -f "$prefix/share/tillit/web/vendor/chart.js/chart.mjs"
test -f "$prefix/share/tillit/web/vendor/chart.js/chunks/helpers.segment.mjs"
# and it serves them
"$prefix/bin/tillit" serve --port 0 >"$prefix/out" 2>"$prefix/err" &
pid=$!
port=""
for _ in $(seq 100); do
  port=$(grep -o '127\.0\.0\.1:[0-9]*' "$prefix/out" 2>/dev/null | head -1 | cut -d: -f2) || true
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]]
/usr/bin/python3 - "$port" <<'PY'
import sys, urllib.request
port = sys.argv[1]
for path, must in [("/", b'type="module" src="/main.js"'), ("/main.js", b"import"),
                   ("/charts.js", b"/vendor/chart.js/chart.mjs"), ("/vendor/chart.js/chart.mjs", b"Chart.js v3"),
                   ("/vendor/chart.js/chunks/helpers.segment.mjs", b"export")]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as r:
        body = r.read()
        assert r.status == 200 and must in body, (path, r.status)
        if path.endswith("js"):
            assert r.headers["Content-Type"].startswith("text/javascript"), path
print("installed page served whole")
PY
kill -INT $pid
wait $pid
echo "ok   cmake --install ships the page, Chart.js and the lessons"
