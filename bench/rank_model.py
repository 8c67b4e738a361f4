#!/usr/bin/env python3
"""rank_model.py — the model of an MPI sweep with --rank-files (docs/performance.md, "The model").

T(P) = L + ceil(nb / P) * w + J(P),  T(1) = L + nb * w,  E(P) = T(1) / (P * T(P)),
with J(P) the join of P rank files, linear between the measured shard counts (and 0 for one
rank, which joins nothing). Prints one table row per organisation and output kind: E at 16, 64,
256 and 1,024 ranks, and whether adding ranks ever makes the sweep slower — beyond the best rank
count (up to how much), or only within a step of ceil(nb / P), where a rank that takes no block
from the busiest adds only its share of the join.

    /usr/bin/python3 bench/rank_model.py --join 16:0.31 64:0.35 256:0.69 1024:2.43

Inputs: the measured join (CPU s per shard count), w per block and the layout L of each
organisation (the defaults are docs/performance.md's measured figures).
"""
import argparse
import math

ORGS = [  # name, output, w per block (20 runs), L
    ("60 employees, 104 weeks", "time series", 0.14, 0.52),
    ("60 employees, 104 weeks", "summary only", 0.14, 0.39),
    ("200 employees, 520 weeks (default)", "time series", 2.2, 0.52),
    ("200 employees, 520 weeks (default)", "summary only", 2.2, 0.39),
    ("10,000 employees, 520 weeks", "time series", 130.0, 0.52),
    ("10,000 employees, 520 weeks", "summary only", 130.0, 0.39),
]


def join_time(points, p):
    """J(p), linear between the measured (shards, seconds) points, flat beyond the ends."""
    if p <= 1:
        return 0.0
    if p <= points[0][0]:
        return points[0][1]
    for (p0, j0), (p1, j1) in zip(points, points[1:]):
        if p <= p1:
            return j0 + (j1 - j0) * (p - p0) / (p1 - p0)
    (p0, j0), (p1, j1) = points[-2], points[-1]
    return j1 + (j1 - j0) * (p - p1) / (p1 - p0)


def model(nb, w, L, points, pmax):
    T = {p: L + math.ceil(nb / p) * w + join_time(points, p) for p in range(1, pmax + 1)}
    E = {p: T[1] / (p * T[p]) for p in T}
    best = min(T, key=lambda p: (T[p], p))
    worse = max(T[p] / T[best] - 1 for p in T if p >= best)
    # within a step: the worst rise over the best rank count of no more ranks
    step = max(T[p] / min(T[q] for q in range(1, p + 1)) - 1 for p in T)
    last_step = math.ceil(nb / best) == math.ceil(nb / pmax)
    return T, E, best, worse, step, last_step


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--join", nargs="+", required=True, metavar="SHARDS:SECONDS",
                    help="the join's measured time per shard count")
    ap.add_argument("--blocks", type=int, default=5000, help="blocks of the sweep (5,000)")
    ap.add_argument("--max-ranks", type=int, default=1024)
    a = ap.parse_args()
    points = sorted((int(s.split(":")[0]), float(s.split(":")[1])) for s in a.join)
    print("| organisation | output | w per block | E(16) | E(64) | E(256) | E(1,024) | "
          "adding ranks slower? |")
    print("|---|---|---|---|---|---|---|---|")
    for name, out, w, L in ORGS:
        T, E, best, worse, step, last = model(a.blocks, w, L, points, a.max_ranks)
        if best == a.max_ranks or (last and worse < 0.05):
            verdict = f"no (at most {100 * step:.0f} % within a step of ⌈nb/P⌉)" \
                if step >= 0.005 else "no"
        else:
            verdict = (f"yes, beyond {best} ranks (up to {100 * worse:.0f} %: "
                       f"{T[a.max_ranks]:.1f} s at {a.max_ranks} against {T[best]:.1f} s)")
        es = " | ".join(f"{100 * E[p]:.0f} %" for p in (16, 64, 256, 1024) if p <= a.max_ranks)
        print(f"| {name} | {out} | {w:g} s | {es} | {verdict} |")


if __name__ == "__main__":
    main()
