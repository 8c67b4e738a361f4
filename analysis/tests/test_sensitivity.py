"""The sensitivity estimators on functions with known answers, and on engine sweeps."""

import numpy as np
import pytest
import xarray as xr

import tillit_analysis as ta
from tillit_analysis import sensitivity as sa

# Ishigami with a = 7, b = 0.1 on [-pi, pi]^3: the analytic indices
A, B = 7.0, 0.1
V1 = 0.5 * (1 + B * np.pi ** 4 / 5) ** 2
V2 = A ** 2 / 8
V13 = B ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
V = 0.5 + A ** 2 / 8 + B * np.pi ** 4 / 5 + B ** 2 * np.pi ** 8 / 18
S1_TRUE = np.array([V1 / V, V2 / V, 0.0])
ST_TRUE = np.array([(V1 + V13) / V, V2 / V, V13 / V])


def ishigami(x):
    z = -np.pi + 2 * np.pi * np.asarray(x)
    return np.sin(z[..., 0]) + A * np.sin(z[..., 1]) ** 2 + \
        B * z[..., 2] ** 4 * np.sin(z[..., 0])


def test_known_ishigami_values():
    np.testing.assert_allclose(S1_TRUE, [0.314, 0.442, 0.0], atol=1e-3)
    np.testing.assert_allclose(ST_TRUE, [0.558, 0.442, 0.244], atol=1e-3)


@pytest.fixture(scope="module")
def ishigami_indices():
    a, b, ab = sa.saltelli_sample(4096, 3, seed=42)
    y_ab = np.stack([ishigami(ab[i]) for i in range(3)], axis=1)
    return sa.sobol_indices(ishigami(a), ishigami(b), y_ab, n_boot=500, conf=0.95, seed=1,
                            names=["x1", "x2", "x3"])


def test_sobol_recovers_ishigami_within_its_confidence_intervals(ishigami_indices):
    df = ishigami_indices
    assert list(df.index) == ["x1", "x2", "x3"]
    for i, name in enumerate(df.index):
        row = df.loc[name]
        assert row.S1_lo <= S1_TRUE[i] <= row.S1_hi, (name, "S1", row.S1, S1_TRUE[i])
        assert row.ST_lo <= ST_TRUE[i] <= row.ST_hi, (name, "ST", row.ST, ST_TRUE[i])
        assert row.S1_lo < row.S1 < row.S1_hi and row.ST_lo < row.ST < row.ST_hi
        # and the intervals are informative, not [-inf, inf]
        assert row.S1_hi - row.S1_lo < 0.15 and row.ST_hi - row.ST_lo < 0.15
    np.testing.assert_allclose(df.S1.values, S1_TRUE, atol=0.05)
    np.testing.assert_allclose(df.ST.values, ST_TRUE, atol=0.05)


def test_sobol_is_invariant_to_an_offset_and_scale():
    a, b, ab = sa.saltelli_sample(512, 3, seed=3)
    y_ab = np.stack([ishigami(ab[i]) for i in range(3)], axis=1)
    base = sa.sobol_indices(ishigami(a), ishigami(b), y_ab, n_boot=0)
    moved = sa.sobol_indices(5000 + 3 * ishigami(a), 5000 + 3 * ishigami(b), 5000 + 3 * y_ab,
                             n_boot=0)
    np.testing.assert_allclose(base[["S1", "ST"]].values, moved[["S1", "ST"]].values, atol=1e-9)


def test_sobol_drops_rows_with_missing_runs():
    a, b, ab = sa.saltelli_sample(1024, 3, seed=5)
    ya, yb = ishigami(a), ishigami(b)
    y_ab = np.stack([ishigami(ab[i]) for i in range(3)], axis=1)
    ya[3] = np.nan
    y_ab[10, 2] = np.nan
    df = sa.sobol_indices(ya, yb, y_ab, n_boot=100)
    assert df.attrs["N"] == 1022
    assert np.isfinite(df.values).all()


