#!/usr/bin/python3
"""Load on the classroom server: a class of N students and a teacher.

Usage: bench/classroom_load.py [--students 60] [--rounds 20] [--tillit build/tillit]

Starts `tillit serve --host 0.0.0.0` on a free port. Each student is a
thread with its own loopback address (127.0.1.k: one computer each, as in a
classroom) that creates a session with the page's default set-up, then in
every round steps 10 weeks (what the page asks for at 10 weeks a second),
moves a lever every 5th round, reads the session every 4th, and exports the
run to HDF5 once, in round 10. The teacher does the same with a two-sided
lesson. Meanwhile 20 slow connections (slowloris) from two other addresses
trickle header bytes. Prints the 50th, 95th and 99th percentile latency of
each kind of call, and the errors (there should be none).
"""
import argparse
import json
import os
import socket
import sys
import threading
import time

from classroom_client import Calls, start_server

ap = argparse.ArgumentParser()
ap.add_argument("--students", type=int, default=60)
ap.add_argument("--rounds", type=int, default=20)
ap.add_argument("--burst", action="store_true",
                help="every client exports in the same round (the worst case) instead of spread over rounds 5-14")
ap.add_argument("--tillit", default=os.path.join(os.path.dirname(__file__), "..", "build", "tillit"))
args = ap.parse_args()

srv, port, work = start_server(args.tillit, "tillit-load-", "--max-sessions", "80")
calls = Calls(port)
lat, errors, call = calls.lat, calls.errors, calls.call




def client(k, teacher=False):
    src = f"127.0.1.{k + 1}"
    st, d = call("create", src, "POST", "/api/sessions",
                 {"lesson": "from-control-to-trust"} if teacher else {})
    if st != 201:
        return
    sid = json.loads(d)["id"]
    for r in range(args.rounds):
        call("step", src, "POST", f"/api/sessions/{sid}/step", {"n": 10})
        if r % 5 == 2:
            call("set", src, "POST", f"/api/sessions/{sid}/set", {"set": {"mandate": 0.3 + 0.02 * (r % 10)}})
        if r % 4 == 3:
            call("get", src, "GET", f"/api/sessions/{sid}?from={max(0, r * 10 - 10)}")
        if r == (10 if args.burst else 5 + k % 10):
            call("export", src, "GET", f"/api/sessions/{sid}/export")
        time.sleep(0.2)  # the page's pace between requests, roughly
    call("delete", src, "DELETE", f"/api/sessions/{sid}")


slow = []
for i in range(20):
    s = socket.socket()
    s.bind((f"127.0.2.{1 + i % 2}", 0))
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET / HTTP/1.1\r\n")
    slow.append(s)
stop = threading.Event()


def trickle():
    while not stop.is_set():
        for s in slow:
            try:
                s.sendall(b"X: y\r\n")
            except OSError:
                pass
        time.sleep(2)


tt = threading.Thread(target=trickle)
tt.start()
load0 = os.getloadavg()[0]
t0 = time.time()
th = [threading.Thread(target=client, args=(k, k == 0)) for k in range(args.students + 1)]
for t in th:
    t.start()
for t in th:
    t.join()
took = time.time() - t0
stop.set()
tt.join()
for s in slow:
    s.close()
srv.send_signal(2)
srv.wait(10)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


print(f"{args.students} students + 1 teacher, {args.rounds} rounds, {took:.1f} s, "
      f"{os.cpu_count()} cores, load average before {load0:.1f}; 20 slowloris connections alongside"
      f"{'; all export at once' if args.burst else ''}")
print(f"{'call':8} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
for kind in ["create", "step", "set", "get", "export", "delete"]:
    xs = lat.get(kind, [])
    if xs:
        print(f"{kind:8} {len(xs):5d} {pct(xs, 50) * 1000:8.0f} {pct(xs, 95) * 1000:8.0f} "
              f"{pct(xs, 99) * 1000:8.0f} {max(xs) * 1000:8.0f}")
print(f"errors: {len(errors)}", errors[:5])
sys.exit(1 if errors else 0)
