"""A large design's points are made on demand (issue 12: `tillit check` of the largest
legal design held 3.3 GB, 3.3 KB per point). Points made on demand must be exactly the
points held: every shipped design and the test designs are checked, printed, written
as a design CSV and run (small) both ways, with TILLIT_TEST_POINTS_ON_DEMAND=1 (a test
seam that makes every sweep's points on demand) against the default (small designs
held), and compared: the same text, the same CSV, bit for bit the same data."""
import os
import re
import subprocess
from pathlib import Path

import h5py
import pytest

from h5data import assert_same_data

BIN = os.environ.get("TILLIT_BIN", "build/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))

DESIGNS = [
    "scenarios/examples/quick-sweep.yaml",         # grid
    "scenarios/examples/saltelli-small.yaml",      # sobol-saltelli: blocks and rows
    "scenarios/examples/morris-small.yaml",        # morris trajectories
    "scenarios/research/control-trust-grid.yaml",  # listed points x a grid: "SPEC/pR" labels
    "tests/data/scenarios/csv.yaml",               # CSV: row labels and a schedule's step
    "tests/data/scenarios/lhs.yaml",
    "tests/data/scenarios/sobol.yaml",
]
# a small organisation, long enough for every design's scheduled changes
SMALL = ["--set", "units=1", "--set", "employees=6", "--set", "citizens=30"]
# the estimate's time and memory are measured, not computed: they differ run to run
MEASURED = re.compile(r"^\s+(time|memory)\s")


def tillit(*args, on_demand=False):
    env = dict(os.environ)
    env.pop("TILLIT_TEST_POINTS_ON_DEMAND", None)
    if on_demand:
        env["TILLIT_TEST_POINTS_ON_DEMAND"] = "1"
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, env=env,
                          timeout=600)


def both(*args):
    held, made = tillit(*args), tillit(*args, on_demand=True)
    assert held.returncode == made.returncode, (held.stderr, made.stderr)
    return held, made


def text(r):
    return [ln for ln in (r.stdout + r.stderr).splitlines() if not MEASURED.match(ln)]


@pytest.mark.parametrize("design", DESIGNS)
def test_check_and_design_csv_are_the_same(design, tmp_path):
    held, made = both("check", SRC / design)
    assert held.returncode == 0, held.stderr
    assert text(held) == text(made)
    a, b = tmp_path / "held.csv", tmp_path / "made.csv"
    h = tillit("check", SRC / design, "--design-csv", a)
    m = tillit("check", SRC / design, "--design-csv", b, on_demand=True)
    assert h.returncode == m.returncode == 0, (h.stderr, m.stderr)
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("design", DESIGNS)
def test_a_sweep_writes_the_same_data(design, tmp_path):
    """Short runs of every point (with the command line's settings and a scheduled
    change applied over the design, and agent snapshots) give the same file."""
    out = {}
    for mode in ("held", "made"):
        out[mode] = tmp_path / f"{mode}.h5"
        r = tillit("sweep", SRC / design, "-r", "1", "-t", "110", *SMALL, "--set", "openness=0.4",
                   "--schedule", "support@6=0.2", "--snapshots", "0,12", "-o", out[mode], "-q",
                   "--progress", "none", on_demand=mode == "made")
        assert r.returncode == 0, r.stderr
    assert_same_data(out["held"], out["made"])


def test_the_command_line_wins_over_the_design(tmp_path):
    """--set of a design variable sets it at every point, held or made on demand."""
    out = {}
    for on_demand in (False, True):
        out[on_demand] = tmp_path / f"m{int(on_demand)}.h5"
        r = tillit("sweep", SRC / "scenarios/examples/quick-sweep.yaml", "--set",
                   "control_intensity=0.33", "-r", "1", "-t", "8", *SMALL, "-o", out[on_demand],
                   "-q", "--progress", "none", on_demand=on_demand)
        assert r.returncode == 0, r.stderr
        with h5py.File(out[on_demand]) as f:
            assert set(f["control_intensity"][...]) == {0.33}
    assert_same_data(out[False], out[True])


def test_a_bad_point_is_named_when_made_on_demand():
    """Each point is still checked as the file is read, with the point named."""
    held, made = both("check", SRC / "tests/data/scenarios/bad_csv_row.yaml")
    assert held.returncode != 0
    assert held.stderr == made.stderr


def peak_rss_mib(*args):
    """Peak resident memory of `tillit ARGS` (MiB), measured in a process of its own."""
    probe = ("import resource, subprocess, sys; "
             "r = subprocess.run(sys.argv[1:], capture_output=True); "
             "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    env = dict(os.environ)
    env.pop("TILLIT_TEST_POINTS_ON_DEMAND", None)
    r = subprocess.run(["/usr/bin/python3", "-c", probe, BIN, *map(str, args)],
                       capture_output=True, text=True, env=env, timeout=600)
    rc, kib = r.stdout.split()
    assert rc == "0", r.stderr
    return int(kib) / 1024


def test_a_large_design_is_checked_in_bounded_memory(tmp_path):
    """200,000 points (above the default threshold, no test seam): held, they would
    take 660 MB (3.3 KB each); made on demand, `check` and `--dry-run` stay far below."""
    sc = tmp_path / "large.yaml"
    sc.write_text("name: large\npreset: balanced\n"
                  "organisation: {units: 1, employees: 4, citizens: 20}\n"
                  "run: {steps: 4, replicates: 1, seed: 7}\n"
                  "sweep:\n  design: grid\n  parameters:\n"
                  "    control_intensity: {from: 0.0, to: 0.999, steps: 500}\n"
                  "    control_mode: {from: 0.0, to: 0.999, steps: 400}\n")
    assert peak_rss_mib("check", sc) < 200
    assert peak_rss_mib("sweep", sc, "--dry-run", "-o", tmp_path / "x.h5") < 200
