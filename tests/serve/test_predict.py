#!/usr/bin/python3
"""Predict mode over HTTP: a teacher opens a class, 30 students join by its
code (a token each), answer a round, the teacher reveals it, everyone reads
the debrief; the class view is pushed as "event: round" on the students'
streams. And the hostile side: forged tokens, wrong codes, double answers,
students calling the teacher's routes (403), limits, garbage bodies.

Run: /usr/bin/python3 -m pytest -q tests/serve/test_predict.py
(TILLIT_BIN names the program; default build/tillit). Starts its own
server, bound to 0.0.0.0 on a free port; students come from several
loopback addresses (127.0.0.x).
"""
import json
import random
import re

import pytest

from classroom_kit import Events, class_server, join


@pytest.fixture(scope="module")
def sv():
    s = class_server("predict")
    yield s
    s.stop()


def round_where(f, pred):
    """The next class view on stream f for which pred holds."""
    while True:
        _, d = f.event("round")
        if pred(d):
            return d


def new_class(sv, steps=10):
    st, j = sv.request("POST", "/api/sessions", {"steps": 200, "sides": [{"preset": "balanced"}, {"preset": "control-based"}]})
    assert st == 201
    sid = j["id"]
    assert sv.request("POST", f"/api/sessions/{sid}/step", {"n": steps})[0] == 200
    st, c = sv.request("POST", "/api/classes", {"session": sid})
    assert st == 201
    return sid, c["code"]


def test_a_round_with_30_students(sv):
    sid, code = new_class(sv)
    base = f"/api/classes/{code}"
    followers = [Events(sv, code, f"127.0.0.{10 + i}") for i in range(5)]
    tokens = [join(sv, code, f"127.0.0.{10 + i % 8}") for i in range(30)]
    assert len(set(tokens)) == 30 and all(re.fullmatch(r"[0-9a-f]{32}", t) for t in tokens)
    assert sv.request("POST", f"{base}/pace", {"session": sid, "state": "pause"})[0] == 200
    st, r = sv.request("POST", f"{base}/rounds", {"session": sid, "metric": "quality_true",
                                                   "question": "Stiger eller sjunker kvaliteten?", "side": "B"})
    assert st == 201 and r == {"round": 1}
    # students see the question pushed, without any distribution
    for f in followers:
        d = round_where(f, lambda d: d["rounds"] and d["rounds"][0]["state"] == "open")
        assert d["rounds"][0]["question"] == "Stiger eller sjunker kvaliteten?"
        assert "answers" not in d["rounds"][0]
    dirs = ["up"] * 12 + ["down"] * 15 + ["same"] * 3
    for i, (t, d) in enumerate(zip(tokens, dirs)):
        body = {"token": t, "direction": d}
        if i % 2:
            body["amount"] = 10
        st, a = sv.request("POST", f"{base}/rounds/1/answer", body, source=f"127.0.0.{10 + i % 8}")
        assert st == 200 and a["replaced"] is False, a
    # a second answer replaces the first while the round is open
    st, a = sv.request("POST", f"{base}/rounds/1/answer", {"token": tokens[0], "direction": "down"})
    assert st == 200 and a["replaced"] is True
    dirs[0] = "down"
    st, d = sv.request("GET", f"{base}/debrief")
    assert st == 200 and d["students"] == 30 and d["playing"] is False
    assert d["rounds"][0]["answered"] == 30 and "answers" not in d["rounds"][0]
    for f in followers:  # the teacher's view: how many answered, pushed
        round_where(f, lambda d: d["rounds"][0]["answered"] == 30)
    # play on, then reveal
    assert sv.request("POST", f"{base}/pace", {"session": sid, "state": "play"})[0] == 200
    assert sv.request("POST", f"/api/sessions/{sid}/step", {"n": 60})[0] == 200
    st, v = sv.request("POST", f"{base}/rounds/1/reveal", {"session": sid})
    assert st == 200, v
    r1 = v["rounds"][0]
    assert r1["state"] == "revealed" and v["playing"] is True
    assert r1["answers"] == {"up": dirs.count("up"), "down": dirs.count("down"), "same": dirs.count("same")}
    out = r1["outcome"]
    assert out["week"] == 70 and r1["week"] == 10 and out["direction"] in ("up", "down", "same")
    assert out["right"] == dirs.count(out["direction"])
    # what the run shows: the metric of side B at weeks 10 and 70
    st, s = sv.request("GET", f"/api/sessions/{sid}")
    names = [m["name"] for m in sv.request("GET", "/api/metrics")[1]]
    rows = s["rows"][1]  # side B, week w in row w-1
    col = names.index("quality_true")
    assert rows[9][col] == pytest.approx(out["from"], rel=1e-8)
    assert rows[69][col] == pytest.approx(out["to"], rel=1e-8)
    for f in followers:  # the distribution reaches the students after the reveal
        d = round_where(f, lambda d: d["rounds"][0]["state"] == "revealed")
        assert d["rounds"][0]["answers"] == r1["answers"]
    # no more answers; the round ends; the debrief keeps it
    assert sv.request("POST", f"{base}/rounds/1/answer", {"token": tokens[5], "direction": "up"})[0] == 409
    assert sv.request("POST", f"{base}/rounds/1/reveal", {"session": sid})[0] == 409
    st, v = sv.request("POST", f"{base}/rounds/1/end", {"session": sid})
    assert st == 200 and v["rounds"][0]["state"] == "ended" and v["rounds"][0]["answers"] == r1["answers"]
    for f in followers:
        assert sid.encode() not in f.raw, "the session id reached a student"
        assert not any(t.encode() in f.raw for t in tokens), "a token reached the stream"
        f.close()


