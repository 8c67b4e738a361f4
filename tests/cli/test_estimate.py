"""The pre-flight estimate (`tillit sweep --dry-run`) against what happens:
output size and peak memory within 2x of the actual for sweeps of different
shapes; the layout's progress shown before the first run's; an empty layout
left empty. Wall time is not asserted here (timing is flaky on loaded
machines): docs/performance.md compares it ("How good is the pre-flight
estimate?")."""
import json
import os
import subprocess
import time
from pathlib import Path

import h5py
import pytest

from peak import peak_of, sanitized

BIN = os.environ.get("TILLIT_BIN", "build/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
QUICK = SRC / "scenarios/examples/quick-sweep.yaml"
SANITIZED = sanitized(BIN)

# a design of many small points: the layout and the chunks' index weigh most
MANY = """name: many-points
preset: balanced
organisation: {units: 5, employees: 40, citizens: 500}
run: {steps: 10, replicates: 1, seed: 7}
sweep:
  design: grid
  parameters:
    control_intensity: {from: 0.0, to: 0.9, steps: 12}
    control_mode: {from: 0.0, to: 1.0, steps: 12}
"""

SHAPES = {
    "series": [QUICK, "-r", "2", "-t", "52", "-j", "2"],
    "one-thread": [QUICK, "-r", "3", "-t", "52", "-j", "1"],
    "summary-only": [QUICK, "-r", "4", "-t", "104", "--summary-only", "-j", "2"],
    "snapshots": [QUICK, "-r", "2", "-t", "52", "--snapshots", "0,26,52", "-j", "2"],
    "record-some": [QUICK, "-r", "2", "-t", "52", "--record", "quality_true,incidents", "-j", "2"],
    "many-points": ["MANY", "-j", "2"],
}


def estimate_of(args, out):
    r = subprocess.run([BIN, "sweep", *map(str, args), "-o", str(out), "--dry-run", "--progress",
                        "json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    ev = [json.loads(l) for l in r.stderr.splitlines() if l.startswith('{"event":"estimate"')]
    assert len(ev) == 1 and not out.exists()
    return ev[0]


def run_measured(args, out):
    """Run the sweep; its peak resident memory in bytes."""
    code, peak = peak_of("sweep", *args, "-o", out, "-q", "--progress", "none", timeout=120)
    assert code == 0
    return peak


@pytest.mark.parametrize("shape", SHAPES)
def test_estimate_of_output_and_memory_is_within_2x(tmp_path, shape):
    args = SHAPES[shape]
    if args[0] == "MANY":
        (tmp_path / "many.yaml").write_text(MANY)
        args = [tmp_path / "many.yaml", *args[1:]]
    est = estimate_of(args, tmp_path / "o.h5")
    rss = run_measured(args, tmp_path / "o.h5")
    size = (tmp_path / "o.h5").stat().st_size
    assert 0.5 <= est["output_bytes"] / size <= 2, (est, size)
    assert est["output_bytes_max"] >= size, (est, size)  # "at most" is an upper bound
    assert 0 < est["layout_bytes"] < est["output_bytes"]
    if not SANITIZED:   # (the output-size checks above hold there too)
        assert 0.5 <= est["memory_bytes"] / rss <= 2, (est, rss)


def test_the_layout_shows_progress_before_the_first_run(tmp_path):
    r = subprocess.run([BIN, "sweep", QUICK, "-r", "1", "-t", "10", "-o", tmp_path / "l.h5",
                        "--progress", "json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    events = [json.loads(l) for l in r.stderr.splitlines() if l.startswith("{")]
    kinds = [e["event"] for e in events]
    assert "layout" in kinds and "progress" in kinds
    assert kinds[0] == "estimate" and kinds.index("layout") < kinds.index("progress")
    layout = [e for e in events if e["event"] == "layout"]
    # the journal's layout, then the output file's: each started, then (on a
    # slow machine, every second meanwhile) written
    files = [e["file"] for e in layout]
    assert files == sorted(files, key=["journal", "output file"].index) and set(files) == {
        "journal", "output file"}
    for f in ("journal", "output file"):
        ev = [e for e in layout if e["file"] == f]
        assert ev[0]["points_done"] == 0 and ev[-1]["points_done"] == 9
        assert all(e["points_done"] == 0 for e in ev[:-1]) and all(e["points"] == 9 for e in ev)
        assert [e["elapsed_s"] for e in ev] == sorted(e["elapsed_s"] for e in ev)
    last_layout = max(i for i, k in enumerate(kinds) if k == "layout")
    assert last_layout < kinds.index("progress")


def test_the_layout_shows_progress_as_text_in_bar_mode(tmp_path):
    r = subprocess.run([BIN, "sweep", QUICK, "-r", "1", "-t", "10", "-o", tmp_path / "l.h5",
                        "--progress", "bar"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "writing the output file's layout (9 points): 0 s" in r.stderr
    assert "the output file's layout written (9 points) in" in r.stderr


def test_an_empty_layout_stays_empty(tmp_path):
    """The journal's layout (no runs yet) holds no summary chunks: NaN is the fill value."""
    (tmp_path / "many.yaml").write_text(MANY)
    out = tmp_path / "e.h5"
    env = dict(os.environ, TILLIT_TEST_SIGNAL_AT="writer")
    r = subprocess.run([BIN, "sweep", tmp_path / "many.yaml", "-o", out, "-q", "--progress", "none"],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 130, r.stderr
    with h5py.File(tmp_path / "e.h5.journal/layout.h5") as f:
        summ = f["summary/quality_true"]
        assert summ.shape[0] == 144 and summ.id.get_storage_size() == 0
        assert f["quality_true"].id.get_storage_size() == 0
        assert f["summary/quality_true"][0, 0, 0] != f["summary/quality_true"][0, 0, 0]  # NaN


def test_a_large_designs_preparation_is_shown(tmp_path):
    """Reading a large design, writing its text for the journal and estimating
    take seconds (a 10^6-point design: 33 s, docs/performance.md): a `prepare`
    event every second while each lasts, all before the estimate. Three
    phases that take 4 s or more between them include one of over a second."""
    scen = tmp_path / "large.yaml"
    scen.write_text(MANY.replace("steps: 12}", "steps: 400}", 1).replace("steps: 12}", "steps: 250}", 1))
    t0 = time.monotonic()
    r = subprocess.run([BIN, "sweep", str(scen), "-o", str(tmp_path / "o.h5"), "--dry-run", "--progress",
                        "json"], capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    ev = [json.loads(line) for line in r.stderr.splitlines() if line.startswith("{")]
    assert ev[-1]["event"] == "estimate" and ev[-1]["points"] == 100000
    prep = ev[:-1]
    assert all(e["event"] == "prepare" for e in prep), prep
    assert all(e["what"] in ("reading the scenario", "preparing the journal", "estimating") for e in prep)
    assert all(e["elapsed_s"] >= 0.9 for e in prep)
    if elapsed >= 4:
        assert prep, f"{elapsed:.1f} s and no prepare event"


# 200,000 points of a tiny organisation: the resolved scenario's text (23 MB)
# and the points' labels weigh most while the layouts are written
LARGE = """name: large
preset: balanced
organisation: {units: 1, employees: 4, citizens: 20}
run: {steps: 4, replicates: 1, seed: 7}
sweep:
  design: grid
  parameters:
    control_intensity: {from: 0.0, to: 0.999, steps: 500}
    control_mode: {from: 0.0, to: 0.999, steps: 400}
"""


def test_a_large_designs_layout_is_estimated_within_2x(tmp_path):
    """Writing the layouts of a large design holds the scenario's text four
    times (the journal's copy, the writer's, HDF5's two): the memory estimate
    covers that phase (it said 195 MiB where 10^6 points peaked at 606 MB),
    the layout's size is within 2x of the journal's, and the parameters no
    point varies are not written (10^6 points wrote 1.3 GB of them)."""
    scen = tmp_path / "large.yaml"
    scen.write_text(LARGE)
    est = estimate_of([scen], tmp_path / "o.h5")
    env = dict(os.environ, TILLIT_TEST_SIGNAL_AT="writer")  # stop once both layouts are written
    code, peak = peak_of("sweep", scen, "-o", tmp_path / "o.h5", "-q", "--progress", "none",
                         env=env)
    assert code == 130
    layout = tmp_path / "o.h5.journal/layout.h5"
    assert 0.5 <= est["layout_bytes"] / layout.stat().st_size <= 2, (est, layout.stat().st_size)
    if not SANITIZED:
        assert 0.5 <= est["memory_bytes"] / peak <= 2, (est, peak)
    with h5py.File(layout) as f:
        varied, fixed = f["control_intensity"], f["need_rate"]
        assert varied.id.get_storage_size() == 200000 * 8 and varied[499 * 400] > 0.99
        assert fixed.id.get_storage_size() == 0  # a fill value: read at every point
        assert fixed.shape == (200000,) and (fixed[:] == 0.1).all()  # need_rate of balanced
        text = f.attrs["scenario"]
        text = text.decode() if isinstance(text, bytes) else text
        assert text.count("\n  - label:") == 200000 and "  need_rate: 0.10000000000000001\n" in text
