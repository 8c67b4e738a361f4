#!/usr/bin/python3
"""Replicates in class over HTTP: a run with R replicates of every side
answers the band (least, median, greatest of the R runs) week by week beside
the seed's own run, which is the run with one replicate; the band follows
the steps, changes, resets and the class's followers; teams run the
class's replicates; and the hostile side: R out of range or of the wrong type, keys
that are not the set-up's, R beyond the server's memory budget.

Run: /usr/bin/python3 -m pytest -q tests/serve/test_replicates.py
(TILLIT_BIN names the program; default build/tillit). Starts its own
server, bound to 0.0.0.0 on a free port.
"""
import json
import math
import random
import tempfile

import pytest

from classroom_kit import Events, class_server, join

WORK = tempfile.mkdtemp(prefix="tl-replicates-")
SETUP = {"seed": 7, "steps": 60, "set": {"employees": 60, "units": 4, "citizens": 3000},
         "sides": [{"preset": "balanced"}, {"preset": "control-based"}]}


@pytest.fixture(scope="module")
def sv():
    s = class_server("replicates", WORK)
    yield s
    s.stop()


def create(sv, **kw):
    st, j = sv.request("POST", "/api/sessions", {**SETUP, **kw})
    assert st == 201, j
    return j


def step(sv, sid, n):
    st, j = sv.request("POST", f"/api/sessions/{sid}/step", {"n": n})
    assert st == 200, j
    return j


def same(a, b):
    return a == b or (a is None and b is None) or (isinstance(a, float) and math.isnan(a) and math.isnan(b))


def test_band_around_the_seeds_run(sv):
    one = create(sv)
    five = create(sv, replicates=5)
    assert one["replicates"] == 1 and one["bands"] is None
    assert five["replicates"] == 5 and len(five["bands"]) == 2
    a = step(sv, one["id"], 20)
    b = step(sv, five["id"], 20)
    # replicate 0 is the seed's run: the rows do not change with R
    assert a["rows"] == b["rows"]
    st, m = sv.request("GET", "/api/metrics")
    names = [x["name"] for x in m] if isinstance(m, list) else [x["name"] for x in m["metrics"]]
    q = names.index("quality_true")
    spread = 0
    for k in range(2):
        band = b["bands"][k]
        assert [len(band[p]) for p in ("lo", "med", "hi")] == [20, 20, 20]
        for t in range(20):
            lo, med, hi, own = band["lo"][t], band["med"][t], band["hi"][t], b["rows"][k][t]
            assert len(lo) == len(own) == len(names)
            for i in range(len(own)):
                if own[i] is None:
                    continue
                assert lo[i] <= med[i] <= hi[i]
                assert lo[i] <= own[i] <= hi[i]
            spread += hi[q] > lo[q]
    assert spread > 20  # other seeds, other chance events
    # the rows after week 10 only, with their band
    st, j = sv.request("GET", f"/api/sessions/{five['id']}?from=10")
    assert st == 200 and j["from"] == 10
    assert j["bands"][1]["med"] == b["bands"][1]["med"][10:]


def test_changes_and_resets_keep_the_replicates(sv):
    s = create(sv, replicates=3)
    sid = s["id"]
    step(sv, sid, 5)
    st, j = sv.request("POST", f"/api/sessions/{sid}/set", {"side": "A", "set": {"control_intensity": 0.9}})
    assert st == 200, j
    j = step(sv, sid, 5)
    assert j["replicates"] == 3 and len(j["bands"][0]["med"]) == 5
    # reset: the same set-up with its replicates; or other replicates; or another seed
    st, j = sv.request("POST", f"/api/sessions/{sid}/reset", {})
    assert st == 200 and j["replicates"] == 3 and j["t"] == 0
    st, j = sv.request("POST", f"/api/sessions/{sid}/reset", {"replicates": 2})
    assert st == 200 and j["replicates"] == 2 and j["seed"] == 7
    st, j = sv.request("POST", f"/api/sessions/{sid}/reset", {"replicates": 4, "seed": 9})
    assert st == 200 and j["replicates"] == 4 and j["seed"] == 9
    st, j = sv.request("POST", f"/api/sessions/{sid}/reset", {"seed": 10})
    assert st == 200 and j["replicates"] == 4
    st, j = sv.request("POST", f"/api/sessions/{sid}/reset", {"replicates": 1})
    assert st == 200 and j["replicates"] == 1 and j["bands"] is None
    # a lesson with replicates
    st, lessons = sv.request("GET", "/api/lessons")
    st, j = sv.request("POST", f"/api/sessions/{sid}/reset", {"lesson": lessons[0]["name"], "replicates": 3})
    assert st == 200 and j["replicates"] == 3 and j["lesson"] == lessons[0]["name"]


