"""Common random numbers across points (issue 10, item 3): under
`run: {common_random_numbers: true}` or `--crn`, replicate r of every point
draws the same random streams; without it, streams are keyed by point too."""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np

BIN = os.environ.get("TILLIT_BIN", "build/tillit")

TWINS = """name: twins
preset: balanced
organisation: {units: 2, employees: 20, citizens: 400}
run: {steps: 40, replicates: 3, seed: 3%s}
points:
  - {label: a}
  - {label: b}
  - {label: c, regime: {control_intensity: 0.4}}
"""


def tillit(*args):
    r = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r


def test_same_streams_for_every_point_only_with_crn(tmp_path):
    (tmp_path / "off.yaml").write_text(TWINS % "")
    (tmp_path / "on.yaml").write_text(TWINS % ", common_random_numbers: true")
    tillit("run", tmp_path / "off.yaml", "-q", "-o", tmp_path / "off.h5")
    tillit("run", tmp_path / "on.yaml", "-q", "-o", tmp_path / "on.h5")
    tillit("run", tmp_path / "off.yaml", "--crn", "-q", "-o", tmp_path / "flag.h5")
    with h5py.File(tmp_path / "off.h5") as f:
        q = f["quality_true"][()]
        assert f.attrs["common_random_numbers"] == 0
        assert not np.array_equal(q[0], q[1])  # identical points, different streams
    with h5py.File(tmp_path / "on.h5") as f:
        q_on, arrived = f["quality_true"][()], f["cases_arrived"][()]
        assert f.attrs["common_random_numbers"] == 1
        assert "common_random_numbers: true" in f.attrs["scenario"].decode()
        np.testing.assert_array_equal(q_on[0], q_on[1])  # identical points, the same streams
        assert not np.array_equal(q_on[0, 0], q_on[0, 1])  # replicates still differ
        np.testing.assert_array_equal(arrived[0], arrived[2])  # the same arrivals under another regime
    with h5py.File(tmp_path / "flag.h5") as f:
        np.testing.assert_array_equal(f["quality_true"][()], q_on)
    # the file's scenario reproduces the run
    r = tillit("check", tmp_path / "on.yaml")
    assert "common random numbers" in r.stdout
