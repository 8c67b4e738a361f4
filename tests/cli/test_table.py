"""Tests of the experiment table: exact design values, `tillit check` and
`--dry-run` listing and exporting the design, point labels in the summary
group, and `tillit table` (issue 10). Run by ctest with the `cli` group."""
import csv
import io
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

BIN = os.environ.get("TILLIT_BIN", "build/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))

GRID = """name: exact-grid
preset: balanced
organisation: {units: 2, employees: 20, citizens: 400}
run: {steps: 60, replicates: 3, seed: 7}
sweep:
  design: grid
  parameters:
    baseline_trust: {from: 0.3, to: 0.9, steps: 3}
    control_intensity: [0.1, 0.2]
"""


def tillit(*args, cwd=None, check=False, timeout=600):
    r = subprocess.run([BIN, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"tillit {args} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    d = tmp_path_factory.mktemp("grid")
    (d / "grid.yaml").write_text(GRID)
    tillit("sweep", d / "grid.yaml", "-o", d / "grid.h5", "-q", check=True)
    return d


def test_check_help_prints_only_the_help():
    r = tillit("check", "--help", check=True)
    assert "usage: tillit check" in r.stdout
    assert "(null)" not in r.stdout + r.stderr and "nan" not in r.stdout


def test_grid_values_are_decimal_exact(grid):
    ds = xr.open_dataset(grid / "grid.h5", engine="h5netcdf")
    assert sorted(set(ds.baseline_trust.values.tolist())) == [0.3, 0.6, 0.9]
    assert int((ds.baseline_trust == 0.6).sum()) == 2
    assert 0.6 in ds.design_values.sel(design_variable="baseline_trust").values.tolist()
    ds.close()


def test_summary_group_names_its_points(grid):
    sm = xr.open_dataset(grid / "grid.h5", engine="h5netcdf", group="summary")
    assert list(sm.point_label.values) == [f"p{i}" for i in range(6)]
    assert "baseline_trust" in sm.coords and "control_intensity" in sm.coords
    sel = sm.quality_true.sel(statistic="mean").swap_dims(point="baseline_trust").sel(baseline_trust=0.6)
    assert sel.shape == (2, 60)
    sm.close()


def test_check_and_dry_run_print_and_export_the_design(tmp_path):
    (tmp_path / "grid.yaml").write_text(GRID)
    r = tillit("check", tmp_path / "grid.yaml", "--design-csv", tmp_path / "design.csv", check=True)
    assert "p2  baseline_trust=0.6, control_intensity=0.1" in r.stdout
    rows = list(csv.DictReader(open(tmp_path / "design.csv")))
    assert [r["baseline_trust"] for r in rows] == ["0.3", "0.3", "0.6", "0.6", "0.9", "0.9"]
    assert [r["control_intensity"] for r in rows] == ["0.1", "0.2"] * 3
    assert rows[0].keys() >= {"point", "label", "steps"}
    # never overwritten without --force
    r = tillit("check", tmp_path / "grid.yaml", "--design-csv", tmp_path / "design.csv")
    assert r.returncode == 2 and "--force" in r.stderr
    r = tillit("sweep", tmp_path / "grid.yaml", "-o", tmp_path / "g.h5", "--dry-run",
               "--design-csv", "-", check=True)
    assert r.stdout.startswith("point,label,baseline_trust,control_intensity,steps\n0,p0,0.3,0.1,60\n")
    assert "point 5    p5  baseline_trust=0.9, control_intensity=0.2" in r.stdout
    assert not (tmp_path / "g.h5").exists()


def test_design_csv_of_a_saltelli_design_has_blocks(tmp_path):
    r = tillit("check", SRC / "scenarios/research/regime-sobol.yaml", "--design-csv", tmp_path / "d.csv",
               check=True)
    assert "more points (all of them: --design-csv FILE)" in r.stdout
    rows = list(csv.DictReader(open(tmp_path / "d.csv")))
    assert len(rows) == 256 * 10 and {"design_block", "design_row", "mandate"} <= rows[0].keys()
    # control_intensity in [0, 0.6] scaled from dyadic Sobol' points: written as the short decimal
    assert "0.45" in {r["control_intensity"] for r in rows}