def test_students_cannot_use_the_teachers_routes(sv):
    sid, code = new_class(sv)
    other_sid, other = new_class(sv)
    tok = join(sv, code)
    base = f"/api/classes/{code}"
    assert sv.request("POST", f"{base}/rounds", {"session": sid, "metric": "quality_true"})[0] == 201
    for proof in ({"session": tok}, {}, {"session": other_sid}, {"session": sid.upper()},
                  {"session": sid[:-1]}, {"session": 5}):
        assert sv.request("POST", f"{base}/pace", {**proof, "state": "play"})[0] == 403
        assert sv.request("POST", f"{base}/rounds", {**proof, "metric": "quality_true"})[0] == 403
        assert sv.request("POST", f"{base}/rounds/1/reveal", proof)[0] == 403
        assert sv.request("POST", f"{base}/rounds/1/end", proof)[0] == 403
        assert sv.request("POST", f"{base}/end", proof)[0] == 403
    # the refused requests changed nothing
    st, d = sv.request("GET", f"{base}/debrief")
    assert d["playing"] is False and len(d["rounds"]) == 1 and d["rounds"][0]["state"] == "open"
    # a teacher's proof works in their own class only
    assert sv.request("POST", f"/api/classes/{other}/rounds/1/reveal", {"session": sid})[0] in (403, 404)
    assert sv.request("POST", f"/api/classes/{other}/pace", {"session": sid, "state": "play"})[0] == 403


