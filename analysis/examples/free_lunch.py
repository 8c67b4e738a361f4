#!/usr/bin/python3
"""free_lunch.py — which levers are free lunches? (scenarios/research/free-lunch.yaml)

Reads the sweep's file (a point 'baseline' and points 'LEVER/up' or
'LEVER/down', each crossed with a grid of self_interested_share; common
random numbers) and compares every lever move with the baseline run for run
on each criterion separately (paired interval of the difference over the
last two years):

  better  the interval lies wholly on the criterion's good side;
  worse   it lies wholly on the bad side;
  ~       it contains 0 (no difference the replicates can tell).

A move is a **free lunch** when it is better on at least one criterion and
worse on none: the literature must give a reason for it, or the model has
left out a cost.

Many comparisons are made at once (5 criteria at each share of
self-interested staff, per move), and with a 95 % interval for each, a lever
with no effect at all would be better on some criterion and worse on none by
chance alone in about one move in five. So the intervals are widened for the
move's family (Bonferroni: each at 1 - (1 - conf)/k for its k criterion
comparisons), and the chance that a move without any effect is called a free
lunch is at most 1 - conf (5 % by default). --per-comparison gives every
interval at conf instead (the looser verdicts of earlier versions). For each free lunch the script also lists the mechanism
metrics (shirking, hidden serious errors, support shortfall, skill, ...)
on which the move is significantly worse: a cost the model has but that is
too small to move a criterion. The composite outcome_index is reported
beside the criteria, never instead of them.

Usage:
  PYTHONPATH=analysis /usr/bin/python3 analysis/examples/free_lunch.py OUT.h5 \
      [--csv table.csv] [--md table.md]
"""
import argparse
import csv
import sys

import tillit_analysis as ta

# the criteria, then the composite: (metric, short name, True if higher is better)
CRITERIA = ta.criteria()
COMPOSITE = ta.criteria(composite=True)[-1]
# Where the model's costs of a move show before they reach the criteria:
# metric, short name, True if a rise is the cost. A free lunch whose
# intermediate cost is significant has a cost in the model that is too
# small (or too slow) to move any criterion; one with none has no cost.
MECHANISMS = [
    ("shirking_share", "shirking", True),
    ("serious_hidden", "serious hidden", True),
    ("support_shortfall", "support short", True),
    ("skill_mean", "skill", False),
    ("staff_knowledge", "knowledge", False),
    ("handoff_failures", "failed hand-offs", True),
    ("wait_mean", "wait", True),
    ("motivation_mean", "motivation", False),
]
WINDOW = 104


def verdict(d, higher):
    """'better', 'worse' or '~' for a paired difference (moved - baseline)."""
    if d["lo"] > 0:
        return "better" if higher else "worse"
    if d["hi"] < 0:
        return "worse" if higher else "better"
    return "~"


def cell_conf(conf, k, per_comparison=False):
    """The confidence of each of a family's k intervals: Bonferroni, so that all k hold
    together with probability at least conf (conf itself with per_comparison)."""
    return conf if per_comparison else 1 - (1 - conf) / k


def compare(ds, conf=0.95, per_comparison=False):
    """One row per lever move and design row: the verdict and difference on each criterion,
    with intervals at cell_conf for the move's family (its criteria at every design row)."""
    labels = [str(x) for x in ds["point_label"].values]
    rows_of = sorted({lab.rsplit("/", 1)[1] for lab in labels if lab.startswith("baseline/")})
    if not rows_of:
        sys.exit("the file has no point 'baseline' (scenarios/research/free-lunch.yaml)")
    level = cell_conf(conf, len(CRITERIA) * len(rows_of), per_comparison)
    si = ds["self_interested_share"].values if "self_interested_share" in ds else None
    late = {}  # metric -> its late means of every run, computed once
    out = []
    for lab in labels:
        parts = lab.split("/")
        if parts[0] == "baseline" or len(parts) != 3:
            continue
        lever, move, row = parts
        base = f"baseline/{row}"
        r = dict(lever=lever, move=move, row=row,
                 self_interested_share=float(si[labels.index(lab)]) if si is not None else None,
                 interval_conf=level)
        for metric, short, higher in CRITERIA + [COMPOSITE]:
            d = ta.paired_difference(ds, metric, base, lab, window=WINDOW, conf=level)
            r[short] = verdict(d, higher)
            r[short + "_diff"] = d["diff"]
            r[short + "_lo"], r[short + "_hi"] = d["lo"], d["hi"]
        v = [r[short] for _, short, _ in CRITERIA]
        r["free_lunch"] = "better" in v and "worse" not in v
        r["hidden_costs"] = hidden_costs(ds, base, lab, late) if r["free_lunch"] else ""
        out.append(r)
    return out


