#!/usr/bin/python3
"""context_regimes.py — does the context decide the best regime? (scenarios/research/context-regimes.yaml)

Reads the sweep's file and, for every context and share of self-interested
staff, shows each regime on each criterion separately (mean of the last two
years, 95 % interval across replicates), prints the best regime per cell and
criterion (with "tie" where the best and second-best intervals overlap) and
draws a figure. No single number decides: the composite outcome_index is
one panel among the criteria it weighs.

Usage:
  PYTHONPATH=analysis /usr/bin/python3 analysis/examples/context_regimes.py OUT.h5 \
      [-o context-regimes.png] [--csv table.csv]
"""
import argparse
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import tillit_analysis as ta  # noqa: E402

# the criteria and the composite: (metric, label, True if higher is better)
CRITERIA = [(m, ta.i18n.metric_label(m, "en"), hb) for m, _, hb in ta.criteria(composite=True)]


def cells(ds):
    """Parse point labels 'context/si-X/regime' into (context, share, regime) per point."""
    out = []
    for lab in ds["point_label"].values:
        lab = lab.decode() if isinstance(lab, bytes) else str(lab)
        ctx, si, reg = lab.split("/")
        out.append((ctx, si.replace("si-", ""), reg))
    return out


def summarise(ds, window=104):
    """One row per point and criterion: mean, lo, hi (95 % CI over replicates)."""
    rows = []
    parsed = cells(ds)
    for name, _, _ in CRITERIA:
        st = ta.replicate_stats(ta.late_mean(ds, name, window=window))
        for p, (ctx, si, reg) in enumerate(parsed):
            rows.append(dict(context=ctx, self_interested=si, regime=reg, criterion=name,
                             mean=float(st["mean"][p]), lo=float(st["lo"][p]),
                             hi=float(st["hi"][p]), n=int(st["n"][p])))
    return rows


def best_table(rows):
    """Best regime per (context, share, criterion); 'tie' when intervals overlap."""
    better = {n: hb for n, _, hb in CRITERIA}
    keys = sorted({(r["context"], r["self_interested"], r["criterion"]) for r in rows})
    out = []
    for ctx, si, crit in keys:
        rs = [r for r in rows if (r["context"], r["self_interested"], r["criterion"]) == (ctx, si, crit)]
        rs.sort(key=lambda r: -r["mean"] if better[crit] else r["mean"])
        a, b = rs[0], rs[1]
        overlap = (a["lo"] <= b["hi"]) if better[crit] else (a["hi"] >= b["lo"])
        out.append((ctx, si, crit, a["regime"], "tie with " + b["regime"] if overlap else ""))
    return out


def draw(rows, path):
    contexts = sorted({r["context"] for r in rows})
    shares = sorted({r["self_interested"] for r in rows})
    # the regimes in the file, in the order of their first point; the four
    # presets keep their colours, other labels (e.g. staffing variants) get
    # the next colours of a qualitative palette
    regimes = list(dict.fromkeys(r["regime"] for r in rows))
    known = {"control-based": "#b2182b", "balanced": "#2166ac", "trust-based": "#4dac26",
             "naive-trust": "#ff7f00"}
    spare = iter(["#762a83", "#e08214", "#1b7837", "#8c510a", "#5aae61", "#9970ab"])
    colors = {reg: known.get(reg) or next(spare, "#666666") for reg in regimes}
    width = 0.72 / len(regimes)
    fig, axes = plt.subplots(len(CRITERIA), 1, figsize=(10, 2.3 * len(CRITERIA)), sharex=True)
    groups = [(c, s) for c in contexts for s in shares]
    for ax, (crit, label, hb) in zip(axes, CRITERIA):
        for k, (c, s) in enumerate(groups):
            for j, reg in enumerate(regimes):
                r = next(x for x in rows if (x["context"], x["self_interested"], x["regime"],
                                             x["criterion"]) == (c, s, reg, crit))
                xpos = k + (j - (len(regimes) - 1) / 2) * width
                ax.errorbar(xpos, r["mean"], yerr=[[r["mean"] - r["lo"]], [r["hi"] - r["mean"]]],
                            fmt="o", color=colors[reg], ms=4, capsize=2,
                            label=reg if k == 0 else None)
        ax.set_ylabel(label + (" (higher better)" if hb else " (lower better)"), fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    axes[-1].set_xticks(range(len(groups)))
    axes[-1].set_xticklabels([f"{c}\n{float(s):.0%} self-interested" for c, s in groups], fontsize=8)
    axes[0].legend(ncol=min(4, len(regimes)), fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    fig.suptitle("Regimes by context and criterion: mean of the last two years, 95 % intervals",
                 fontsize=10, y=0.995)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("-o", "--output", default="context-regimes.png")
    ap.add_argument("--csv", help="write the per-point table as CSV")
    a = ap.parse_args(argv)
    ds = ta.load(a.file, metrics=[c for c, _, _ in CRITERIA])
    rows = summarise(ds)
    if a.csv:
        import pandas as pd

        pd.DataFrame(rows).to_csv(a.csv, index=False)
    print(f"{'context':18s} {'self-int.':9s} {'criterion':18s} best")
    for ctx, si, crit, best, note in best_table(rows):
        print(f"{ctx:18s} {si:9s} {crit:18s} {best} {note}")
    draw(rows, a.output)
    print(f"wrote {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
