"""The research example scripts run on their shipped scenario (shortened) and say what they found."""

import csv
import os
import subprocess
import sys

from conftest import REPO, run_engine

SCRIPT = os.path.join(REPO, "analysis", "examples", "context_control.py")
FREE_LUNCH = os.path.join(REPO, "analysis", "examples", "free_lunch.py")


def _script(args, script=SCRIPT):
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, "analysis"))
    return subprocess.run([sys.executable, script] + args, capture_output=True, text=True,
                          env=env, timeout=300)


def test_context_control_reads_its_sweep_and_names_the_best_control(tillit, outdir):
    h5 = str(outdir / "context-control.h5")
    run_engine(tillit, ["sweep", os.path.join(REPO, "scenarios/research/context-control.yaml"),
                        "-r", "3", "-t", "30", "-q", "--progress", "none", "-o", h5])
    png, table = str(outdir / "cc.png"), str(outdir / "cc.csv")
    res = _script([h5, "-o", png, "--csv", table])
    assert res.returncode == 0, res.stderr
    assert os.path.getsize(png) > 10_000
    with open(table) as f:
        rows = list(csv.DictReader(f))
    # 3 contexts x 2 chains x 2 mechanism settings x 3 shares
    assert len(rows) == 36
    assert {r["context"] for r in rows} == {"benefits", "home-care", "child-protection"}
    assert {(r["chain"], r["mech"]) for r in rows} == {(c, m) for c in ("none", "preset")
                                                       for m in ("off", "on")}
    grid = {0.0, 0.05, 0.1, 0.2, 0.4}
    for r in rows:
        best = float(r["best_control"])
        ties = {float(v) for v in r["within_noise"].split()}
        assert best in grid and best in ties and ties <= grid
        assert float(r["outcome_at_best"]) >= float(r["outcome_at_0"])
        assert r["n"] == "3"
    assert "within noise" in res.stdout


def test_context_control_refuses_a_file_without_common_random_numbers(default_file, outdir):
    res = _script([default_file, "-o", str(outdir / "no.png")])
    assert res.returncode != 0
    assert "common random numbers" in res.stderr
    assert "Traceback" not in res.stderr


def test_free_lunch_compares_every_move_with_the_baseline_on_each_criterion(tillit, outdir):
    h5 = str(outdir / "free-lunch.h5")
    run_engine(tillit, ["sweep", os.path.join(REPO, "scenarios/research/free-lunch.yaml"),
                        "-r", "3", "-t", "30", "-q", "--progress", "none", "-o", h5])
    table, md = str(outdir / "fl.csv"), str(outdir / "fl.md")
    res = _script([h5, "--csv", table, "--md", md], script=FREE_LUNCH)
    assert res.returncode == 0, res.stderr
    with open(table) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 31 * 2  # every lever move at both shares of self-interested staff
    criteria = ("service", "incidents", "equal gap", "strain", "budget")
    for r in rows:
        assert all(r[c] in ("better", "worse", "~") for c in criteria + ("composite",))
        # the verdict follows the interval and the criterion's direction
        lo, hi = float(r["strain_lo"]), float(r["strain_hi"])
        assert r["strain"] == ("better" if hi < 0 else "worse" if lo > 0 else "~")
        v = [r[c] for c in criteria]
        assert (r["free_lunch"] == "True") == ("better" in v and "worse" not in v)
        # a free lunch lists its costs below the criteria ('name +x %, a -> b'); others none
        if r["free_lunch"] != "True":
            assert r["hidden_costs"] == ""
        for cost in filter(None, r["hidden_costs"].split("; ")):
            assert cost.count(" -> ") == 1 and not cost[0].isspace()
    assert "free lunches:" in res.stdout
    assert "costs below the criteria" in res.stdout
    text = open(md).read()
    assert text.count("\n") == 2 + 31 and "`control_intensity`" in text
    # many comparisons: each interval is widened to 1 - 0.05/10 (5 criteria x 2 shares per
    # move), and contains the per-comparison 95 % interval of the same difference
    assert all(abs(float(r["interval_conf"]) - 0.995) < 1e-12 for r in rows)
    assert "family-wise 95 % per move" in res.stdout
    loose = str(outdir / "fl-loose.csv")
    res2 = _script([h5, "--csv", loose, "--per-comparison"], script=FREE_LUNCH)
    assert res2.returncode == 0, res2.stderr
    with open(loose) as f:
        loose_rows = list(csv.DictReader(f))
    assert all(float(r["interval_conf"]) == 0.95 for r in loose_rows)
    for r, q in zip(rows, loose_rows):
        assert (r["lever"], r["move"], r["row"]) == (q["lever"], q["move"], q["row"])
        for c in criteria:
            assert float(r[c + "_diff"]) == float(q[c + "_diff"])
            assert float(r[c + "_lo"]) <= float(q[c + "_lo"]) <= float(q[c + "_hi"]) \
                <= float(r[c + "_hi"])
    bad = _script([h5, "--conf", "1.5"], script=FREE_LUNCH)
    assert bad.returncode != 0 and "--conf" in bad.stderr and "Traceback" not in bad.stderr