def test_morris_ranks_a_linear_function():
    x, traj = sa.morris_sample(20, 4, levels=4, seed=7)
    coef = np.array([4.0, 0.5, 2.0, 0.0])
    rng = np.random.default_rng(0)
    y = x @ coef + 0.01 * rng.standard_normal(len(x))
    df = sa.morris_indices(x, y, traj, names=["a", "b", "c", "d"], n_boot=300)
    assert list(df.sort_values("mu_star", ascending=False).index) == ["a", "c", "b", "d"]
    # a linear function: mu* = |coefficient| per unit range, sigma ~ 0
    np.testing.assert_allclose(df.mu_star.values, np.abs(coef), atol=0.1)
    np.testing.assert_allclose(df.mu.values, coef, atol=0.1)
    assert (df.sigma.values < 0.1).all()
    assert (df.mu_star_lo <= df.mu_star).all() and (df.mu_star <= df.mu_star_hi).all()
    assert (df.r == 20).all()


def test_morris_effects_are_per_whole_range():
    x, traj = sa.morris_sample(10, 2, seed=1)
    xs = np.column_stack([10 + 90 * x[:, 0], x[:, 1]])  # variable 0 spans [10, 100]
    y = 0.02 * xs[:, 0] + xs[:, 1]
    df = sa.morris_indices(xs, y, traj, ranges=[90, 1], n_boot=0)
    np.testing.assert_allclose(df.mu_star.values, [0.02 * 90, 1.0])


def _synthetic_sweep(points_x, y, design, blocks, rows, names, base):
    """A dataset shaped like the engine's output of a design, with y constant in time."""
    npts = len(y)
    data = np.repeat(np.asarray(y, float)[:, None, None], 10, axis=2)
    ds = xr.Dataset(
        {"quality_true": (("point", "replicate", "step"), data, {"units": "1"}),
         "run_status": (("point", "replicate"), np.ones((npts, 1), np.int8)),
         "design_values": (("point", "design_variable"), points_x)},
        coords={"point": np.arange(npts), "replicate": [0], "step": np.arange(1, 11),
                "design_variable": names, "design_block": ("point", blocks),
                "design_row": ("point", rows),
                "point_label": ("point", np.array([f"p{i}" for i in range(npts)], object))},
        attrs={"design": design, "design_base": base, "metric_names": "quality_true"})
    for i, n in enumerate(names):
        ds = ds.assign_coords({n: ("point", points_x[:, i])})
    return ds


def test_sobol_from_a_dataset_in_the_engines_point_order():
    n, d = 1024, 3
    a, b, ab = sa.saltelli_sample(n, d, seed=11)
    xs, blocks, rows = [], [], []
    for j in range(n):  # A_j, AB_j,0 .. AB_j,d-1, B_j, as the engine writes them
        for blk, x in [(0, a[j])] + [(2 + i, ab[i, j]) for i in range(d)] + [(1, b[j])]:
            xs.append(x)
            blocks.append(blk)
            rows.append(j)
    xs = np.array(xs)
    ds = _synthetic_sweep(xs, ishigami(xs), "sobol-saltelli", np.array(blocks), np.array(rows),
                          ["x1", "x2", "x3"], n)
    res = sa.sobol_from_dataset(ds, ["quality_true"], window=5, n_boot=200)
    np.testing.assert_allclose(res.S1.values, S1_TRUE, atol=0.06)
    np.testing.assert_allclose(res.ST.values, ST_TRUE, atol=0.06)
    assert list(res.variable) == ["x1", "x2", "x3"]


def test_morris_from_a_dataset():
    x, traj = sa.morris_sample(12, 3, seed=2)
    rows = np.concatenate([np.arange(4)] * 12)
    y = x @ np.array([1.0, -3.0, 0.2])
    ds = _synthetic_sweep(x, y, "morris", traj, rows, ["u", "v", "w"], 12)
    order = np.random.default_rng(0).permutation(len(y))  # any point order works
    ds = ds.isel(point=order)
    res = sa.morris_from_dataset(ds, ["quality_true"], window=5, n_boot=100)
    np.testing.assert_allclose(res.mu_star.values, [1.0, 3.0, 0.2], atol=1e-9)
    np.testing.assert_allclose(res.mu.values, [1.0, -3.0, 0.2], atol=1e-9)


