#!/usr/bin/python3
"""turnover.py — does the ranking of regimes rest on uncalibrated turnover? (scenarios/research/turnover.yaml, rationing.yaml)

Reads the sweep's file (points labelled 'REGIME/pN' for balanced and
control-based, crossed with a grid of parameters of the chain from strain to
leaving — turnover.yaml: burnout_recognised, burnout_threshold, quit_strain,
strikes_to_remove; rationing.yaml: rationing, quit_strain, strikes_to_remove;
the setting is the design's variables, the defaults their parameter
defaults; common random numbers; per-run statistics over the last 104 weeks)
and

1. keeps the settings under which control-based loses 12-34 % of its staff a
   year (the turnover reported for Swedish municipal welfare work; the mean
   over replicates must lie in the range): pattern-oriented filtering; with
   --max-removals N and --max-burnout S also at most N removals a year and at
   most a share S of the staff burnt out (plausibility bounds, not
   published targets);
2. for the defaults and every kept setting, compares control-based with
   balanced run for run on each criterion: '+' control-based better, '-'
   worse (the paired 95 % interval of the difference lies wholly on that
   side), '.' no difference the replicates can tell;
3. says, per criterion, under how many kept settings the verdict is the one
   the defaults give.

With --kept-from OTHER.h5 the settings are chosen on OTHER (the filtering
run) and judged here (a run on a seed the filter did not see).

Usage:
  PYTHONPATH=analysis /usr/bin/python3 analysis/examples/turnover.py OUT.h5 \
      [--kept-from FILTER.h5] [--max-removals N] [--max-burnout S] \
      [--csv settings.csv] [--md table.md]
"""
import argparse
import os
import sys

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tillit_analysis as ta  # noqa: E402

WINDOW = 104
TARGET = (0.12, 0.34)  # turnover a year, Swedish municipal welfare work (docs/ODD.md 11.4)
REGIMES = ("balanced", "control-based")
# the criteria and the composite: (metric, short name, True if higher is better)
CRITERIA = ta.criteria(composite=True)
STAFF = ["turnover", "removals", "burnout_share", "absence_share", "strain_mean"]


def runs_table(path):
    """The per-run table with the regime (the label's first part) and the setting,
    the design's variables and their parameter defaults."""
    ds = ta.load(path)
    if not ta.uses_crn(ds):
        sys.exit(f"{path}: the sweep must use common random numbers (run: "
                 "{common_random_numbers: true}) for paired differences")
    keys = ta.design_variables(ds)
    if not keys or any("default" not in ds[k].attrs for k in keys):
        sys.exit(f"{path}: the design varies no parameter of the chain "
                 "(scenarios/research/turnover.yaml and rationing.yaml do)")
    defaults = tuple(float(ds[k].attrs["default"]) for k in keys)
    missing = [m for m in STAFF if m not in ds]
    if missing:
        sys.exit(f"{path}: the file lacks {', '.join(missing)} "
                 "(scenarios/research/turnover.yaml keeps them)")
    metrics = sorted({m for m, _, _ in CRITERIA} | set(STAFF))
    df = ta.to_runs(ds, metrics, window=WINDOW)
    parts = df["label"].str.split("/")
    if not (parts.str.len() == 2).all() or not parts.str[0].isin(REGIMES).all():
        sys.exit(f"{path}: expected point labels 'balanced/pN' and 'control-based/pN' "
                 "(scenarios/research/turnover.yaml)")
    df["regime"] = parts.str[0]
    df["setting"] = list(zip(*(df[k].astype(float) for k in keys)))
    return df[df["status"] == "ok"], keys, defaults


def mean_ci(x, conf=0.95):
    """Mean and Student-t interval half-width of the finite values."""
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    if len(x) < 2:
        return (float(np.mean(x)) if len(x) else np.nan), np.nan
    return float(np.mean(x)), float(stats.t.ppf(0.5 + conf / 2, len(x) - 1) *
                                    np.std(x, ddof=1) / np.sqrt(len(x)))


def staff_summary(df):
    """Per setting: control-based's yearly turnover and removals, burnout, absence, strain."""
    cb = df[df["regime"] == "control-based"]
    out = {}
    for s, g in cb.groupby("setting"):
        row = {}
        for m in STAFF:
            v = g[f"{m}_mean"].values * (52 if m in ("turnover", "removals") else 1)
            row[m], row[f"{m}_half"] = mean_ci(v)
        out[s] = row
    return out


def kept_settings(staff, max_removals=None, max_burnout=None):
    """The settings whose mean control-based turnover a year lies in TARGET (and,
    when given, whose removals a year and burnt-out share are within bounds)."""
    def ok(r):
        return (TARGET[0] <= r["turnover"] <= TARGET[1] and
                (max_removals is None or r["removals"] <= max_removals) and
                (max_burnout is None or r["burnout_share"] <= max_burnout))
    return sorted(s for s, r in staff.items() if ok(r))


