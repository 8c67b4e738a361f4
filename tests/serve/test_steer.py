#!/usr/bin/python3
"""Steer mode over HTTP: a teacher opens a class and starts three teams on
one seed; students join the class (a token each) and a team; each team moves
its own levers; the teacher steps every team to the same week, reads the
dashboard (every team on several criteria), reveals, ends and exports the
class's runs as one HDF5 file in the engine's layout (one point per team,
re-run by `tillit run` to the same numbers) and as CSV. And the hostile
side: another team's levers, the teacher's settings, teacher routes with a
student's token, forged tokens, wrong codes, garbage bodies.

Run: /usr/bin/python3 -m pytest -q tests/serve/test_steer.py
(TILLIT_BIN names the program; default build/tillit). Starts its own
server, bound to 0.0.0.0 on a free port; students come from several
loopback addresses (127.0.0.x).
"""
import csv
import io
import json
import os
import random
import re
import subprocess
import tempfile

import h5py
import numpy as np
import pytest

from classroom_kit import TILLIT, Events, class_server, join

WORK = tempfile.mkdtemp(prefix="tl-steer-")
CRITERIA = ["service_value", "incidents", "equal_gap", "strain_mean", "budget_deviation"]


@pytest.fixture(scope="module")
def sv():
    s = class_server("steer", WORK)
    yield s
    s.stop()


def new_class(sv, steps=104):
    st, j = sv.request("POST", "/api/sessions", {"seed": 7, "steps": steps, "sides": [{"preset": "balanced"}]})
    assert st == 201, j
    sid = j["id"]
    st, c = sv.request("POST", "/api/classes", {"session": sid})
    assert st == 201
    return sid, c["code"]


def start(sv, sid, code, n=3, **kw):
    st, d = sv.request("POST", f"/api/classes/{code}/teams", {"session": sid, "teams": n, **kw})
    assert st == 201, d
    return d


def steer_class(sv, n=3):
    """A class in steer mode with two students in each team: (sid, code, tokens by team)."""
    sid, code = new_class(sv)
    start(sv, sid, code, n, preset="balanced")
    tokens = {}
    for i in range(2 * n):
        t = join(sv, code, f"127.0.0.{20 + i}")
        st, v = sv.request("POST", f"/api/classes/{code}/teams/join", {"token": t}, source=f"127.0.0.{20 + i}")
        assert st == 200, v
        tokens.setdefault(v["team"], []).append(t)
    return sid, code, tokens


