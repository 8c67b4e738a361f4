#!/usr/bin/python3
"""Pushed updates to a class: a teacher steps, N students follow by code.

Usage: bench/classroom_follow.py [--students 60] [--steps 100] [--tillit build/tillit]

Starts `tillit serve --host 0.0.0.0`; the teacher creates a two-sided
session, opens a class and steps it one week at a time, 10 a second (the
page's default speed); each student (own loopback address) holds the class's
event stream. For every week, the push latency is the time from the
teacher's step reply to a student receiving the event with that week.
Prints the teacher's step latency and the push latency (p50/p95/p99/max).
"""
import argparse
import os
import re
import socket
import threading
import time

from classroom_client import Calls, start_server

ap = argparse.ArgumentParser()
ap.add_argument("--students", type=int, default=60)
ap.add_argument("--steps", type=int, default=100)
ap.add_argument("--tillit", default=os.path.join(os.path.dirname(__file__), "..", "build", "tillit"))
args = ap.parse_args()

srv, port, work = start_server(args.tillit, "tillit-follow-")
calls = Calls(port)


def call(method, path, body=None):
    return calls.call("setup", None, method, path, body, parse=True)


st, s = call("POST", "/api/sessions", {"sides": [{"preset": "balanced"}, {"preset": "control-based"}]})
sid = s["id"]
st, c = call("POST", "/api/classes", {"session": sid})
code = c["code"]
got = {}  # week -> list of receive times
lock = threading.Lock()
ready = threading.Barrier(args.students + 1)


def student(k):
    so = socket.socket()
    so.bind((f"127.0.4.{k + 1}", 0))
    so.connect(("127.0.0.1", port))
    so.sendall(f"GET /api/classes/{code}/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    buf = b""
    first = True
    while True:
        d = so.recv(1 << 20)
        if not d:
            break
        now = time.perf_counter()
        buf += d
        for w in re.findall(rb'data: \{"t":(\d+)', buf):
            with lock:
                got.setdefault(int(w), []).append(now)
        buf = buf[buf.rfind(b"\n\n") + 2:] if b"\n\n" in buf else buf
        if first:
            first = False
            ready.wait()
        if b"event: end" in d:
            break
    so.close()


th = [threading.Thread(target=student, args=(k,)) for k in range(args.students)]
for t in th:
    t.start()
ready.wait()
sent = {}
step_lat = []
for i in range(args.steps):
    t0 = time.perf_counter()
    st, j = call("POST", f"/api/sessions/{sid}/step", {"n": 1})
    t1 = time.perf_counter()
    step_lat.append(t1 - t0)
    sent[j["t"]] = t1
    time.sleep(max(0, 0.1 - (t1 - t0)))
time.sleep(2)
call("POST", f"/api/classes/{code}/end", {"session": sid})
for t in th:
    t.join(10)
srv.send_signal(2)
srv.wait(10)

push = []
missing = 0
for w, t1 in sent.items():
    rec = got.get(w, [])
    missing += args.students - len(rec)
    push += [max(0.0, r - t1) for r in rec]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] * 1000


print(f"{args.students} students following, {args.steps} steps at 10/s, {os.cpu_count()} cores, "
      f"load average {os.getloadavg()[0]:.1f}")
print(f"teacher's step: p50 {pct(step_lat, 50):.0f} ms, p95 {pct(step_lat, 95):.0f} ms, max {max(step_lat) * 1000:.0f} ms")
print(f"pushed update:  p50 {pct(push, 50):.0f} ms, p95 {pct(push, 95):.0f} ms, p99 {pct(push, 99):.0f} ms, "
      f"max {max(push) * 1000:.0f} ms ({len(push)} received; {missing} weeks a student saw only "
      f"folded into a later event)")