def test_context_regimes_reads_the_staffing_sweep_and_shows_the_price_of_staff(tillit, outdir):
    """The staffing sweep's regime labels are not preset names: the script
    draws them all, and the staff above funded_employees show as cost."""
    h5 = str(outdir / "staffing.h5")
    run_engine(tillit, ["sweep", os.path.join(REPO, "scenarios/research/staffing.yaml"),
                        "-r", "3", "-t", "30", "-q", "--progress", "none", "-o", h5])
    png, table = str(outdir / "st.png"), str(outdir / "st.csv")
    res = _script([h5, "-o", png, "--csv", table],
                  script=os.path.join(REPO, "analysis", "examples", "context_regimes.py"))
    assert res.returncode == 0, res.stderr
    assert os.path.getsize(png) > 10_000
    with open(table) as f:
        rows = list(csv.DictReader(f))
    regimes = {"balanced", "control-based", "control-based-240", "control-based-280"}
    assert {r["regime"] for r in rows} == regimes
    budget = {(r["context"], r["self_interested"], r["regime"]): float(r["mean"])
              for r in rows if r["criterion"] == "budget_deviation"}
    assert len(budget) == 3 * 2 * 4
    for ctx, si, reg in budget:
        if reg == "control-based":
            # 40 more employees than funded cost about 40/200 of the wage bill
            assert budget[ctx, si, "control-based-240"] > budget[ctx, si, reg] + 0.05
            assert budget[ctx, si, "control-based-280"] > budget[ctx, si, "control-based-240"] + 0.05


def test_deterrence_names_the_best_control_per_probe(tillit, outdir):
    h5 = str(outdir / "deterrence.h5")
    run_engine(tillit, ["sweep", os.path.join(REPO, "scenarios/research/deterrence.yaml"),
                        "-r", "3", "-t", "30", "-q", "--progress", "none", "-o", h5])
    table = str(outdir / "det.csv")
    res = _script([h5, "--csv", table],
                  script=os.path.join(REPO, "analysis", "examples", "deterrence.py"))
    assert res.returncode == 0, res.stderr
    with open(table) as f:
        rows = list(csv.DictReader(f))
    assert {r["probe"] for r in rows} == {"baseline", "untargeted-chain", "costly-compliance",
                                          "no-removal"}
    assert len(rows) == 4 * 2
    grid = {0.0, 0.05, 0.15, 0.3}
    for r in rows:
        ties = {float(v) for v in r["within_noise"].split()}
        assert float(r["best"]) in ties and ties <= grid
        assert float(r["outcome_index_at_best"]) >= float(r["outcome_index_at_0"])
    # no removal means none, whatever is found
    assert all(float(r["removals_at_0"]) == 0 for r in rows if r["probe"] == "no-removal")


def test_deterrence_refuses_a_file_of_another_shape(default_file):
    res = _script([default_file], script=os.path.join(REPO, "analysis", "examples",
                                                      "deterrence.py"))
    assert res.returncode != 0 and "Traceback" not in res.stderr


TURNOVER = os.path.join(REPO, "analysis", "examples", "turnover.py")