def verdicts(df, setting):
    """Per criterion: (mark, mean difference control-based − balanced) at one setting, paired."""
    g = df[df["setting"] == setting]
    a = g[g["regime"] == "balanced"].set_index("replicate")
    b = g[g["regime"] == "control-based"].set_index("replicate")
    both = a.index.intersection(b.index)
    out = {}
    for m, _, higher in CRITERIA:
        d = (b.loc[both, f"{m}_mean"] - a.loc[both, f"{m}_mean"]).values
        mean, half = mean_ci(d)
        lo, hi = mean - half, mean + half
        better = lo > 0 if higher else hi < 0
        worse = hi < 0 if higher else lo > 0
        out[m] = ("+" if better else "-" if worse else ".", mean)
    return out


def fmt_setting(s):
    return ", ".join(f"{x:g}" for x in s)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--kept-from", help="choose the settings on this file (the filtering run)")
    ap.add_argument("--max-removals", type=float, metavar="N",
                    help="keep only settings with at most N removals a year under control-based")
    ap.add_argument("--max-burnout", type=float, metavar="S",
                    help="keep only settings with at most a share S of control-based's staff burnt out")
    ap.add_argument("--csv", help="write one row per setting judged, as CSV")
    ap.add_argument("--md", help="write the table as Markdown")
    a = ap.parse_args(argv)

    df, keys, defaults = runs_table(a.file)
    staff = staff_summary(df)
    bounds = dict(max_removals=a.max_removals, max_burnout=a.max_burnout)
    if a.kept_from:
        other, other_keys, _ = runs_table(a.kept_from)
        if other_keys != keys:
            sys.exit(f"{a.kept_from} varies {', '.join(other_keys)}, {a.file} "
                     f"{', '.join(keys)}: the settings cannot be compared")
        kept = kept_settings(staff_summary(other), **bounds)
    else:
        kept = kept_settings(staff, **bounds)
    if defaults not in staff:
        sys.exit(f"{a.file}: the design has no point at the defaults "
                 f"({', '.join(f'{k} {v:g}' for k, v in zip(keys, defaults))}; "
                 "scenarios/research/turnover.yaml has it)")
    judged = [defaults] + [s for s in kept if s != defaults]
    src = a.kept_from or a.file
    extra = "".join([f", at most {a.max_removals:g} removals a year" if a.max_removals is not None else "",
                     f", at most {a.max_burnout:g} burnt out" if a.max_burnout is not None else ""])
    print(f"{len(kept)} of {len(staff)} settings give control-based a turnover of "
          f"{TARGET[0]:.0%}-{TARGET[1]:.0%} a year{extra} in {src}")
    print(f"setting: {', '.join(keys)}; "
          "control-based's staff, then each criterion: verdict and mean difference "
          "control-based − balanced")
    heads = ["setting", "turnover/yr", "removals/yr", "burnt out", "absent", "strain"] + \
        [f"Δ {short}" for _, short, _ in CRITERIA]
    verdict = {s: verdicts(df, s) for s in judged}
    rows = []
    for s in judged:
        r, v = staff[s], verdict[s]
        rows.append([fmt_setting(s) + (" (defaults)" if s == defaults else ""),
                     f"{r['turnover']:.0%} ± {r['turnover_half']:.0%}",
                     f"{r['removals']:.1f}", f"{r['burnout_share']:.2f}",
                     f"{r['absence_share']:.3f}", f"{r['strain_mean']:.2f}"] +
                    [f"{v[m][0]} {v[m][1]:+.3f}" for m, _, _ in CRITERIA])
    widths = [max(len(str(x)) for x in col) for col in zip(heads, *rows)]
    for line in [heads] + rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)))

    print("\ncontrol-based against balanced ('+' better, '-' worse, '.' cannot tell):")
    base = verdict[defaults]
    for m, short, _ in CRITERIA:
        same = sum(verdict[s][m][0] == base[m][0] for s in kept)
        print(f"  {short:10s} at the defaults '{base[m][0]}'; the same under {same} of "
              f"{len(kept)} kept settings")

    if a.csv:
        import csv
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(keys + ["kept", "turnover_year", "removals_year", "burnout_share",
                               "absence_share", "strain_mean"] +
                       [f"{m}_{k}" for m, _, _ in CRITERIA for k in ("verdict", "diff")])
            for s in judged:
                r, v = staff[s], verdict[s]
                w.writerow(list(s) + [int(s in kept), r["turnover"], r["removals"],
                                      r["burnout_share"], r["absence_share"], r["strain_mean"]] +
                           [x for m, _, _ in CRITERIA for x in v[m]])
        print(f"wrote {a.csv}")
    if a.md:
        with open(a.md, "w") as f:
            f.write("| " + " | ".join(heads) + " |\n|" + "---|" * len(heads) + "\n")
            for line in rows:
                f.write("| " + " | ".join(str(x) for x in line) + " |\n")
        print(f"wrote {a.md}")


if __name__ == "__main__":
    main()
