#!/usr/bin/python3
"""Replicates in what a class takes away: with R replicates the exports carry
all R (steer mode's class export as HDF5 on the engine's replicate axis, as
`tillit sweep` writes replicates, and as CSV with a replicate column; a
session's own export too), and a predict round's reveal shows what happened
over all R (the median and the range) beside the class's answers. With R = 1
nothing changes: the files are those of one replicate and the reveal has no
"replicates".

Run: /usr/bin/python3 -m pytest -q tests/serve/test_replicates_out.py
(TILLIT_BIN names the program; default build/tillit). Starts its own
server, bound to 0.0.0.0 on a free port.
"""
import csv
import io
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pytest

from classroom_kit import HERE, TILLIT, class_server, join

WORK = tempfile.mkdtemp(prefix="tl-replicates-out-")
STEPS, WEEKS = 40, 16
SETUP = {"seed": 11, "steps": STEPS, "set": {"employees": 60, "units": 4, "citizens": 3000},
         "sides": [{"preset": "balanced"}]}
CRITERIA = ["service_value", "incidents", "equal_gap", "strain_mean", "budget_deviation"]


@pytest.fixture(scope="module")
def sv():
    s = class_server("replicates-out", WORK)
    yield s
    s.stop()


def steered_class(sv, r):
    """A class of R replicates in steer mode: 3 teams, team 1 moves a lever
    at week 0 and team 3 at week 8, WEEKS weeks run. (sid, code, dashboard)"""
    st, j = sv.request("POST", "/api/sessions", {**SETUP, "replicates": r})
    assert st == 201, j
    sid = j["id"]
    st, c = sv.request("POST", "/api/classes", {"session": sid})
    assert st == 201
    code = c["code"]
    base = f"/api/classes/{code}/teams"
    st, d = sv.request("POST", base, {"session": sid, "teams": 3})
    assert st == 201, d
    tokens = {}
    for i in range(3):
        src = f"127.0.0.{40 + i}"
        t = join(sv, code, src)
        st, v = sv.request("POST", f"{base}/join", {"token": t, "team": i + 1}, source=src)
        assert st == 200, v
        tokens[i + 1] = t
    assert sv.request("POST", f"{base}/1/set", {"token": tokens[1], "set": {"control_intensity": 0.2}})[0] == 200
    assert sv.request("POST", f"{base}/step", {"session": sid, "n": 8})[0] == 200
    assert sv.request("POST", f"{base}/3/set", {"token": tokens[3], "preset": "trust-based"})[0] == 200
    st, d = sv.request("POST", f"{base}/step", {"session": sid, "n": WEEKS - 8})
    assert st == 200 and d["state"]["week"] == WEEKS, d
    return sid, code, d


