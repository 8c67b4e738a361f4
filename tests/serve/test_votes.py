#!/usr/bin/python3
"""Lever votes over HTTP: the teacher opens a vote on a lever of the run the
class follows; 20 students vote from several addresses, pushed on their
streams (no counts while the vote is open); the teacher sees the counts,
closes the vote and applies the winner to the run, which the followers see
as a change; and the hostile side: voting twice, after the close, with a
forged or foreign token, for a choice that does not exist; students (or
another class's teacher) opening, closing, applying or reading the
teacher's view (403, nothing changed); not a lever; a tie without a choice;
300 random bodies.

Run: /usr/bin/python3 -m pytest -q tests/serve/test_votes.py
(TILLIT_BIN names the program; default build/tillit). Starts its own
server, bound to 0.0.0.0 on a free port.
"""
import json
import random
import re

import pytest

from classroom_kit import Events, class_server, join


@pytest.fixture(scope="module")
def sv():
    s = class_server("votes")
    yield s
    s.stop()


def new_class(sv, weeks=6):
    st, j = sv.request("POST", "/api/sessions", {"seed": 3, "steps": 100, "sides": [{"preset": "balanced"}, {"preset": "control-based"}]})
    assert st == 201
    sid = j["id"]
    assert sv.request("POST", f"/api/sessions/{sid}/step", {"n": weeks})[0] == 200
    st, c = sv.request("POST", "/api/classes", {"session": sid})
    assert st == 201
    return sid, c["code"]


def vote_where(f, pred):
    while True:
        _, d = f.event("vote")
        if pred(d):
            return d


def test_a_vote_with_20_students(sv):
    sid, code = new_class(sv)
    base = f"/api/classes/{code}/votes"
    followers = [Events(sv, code, f"127.0.0.{40 + i}") for i in range(3)]
    tokens = [join(sv, code, f"127.0.0.{40 + i % 8}") for i in range(20)]
    st, r = sv.request("POST", base, {"session": sid, "param": "control_intensity"})
    assert st == 201 and r["vote"] == 1, r
    v = r["view"]["votes"][0]
    assert v["state"] == "open" and v["week"] == 6 and v["side"] == "A"
    assert v["choices"] == [0.05, 0.15, 0.25] and v["current"] == 0.15  # balanced: 0.15
    for f in followers:
        d = vote_where(f, lambda d: d["votes"] and d["votes"][0]["state"] == "open")
        assert "counts" not in d["votes"][0] and "winner" not in d["votes"][0]
    picks = [2] * 11 + [0] * 5 + [1] * 4
    for i, (t, c) in enumerate(zip(tokens, picks)):
        st, j = sv.request("POST", f"{base}/1/ballot", {"token": t, "choice": c}, source=f"127.0.0.{40 + i % 8}")
        assert st == 200 and j == {"vote": 1, "voted": True}
    # the class sees how many voted, never the counts while open
    st, pub = sv.request("GET", base)
    assert st == 200 and pub["votes"][0]["voted"] == 20 and "counts" not in pub["votes"][0]
    st, tv = sv.request("POST", f"{base}/view", {"session": sid})
    assert st == 200 and tv["votes"][0]["counts"] == [5, 4, 11] and tv["votes"][0]["winner"] == 2
    # close: the class sees the distribution
    st, tv = sv.request("POST", f"{base}/1/close", {"session": sid})
    assert st == 200 and tv["votes"][0]["state"] == "closed"
    for f in followers:
        d = vote_where(f, lambda d: d["votes"][0]["state"] == "closed")
        assert d["votes"][0]["counts"] == [5, 4, 11]
    # apply the winner: the run changes from the next week, the followers see it
    st, tv = sv.request("POST", f"{base}/1/apply", {"session": sid})
    assert st == 200, tv
    assert tv["votes"][0]["applied"] == {"choice": 2, "value": 0.25, "week": 6}
    st, s = sv.request("GET", f"/api/sessions/{sid}")
    assert s["sides"][0]["changes"] == [{"week": 6, "param": "control_intensity", "value": 0.25}]
    assert s["sides"][1]["changes"] == []
    for f in followers:
        _, d = f.event("message")
        while not d["sides"][0]["changes"]:
            _, d = f.event("message")
        assert d["sides"][0]["changes"][0]["value"] == 0.25
        f.close()
        raw = f.raw.decode()
        assert sid not in raw and not any(t in raw for t in tokens)
    # applied once
    st, j = sv.request("POST", f"{base}/1/apply", {"session": sid})
    assert st == 409