def test_followers_see_the_band_and_teams_run_r(sv):
    s = create(sv, replicates=3)
    sid = s["id"]
    st, c = sv.request("POST", "/api/classes", {"session": sid})
    assert st == 201
    code = c["code"]
    f = Events(sv, code, "127.0.0.31")
    _, first = f.event("message")
    assert first["replicates"] == 3 and "id" not in first
    step(sv, sid, 4)
    _, j = f.event("message")
    while j["t"] < 4:
        _, j = f.event("message")
    assert len(j["bands"][0]["lo"]) == j["t"] - j["from"]
    f.close()
    assert sid not in f.raw.decode()
    st, d = sv.request("POST", f"/api/classes/{code}/teams", {"session": sid, "teams": 2})
    assert st == 201, d
    tok = join(sv, code, "127.0.0.32")
    st, v = sv.request("POST", f"/api/classes/{code}/teams/join", {"token": tok}, source="127.0.0.32")
    # a team's organisation runs the class's R replicates, with its band
    assert st == 200 and v["run"]["replicates"] == 3 and len(v["run"]["bands"]) == 1


@pytest.mark.parametrize("bad", [0, 11, -1, 2.5, "3", None, True, [3], {"n": 3}, 1e300])
def test_bad_replicates_are_refused(sv, bad):
    st, j = sv.request("POST", "/api/sessions", {**SETUP, "replicates": bad})
    assert st == 400 and "replicates" in j["error"], j
    s = create(sv)
    st, j = sv.request("POST", f"/api/sessions/{s['id']}/reset", {"replicates": bad})
    assert st == 400 and "replicates" in j["error"], j
    st, j = sv.request("GET", f"/api/sessions/{s['id']}")
    assert j["replicates"] == 1  # nothing changed
    sv.request("DELETE", f"/api/sessions/{s['id']}")


def test_limits_and_garbage(sv):
    st, info = sv.request("GET", "/api/info")
    assert info["limits"]["max_replicates"] == 10
    # replicates may not make a week dearer than two sides of the largest organisation
    big = {"seed": 1, "steps": 2000, "set": {"citizens": 200000, "employees": 5000, "units": 500},
           "replicates": 2, "sides": [{}, {}]}
    st, j = sv.request("POST", "/api/sessions", big)
    assert st == 400 and "replicates" in j["error"], j
    big["set"]["citizens"] = 20000
    big["replicates"] = 10
    st, j = sv.request("POST", "/api/sessions", big)
    assert st == 400 and "replicates" in j["error"], j
    s = create(sv, replicates=2)
    st, j = sv.request("POST", f"/api/sessions/{s['id']}/reset", {"replicates": 3, "colour": 1})
    assert st == 400
    rnd = random.Random(5)
    junk = [None, 0, -1, 1.5, "x", [], {}, True, 10 ** 20]
    for _ in range(100):
        body = {rnd.choice(["replicates", "seed", "lesson", "steps"]): rnd.choice(junk)
                for _ in range(rnd.randint(1, 3))}
        st, j = sv.request("POST", f"/api/sessions/{s['id']}/reset", body)
        assert st in (200, 400, 404), (body, st, j)
    st, j = sv.request("GET", f"/api/sessions/{s['id']}")
    assert st == 200
    sv.request("DELETE", f"/api/sessions/{s['id']}")
    assert json.dumps(info)