def test_turnover_keeps_settings_in_the_target_and_judges_them_like_the_defaults(tillit, outdir):
    h5 = str(outdir / "turnover.h5")
    run_engine(tillit, ["sweep", os.path.join(REPO, "scenarios/research/turnover.yaml"),
                        "-r", "3", "-t", "30", "-q", "--progress", "none", "-o", h5])
    table = str(outdir / "turnover.csv")
    res = _script([h5, "--csv", table], script=TURNOVER)
    assert res.returncode == 0, res.stderr
    with open(table) as f:
        rows = list(csv.DictReader(f))
    defaults = rows[0]
    assert [float(defaults[k]) for k in ("burnout_recognised", "burnout_threshold",
                                          "quit_strain", "strikes_to_remove")] == [0, 0.75, 0.02, 5]
    kept = [r for r in rows if r["kept"] == "1"]
    assert f"{len(kept)} of 144 settings" in res.stdout
    assert all(0.12 <= float(r["turnover_year"]) <= 0.34 for r in kept)
    assert all(r["kept"] == "1" for r in rows[1:])
    higher = {"service_value": True, "outcome_index": True, "incidents": False,
              "equal_gap": False, "strain_mean": False, "budget_deviation": False}
    for r in rows:
        for m, up in higher.items():
            v, d = r[f"{m}_verdict"], float(r[f"{m}_diff"])
            assert v in "+-."
            if v != ".":  # a verdict agrees with the sign of the mean difference
                assert (d > 0) == ((v == "+") == up)
    # no removal means none
    assert all(float(r["removals_year"]) == 0 for r in rows if r["strikes_to_remove"] == "100.0")
    # choosing the settings on the same file keeps the same ones
    again = str(outdir / "again.csv")
    res2 = _script([h5, "--kept-from", h5, "--csv", again], script=TURNOVER)
    assert res2.returncode == 0, res2.stderr
    with open(again) as f:
        assert list(csv.DictReader(f)) == rows


def test_turnover_filters_the_rationing_grid_with_plausibility_bounds(tillit, outdir):
    h5 = str(outdir / "rationing.h5")
    run_engine(tillit, ["sweep", os.path.join(REPO, "scenarios/research/rationing.yaml"),
                        "-r", "3", "-t", "40", "-q", "--progress", "none", "-o", h5])
    loose, tight = str(outdir / "loose.csv"), str(outdir / "tight.csv")
    res = _script([h5, "--csv", loose], script=TURNOVER)
    assert res.returncode == 0, res.stderr
    assert " of 48 settings" in res.stdout
    assert "setting: rationing, quit_strain, strikes_to_remove;" in res.stdout
    res = _script([h5, "--max-removals", "0", "--max-burnout", "0.5", "--csv", tight],
                  script=TURNOVER)
    assert res.returncode == 0, res.stderr
    assert "at most 0 removals a year, at most 0.5 burnt out" in res.stdout
    with open(loose) as f:
        rows = list(csv.DictReader(f))
    with open(tight) as f:
        bound = list(csv.DictReader(f))
    # the defaults come from the parameters' own defaults, the first row
    assert [float(rows[0][k]) for k in ("rationing", "quit_strain", "strikes_to_remove")] == \
        [0, 0.02, 5]
    setting = ("rationing", "quit_strain", "strikes_to_remove")
    kept_loose = {tuple(r[k] for k in setting) for r in rows if r["kept"] == "1"}
    kept_tight = {tuple(r[k] for k in setting) for r in bound if r["kept"] == "1"}
    # the bounds keep exactly those of the turnover band that meet them (here: no removal)
    assert kept_tight and kept_tight == {
        tuple(r[k] for k in setting) for r in rows if r["kept"] == "1" and
        float(r["removals_year"]) == 0 and float(r["burnout_share"]) <= 0.5}
    assert kept_tight < kept_loose
    assert all(0.12 <= float(r["turnover_year"]) <= 0.34 and float(r["removals_year"]) == 0 and
               float(r["burnout_share"]) <= 0.5 for r in bound if r["kept"] == "1")
    # settings chosen on a grid over other parameters cannot be judged here
    other = str(outdir / "turnover-small.h5")
    run_engine(tillit, ["sweep", os.path.join(REPO, "scenarios/research/turnover.yaml"),
                        "-r", "2", "-t", "10", "-q", "--progress", "none", "-o", other])
    res = _script([h5, "--kept-from", other], script=TURNOVER)
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "cannot be compared" in res.stderr


def test_turnover_refuses_a_file_of_another_shape(default_file):
    res = _script([default_file], script=TURNOVER)
    assert res.returncode != 0 and "Traceback" not in res.stderr