def test_start_join_set_step_dashboard(sv):
    sid, code = new_class(sv)
    base = f"/api/classes/{code}/teams"
    f = Events(sv, code, "127.0.0.9")
    d = start(sv, sid, code, 3, preset="control-based", seed=11)
    assert d["state"]["teams"] == 3 and d["state"]["week"] == 0
    assert [r["label"] for r in d["runs"]] == ["team-1", "team-2", "team-3"]
    assert d["criteria"] == CRITERIA
    assert sid not in json.dumps(d)
    # the teams start from the preset's levers, all the same
    assert len({json.dumps(r["levers"], sort_keys=True) for r in d["runs"]}) == 1
    # a student joins the class, then a team: the smallest one, or the one asked for
    t1, t2, t3 = (join(sv, code, f"127.0.0.{30 + i}") for i in range(3))
    st, v = sv.request("POST", f"{base}/join", {"token": t1})
    assert st == 200 and v["team"] == 1 and v["label"] == "team-1"
    assert v["run"]["sides"][0]["label"] == "team-1" and "id" not in v["run"]
    st, v = sv.request("POST", f"{base}/join", {"token": t2, "team": 3})
    assert st == 200 and v["team"] == 3
    st, v = sv.request("POST", f"{base}/join", {"token": t3})
    assert st == 200 and v["team"] == 2
    # joining one's team again is fine, another is refused
    assert sv.request("POST", f"{base}/join", {"token": t1, "team": 1})[0] == 200
    assert sv.request("POST", f"{base}/join", {"token": t1, "team": 2})[0] == 409
    # the stream says so (no ids, no tokens)
    while True:
        ev, s = f.event("steer")
        if s["members"] == [1, 1, 1]:
            break
    assert s["teams"] == 3 and s["labels"] == ["team-1", "team-2", "team-3"]
    # team 1 moves a lever, team 3 takes a preset; team 2 leaves it
    st, v = sv.request("POST", f"{base}/1/set", {"token": t1, "set": {"control_intensity": 0.1}})
    assert st == 200, v
    assert v["run"]["sides"][0]["params"]["control_intensity"] == 0.1
    st, v = sv.request("POST", f"{base}/3/set", {"token": t2, "preset": "trust-based"})
    assert st == 200, v
    assert v["run"]["sides"][0]["label"] == "team-3"
    # the teacher steps every team to the same week
    st, d = sv.request("POST", f"{base}/step", {"session": sid, "n": 20})
    assert st == 200, d
    assert d["state"]["week"] == 20 and all(r["week"] == 20 for r in d["runs"])
    # a change during the run, recorded with its week
    st, v = sv.request("POST", f"{base}/2/set", {"token": t3, "set": {"openness": 0.9}})
    assert st == 200
    st, d = sv.request("POST", f"{base}/step", {"session": sid, "n": 10})
    assert st == 200 and d["state"]["week"] == 30
    runs = d["runs"]
    assert runs[0]["levers"]["control_intensity"] == 0.1
    # the choices: levers set at week 0 (against the common start), then changes
    assert runs[0]["changes"] == [{"week": 0, "param": "control_intensity", "value": 0.1}]
    assert {c["week"] for c in runs[2]["changes"]} == {0} and len(runs[2]["changes"]) > 1
    assert runs[1]["changes"] == [{"week": 20, "param": "openness", "value": 0.9}]
    assert runs[1]["levers"]["openness"] == 0.9
    for r in runs:
        assert set(r["now"]) == set(CRITERIA) == set(r["over_run"]) and r["horizon"] == 104
        assert all(isinstance(r["now"][c], (int, float)) for c in CRITERIA), r["now"]
    # different steering, different outcomes; the same seed
    assert runs[0]["over_run"] != runs[2]["over_run"]
    # what a team reads is its own run, the same rows as the dashboard's week
    st, v = sv.request("POST", f"{base}/1/view", {"token": t1})
    assert st == 200 and v["run"]["t"] == 30 and v["run"]["rows"] == [[]]  # no rows unless asked
    st, v = sv.request("POST", f"{base}/1/view", {"token": t1, "from": 25})
    assert st == 200 and len(v["run"]["rows"][0]) == 5 and v["run"]["from"] == 25
    st, v = sv.request("POST", f"{base}/1/view", {"token": t1, "from": 0})
    assert st == 200 and len(v["run"]["rows"][0]) == 30
    for bad in [-1, 1.5, "0", None]:
        assert sv.request("POST", f"{base}/1/view", {"token": t1, "from": bad})[0] == 400
    assert v["run"]["seed"] == 11 and v["now"] == runs[0]["now"] and v["over_run"] == runs[0]["over_run"]
    # no session id (32 hex digits) in anything a team or the dashboard is sent
    assert not re.search(r"[0-9a-f]{32}", json.dumps(v) + json.dumps(d))
    f.close()