def hidden_costs(ds, base, lab, late):
    """The mechanism metrics on which a move is significantly worse than the
    baseline (paired 95 % interval), as 'name +12 %, 0.01 -> 0.0112'
    (relative change, baseline mean -> moved mean) joined by '; '; '' when
    there is none. late caches each metric's late means across calls."""
    found = []
    for metric, short, rise_is_cost in MECHANISMS:
        if metric not in ds:
            continue
        d = ta.paired_difference(ds, metric, base, lab, window=WINDOW)
        worse = d["lo"] > 0 if rise_is_cost else d["hi"] < 0
        if not worse:
            continue
        if metric not in late:
            late[metric] = ta.late_mean(ds, metric, WINDOW)
        ref = float(late[metric].isel(point=_index(ds, base)).mean())
        rel = f"{100 * d['diff'] / abs(ref):+.0f} %, " if ref else ""
        found.append(f"{short} {rel}{ref:.3g} -> {ref + d['diff']:.3g}")
    return "; ".join(found)


def _index(ds, label):
    return [str(x) for x in ds["point_label"].values].index(label)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--csv", help="write the table as CSV")
    ap.add_argument("--md", help="write a Markdown matrix (moves x criteria, one block per share)")
    ap.add_argument("--conf", type=float, default=0.95,
                    help="family-wise confidence per move (default 0.95)")
    ap.add_argument("--per-comparison", action="store_true",
                    help="every interval at --conf, without the correction for many comparisons")
    a = ap.parse_args(argv)
    if not 0 < a.conf < 1:
        sys.exit(f"--conf must lie between 0 and 1, not {a.conf}")
    ds = ta.load(a.file)
    if not ta.uses_crn(ds):
        sys.exit(f"{a.file}: the sweep must use common random numbers (run: "
                 "{common_random_numbers: true}) to compare each move with the baseline run for run")
    rows = compare(ds, a.conf, a.per_comparison)
    print(f"each interval at {100 * rows[0]['interval_conf']:.2f} % "
          + ("(per comparison)" if a.per_comparison else
             f"(family-wise {100 * a.conf:g} % per move, Bonferroni)"))
    names = [short for _, short, _ in CRITERIA] + [COMPOSITE[1]]
    print(f"{'lever':20s} {'move':5s} {'self-int.':>9s} " + " ".join(f"{n:>9s}" for n in names)
          + "  free lunch")
    for r in rows:
        si = "" if r["self_interested_share"] is None else f"{r['self_interested_share']:.2f}"
        print(f"{r['lever']:20s} {r['move']:5s} {si:>9s} " + " ".join(f"{r[n]:>9s}" for n in names)
              + ("  FREE LUNCH" if r["free_lunch"] else ""))
    free = sorted({(r["lever"], r["move"]) for r in rows if r["free_lunch"]})
    print(f"{len(free)} free lunches: " + (", ".join(f"{lv} {mv}" for lv, mv in free) or "none"))
    print("costs below the criteria (mechanism metrics significantly worse; none = no cost "
          "in the model):")
    for r in rows:
        if r["free_lunch"]:
            si = "" if r["self_interested_share"] is None else f" at {r['self_interested_share']:.2f}"
            print(f"  {r['lever']} {r['move']}{si}: {r['hidden_costs'] or 'none'}")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)
    if a.md:
        with open(a.md, "w") as f:
            f.write(markdown(rows))


SYMBOL = {"better": "+", "worse": "−", "~": "·"}


def markdown(rows):
    """Moves as rows; for each share of self-interested staff, one column per criterion."""
    shares = sorted({r["self_interested_share"] for r in rows}, key=lambda x: (x is None, x))
    names = [short for _, short, _ in CRITERIA] + [COMPOSITE[1]]
    head = ["lever", "move"] + [f"{n} ({'' if s is None else f'{int(round(s * 100))} %'})"
                                for s in shares for n in names]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    moves = []
    for r in rows:
        if (r["lever"], r["move"]) not in moves:
            moves.append((r["lever"], r["move"]))
    for lever, move in moves:
        cells = [f"`{lever}`", move]
        free = False
        for s in shares:
            r = next(x for x in rows if x["lever"] == lever and x["move"] == move
                     and x["self_interested_share"] == s)
            cells += [SYMBOL[r[n]] for n in names]
            free = free or r["free_lunch"]
        if free:
            cells[1] = f"**{move}**"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
