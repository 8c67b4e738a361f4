#!/usr/bin/python3
"""context_control.py — does the best amount of control move? (scenarios/research/context-control.yaml)

Reads the sweep's file (points labelled 'context/chain-X/mech-Y', crossed
with a grid of self_interested_share x control_intensity, common random
numbers) and, for every context, chain, mechanism setting and share of
self-interested staff:

- prints the control intensity with the best mean composite outcome_index,
  and every intensity whose paired difference to the best is not
  significantly below 0 (95 % interval over the paired replicates): the
  set of "best within noise";
- draws each criterion separately against the control intensity (mean of
  the last two years, 95 % intervals), mechanisms off, one column per
  context: the composite is one panel among the criteria it weighs.

Usage:
  PYTHONPATH=analysis /usr/bin/python3 analysis/examples/context_control.py OUT.h5 \\
      [-o context-control.png] [--csv best.csv]
"""
import argparse
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

import tillit_analysis as ta  # noqa: E402

# criterion, label, True if higher is better
CRITERIA = [
    ("outcome_index", "composite outcome_index", True),
    ("service_value", "service value (citizens)", True),
    ("incidents", "serious incidents / week", False),
    ("equal_gap", "equal-treatment gap", False),
    ("strain_mean", "staff strain", False),
    ("shirking_share", "share of staff shirking", False),
]
WINDOW = 104


def runs_table(path):
    """The per-run table with the label split into context, chain and mech."""
    ds = ta.load(path)
    if not ta.uses_crn(ds):
        sys.exit(f"{path}: the sweep must use common random numbers (run: "
                 "{common_random_numbers: true}) for paired differences")
    df = ta.to_runs(ds, [c for c, _, _ in CRITERIA], window=WINDOW)
    parts = df["label"].str.split("/")
    if not (parts.str.len() == 4).all():
        sys.exit(f"{path}: expected point labels 'context/chain-X/mech-Y/pN' "
                 "(scenarios/research/context-control.yaml)")
    df["context"] = parts.str[0]
    df["chain"] = parts.str[1].str.replace("chain-", "", regex=False)
    df["mech"] = parts.str[2].str.replace("mech-", "", regex=False)
    return ds, df[df["status"] == "ok"]


def best_control(ds, df, metric="outcome_index", conf=0.95,
                 keys=("context", "chain", "mech", "self_interested_share")):
    """One row per group of ``keys`` (by default context, chain, mech, share):
    the best control and the set within noise.

    Within noise: the paired difference to the best (tillit_analysis.paired_difference,
    replicate r against replicate r under common random numbers) is not
    significantly below 0.
    """
    col = f"{metric}_mean"
    rows = []
    keys = list(keys)
    for key, g in df.groupby(keys):
        means = g.groupby("control_intensity")[col].mean()
        label = g.groupby("control_intensity")["label"].first()
        best = means.idxmax()
        ties = [c for c in means.index if c == best or
                ta.paired_difference(ds, metric, label[best], label[c], window=WINDOW,
                                     conf=conf)["hi"] >= 0]
        rows.append(dict(zip(keys, key), best=best, within_noise=sorted(ties),
                         at_zero=means.get(0.0, np.nan), at_best=means[best],
                         n=int(g.groupby("control_intensity").size().min())))
    return rows


def figure(df, out):
    sub = df[df["mech"] == "off"]
    ctxs = sorted(sub["context"].unique())
    shares = sorted(sub["self_interested_share"].unique())
    colours = plt.cm.viridis(np.linspace(0, 0.85, len(shares)))
    fig, axes = plt.subplots(len(CRITERIA), len(ctxs), figsize=(4 * len(ctxs), 2.4 * len(CRITERIA)),
                             sharex=True, squeeze=False)
    for j, ctx in enumerate(ctxs):
        for i, (m, lab, higher) in enumerate(CRITERIA):
            ax = axes[i][j]
            for chain, style in (("none", "-"), ("preset", "--")):
                for k, si in enumerate(shares):
                    g = sub[(sub["context"] == ctx) & (sub["chain"] == chain) &
                            (sub["self_interested_share"] == si)]
                    agg = g.groupby("control_intensity")[f"{m}_mean"]
                    mean, sd, n = agg.mean(), agg.std(ddof=1), agg.count()
                    half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
                    ax.errorbar(mean.index, mean.values, yerr=half.values, ls=style, marker="o",
                                ms=3, color=colours[k], capsize=2,
                                label=f"{int(round(si * 100))} % self-interested, chain {chain}")
            if i == 0:
                ax.set_title(ctx)
            if j == 0:
                ax.set_ylabel(lab + (" (higher better)" if higher else " (lower better)"), fontsize=8)
            if i == len(CRITERIA) - 1:
                ax.set_xlabel("own control_intensity")
    axes[0][0].legend(fontsize=6, loc="lower left")
    fig.suptitle("Best own control by context and staff (balanced preset; solid: no control from the "
                 "chain, dashed: the preset's chain); mean of the last two years, 95 % CI", fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("-o", "--output", default="context-control.png")
    ap.add_argument("--csv", help="write the best-control table as CSV")
    a = ap.parse_args(argv)
    ds, df = runs_table(a.file)
    rows = best_control(ds, df)
    print(f"{'context':17s} {'chain':7s} {'mech':4s} {'self-int.':>9s} {'best':>5s} "
          f"{'within noise':22s} {'at 0':>7s} {'at best':>7s}")
    for r in rows:
        print(f"{r['context']:17s} {r['chain']:7s} {r['mech']:4s} {r['self_interested_share']:9.2f} "
              f"{r['best']:5.2f} {','.join(f'{c:g}' for c in r['within_noise']):22s} "
              f"{r['at_zero']:7.3f} {r['at_best']:7.3f}")
    if a.csv:
        import csv
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["context", "chain", "mech", "self_interested_share", "best_control",
                        "within_noise", "outcome_at_0", "outcome_at_best", "n"])
            for r in rows:
                w.writerow([r["context"], r["chain"], r["mech"], r["self_interested_share"],
                            r["best"], " ".join(f"{c:g}" for c in r["within_noise"]),
                            f"{r['at_zero']:.4f}", f"{r['at_best']:.4f}", r["n"]])
    figure(df, a.output)
    print(f"wrote {a.output}")


if __name__ == "__main__":
    main()