def test_a_student_acts_only_in_their_own_team(sv):
    sid, code, tokens = steer_class(sv)
    base = f"/api/classes/{code}/teams"
    mine, other = tokens[1][0], tokens[2][0]
    st, before = sv.request("POST", f"{base}/step", {"session": sid, "n": 2})
    assert st == 200
    # another team's levers and view: 403, nothing changed
    st, j = sv.request("POST", f"{base}/2/set", {"token": mine, "set": {"control_intensity": 0.9}})
    assert st == 403 and "own team" in j["error"]
    assert sv.request("POST", f"{base}/2/view", {"token": mine})[0] == 403
    # a team that does not exist, malformed team numbers
    assert sv.request("POST", f"{base}/7/set", {"token": mine, "set": {"openness": 0.5}})[0] == 404
    for bad in ["0", "01", "-1", "x", "1x", "99", "%32"]:
        assert sv.request("POST", f"{base}/{bad}/set", {"token": mine, "set": {"openness": 0.5}})[0] in (400, 403, 404)
    # forged, empty and foreign tokens; the teacher's id on a team's levers
    sid2, code2, tokens2 = steer_class(sv, 2)
    for tok in ["0" * 32, "", "zz", tokens2[1][0], 5]:
        st, _ = sv.request("POST", f"{base}/1/set", {"token": tok, "set": {"openness": 0.5}})
        assert st in (400, 403), tok
    assert sv.request("POST", f"{base}/1/set", {"session": sid, "set": {"openness": 0.5}})[0] == 400
    assert sv.request("POST", f"{base}/1/set", {"set": {"openness": 0.5}})[0] == 403
    # the teacher's settings: sizes, seed, horizon are not a team's to change
    for bad in [{"employees": 10}, {"steps": 50}, {"seed": 3}, {"no_such_lever": 1}]:
        st, j = sv.request("POST", f"{base}/1/set", {"token": mine, "set": bad})
        assert st in (400, 403), (bad, j)
    # out of range, wrong types
    for bad in [{"set": {"openness": 7}}, {"set": {"openness": "a"}}, {"preset": "march1991"},
                {"preset": 3}, {}, {"set": []}]:
        st, j = sv.request("POST", f"{base}/1/set", {"token": mine, **bad})
        assert st == 400, (bad, j)
    # teacher routes with a student's token: 403, nothing changed
    for route, body in [("", {"teams": 2}), ("step", {"n": 5}), ("reveal", {}), ("end", {}),
                        ("export", {}), ("export", {"format": "csv"})]:
        st, j = sv.request("POST", f"{base}/{route}".rstrip("/"), {"token": mine, **body})
        assert st in (400, 403), (route, j)
        st, j = sv.request("POST", f"{base}/{route}".rstrip("/"), {"session": sid2, **body})
        assert st == 403, (route, j)
    st, j = sv.request("POST", f"{base}/dashboard", {"token": mine})
    assert st == 403 and "revealed" in j["error"]
    st, after = sv.request("POST", f"{base}/dashboard", {"session": sid})
    assert st == 200 and after["state"]["week"] == 2 and after["runs"] == before["runs"]
    # wrong codes
    assert sv.request("POST", "/api/classes/ZZZZZZ/teams/join", {"token": mine})[0] == 404
    assert sv.request("POST", "/api/classes/ZZZZZZ/teams/step", {"session": sid})[0] == 404
    # GET is not how steer mode talks
    assert sv.request("GET", f"{base}/dashboard")[0] == 405


def test_pace_reveal_end(sv):
    sid, code, tokens = steer_class(sv, 2)
    base = f"/api/classes/{code}/teams"
    tok = tokens[1][0]
    assert sv.request("POST", f"/api/classes/{code}/pace", {"session": sid, "state": "play"})[0] == 200
    st, d = sv.request("POST", f"{base}/step", {"session": sid, "n": 5})
    assert st == 200 and d["state"]["playing"] is True
    for bad in [0, 53, 1.5, "3", -1]:
        assert sv.request("POST", f"{base}/step", {"session": sid, "n": bad})[0] == 400
    st, d = sv.request("POST", f"{base}/reveal", {"session": sid})
    assert st == 200 and d["state"]["revealed"] is True
    st, d = sv.request("POST", f"{base}/dashboard", {"token": tok})
    assert st == 200 and len(d["runs"]) == 2  # the debrief: every team side by side
    st, d = sv.request("POST", f"{base}/end", {"session": sid})
    assert st == 200 and d["state"]["ended"] is True
    assert sv.request("POST", f"{base}/step", {"session": sid})[0] == 409
    assert sv.request("POST", f"{base}/1/set", {"token": tok, "set": {"openness": 0.2}})[0] == 409
    assert sv.request("POST", f"{base}/1/view", {"token": tok})[0] == 200
    st, _ = sv.request("POST", f"{base}/export", {"session": sid, "format": "csv"})
    assert st == 200
    # ending the class drops the teams' runs
    assert sv.request("POST", f"/api/classes/{code}/end", {"session": sid})[0] == 200
    assert sv.request("POST", f"{base}/dashboard", {"session": sid})[0] == 404


def test_limits(sv):
    sid, code = new_class(sv)
    base = f"/api/classes/{code}/teams"
    for bad in [1, 9, 2.5, "3", None]:
        st, j = sv.request("POST", base, {"session": sid, "teams": bad})
        assert st == 400, (bad, j)
    assert sv.request("POST", base, {"session": sid, "teams": 2, "preset": "nope"})[0] == 400
    assert sv.request("POST", base, {"session": sid, "teams": 2, "seed": -1})[0] == 400
    assert sv.request("POST", base, {"session": sid, "teams": 2, "evil": 1})[0] == 400
    # not in steer mode yet
    tok = join(sv, code, "127.0.0.50")
    assert sv.request("POST", f"{base}/join", {"token": tok})[0] == 409
    assert sv.request("POST", f"{base}/step", {"session": sid})[0] == 409
    # eight teams is the most; starting again replaces the teams (the old runs are dropped)
    d = start(sv, sid, code, 8)
    assert len(d["runs"]) == 8
    d = start(sv, sid, code, 2)
    assert len(d["runs"]) == 2 and d["state"]["members"] == [0, 0]


