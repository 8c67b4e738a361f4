#!/usr/bin/python3
"""Steer mode under load: a class of N students in teams, each team steering
its own organisation, the teacher stepping every team.

Usage: bench/classroom_steer.py [--students 60] [--teams 8] [--ticks 100]
                                [--replicates 1] [--tillit build/tillit]

Starts `tillit serve --host 0.0.0.0` on a free port. The teacher creates a
one-sided session with the page's default set-up (R replicates), opens a
class and starts the teams (balanced). Each student is a client with its own
loopback address (127.0.5.k: one computer each) that joins the class (its
token), joins team k mod T, and holds the class's event stream. Then the
teacher plays as the page does: a step of 2 weeks for every team every half
second (the next only after the last one's reply, the page's `busy`), TICKS
times. As the page does, every student, on each "event: steer", reads its
team's view (POST teams/K/view, coalesced: one at a time per student), and
each student moves a lever of its team 4 times during the run, at random
ticks. Measured:

- the latency of every API request by kind (join, team join, the teacher's
  step of every team, view, set), p50/p95/p99/max;
- the pushed update: the time from the teacher's step reply to a student's
  stream carrying that week (the first "event: steer" with week >= it;
  0 when it came before the reply, as in bench/classroom_follow.py), and
  the same from the teacher's step request being sent.

Prints both, the errors (409 "at most 64 changes per run" would be counted
too: there should be none) and the load average before and after.
"""
import argparse
import os
import random
import re
import socket
import sys
import threading
import time

from classroom_client import Calls, start_server

ap = argparse.ArgumentParser()
ap.add_argument("--students", type=int, default=60)
ap.add_argument("--teams", type=int, default=8)
ap.add_argument("--ticks", type=int, default=100, help="the teacher's steps (2 weeks each, every 0.5 s)")
ap.add_argument("--replicates", type=int, default=1, help="R of the class's run (and of every team)")
ap.add_argument("--tillit", default=os.path.join(os.path.dirname(__file__), "..", "build", "tillit"))
args = ap.parse_args()

WEEKS_PER_TICK, TICK_S = 2, 0.5  # the page's play (web/page/steer.js)

srv, port, work = start_server(args.tillit, "tillit-steer-")
calls = Calls(port)
lat, errors = calls.lat, calls.errors


def call(kind, source, method, path, body=None):
    return calls.call(kind, source, method, path, body, parse=True)




TEACHER = "127.0.0.1"
st, s = call("create", TEACHER, "POST", "/api/sessions",
             {"sides": [{"preset": "balanced"}], "replicates": args.replicates})