def export(sv, sid, code, fmt, name):
    st, data = sv.request("POST", f"/api/classes/{code}/teams/export", {"session": sid, "format": fmt})
    assert st == 200, data
    path = os.path.join(WORK, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


@pytest.fixture(scope="module")
def exports(sv):
    """The same lesson with R = 1 and R = 3: their HDF5 and CSV exports."""
    out = {}
    for r in (1, 3):
        sid, code, d = steered_class(sv, r)
        out[r] = {"h5": export(sv, sid, code, "hdf5", f"teams-r{r}.h5"),
                  "csv": export(sv, sid, code, "csv", f"teams-r{r}.csv"), "dashboard": d}
    return out


def test_hdf5_export_has_every_replicate(exports):
    with h5py.File(exports[1]["h5"], "r") as one, h5py.File(exports[3]["h5"], "r") as three:
        assert int(one.attrs["replicates"]) == 1 and int(three.attrs["replicates"]) == 3
        assert three["replicate"][()].tolist() == [0, 1, 2]
        assert int(three.attrs["common_random_numbers"]) == 1
        assert (three["run_status"][()] == 1).all() and three["run_status"].shape == (3, 3)
        for m in CRITERIA + ["quality_true"]:
            a, b = one[m][()], three[m][()]
            assert a.shape == (3, 1, STEPS) and b.shape == (3, 3, STEPS), m
            # replicate 0 is the seed's run: the R = 1 export's numbers
            assert np.array_equal(a[:, 0, :], b[:, 0, :], equal_nan=True), m
            assert np.isfinite(b[:, :, :WEEKS]).all() and np.isnan(b[:, :, WEEKS:]).all(), m
        # the replicates draw other chance events
        q = three["quality_true"][()]
        for p in range(3):
            assert not np.array_equal(q[p, 0, :WEEKS], q[p, 1, :WEEKS])
            assert not np.array_equal(q[p, 1, :WEEKS], q[p, 2, :WEEKS])
        # the summary across replicates is of the three
        med = three["summary/quality_true"][()]
        stat = [s.decode() if isinstance(s, bytes) else s for s in three["summary/statistic"][()]]
        assert np.allclose(med[:, stat.index("mean"), :WEEKS], q[:, :, :WEEKS].mean(axis=1))


def test_hdf5_export_is_what_the_engine_writes(exports):
    """`tillit run` of the file's scenario writes the same R replicates."""
    path = exports[3]["h5"]
    with h5py.File(path, "r") as f:
        scenario = f.attrs["scenario"]
    scenario = scenario.decode() if isinstance(scenario, bytes) else scenario
    yml, again = os.path.join(WORK, "teams-r3.yaml"), os.path.join(WORK, "teams-r3-again.h5")
    with open(yml, "w") as f:
        f.write(scenario)
    subprocess.run([TILLIT, "run", yml, "-o", again, "--force", "-q"], check=True, capture_output=True)
    with h5py.File(path, "r") as a, h5py.File(again, "r") as b:
        assert int(b.attrs["replicates"]) == 3
        for m in CRITERIA + ["quality_true", "time_documentation"]:
            assert np.array_equal(a[m][:, :, :WEEKS], b[m][:, :, :WEEKS], equal_nan=True), m


def test_hdf5_export_opens_in_xarray_and_the_toolkit(exports):
    xr = pytest.importorskip("xarray")
    path = exports[3]["h5"]
    ds = xr.open_dataset(path, engine="h5netcdf")
    assert ds.sizes["point"] == 3 and ds.sizes["replicate"] == 3 and ds.sizes["step"] == STEPS
    assert float(ds.quality_true.isel(point=0, replicate=0, step=0)) == pytest.approx(
        h5py.File(path, "r")["quality_true"][0, 0, 0])
    ds.close()
    sys.path.insert(0, os.path.join(HERE, "..", "..", "analysis"))
    from tillit_analysis import io as tio
    d = tio.load(path)
    assert d.sizes["replicate"] == 3 and d.sizes["point"] == 3
    stats = tio.replicate_stats(d.quality_true)
    assert stats is not None


def read_csv(path):
    with open(path) as f:
        text = f.read()
    return text.splitlines()[0].split(","), list(csv.DictReader(io.StringIO(text)))


def test_csv_export_has_a_replicate_column(exports):
    head1, one = read_csv(exports[1]["csv"])
    head3, three = read_csv(exports[3]["csv"])
    # R = 1: the columns without replicates, as before
    assert head1[:3] == ["team", "label", "week"] and "replicate" not in head1
    assert head3[:4] == ["team", "label", "replicate", "week"] and head3[4:] == head1[3:]
    assert len(one) == 3 * WEEKS and len(three) == 3 * 3 * WEEKS
    with h5py.File(exports[3]["h5"], "r") as f:
        sv_ = f["service_value"][()]
    for row in three:
        t, r, w = int(row["team"]), int(row["replicate"]), int(row["week"])
        assert 1 <= r <= 3
        assert float(row["service_value"]) == pytest.approx(sv_[t - 1, r - 1, w - 1], rel=1e-9)
    # replicate 1 is the R = 1 export, row for row (levers too)
    first = [{k: v for k, v in row.items() if k != "replicate"} for row in three if row["replicate"] == "1"]
    assert first == one
    # other replicates, other numbers; the same levers
    by = {(row["team"], row["replicate"], row["week"]): row for row in three}
    assert any(by[("1", "1", str(w))]["service_value"] != by[("1", "2", str(w))]["service_value"]
               for w in range(1, WEEKS + 1))
    assert all(by[("3", "1", str(w))]["control_intensity"] == by[("3", "3", str(w))]["control_intensity"]
               for w in range(1, WEEKS + 1))


def test_a_sessions_own_export_has_every_replicate(sv):
    files = {}
    for r in (1, 4):
        st, j = sv.request("POST", "/api/sessions", {**SETUP, "replicates": r})
        assert st == 201
        assert sv.request("POST", f"/api/sessions/{j['id']}/step", {"n": 10})[0] == 200
        st, data = sv.request("GET", f"/api/sessions/{j['id']}/export?side=A")
        assert st == 200 and data[:8] == b"\x89HDF\r\n\x1a\n"
        files[r] = os.path.join(WORK, f"session-r{r}.h5")
        with open(files[r], "wb") as f:
            f.write(data)
    with h5py.File(files[1], "r") as a, h5py.File(files[4], "r") as b:
        assert int(b.attrs["replicates"]) == 4 and b["quality_true"].shape == (1, 4, STEPS)
        assert np.array_equal(a["quality_true"][:, 0, :], b["quality_true"][:, 0, :], equal_nan=True)
        assert len({tuple(b["quality_true"][0, r, :10]) for r in range(4)}) == 4


def reveal_round(sv, r):
    """A predict round on quality_true of a run with R replicates, opened at
    week 5 and revealed at week 25: (the round, the run at week 25)."""
    st, j = sv.request("POST", "/api/sessions", {**SETUP, "replicates": r})
    assert st == 201
    sid = j["id"]
    assert sv.request("POST", f"/api/sessions/{sid}/step", {"n": 5})[0] == 200
    st, c = sv.request("POST", "/api/classes", {"session": sid})
    code = c["code"]
    base = f"/api/classes/{code}"
    tokens = [join(sv, code, f"127.0.0.{50 + i}") for i in range(6)]
    st, _ = sv.request("POST", f"{base}/rounds", {"session": sid, "metric": "quality_true"})
    assert st == 201
    for i, t in enumerate(tokens):
        assert sv.request("POST", f"{base}/rounds/1/answer", {"token": t, "direction": ["up", "down"][i % 2]})[0] == 200
    assert sv.request("POST", f"/api/sessions/{sid}/step", {"n": 20})[0] == 200
    st, v = sv.request("POST", f"{base}/rounds/1/reveal", {"session": sid})
    assert st == 200, v
    st, run = sv.request("GET", f"/api/sessions/{sid}")
    st2, d = sv.request("GET", f"{base}/debrief")
    assert st2 == 200 and d["rounds"][0] == v["rounds"][0]  # what the students read too
    return v["rounds"][0], run


def test_reveal_shows_every_replicate(sv):
    one, run1 = reveal_round(sv, 1)
    five, run5 = reveal_round(sv, 5)
    assert "replicates" not in one["outcome"]  # R = 1: as before
    # the seed's run is the same with R = 5
    for k in ("from", "to", "change_percent", "direction"):
        assert five["outcome"][k] == one["outcome"][k], k
    names = [m["name"] for m in sv.request("GET", "/api/metrics")[1]]
    q = names.index("quality_true")
    rep = five["outcome"]["replicates"]
    assert rep["n"] == 5 and len(rep["values"]) == 5
    assert rep["values"][0] == pytest.approx(five["outcome"]["to"], rel=1e-12)
    # the median and the range are the run's band at the reveal's week
    band = run5["bands"][0]
    assert rep["to"]["lo"] == pytest.approx(band["lo"][24][q], rel=1e-12)
    assert rep["to"]["median"] == pytest.approx(band["med"][24][q], rel=1e-12)
    assert rep["to"]["hi"] == pytest.approx(band["hi"][24][q], rel=1e-12)
    assert rep["to"]["lo"] < rep["to"]["hi"]  # the replicates differ
    vals = sorted(rep["values"])
    assert rep["to"]["median"] == pytest.approx(vals[2], rel=1e-12)
    assert sum(rep["directions"].values()) == 5
    assert rep["change_percent"]["lo"] <= rep["change_percent"]["median"] <= rep["change_percent"]["hi"]
    # replicate 0's change is the outcome's own
    cps = [rep["change_percent"][k] for k in ("lo", "hi")]
    assert cps[0] <= five["outcome"]["change_percent"] <= cps[1]
