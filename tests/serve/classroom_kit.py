"""Helpers of the server tests that start their own `tillit serve`
(test_limits.py, test_predict.py, test_steer.py): Server, a server on a free
port that answers requests sent from any loopback address (127.0.0.x);
class_server, such a server bound to 0.0.0.0 for a class of students; join,
a student joining a class; and Events, a student's stream of server-sent
events, read through its chunked encoding. Needs only Debian's
/usr/bin/python3.
"""
import http.client
import json
import os
import re
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# the program: TILLIT_BIN, default build/tillit
TILLIT = os.environ.get("TILLIT_BIN", os.path.join(HERE, "..", "..", "build", "tillit"))


class Server:
    def __init__(self, tillit, work, *args, name="srv"):
        os.makedirs(work, exist_ok=True)
        self.log = os.path.join(work, f"{name}.log")
        self.out = os.path.join(work, f"{name}.out")
        self.p = subprocess.Popen([tillit, "serve", "--port", "0", *args],
                                  stdout=open(self.out, "w"), stderr=open(self.log, "w"))
        self.port = None
        for _ in range(200):
            m = re.search(r"127\.0\.0\.1:(\d+)", open(self.out).read())
            if m:
                self.port = int(m.group(1))
                break
            assert self.p.poll() is None, open(self.log).read()
            time.sleep(0.05)
        assert self.port, "the server printed no address"

    def stop(self):
        self.p.send_signal(2)
        try:
            assert self.p.wait(10) == 0
        finally:
            if self.p.poll() is None:
                self.p.kill()

    def request(self, method, path, body=None, source="127.0.0.1", host=None, timeout=10, headers=None, raw=None):
        """(status, JSON or bytes); raw: send these bytes as the JSON body."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout, source_address=(source, 0))
        h = {"Host": host or f"127.0.0.1:{self.port}"}
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        if data is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        out = r.read()
        c.close()
        if r.getheader("Content-Type", "").startswith("application/json"):
            out = json.loads(out)
        return r.status, out


def class_server(name, work=None):
    """A server for a class: bound to 0.0.0.0 (students come from several
    loopback addresses), 24 sessions per address."""
    return Server(TILLIT, work or tempfile.mkdtemp(prefix=f"tl-{name}-"), "--host", "0.0.0.0",
                  "--sessions-per-address", "24", name=name)


def join(sv, code, source="127.0.0.1"):
    """A student joins class `code` from address `source`: their token."""
    st, j = sv.request("POST", f"/api/classes/{code}/join", {}, source=source)
    assert st == 201, j
    return j["token"]


class Events:
    """A follower's stream of server-sent events (GET /api/classes/C/events)."""

    def __init__(self, sv, code, source):
        self.s = socket.create_connection(("127.0.0.1", sv.port), timeout=15, source_address=(source, 0))
        self.s.sendall(f"GET /api/classes/{code}/events HTTP/1.1\r\nHost: 127.0.0.1:{sv.port}\r\n\r\n".encode())
        self.raw = self.buf = self.wire = b""
        while b"\r\n\r\n" not in self.wire:
            self.wire += self._recv()
        head, self.wire = self.wire.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ", 2)[1])

    def _recv(self):
        d = self.s.recv(65536)
        if not d:
            raise EOFError
        self.raw += d
        return d

    def _fill(self):
        """Decode the next chunk of the body into self.buf."""
        while True:
            if b"\r\n" in self.wire:
                size = int(self.wire.split(b"\r\n", 1)[0], 16)
                start = self.wire.index(b"\r\n") + 2
                if len(self.wire) >= start + size + 2:
                    self.buf += self.wire[start:start + size]
                    self.wire = self.wire[start + size + 2:]
                    if size == 0:
                        raise EOFError
                    return
            self.wire += self._recv()

    def event(self, name=None):
        """The next event (name, data) with data, comments skipped; or the
        next one called `name`."""
        while True:
            while b"\n\n" not in self.buf:
                self._fill()
            block, self.buf = self.buf.split(b"\n\n", 1)
            ev, data = "message", None
            for ln in block.split(b"\n"):
                if ln.startswith(b"event: "):
                    ev = ln[7:].decode()
                elif ln.startswith(b"data: "):
                    data = json.loads(ln[6:])
            if data is not None and (name is None or ev == name):
                return ev, data

    def close(self):
        self.s.close()