assert st == 201, s
sid, horizon = s["id"], s["horizon"]
st, c = call("class", TEACHER, "POST", "/api/classes", {"session": sid})
assert st == 201, c
code = c["code"]
base = f"/api/classes/{code}/teams"
st, d = call("start", TEACHER, "POST", base, {"session": sid, "teams": args.teams, "preset": "balanced"})
assert st == 201, d
ticks = min(args.ticks, (horizon - 1) // WEEKS_PER_TICK)

got = {}  # student -> [(receive time, week)]
ready = threading.Barrier(args.students + 1)
done = threading.Event()
LEVERS = ["control_intensity", "mandate", "support", "openness"]


def student(k):
    src = f"127.0.5.{k + 1}"
    st, j = call("join", src, "POST", f"/api/classes/{code}/join", {})
    token = j["token"]
    team = k % args.teams + 1
    st, v = call("team join", src, "POST", f"{base}/join", {"token": token, "team": team})
    so = socket.socket()
    so.bind((src, 0))
    so.connect(("127.0.0.1", port))
    so.sendall(f"GET /api/classes/{code}/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    wake = threading.Event()
    mine = []
    got[k] = mine
    sets = sorted(random.Random(k).sample(range(2, ticks), 4))

    def act():  # the page's refreshStudent (one view at a time) and its levers
        rng = random.Random(1000 + k)
        while not done.is_set():
            if not wake.wait(0.2):
                continue
            wake.clear()
            call("view", src, "POST", f"{base}/{team}/view", {"token": token})
            week = mine[-1][1] if mine else 0
            while sets and week >= sets[0] * WEEKS_PER_TICK:
                sets.pop(0)
                lever = LEVERS[rng.randrange(len(LEVERS))]
                call("set", src, "POST", f"{base}/{team}/set",
                     {"token": token, "set": {lever: round(rng.uniform(0.1, 0.9), 2)}})

    a = threading.Thread(target=act)
    a.start()
    buf = b""
    first = True
    so.settimeout(5)
    while not done.is_set():
        try:
            data = so.recv(1 << 20)
        except socket.timeout:
            continue
        if not data:
            break
        now = time.perf_counter()
        buf += data
        for w in re.findall(rb'event: steer\r?\ndata: \{"teams":\d+,"week":(\d+)', buf):
            mine.append((now, int(w)))
            wake.set()
        buf = buf[buf.rfind(b"\n\n") + 2:] if b"\n\n" in buf else buf
        if first:
            first = False
            ready.wait()
        if b"event: end" in data:
            break
    so.close()
    a.join()


th = [threading.Thread(target=student, args=(k,)) for k in range(args.students)]
load0 = os.getloadavg()
for t in th:
    t.start()
ready.wait()
time.sleep(1)
sent = []  # (week, reply time)
t_start = time.perf_counter()
for i in range(ticks):
    t0 = time.perf_counter()
    st, j = call("step (all teams)", TEACHER, "POST", f"{base}/step", {"session": sid, "n": WEEKS_PER_TICK})
    t1 = time.perf_counter()
    if st == 200:
        sent.append((j["state"]["week"], t0, t1))
    time.sleep(max(0, TICK_S - (t1 - t0)))
took = time.perf_counter() - t_start
time.sleep(2)
load1 = os.getloadavg()
st, csvdata = call("export (csv)", TEACHER, "POST", f"{base}/export", {"session": sid, "format": "csv"})
st, h5 = call("export (hdf5)", TEACHER, "POST", f"{base}/export", {"session": sid, "format": "hdf5"})
done.set()
call("end", TEACHER, "POST", f"/api/classes/{code}/end", {"session": sid})
for t in th:
    t.join(15)
srv.send_signal(2)
srv.wait(10)

push, push_req, missing = [], [], 0
for k, mine in got.items():
    for w, t0, t1 in sent:
        arr = [r for r, wk in mine if wk >= w and r >= t0]
        if arr:
            push.append(max(0.0, arr[0] - t1))  # as bench/classroom_follow.py: from the reply
            push_req.append(arr[0] - t0)        # from the teacher's request being sent
        else:
            missing += 1


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] * 1000


print(f"{args.students} students in {args.teams} teams, R = {args.replicates}, {len(sent)} teacher steps of "
      f"{WEEKS_PER_TICK} weeks every {TICK_S} s ({took:.1f} s), {os.cpu_count()} cores, load average "
      f"before {load0[0]:.1f}, after {load1[0]:.1f}")
print(f"{'request':18} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
for kind in ["join", "team join", "step (all teams)", "view", "set", "export (csv)", "export (hdf5)"]:
    xs = lat.get(kind, [])
    if xs:
        print(f"{kind:18} {len(xs):5d} {pct(xs, 50):8.0f} {pct(xs, 95):8.0f} {pct(xs, 99):8.0f} {max(xs) * 1000:8.0f}")
api = [x for k, xs in lat.items() if k in ("join", "team join", "step (all teams)", "view", "set") for x in xs]
print(f"{'all API requests':18} {len(api):5d} {pct(api, 50):8.0f} {pct(api, 95):8.0f} {pct(api, 99):8.0f} "
      f"{max(api) * 1000:8.0f}")
if push:
    print(f"{'pushed update':18} {len(push):5d} {pct(push, 50):8.0f} {pct(push, 95):8.0f} {pct(push, 99):8.0f} "
          f"{max(push) * 1000:8.0f}  (from the step's reply; {missing} of {len(sent) * args.students} never seen)")
    print(f"{'  from request':18} {len(push_req):5d} {pct(push_req, 50):8.0f} {pct(push_req, 95):8.0f} "
          f"{pct(push_req, 99):8.0f} {max(push_req) * 1000:8.0f}  (from the teacher's step request being sent)")
print(f"errors: {len(errors)}", errors[:5])
sys.exit(1 if errors or missing else 0)
