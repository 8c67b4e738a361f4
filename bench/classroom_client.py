"""What the classroom benchmarks share (bench/classroom_load.py, classroom_steer.py,
classroom_follow.py): a `tillit serve --host 0.0.0.0` on a free port, and calls to its
API from a given loopback address (one computer per student), timed per kind of call."""
import http.client
import json
import os
import re
import subprocess
import tempfile
import threading
import time


def start_server(tillit, prefix, *extra):
    """Start the server in a fresh temporary directory; (process, port, directory)."""
    work = tempfile.mkdtemp(prefix=prefix)
    srv = subprocess.Popen([tillit, "serve", "--host", "0.0.0.0", "--port", "0", *extra],
                           stdout=open(os.path.join(work, "out"), "w"),
                           stderr=open(os.path.join(work, "err"), "w"))
    for _ in range(200):
        m = re.search(r"127\.0\.0\.1:(\d+)", open(os.path.join(work, "out")).read())
        if m:
            return srv, int(m.group(1)), work
        time.sleep(0.05)
    srv.kill()
    raise SystemExit(f"the server did not start (see {work}/err)")


class Calls:
    """Calls to the server at `port`, each timed under its kind (lat[kind]: seconds);
    replies of 400 and above are kept in `errors` as (kind, status, the body's start)."""

    def __init__(self, port):
        self.port = port
        self.lat = {}
        self.errors = []
        self.lock = threading.Lock()

    def call(self, kind, source, method, path, body=None, parse=False):
        """(status, body) of one request from address `source` (None: any); the body
        parsed as JSON when `parse` and it is JSON, else bytes."""
        t0 = time.perf_counter()
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                       source_address=(source, 0) if source else None)
        h = {"Host": f"127.0.0.1:{self.port}"}
        if body is not None:
            h["Content-Type"] = "application/json"
        c.request(method, path, body=None if body is None else json.dumps(body), headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        dt = time.perf_counter() - t0
        with self.lock:
            self.lat.setdefault(kind, []).append(dt)
            if r.status >= 400:
                self.errors.append((kind, r.status, data[:200]))
        if parse:
            try:
                return r.status, json.loads(data)
            except ValueError:
                pass
        return r.status, data