def test_indices_from_engine_sweeps(sobol_file, morris_file):
    ds = ta.load(sobol_file)
    res = sa.sobol_from_dataset(ds, ["quality_true", "cost_per_case"], window=20, n_boot=100)
    assert len(res) == 2 * 3
    assert set(res.variable) == {"baseline_trust", "mandate", "schedule_0_value"}
    assert np.isfinite(res[["S1", "ST"]].values).all()
    assert (res.ST >= 0).all()
    dm = ta.load(morris_file)
    rm = sa.morris_from_dataset(dm, ["quality_true"], window=20, n_boot=100)
    assert list(rm.variable) == ["control_intensity", "support", "error_tolerance"]
    assert (rm.r >= 3).all() and np.isfinite(rm.mu_star).all()
    with pytest.raises(ValueError, match="sobol-saltelli"):
        sa.sobol_from_dataset(dm, ["quality_true"])
    with pytest.raises(ValueError, match="morris"):
        sa.morris_from_dataset(ds, ["quality_true"])


# Ishigami's only interaction is x1 x x3: S13 = V13 / V, S12 = S23 = 0
S2_TRUE = {("x1", "x2"): 0.0, ("x1", "x3"): V13 / V, ("x2", "x3"): 0.0}


def test_second_order_recovers_the_ishigami_interaction():
    a, b, ab, ba = sa.saltelli_sample(8192, 3, seed=5, second_order=True)
    y_ab = np.stack([ishigami(ab[i]) for i in range(3)], axis=1)
    y_ba = np.stack([ishigami(ba[i]) for i in range(3)], axis=1)
    df = sa.sobol_second_order(ishigami(a), ishigami(b), y_ab, y_ba, n_boot=300, seed=2,
                               names=["x1", "x2", "x3"])
    assert [(r.variable_1, r.variable_2) for r in df.itertuples()] == list(S2_TRUE)
    for r in df.itertuples():
        true = S2_TRUE[(r.variable_1, r.variable_2)]
        assert r.S2_lo <= true <= r.S2_hi, (r.variable_1, r.variable_2, r.S2, true)
        assert abs(r.S2 - true) < 0.06 and r.S2_hi - r.S2_lo < 0.2
    # the interaction is told apart from none
    x13 = df[(df.variable_1 == "x1") & (df.variable_2 == "x3")].iloc[0]
    assert x13.S2_lo > 0.1


def test_second_order_from_the_engines_blocks(tillit, outdir):
    """A sweep with second_order: true has the BA blocks; the indices come
    out per pair; a first-order design is refused with what to do."""
    from conftest import SMALL_ORG, _scenario

    path = _scenario(tillit, outdir, "sobol2", f"""name: test-sobol2
preset: balanced
{SMALL_ORG}run: {{steps: 30, replicates: 1, seed: 4}}
sweep:
  design: sobol
  samples: 8
  second_order: true
  parameters:
    mandate: {{min: 0.1, max: 0.9}}
    control_intensity: {{min: 0, max: 0.5}}
    openness: {{min: 0.2, max: 1}}
""")
    ds = ta.load(path)
    assert ds.sizes["point"] == 8 * (2 * 3 + 2)
    assert sa.has_second_order(ds)
    res = sa.sobol2_from_dataset(ds, ["quality_true"], window=10, n_boot=50)
    assert len(res) == 3 and set(res.N) == {8}
    assert np.isfinite(res.S2).all()
    # first and total indices still read the A, B and AB blocks alone
    first = sa.sobol_from_dataset(ds, ["quality_true"], window=10, n_boot=0)
    assert len(first) == 3 and np.isfinite(first.S1).all()
    # the command line prints them and writes them
    from tillit_analysis import cli

    s2 = outdir / "sobol2-s2.csv"
    assert cli.main(["sensitivity", path, "-o", str(outdir / "sobol2.png"), "--bootstrap", "50",
                     "-w", "10", "-m", "quality_true", "--s2-csv", str(s2), "--force"]) == 0
    assert s2.read_text().startswith("metric,condition,variable_1,variable_2,S2,S2_lo,S2_hi,N")


def test_second_order_refuses_a_first_order_design(sobol_file):
    ds = ta.load(sobol_file)
    assert not sa.has_second_order(ds)
    with pytest.raises(ValueError, match="second_order: true"):
        sa.sobol2_from_dataset(ds, ["quality_true"])