def test_hostile_students(sv):
    sid, code = new_class(sv)
    other_sid, other_code = new_class(sv)
    base = f"/api/classes/{code}/votes"
    t1, t2 = join(sv, code, "127.0.0.60"), join(sv, code, "127.0.0.61")
    foreign = join(sv, other_code, "127.0.0.62")
    # no vote open yet
    assert sv.request("POST", f"{base}/1/ballot", {"token": t1, "choice": 0})[0] == 404
    # students cannot open, close, apply or read the teacher's view
    for who in (t1, other_sid, None, "", "0" * 32):
        body = {"param": "control_intensity"} if who is None else {"session": who, "param": "control_intensity"}
        assert sv.request("POST", base, body)[0] == 403
    st, j = sv.request("POST", base, {"session": sid, "param": "control_intensity", "side": "B", "values": [0.2, 0.6]})
    assert st == 201 and j["view"]["votes"][0]["choices"] == [0.2, 0.6]
    for who in (t1, other_sid, "x"):
        for action in ("close", "apply"):
            assert sv.request("POST", f"{base}/1/{action}", {"session": who})[0] == 403
        assert sv.request("POST", f"{base}/view", {"session": who})[0] == 403
    st, pub = sv.request("GET", base)
    assert pub["votes"][0]["state"] == "open"  # nothing changed
    # forged and foreign tokens, the teacher's id as a token, bad choices
    for tok in ("f" * 32, foreign, sid, "", None):
        body = {"choice": 0} if tok is None else {"token": tok, "choice": 0}
        assert sv.request("POST", f"{base}/1/ballot", body)[0] == 403
    for bad in (2, -1, 0.5, "0", None, True, [0]):
        assert sv.request("POST", f"{base}/1/ballot", {"token": t1, "choice": bad})[0] == 400
    assert sv.request("POST", f"{base}/1/ballot", {"token": t1})[0] == 400
    # one vote each
    assert sv.request("POST", f"{base}/1/ballot", {"token": t1, "choice": 0})[0] == 200
    st, j = sv.request("POST", f"{base}/1/ballot", {"token": t1, "choice": 1})
    assert st == 409 and "already" in j["error"]
    assert sv.request("POST", f"{base}/1/ballot", {"token": t2, "choice": 1})[0] == 200
    # a tie: the teacher must choose
    st, j = sv.request("POST", f"{base}/1/apply", {"session": sid})
    assert st == 409 and "tie" in j["error"]
    assert sv.request("POST", f"{base}/1/apply", {"session": sid, "choice": 5})[0] == 400
    # closed: no more votes
    assert sv.request("POST", f"{base}/1/close", {"session": sid})[0] == 200
    t3 = join(sv, code, "127.0.0.63")
    st, j = sv.request("POST", f"{base}/1/ballot", {"token": t3, "choice": 0})
    assert st == 409 and "closed" in j["error"]
    st, tv = sv.request("POST", f"{base}/1/apply", {"session": sid, "choice": 1})
    assert st == 200 and tv["votes"][0]["applied"]["value"] == 0.6
    st, s = sv.request("GET", f"/api/sessions/{sid}")
    assert s["sides"][1]["changes"][-1]["value"] == 0.6 and s["sides"][0]["changes"] == []
    # no vote on what is not a lever, nor on a side the run lacks, nor bad values
    for body in ({"param": "employees"}, {"param": "seed"}, {"param": "nope"}, {},
                 {"param": "control_intensity", "side": "C"},
                 {"param": "control_intensity", "values": [0.1]},
                 {"param": "control_intensity", "values": [0.1, 0.1]},
                 {"param": "control_intensity", "values": [0.1, 7]},
                 {"param": "control_intensity", "values": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]},
                 {"param": "control_intensity", "values": "0.1"},
                 {"param": "control_intensity", "colour": 1}):
        st, j = sv.request("POST", base, {"session": sid, **body})
        assert st == 400, (body, j)
    # wrong codes and paths
    assert sv.request("GET", "/api/classes/ZZZZZZ/votes")[0] == 404
    for path in ("0/ballot", "33/ballot", "01/ballot", "1/nope", "1", "x/ballot", "-1/close"):
        assert sv.request("POST", f"{base}/{path}", {"session": sid})[0] in (400, 404), path
    assert sv.request("DELETE", base)[0] == 405


def test_one_side_run_and_limits(sv):
    st, j = sv.request("POST", "/api/sessions", {"steps": 50})
    sid = j["id"]
    st, c = sv.request("POST", "/api/classes", {"session": sid})
    base = f"/api/classes/{c['code']}/votes"
    st, j = sv.request("POST", base, {"session": sid, "param": "control_intensity", "side": "B"})
    assert st == 400 and "side" in j["error"]
    # at week 0 the applied value is part of the set-up
    st, j = sv.request("POST", base, {"session": sid, "param": "control_intensity"})
    assert st == 201 and j["view"]["votes"][0]["week"] == 0
    st, j = sv.request("POST", f"{base}/1/apply", {"session": sid, "choice": 0})
    assert st == 200
    st, s = sv.request("GET", f"/api/sessions/{sid}")
    assert s["sides"][0]["start"]["control_intensity"] == 0.05
    for i in range(2, 33):
        assert sv.request("POST", base, {"session": sid, "param": "mandate"})[0] == 201
    st, j = sv.request("POST", base, {"session": sid, "param": "mandate"})
    assert st == 409
    st, pub = sv.request("GET", base)
    assert len(pub["votes"]) == 32 and sum(v["state"] == "open" for v in pub["votes"]) == 1


def test_random_bodies(sv):
    sid, code = new_class(sv)
    base = f"/api/classes/{code}/votes"
    tok = join(sv, code, "127.0.0.70")
    sv.request("POST", base, {"session": sid, "param": "control_intensity"})
    rnd = random.Random(11)
    junk = [None, 0, 1, -1, 2.5, 1e300, "", "x", "A", "control_intensity", sid, tok, [], [0.1, 0.2], {}, True]
    keys = ["session", "token", "param", "side", "values", "choice", "n"]
    for _ in range(300):
        body = {rnd.choice(keys): rnd.choice(junk) for _ in range(rnd.randint(0, 4))}
        path = rnd.choice(["", "/view", "/1/ballot", "/1/close", "/1/apply", "/2/ballot"])
        st, j = sv.request("POST", base + path, body)
        assert st in (200, 201, 400, 403, 404, 409), (path, body, st, j)
        assert isinstance(j, dict)
        if st in (200, 201):
            assert tok not in json.dumps(j) and re.search(r"[0-9a-f]{32}", json.dumps(j)) is None
    assert sv.request("GET", "/api/info")[0] == 200