def test_export_hdf5_and_csv(sv):
    sid, code, tokens = steer_class(sv, 3)
    base = f"/api/classes/{code}/teams"
    assert sv.request("POST", f"{base}/export", {"session": sid})[0] == 409  # nothing run yet
    sv.request("POST", f"{base}/1/set", {"token": tokens[1][0], "set": {"control_intensity": 0.15}})
    sv.request("POST", f"{base}/step", {"session": sid, "n": 12})
    sv.request("POST", f"{base}/3/set", {"token": tokens[3][0], "preset": "trust-based"})
    st, d = sv.request("POST", f"{base}/step", {"session": sid, "n": 12})
    assert st == 200 and d["state"]["week"] == 24
    st, data = sv.request("POST", f"{base}/export", {"session": sid, "format": "hdf5"})
    assert st == 200 and data[:8] == b"\x89HDF\r\n\x1a\n"
    path = os.path.join(WORK, "teams.h5")
    with open(path, "wb") as f:
        f.write(data)
    with h5py.File(path, "r") as f:
        assert [x.decode() for x in f["point_label"][()]] == ["team-1", "team-2", "team-3"]
        assert int(f.attrs["common_random_numbers"]) == 1 and int(f.attrs["replicates"]) == 1
        q = f["service_value"][:, 0, :]
        assert q.shape == (3, 104)
        assert np.isfinite(q[:, :24]).all() and np.isnan(q[:, 24:]).all()
        scenario = f.attrs["scenario"]
        scenario = scenario.decode() if isinstance(scenario, bytes) else scenario
        assert int(f.attrs["master_seed"]) == 7
    assert "team-1" in scenario and "team-3" in scenario, scenario
    # the dashboard's numbers are the file's
    for k, r in enumerate(d["runs"]):
        assert np.isclose(q[k, 23], r["now"]["service_value"])
    # the engine runs the exported scenario to the same numbers, point by point
    yml, out = os.path.join(WORK, "teams.yaml"), os.path.join(WORK, "teams-again.h5")
    with open(yml, "w") as f:
        f.write(scenario)
    subprocess.run([TILLIT, "run", yml, "-o", out, "--force", "-q"], check=True, capture_output=True)
    with h5py.File(path, "r") as a, h5py.File(out, "r") as b:
        for m in CRITERIA + ["quality_true", "time_documentation"]:
            assert np.array_equal(a[m][:, 0, :24], b[m][:, 0, :24], equal_nan=True), m
    # CSV: one row per team and week, levers in force, then the criteria
    st, text = sv.request("POST", f"{base}/export", {"session": sid, "format": "csv"})
    assert st == 200
    rows = list(csv.DictReader(io.StringIO(text.decode())))
    assert len(rows) == 3 * 24
    assert [r["label"] for r in rows[::24]] == ["team-1", "team-2", "team-3"]
    assert all(c in rows[0] for c in CRITERIA) and "control_intensity" in rows[0]
    assert float(rows[0]["control_intensity"]) == 0.15
    assert np.isclose(float(rows[23]["service_value"]), q[0, 23])
    assert sv.request("POST", f"{base}/export", {"session": sid, "format": "xls"})[0] == 400


def test_nothing_a_student_sends_breaks_it(sv):
    sid, code, tokens = steer_class(sv, 2)
    base = f"/api/classes/{code}/teams"
    tok = tokens[1][0]
    rnd = random.Random(5)
    values = [None, True, 0, -1, 1e308, "x" * 300, [], {}, [1, 2], {"a": 1}, tok, sid, "1", 0.5]
    keys = ["token", "session", "team", "set", "preset", "n", "format", "teams", "seed"]
    routes = ["", "join", "step", "dashboard", "reveal", "end", "export", "1/set", "2/set", "1/view", "9/view"]
    for _ in range(300):
        body = {rnd.choice(keys): rnd.choice(values) for _ in range(rnd.randint(0, 3))}
        if "session" in body and rnd.random() < 0.9:
            body["session"] = "f" * 32  # not the teacher's
        st, _ = sv.request("POST", f"{base}/{rnd.choice(routes)}".rstrip("/"), body)
        assert st < 500 or st == 503, body
    st, d = sv.request("POST", f"{base}/dashboard", {"session": sid})
    assert st == 200 and len(d["runs"]) == 2
