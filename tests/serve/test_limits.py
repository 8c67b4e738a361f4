#!/usr/bin/python3
"""The classroom server under a hostile classmate: slow clients, session floods,
DNS rebinding, secrets in the log, exports beside other requests.

Usage: test_limits.py TILLIT_BIN WORKDIR

Starts its own servers (bound to 0.0.0.0 and to 127.0.0.1 on free ports) and
plays the attacks from several loopback addresses (127.0.0.2, ...: Linux
routes all of 127/8 to this machine). Needs only Debian's /usr/bin/python3.
Prints "N passed, N failed"; exits non-zero on a failure.
"""
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import traceback

from classroom_kit import Events
from classroom_kit import Server as _Server

TILLIT = sys.argv[1]
WORK = sys.argv[2]
os.makedirs(WORK, exist_ok=True)


def Server(*args, name="srv"):
    return _Server(TILLIT, WORK, *args, name=name)


def slow_socket(port, source):
    s = socket.socket()
    s.settimeout(5)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    s.sendall(b"POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % port)
    return s


# ---- the tests -------------------------------------------------------------------------


def test_slowloris_does_not_block_others_and_is_cut_off():
    """80 slow connections from 4 addresses, each sending a header line every
    second and never finishing: 9 other requests are answered at once, and
    the slow ones are closed after --request-timeout."""
    sv = Server("--host", "0.0.0.0", "--request-timeout", "3", name="slowloris")
    socks, refused = [], 0
    try:
        for i in range(80):
            try:
                socks.append(slow_socket(sv.port, f"127.0.0.{2 + i % 4}"))
            except OSError:
                refused += 1
        stop = threading.Event()

        def trickle():
            while not stop.is_set():
                for s in socks:
                    try:
                        s.sendall(b"X-a: b\r\n")
                    except OSError:
                        pass
                time.sleep(1)
        time.sleep(0.5)
        held = 0
        for s in socks:  # still open (MHD closes those beyond 16 per address at once)
            s.setblocking(False)
            try:
                held += s.recv(100) != b""
            except BlockingIOError:
                held += 1
            except OSError:
                pass
            s.setblocking(True)
        assert 0 < held <= 4 * 16, held
        th = threading.Thread(target=trickle)
        th.start()
        try:
            times = []
            for _ in range(9):
                t0 = time.time()
                st, j = sv.request("GET", "/api/info", timeout=5)
                times.append(time.time() - t0)
                assert st == 200 and j["program"] == "tillit", (st, j)
            assert max(times) < 1.0, times
            print(f"     {held} of {len(socks)} slow connections held ({refused} refused at connect); "
                  f"9 requests answered in at most {max(times) * 1000:.0f} ms")
            time.sleep(5)  # past the 3 s deadline
        finally:
            stop.set()
            th.join()
        closed = 0
        for s in socks:
            try:
                s.settimeout(2)
                s.sendall(b"X-a: b\r\n")
                if s.recv(100) == b"":
                    closed += 1
            except OSError:
                closed += 1
        assert closed == len(socks), f"{closed} of {len(socks)} slow connections closed"
    finally:
        for s in socks:
            s.close()
        sv.stop()


def test_a_flood_of_sessions_from_one_address_is_limited():
    sv = Server("--host", "0.0.0.0", "--max-sessions", "12", name="flood")
    try:
        ids, last = [], None
        for _ in range(20):
            st, j = sv.request("POST", "/api/sessions", {"steps": 10}, source="127.0.0.9")
            if st != 201:
                last = (st, j)
                break
            ids.append(j["id"])
        assert len(ids) == 4, len(ids)  # the default --sessions-per-address
        assert last[0] == 429 and "your address" in last[1]["error"], last
        # others still get sessions, up to the server's total
        got = 0
        for a in range(10, 12):
            for _ in range(4):
                st, j = sv.request("POST", "/api/sessions", {"steps": 10}, source=f"127.0.0.{a}")
                assert st == 201, (a, st, j)
                got += 1
        assert got == 8
        st, j = sv.request("POST", "/api/sessions", {"steps": 10}, source="127.0.0.20")
        assert st == 429, (st, j)  # 12 in all, none unused for 5 minutes
        # a session ended frees the address's share
        st, _ = sv.request("DELETE", f"/api/sessions/{ids[0]}", source="127.0.0.9")
        assert st == 200
        st, j = sv.request("POST", "/api/sessions", {"steps": 10}, source="127.0.0.9")
        assert st == 201, (st, j)
    finally:
        sv.stop()


def test_sessions_per_address_option():
    sv = Server("--sessions-per-address", "2", name="per-address")
    try:
        codes = [sv.request("POST", "/api/sessions", {"steps": 5})[0] for _ in range(3)]
        assert codes == [201, 201, 429], codes
    finally:
        sv.stop()


def test_bad_host_is_refused_beyond_loopback():
    """DNS rebinding: a page on evil.example whose name now points at the
    classroom server sends Host: evil.example; it must be refused."""
    sv = Server("--host", "0.0.0.0", "--allow-host", "klassrum.skolan.example", name="host")
    p = sv.port
    try:
        for host, want in [(f"evil.example:{p}", 403), (f"evil.example.:{p}", 403),
                           (f"127.0.0.1.nip.io:{p}", 403), ("127.0.0.1", 403),
                           (f"127.0.0.1:{p + 1}", 403), (f"192.168.1.23:{p}", 200),
                           (f"[::1]:{p}", 200), (f"10.0.0.5:{p}", 200), (f"localhost:{p}", 200),
                           (f"klassrum.skolan.example:{p}", 200), (f"KLASSRUM.skolan.example:{p}", 200),
                           (f"{socket.gethostname()}:{p}", 200), (f"x:{p}:{p}", 403), (f":{p}", 403)]:
            st, _ = sv.request("GET", "/api/info", host=host)
            assert st == want, (host, st, want)
            st, _ = sv.request("GET", "/", host=host)
            assert st == want, ("/", host, st, want)
        # a write from a rebound page carries Origin http://evil.example:PORT
        st, j = sv.request("POST", "/api/sessions", {}, host=f"10.0.0.5:{p}",
                           headers={"Origin": f"http://evil.example:{p}"})
        assert st == 403, (st, j)
    finally:
        sv.stop()
    sv = Server("--allow-host", "klassrum.skolan.example", name="host-loopback")
    try:
        for host, want in [(f"127.0.0.1:{sv.port}", 200), (f"192.168.1.23:{sv.port}", 403),
                           (f"evil.example:{sv.port}", 403)]:
            st, _ = sv.request("GET", "/api/info", host=host)
            assert st == want, (host, st, want)
    finally:
        sv.stop()
    r = subprocess.run([TILLIT, "serve", "--allow-host", "bad/name", "--check"], capture_output=True, text=True)
    assert r.returncode == 2 and "--allow-host" in r.stderr, r


def test_verbose_log_has_no_session_ids():
    sv = Server("--verbose", name="verbose")
    try:
        st, j = sv.request("POST", "/api/sessions", {"steps": 20})
        sid = j["id"]
        sv.request("POST", f"/api/sessions/{sid}/step", {"n": 3})
        sv.request("GET", f"/api/sessions/{sid}?from=1")
        sv.request("GET", f"/api/sessions/{sid}/export")
        sv.request("DELETE", f"/api/sessions/{sid}")
        sv.request("GET", f"/api/sessions/{sid}")
    finally:
        sv.stop()
    log = open(sv.log).read()
    assert "/api/sessions/<id>/step -> 200" in log, log[-2000:]
    assert sid not in log and sid[:16] not in log, "a session id in the log"


def test_exports_do_not_stall_other_requests():
    """Twelve exports at once (each ~0.1 s of HDF5 work, written by child
    processes) while another session steps: every step is answered quickly
    and every export is a whole HDF5 file."""
    sv = Server("--sessions-per-address", "8", name="exports")
    try:
        st, a = sv.request("POST", "/api/sessions", {"steps": 520})
        sv.request("POST", f"/api/sessions/{a['id']}/step", {"n": 520})
        st, b = sv.request("POST", "/api/sessions", {"steps": 520})
        results, errors = [], []

        def export():
            try:
                results.append(sv.request("GET", f"/api/sessions/{a['id']}/export", timeout=60))
            except Exception as e:  # noqa: BLE001
                errors.append(repr(e))
        th = [threading.Thread(target=export) for _ in range(12)]
        t0 = time.time()
        for t in th:
            t.start()
        steps = []
        for _ in range(10):
            t1 = time.time()
            st, j = sv.request("POST", f"/api/sessions/{b['id']}/step", {"n": 1})
            steps.append(time.time() - t1)
            assert st == 200, (st, j)
        for t in th:
            t.join()
        took = time.time() - t0
        assert not errors, errors
        assert all(st == 200 and d[:8] == b"\x89HDF\r\n\x1a\n" for st, d in results), \
            [(st, d[:60]) for st, d in results]
        steps.sort()
        print(f"     12 exports in {took:.2f} s; steps meanwhile: median {steps[5] * 1000:.0f} ms, "
              f"max {steps[-1] * 1000:.0f} ms")
        assert steps[-1] < 1.0, steps
    finally:
        sv.stop()


def test_students_follow_the_teacher_by_class_code():
    """The teacher opens a class on their session and gets a short code;
    students follow the run live by the code (server-sent events) and never
    see the session's id, which stays the teacher's key."""
    sv = Server("--host", "0.0.0.0", name="class")
    try:
        st, j = sv.request("POST", "/api/sessions", {"steps": 60, "sides": [{"preset": "balanced"}, {"preset": "control-based"}]})
        sid = j["id"]
        sv.request("POST", f"/api/sessions/{sid}/step", {"n": 4})
        st, c = sv.request("POST", "/api/classes", {"session": sid})
        assert st == 201 and re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", c["code"]), (st, c)
        code = c["code"]
        # where students join: this machine's network addresses, with the code,
        # and the first as a QR code (an SVG of 21 + 4k modules and a 4-module margin)
        assert all(re.fullmatch(rf"http://[0-9.]+:{sv.port}/\?class={code}", u) for u in c["urls"]), c
        if c["urls"]:
            r = http.client.HTTPConnection("127.0.0.1", sv.port, timeout=10)
            r.request("GET", f"/api/classes/{code}/qr.svg", headers={"Host": f"127.0.0.1:{sv.port}"})
            resp = r.getresponse()
            svg = resp.read().decode()
            r.close()
            assert resp.status == 200 and resp.getheader("Content-Type") == "image/svg+xml", resp.status
            w = int(re.match(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 (\d+) \1"', svg).group(1))
            assert w >= 29 and (w - 8 - 21) % 4 == 0 and svg.count("h1v1h-1z") > 100, w
        st, again = sv.request("POST", "/api/classes", {"session": sid})
        assert st == 201 and again["code"] == code  # one class per session
        # a code, not a guess
        assert sv.request("GET", "/api/classes/ZZZZZZ")[0] == 404 or code == "ZZZZZZ"
        assert sv.request("POST", "/api/classes", {"session": "0" * 32})[0] == 404
        st, info = sv.request("GET", f"/api/classes/{code.lower()}", source="127.0.0.30")
        assert st == 200 and info == {"code": code, "open": True}, (st, info)
        followers = [Events(sv, code if k else code.lower(), f"127.0.0.{31 + k}") for k in range(5)]
        for f in followers:
            assert f.status == 200
            name, ev = f.event()
            assert name == "message" and ev["from"] == 0 and ev["t"] == 4 and len(ev["rows"][0]) == 4, ev
            assert "id" not in ev and len(ev["sides"]) == 2
        sv.request("POST", f"/api/sessions/{sid}/step", {"n": 3})
        for f in followers:
            name, ev = f.event()
            assert ev["from"] == 4 and ev["t"] == 7 and len(ev["rows"][1]) == 3, ev
        sv.request("POST", f"/api/sessions/{sid}/set", {"side": "B", "set": {"mandate": 0.9}})
        name, ev = followers[0].event()
        assert ev["t"] == 7 and ev["sides"][1]["params"]["mandate"] == 0.9 and ev["rows"] == [[], []], ev
        sv.request("POST", f"/api/sessions/{sid}/reset", {})
        name, ev = followers[0].event()
        assert ev["from"] == 0 and ev["t"] == 0, ev
        # a student cannot end the class; the teacher can, and the streams end
        assert sv.request("POST", f"/api/classes/{code}/end", {"session": "f" * 32})[0] == 403
        assert sv.request("POST", f"/api/classes/{code}/end", {})[0] == 403
        st, _ = sv.request("POST", f"/api/classes/{code}/end", {"session": sid})
        assert st == 200
        for f in followers[1:]:
            name, ev = f.event()
            while name != "end":
                name, ev = f.event()
        for f in followers:
            assert sid.encode() not in f.raw, "the session id reached a student"
            f.close()
        assert sv.request("GET", f"/api/classes/{code}")[0] == 404
        assert sv.request("GET", f"/api/classes/{code}/events")[0] == 404
    finally:
        sv.stop()


def test_followers_do_not_stop_the_server():
    """SIGINT ends the followers' open streams and the server exits 0."""
    sv = Server(name="class-stop")
    st, j = sv.request("POST", "/api/sessions", {"steps": 20})
    st, c = sv.request("POST", "/api/classes", {"session": j["id"]})
    assert c["urls"] == []  # on loopback only, students cannot join
    assert sv.request("GET", f"/api/classes/{c['code']}/qr.svg")[0] == 404
    f = Events(sv, c["code"], "127.0.0.1")
    f.event()
    t0 = time.time()
    sv.stop()  # asserts exit status 0
    assert time.time() - t0 < 5
    f.close()


def main():
    tests = [(n, f) for n, f in globals().items() if n.startswith("test_") and callable(f)]
    only = os.environ.get("TL_TEST_ONLY")
    passed = failed = 0
    for name, fn in tests:
        if only and only not in name:
            continue
        try:
            fn()
            passed += 1
            print(f"ok   {name}")
        except Exception:  # noqa: BLE001
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
    print(f"limits: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
