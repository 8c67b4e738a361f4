"""End-to-end tests of `tillit sweep`: designs, thread invariance, streaming,
kill -9 / Ctrl-C and resume, failed runs, full disk, vanished directory,
progress, pre-flight estimate, and every shipped scenario file."""
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

from h5data import assert_same_data
from journal_log import records

BIN = os.environ.get("TILLIT_BIN", "build/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
QUICK = SRC / "scenarios/examples/quick-sweep.yaml"
# a sweep long enough (~5-8 s on 2 cores) to be interrupted at random moments
SLOW_ARGS = [str(QUICK), "-r", "32", "--progress", "none", "-q"]


def tillit(*args, check=False, env=None, **kw):
    r = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=900,
                       env=env, **kw)
    if check and r.returncode != 0:
        raise AssertionError(f"tillit {args} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "ref.h5"
    tillit("sweep", *SLOW_ARGS, "-o", out, check=True)
    return out


def test_sweep_writes_one_file_with_design_coordinates_and_summaries(reference):
    ds = xr.open_dataset(reference, engine="h5netcdf")
    assert dict(ds.sizes)["point"] == 9 and ds.sizes["replicate"] == 32
    ci = ds.control_intensity.values
    assert sorted(set(np.round(ci, 6))) == [0.05, 0.25, 0.45]
    assert (ds.run_status.values == 1).all()
    with h5py.File(reference) as f:
        assert f.attrs["complete"] == 1
        assert f.attrs["design"] in (b"grid", "grid")
    sm = xr.open_dataset(reference, group="summary", engine="h5netcdf")
    q = ds.quality_true.values
    assert np.allclose(sm.quality_true.sel(statistic="mean").values, np.nanmean(q, axis=1))
    assert np.allclose(sm.quality_true.sel(statistic="q50").values, np.nanmedian(q, axis=1))
    assert np.allclose(sm.quality_true.sel(statistic="q05").values, np.nanquantile(q, 0.05, axis=1))
    assert not Path(str(reference) + ".journal").exists()


def test_results_are_bit_identical_whatever_the_thread_count(tmp_path, reference):
    for n in (1, 3):
        out = tmp_path / f"j{n}.h5"
        tillit("sweep", *SLOW_ARGS, "-j", n, "-o", out, check=True)
        assert_same_data(out, reference)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_9_at_random_moments_then_resume_equals_uninterrupted(tmp_path, reference, seed):
    """Kill the sweep at a random moment, resume, kill the resume at another
    random moment, and so on; the final file's data equal the uninterrupted
    sweep's."""
    out = tmp_path / "k.h5"
    rnd = random.Random(seed)
    kills = 0
    killed_after_rename = False
    for attempt in range(3):
        args = ["sweep", *SLOW_ARGS, "-o", str(out)] + (["--resume"] if attempt else [])
        p = subprocess.Popen([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rnd.uniform(0.2, 2.5))
        if p.poll() is not None:
            break  # it finished first
        p.kill()
        p.wait()
        kills += 1
        if out.exists():
            # the kill landed after the file was complete and renamed (before
            # the journal was removed): then it must be whole, checked below
            killed_after_rename = True
            break
        assert Path(str(out) + ".journal").is_dir()
    if not out.exists():
        r = tillit("sweep", *SLOW_ARGS, "-o", out, "--resume")
        assert r.returncode == 0, r.stderr
    assert kills >= 1
    # a killed sweep never leaves a half-written file: whatever is there is whole
    assert_same_data(out, reference)
    if not killed_after_rename:
        assert not Path(str(out) + ".journal").exists()


def test_resume_of_a_complete_file_names_a_left_over_journal(tmp_path):
    out = tmp_path / "done.h5"
    tillit("sweep", QUICK, "-r", "1", "-t", "10", "-o", out, "--progress", "none", "-q", check=True)
    (tmp_path / "done.h5.journal").mkdir()  # as a sweep killed right after its rename leaves it
    r = tillit("sweep", QUICK, "-r", "1", "-t", "10", "-o", out, "--resume", "-q")
    assert r.returncode == 2 and "complete" in r.stderr and "done.h5.journal" in r.stderr
    assert "can be removed" in r.stderr


def test_ctrl_c_keeps_finished_runs_readable_and_resume_completes(tmp_path, reference):
    out = tmp_path / "c.h5"
    p = subprocess.Popen([BIN, "sweep", *SLOW_ARGS, "-o", str(out)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    journal = Path(str(out) + ".journal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not records(out):
        time.sleep(0.05)  # interrupt once something has finished (slow builds too)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 130, err
    assert "--resume" in err
    ds = xr.open_dataset(out, engine="h5netcdf")
    status = ds.run_status.values
    assert (status == 1).any() and (status == 0).any()
    done = status == 1
    # finished runs hold data, unfinished ones are missing (NaN), never zeros
    assert np.isfinite(ds.quality_true.values[done]).any()
    assert np.isnan(ds.quality_true.values[~done]).all()
    with h5py.File(out) as f:
        assert f.attrs["complete"] == 0
    r = tillit("sweep", *SLOW_ARGS, "-o", out, "--resume")
    assert r.returncode == 0, r.stderr
    assert_same_data(out, reference)


@pytest.mark.parametrize("shown", [["--progress", "json"], [], ["-q"]],
                         ids=["progress", "log-file", "quiet"])
def test_ctrl_c_says_what_it_writes_and_shows_its_progress(tmp_path, shown):
    """After Ctrl-C the finished runs are written to the output (minutes for a large
    design): the sweep says so at once, then shows the layout's progress and the
    write as it does for a sweep (issue 12: a huge sweep's Ctrl-C was silent) —
    also with no progress display (stderr to a log file), not with --quiet."""
    out = tmp_path / "c.h5"
    p = subprocess.Popen([BIN, "sweep", str(QUICK), "-r", "8", "-t", "520", *shown,
                          "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not records(out):
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 130, err
    lines = err.splitlines()
    said = [i for i, ln in enumerate(lines) if "interrupted: writing the" in ln]
    assert "written to" in lines[-1] and "--resume" in lines[-1]
    if "-q" in shown:
        assert not said, err
        return
    assert said, err
    assert "finished run" in lines[said[0]] and str(out) in lines[said[0]]
    if shown:
        after = [json.loads(ln) for ln in lines[said[0] + 1:] if ln.startswith("{")]
        layout = [e for e in after if e["event"] == "layout" and e["file"] == "output file"]
        assert layout and layout[0]["points_done"] == 0 and layout[-1]["points_done"] == layout[-1]["points"], err


def test_resume_refuses_a_changed_scenario(tmp_path):
    out = tmp_path / "r.h5"
    p = subprocess.Popen([BIN, "sweep", *SLOW_ARGS, "-o", str(out)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    time.sleep(1.0)
    p.kill()
    p.wait()
    r = tillit("sweep", *SLOW_ARGS, "--set", "need_rate=0.12", "-o", out, "--resume")
    assert r.returncode == 2
    assert "scenario changed" in r.stderr
    # starting over without --resume or --force is refused too, and says how
    r = tillit("sweep", *SLOW_ARGS, "-o", out)
    assert r.returncode == 2 and "--resume" in r.stderr
    r = tillit("sweep", *SLOW_ARGS, "-o", out, "--force", check=True)


def test_nothing_to_resume_is_a_clear_error(tmp_path):
    r = tillit("sweep", QUICK, "-o", tmp_path / "none.h5", "--resume")
    assert r.returncode == 2 and "nothing to resume" in r.stderr


def test_a_failed_run_is_recorded_and_the_sweep_goes_on(tmp_path):
    out = tmp_path / "f.h5"
    env = dict(os.environ, TILLIT_TEST_FAIL_RUNS="1:0,4:2")
    r = tillit("sweep", QUICK, "-o", out, "--progress", "none", env=env)
    assert r.returncode == 1, r.stderr
    assert "2 runs failed" in r.stderr
    ds = xr.open_dataset(out, engine="h5netcdf")
    st = ds.run_status.values
    assert st[1, 0] == 2 and st[4, 2] == 2 and (st == 1).sum() == st.size - 2
    err = ds.run_error.values
    assert "injected failure" in str(err[1, 0]) and str(err[0, 0]) == ""
    assert np.isnan(ds.quality_true.values[1, 0]).all()
    assert np.isfinite(ds.quality_true.values[1, 1]).any()


def _limit_file_size():
    # no file may grow beyond 3 MB: the output fills up after a few points
    # (the same error path as a full disk: the write fails)
    resource.setrlimit(resource.RLIMIT_FSIZE, (3_000_000, 3_000_000))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_full_disk_gives_a_clear_error_and_keeps_finished_runs(tmp_path, reference):
    out = tmp_path / "d.h5"
    p = subprocess.run([BIN, "sweep", *SLOW_ARGS, "-o", str(out)], capture_output=True, text=True,
                       preexec_fn=_limit_file_size, timeout=300)
    assert p.returncode == 3, p.stderr
    assert "resume" in p.stderr and "kept in" in p.stderr
    assert not out.exists()
    r = tillit("sweep", *SLOW_ARGS, "-o", out, "--resume")
    assert r.returncode == 0, r.stderr
    assert_same_data(out, reference)


def test_vanished_output_directory_gives_a_clear_error(tmp_path):
    d = tmp_path / "gone"
    d.mkdir()
    p = subprocess.Popen([BIN, "sweep", *SLOW_ARGS, "-o", str(d / "v.h5")], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    shutil.rmtree(d)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 3, err
    assert str(d) in err


def test_progress_json_lines_and_estimate(tmp_path):
    r = tillit("sweep", QUICK, "-o", tmp_path / "p.h5", "--progress", "json", check=True)
    events = [json.loads(l) for l in r.stderr.splitlines() if l.startswith("{")]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "estimate" and kinds[-1] == "done" and "progress" in kinds
    est = events[0]
    assert est["runs"] == 36 and est["output_bytes_max"] > 0 and est["seconds"] > 0
    last = [e for e in events if e["event"] == "progress"][-1]
    assert last["runs_done"] == last["runs_total"] == 36
    # where the time went: storing blocks took some; waiting for the writer is never negative
    assert 0 < last["write_s"] <= last["elapsed_s"] and last["writer_wait_s"] >= 0


def test_progress_json_stays_json_for_any_output_path(tmp_path):
    d = tmp_path / 'a "quoted" dir'
    d.mkdir()
    out = d / "back\\slash.h5"
    r = tillit("sweep", QUICK, "-r", "1", "-t", "10", "-o", out, "--progress", "json", check=True)
    done = [json.loads(l) for l in r.stderr.splitlines() if l.startswith('{"event":"done"')]
    assert len(done) == 1 and done[0]["output"] == str(out) and done[0]["runs_failed"] == 0


def test_dry_run_prints_the_estimate_and_writes_nothing(tmp_path):
    r = tillit("sweep", QUICK, "-o", tmp_path / "n.h5", "--dry-run", check=True)
    assert "36 runs" in r.stdout and "output" in r.stdout and "time" in r.stdout
    assert list(tmp_path.iterdir()) == []


def test_check_validates_without_running(tmp_path):
    r = tillit("check", QUICK, check=True)
    assert "valid" in r.stdout and "control_intensity" in r.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("regime:\n  control_intensty: 0.2\n")
    r = tillit("check", bad)
    assert r.returncode == 2 and "bad.yaml:2:3" in r.stderr and "control_intensity" in r.stderr


def test_check_validates_a_preset_as_its_help_says():
    r = tillit("check", "--preset", "balanced", check=True)
    assert r.stdout.startswith("preset balanced: valid") and "1 point" in r.stdout
    r = tillit("check", "--preset", "no-such-preset")
    assert r.returncode == 2 and "no-such-preset" in r.stderr
    r = tillit("check")
    assert r.returncode == 2 and "--preset" in r.stderr


SHIPPED = sorted((SRC / "scenarios").rglob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[str(p.relative_to(SRC)) for p in SHIPPED])
def test_every_shipped_scenario_runs(tmp_path, path):
    text = path.read_text()
    assert text.lstrip().startswith("#"), "each shipped file says in comments what it shows"
    assert "Source" in text or "source" in text
    args = ["sweep", path, "-o", tmp_path / "s.h5", "--progress", "none", "-q"]
    if path != QUICK:  # shortened: every point, one replicate
        args += ["-r", "1"]
        if "sobol" in path.name or path.name == "context-control.yaml":
            # 2,560 and 180 points: short runs of a small organisation
            args += ["-t", "12", "--set", "employees=40", "--set", "citizens=2000", "--set", "units=4"]
    tillit(*args, check=True)
    ds = xr.open_dataset(tmp_path / "s.h5", engine="h5netcdf")
    assert (ds.run_status.values == 1).all()


def test_quick_sweep_finishes_in_under_30_s_on_one_core(tmp_path):
    t0 = time.monotonic()
    tillit("sweep", QUICK, "-o", tmp_path / "q.h5", "-j", "1", "--progress", "none", check=True)
    assert time.monotonic() - t0 < 30