def test_forged_tokens_wrong_codes_and_bad_answers(sv):
    sid, code = new_class(sv)
    _, other = new_class(sv)
    tok = join(sv, code)
    foreign = join(sv, other)
    base = f"/api/classes/{code}"
    assert sv.request("POST", f"{base}/rounds", {"session": sid, "metric": "motivation_mean"})[0] == 201
    forged = ("0" if tok[0] != "0" else "1") + tok[1:]
    for t in (forged, foreign, "", tok.upper(), tok + "0", sid, None, 17, ["x"]):
        st, e = sv.request("POST", f"{base}/rounds/1/answer", {"token": t, "direction": "up"})
        assert st in (400, 403), (t, st, e)
    for body in ({"token": tok, "direction": "sideways"}, {"token": tok},
                 {"token": tok, "direction": "up", "amount": -1}, {"token": tok, "direction": "up", "amount": 1e9},
                 {"token": tok, "direction": "up", "amount": "5"}, {"token": tok, "direction": "up", "extra": 1}):
        assert sv.request("POST", f"{base}/rounds/1/answer", body)[0] == 400, body
    for path in ("rounds/0/answer", "rounds/2/answer", "rounds/01/answer", "rounds/-1/answer",
                 "rounds/99999999999999999999/answer", "rounds/1/", "rounds/1/vote", "rounds/x/answer"):
        assert sv.request("POST", f"{base}/{path}", {"token": tok, "direction": "up"})[0] == 404, path
    # wrong codes
    for bad in ("ZZZZZ1", "AAAAAA", code[:5], code + "X"):
        if bad.upper() == code:
            continue
        assert sv.request("POST", f"/api/classes/{bad}/join", {})[0] == 404, bad
        assert sv.request("GET", f"/api/classes/{bad}/debrief")[0] == 404, bad
        assert sv.request("POST", f"/api/classes/{bad}/rounds/1/answer", {"token": tok, "direction": "up"})[0] == 404
    # the code in lower case works as for following
    assert sv.request("GET", f"/api/classes/{code.lower()}/debrief")[0] == 200
    # methods, bodies
    assert sv.request("GET", f"{base}/join")[0] == 405
    assert sv.request("POST", f"{base}/debrief", {})[0] == 405
    assert sv.request("POST", f"{base}/join", {"name": "Kim"})[0] == 400
    assert sv.request("POST", f"{base}/join", raw=b"[1]")[0] == 400
    assert sv.request("POST", f"{base}/rounds", {"session": sid, "metric": "no_such"})[0] == 400
    assert sv.request("POST", f"{base}/rounds", {"session": sid, "metric": "quality_true", "side": "C"})[0] == 400
    assert sv.request("POST", f"{base}/rounds", {"session": sid, "metric": "quality_true", "question": "x" * 281})[0] == 400
    assert sv.request("POST", f"{base}/pace", {"session": sid, "state": "fast"})[0] == 400
    # only the one answer counts
    for d in ("up", "down", "up"):
        assert sv.request("POST", f"{base}/rounds/1/answer", {"token": tok, "direction": d})[0] == 200
    st, v = sv.request("POST", f"{base}/rounds/1/reveal", {"session": sid})
    assert v["rounds"][0]["answered"] == 1 and v["rounds"][0]["answers"]["up"] == 1


def test_limits_of_students_and_rounds(sv):
    sid, code = new_class(sv, steps=1)
    base = f"/api/classes/{code}"
    # one device cannot fill the class: 8 joins per address
    for i in range(8):
        join(sv, code, "127.0.2.1")
    st, e = sv.request("POST", f"{base}/join", {}, source="127.0.2.1")
    assert st == 429 and "this device" in e["error"], e
    for i in range(56):
        join(sv, code, f"127.0.1.{i % 16 + 1}")
    st, e = sv.request("POST", f"{base}/join", {})
    assert st == 429 and "full" in e["error"]
    for i in range(32):
        assert sv.request("POST", f"{base}/rounds", {"session": sid, "metric": "quality_true"})[0] == 201
    assert sv.request("POST", f"{base}/rounds", {"session": sid, "metric": "quality_true"})[0] == 409
    st, d = sv.request("GET", f"{base}/debrief")
    assert len(d["rounds"]) == 32 and sum(r["state"] == "open" for r in d["rounds"]) == 1
    # ending the class ends its rounds and tokens
    assert sv.request("POST", f"{base}/end", {"session": sid})[0] == 200
    assert sv.request("GET", f"{base}/debrief")[0] == 404


def test_garbage_to_the_new_routes_never_crashes(sv):
    sid, code = new_class(sv, steps=1)
    tok = join(sv, code)
    sv.request("POST", f"/api/classes/{code}/rounds", {"session": sid, "metric": "quality_true"})
    rnd = random.Random(11)
    paths = ["join", "pace", "rounds", "rounds/1/answer", "rounds/1/reveal", "rounds/1/end", "debrief"]
    pieces = [b"{", b"}", b"\"token\":", json.dumps(tok).encode(), b"\"direction\":\"up\"", b",", b"null",
              b"1e999", b"\"\\u0000\"", b"[", b"]", b"\xff", b"\"amount\":", b"-0", b"\"session\":",
              json.dumps(sid).encode()]
    for _ in range(300):
        body = b"".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        st, _ = sv.request("POST", f"/api/classes/{code}/{rnd.choice(paths)}", raw=body)
        assert 200 <= st < 500, (st, body)
    st, d = sv.request("GET", f"/api/classes/{code}/debrief")
    assert st == 200 and sv.request("GET", "/api/info")[0] == 200
