#!/usr/bin/python3
"""deterrence.py — what makes deterrence cheap in the model? (scenarios/research/deterrence.yaml)

Reads the sweep's file (points labelled 'PROBE/pN': baseline,
untargeted-chain, costly-compliance, no-removal, each crossed with a grid of
self_interested_share x control_intensity; common random numbers) and, for
every probe and share of self-interested staff, prints the own control
intensity with the best mean composite outcome_index, every intensity whose
paired difference to the best is not significantly below 0 (95 % interval
over the paired replicates), and at no own control and at the best: the
share of staff shirking, removals per year, service value and the share of
staff who are self-interested (after selection by quitting and removal). The same
best-within-noise rule as context_control.py.

Usage:
  PYTHONPATH=analysis /usr/bin/python3 analysis/examples/deterrence.py OUT.h5 [--csv best.csv]
"""
import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tillit_analysis as ta  # noqa: E402
from context_control import WINDOW, best_control  # noqa: E402

SHOWN = ["outcome_index", "service_value", "shirking_share", "removals", "strain_mean",
         "self_interested_staff"]


def runs_table(path):
    """The per-run table with the probe (the label's first part)."""
    ds = ta.load(path)
    if not ta.uses_crn(ds):
        sys.exit(f"{path}: the sweep must use common random numbers (run: "
                 "{common_random_numbers: true}) for paired differences")
    df = ta.to_runs(ds, SHOWN, window=WINDOW)
    parts = df["label"].str.split("/")
    if not (parts.str.len() == 2).all():
        sys.exit(f"{path}: expected point labels 'PROBE/pN' (scenarios/research/deterrence.yaml)")
    df["probe"] = parts.str[0]
    return ds, df[df["status"] == "ok"]


def summary(ds, df):
    """best_control's rows, with the shown metrics' means at no control and at the best."""
    if not (df["control_intensity"] == 0.0).any():
        sys.exit("the design has no point with control_intensity 0 (no own control), which the "
                 "table's 'at 0' columns compare with: add 0 to its grid "
                 "(scenarios/research/deterrence.yaml has it)")
    rows = best_control(ds, df, keys=("probe", "self_interested_share"))
    for r in rows:
        g = df[(df["probe"] == r["probe"]) &
               (df["self_interested_share"] == r["self_interested_share"])]
        means = g.groupby("control_intensity")[[f"{m}_mean" for m in SHOWN]].mean()
        for m in SHOWN:
            r[f"{m}_at_0"] = float(means.loc[0.0, f"{m}_mean"])
            r[f"{m}_at_best"] = float(means.loc[r["best"], f"{m}_mean"])
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--csv", help="write the table as CSV")
    a = ap.parse_args(argv)
    ds, df = runs_table(a.file)
    rows = summary(ds, df)
    print(f"{'probe':18s} {'hired si':>8s} {'best':>5s} {'within noise':16s} "
          f"{'shirking at 0':>13s} {'removals/yr at 0':>16s} {'service at 0':>12s} "
          f"{'at best':>8s} {'si staff at 0':>13s} {'strain at 0':>11s} {'at best':>8s}")
    for r in rows:
        print(f"{r['probe']:18s} {r['self_interested_share']:8.2f} {r['best']:5.2f} "
              f"{','.join(f'{c:g}' for c in r['within_noise']):16s} "
              f"{r['shirking_share_at_0']:13.4f} {52 * r['removals_at_0']:16.1f} "
              f"{r['service_value_at_0']:12.4f} {r['service_value_at_best']:8.4f} "
              f"{r['self_interested_staff_at_0']:13.3f} {r['strain_mean_at_0']:11.3f} "
              f"{r['strain_mean_at_best']:8.3f}")
    if a.csv:
        keys = [k for k in rows[0] if k != "within_noise"]
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(keys + ["within_noise"])
            for r in rows:
                w.writerow([r[k] for k in keys] + [" ".join(f"{c:g}" for c in r["within_noise"])])
        print(f"wrote {a.csv}")


if __name__ == "__main__":
    main()
