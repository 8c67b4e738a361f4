"""Command line of tillit_analysis: one figure (or report) from tillit output files."""

import argparse
import os
import sys
import warnings

DESCRIPTION = """\
Figures of tillit output files (HDF5, schema 1). Each command writes PNG, SVG
or PDF by the extension of -o; `report` writes one self-contained HTML page.
Runs that failed or were not run are left out (NaN), never counted as zeros."""

EPILOG = """\
examples (from the repository root, with PYTHONPATH=analysis /usr/bin/python3 -m tillit_analysis):
  compare tillit-default-s1.h5 -o trade-offs.png
  timeseries tillit-default-s1.h5 --metric quality_true --metric incidents -o ts.svg
  sweep quick.h5 --metric time_documentation -o sweep.png
  frontier quick.h5 -o frontier.pdf
  sensitivity sobol.h5 --metric quality_true -o sobol.png
  convergence sobol.h5 --metric quality_true -o convergence.png
  report quick.h5 -o report.html --lang sv"""


def _window(text):
    if text in ("all", "0"):
        return "all"
    if ":" in text:
        a, b = text.split(":", 1)
        return (int(a), int(b))
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError("window must be >= 1 weeks, FIRST:LAST or all")
    return n


def _points(text):
    return [p.strip() for p in text.split(",") if p.strip()]


def _out(path, exts):
    ext = os.path.splitext(path)[1].lower()
    if ext not in exts:
        raise argparse.ArgumentTypeError(f"{path}: the output must end in {', '.join(exts)}")
    return path


def build_parser():
    ap = argparse.ArgumentParser(prog="python3 -m tillit_analysis", description=DESCRIPTION,
                                 epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def common(p, multi_file=True, window=True):
        if multi_file:
            p.add_argument("files", nargs="+", metavar="FILE", help="tillit output file(s)")
        else:
            p.add_argument("files", nargs=1, metavar="FILE", help="a tillit output file (a sweep)")
        p.add_argument("-o", "--output", required=True,
                       type=lambda s: _out(s, (".png", ".svg", ".pdf")),
                       help="figure to write: .png, .svg or .pdf")
        p.add_argument("--lang", choices=("en", "sv"), default="en",
                       help="language of labels and titles (sv: Swedish)")
        p.add_argument("--title", help="figure title instead of the default")
        if window:
            p.add_argument("-w", "--window", type=_window, default=52,
                           help="weeks averaged for each run: the last N of each point's horizon "
                                "(default 52), FIRST:LAST, or all")
        p.add_argument("-f", "--force", action="store_true", help="replace an existing output")

    def bootstrap_options(p):
        p.add_argument("-m", "--metric", action="append", help="metric (repeatable)")
        p.add_argument("--bootstrap", type=int, default=1000,
                       help="bootstrap resamples (default 1000)")
        p.add_argument("--conf", type=float, default=0.95, help="confidence level (default 0.95)")
        p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")

    p = sub.add_parser("timeseries", help="metrics over time, mean with replicate bands",
                       description="Chosen metrics over time: for each point of each file the "
                                   "mean over replicates, with a band.")
    common(p, window=False)
    p.add_argument("-m", "--metric", action="append",
                   help="metric to draw (repeatable; default: quality, equal-treatment gap, cost, "
                        "incidents, motivation, safety, documentation)")
    p.add_argument("--points", type=_points, help="only these point labels, comma-separated")
    p.add_argument("--band", choices=("ci95", "q90", "sd", "none"), default="ci95",
                   help="ci95: 95 %% CI of the mean (default); q90: 5-95 %% of replicates; "
                        "sd: ±1 SD")
    p.add_argument("--smooth", type=int, default=13, metavar="WEEKS",
                   help="centred moving average over WEEKS weeks of each run (default 13, a "
                        "quarter; 0: weekly values)")

    p = sub.add_parser("compare", help="one page of the key trade-offs between regimes",
                       description="True vs measured quality, equal-treatment gap, cost per case, "
                                   "budget deviation, serious incidents, can/want/dare, time on "
                                   "documentation: late-period means with 95 % CIs, one panel each.")
    common(p)
    p.add_argument("--points", type=_points, help="only these point labels, comma-separated")

    p = sub.add_parser("sweep", help="response curves or heatmaps over swept parameters",
                       description="Each metric's late-period mean against one or two swept "
                                   "parameters, with 95 % CIs over replicates.")
    common(p, multi_file=False)
    p.add_argument("-m", "--metric", action="append", help="metric (repeatable)")
    p.add_argument("-x", "--x", dest="x", help="parameter on the x axis (default: the first "
                                                "design variable)")
    p.add_argument("-y", "--y", dest="y", help="second parameter (default: the second design "
                                                "variable, if any)")
    p.add_argument("--style", choices=("auto", "lines", "heatmap", "scatter"), default="auto",
                   help="auto (default): lines for one parameter, a heatmap for two on a grid, "
                        "points for designs that are not grids (LHS, Sobol'); lines: one line "
                        "per value of the second parameter")

    p = sub.add_parser("frontier", help="trade-off frontier of a sweep with the Pareto front",
                       description="Each point's mean of one metric against another, coloured by "
                                   "a third, with the Pareto front marked.")
    common(p)
    p.add_argument("-x", "--x", dest="x", default="cost_per_case", help="metric on x "
                                                                        "(default cost_per_case)")
    p.add_argument("-y", "--y", dest="y", default="quality_true", help="metric on y "
                                                                       "(default quality_true)")
    p.add_argument("-c", "--colour", "--color", dest="colour", default="incidents",
                   help="metric as colour (default incidents, shown per year)")
    p.add_argument("--points", type=_points, help="only these point labels, comma-separated")
    p.add_argument("--labels", choices=("auto", "yes", "no"), default="auto",
                   help="write point labels next to the points")
    p.add_argument("--csv", help="also write every point with its lever values, means, 95 %% CIs "
                                 "and whether it is on the front to this CSV file")

    p = sub.add_parser("sensitivity", help="Sobol' or Morris indices with bootstrap CIs",
                       description="Sobol' first- and total-order indices (design sobol with "
                                   "saltelli: true) or Morris mu*/sigma (design morris) of the "
                                   "late-period mean, with bootstrap confidence intervals.")
    common(p, multi_file=False)
    bootstrap_options(p)
    p.add_argument("--csv", help="also write the indices to this CSV file")
    p.add_argument("--s2-csv", help="also write the second-order indices (a Saltelli design "
                                    "with second_order: true) to this CSV file")

    p = sub.add_parser("convergence", help="Sobol' indices against the base sample size, or CI "
                                           "width against replicates",
                       description="Sobol' first- and total-order indices with bootstrap CIs "
                                   "re-estimated on the first N/8, N/4, N/2 and N base rows of a "
                                   "Saltelli design: whether N is large enough. With "
                                   "--replicates, on any file: how the 95 % CIs narrow with "
                                   "the number of replicates.")
    common(p, multi_file=False)
    bootstrap_options(p)
    p.add_argument("--csv", help="also write the indices for each n to this CSV file")
    p.add_argument("--replicates", action="store_true",
                   help="instead: the half-width of each point's 95 %% CI against the number of "
                        "replicates k = 2, 4, 8, ..., R (any design)")

    p = sub.add_parser("report", help="a self-contained HTML report with all figures",
                       description="One HTML file with the figures that fit the file, the "
                                   "convergence views and replicate-noise share, the "
                                   "provenance, the runs' status and the parameter table.")
    p.add_argument("files", nargs=1, metavar="FILE")
    p.add_argument("-o", "--output", required=True, type=lambda s: _out(s, (".html", ".htm")))
    p.add_argument("--lang", choices=("en", "sv"), default="en")
    p.add_argument("-w", "--window", type=_window, default=52)
    p.add_argument("--figures", choices=("svg", "png"), default="svg",
                   help="embed figures as inline SVG (default) or base64 PNG")
    p.add_argument("--title")
    p.add_argument("-f", "--force", action="store_true", help="replace an existing output")
    return ap


def main(argv=None):
    args = build_parser().parse_args(argv)
    warnings.simplefilter("ignore", category=RuntimeWarning)
    from . import io, plots, report, sensitivity

    if os.path.exists(args.output) and not args.force:
        print(f"tillit_analysis: {args.output} exists; use --force to replace it", file=sys.stderr)
        return 2
    try:
        if args.command == "report":
            report.write_report(args.files[0], args.output, lang=args.lang, window=args.window,
                                figure_format=args.figures, title=args.title)
            print(f"wrote {args.output}")
            return 0
        if args.command == "timeseries":
            metrics = args.metric or plots.DEFAULT_TIMESERIES
            dss = [io.load(f, metrics=metrics) for f in args.files]
            fig = plots.timeseries(dss, metrics, args.points, args.band, args.smooth, args.lang,
                                   args.title)
        elif args.command == "compare":
            needed = sorted({m for _, ms, _, _ in plots.COMPARE_PANELS for m in ms})
            dss = [io.load(f, metrics=needed) for f in args.files]
            fig = plots.compare(dss, args.points, args.window, args.lang, args.title)
        elif args.command == "sweep":
            metrics = args.metric or plots.DEFAULT_SWEEP
            ds = io.load(args.files[0], metrics=metrics)
            fig = plots.sweep(ds, metrics, args.x, args.y, args.window, args.lang, args.style,
                              args.title)
            dss = [ds]
        elif args.command == "frontier":
            metrics = list(dict.fromkeys([args.x, args.y, args.colour]))
            dss = [io.load(f, metrics=metrics) for f in args.files]
            lab = {"auto": None, "yes": True, "no": False}[args.labels]
            fig = plots.frontier(dss, args.x, args.y, args.colour, args.window, args.points,
                                 args.lang, args.title, lab)
            if args.csv:
                plots.front_table(dss, args.x, args.y, args.colour, args.window,
                                  args.points).to_csv(args.csv, index=False)
                print(f"wrote {args.csv}")
        elif args.command == "sensitivity":
            metrics = args.metric or plots.DEFAULT_SENSITIVITY
            ds = io.load(args.files[0], metrics=metrics)
            table = plots.sensitivity_table(ds, metrics, args.window, args.bootstrap, args.conf,
                                            args.seed)
            print(_format_table(table))
            if args.csv:
                table.to_csv(args.csv, index=False)
                print(f"wrote {args.csv}")
            if sensitivity.has_second_order(ds):
                s2 = sensitivity.sobol2_from_dataset(ds, metrics, args.window, args.bootstrap,
                                                     args.conf, args.seed)
                print("second-order indices (interaction of two variables beyond their "
                      "first-order effects; an interval containing 0 is no interaction the "
                      "design can tell):")
                print(_format_table(s2))
                if args.s2_csv:
                    s2.to_csv(args.s2_csv, index=False)
                    print(f"wrote {args.s2_csv}")
            elif args.s2_csv:
                raise ValueError("--s2-csv: the design has no second-order blocks (run the sweep "
                                 "with second_order: true)")
            fig = plots.sensitivity_figure(ds, table, args.lang, args.window, args.title)
            dss = [ds]
        elif args.command == "convergence":
            metrics = args.metric or plots.DEFAULT_SENSITIVITY
            ds = io.load(args.files[0], metrics=metrics)
            for m in metrics:
                plots._check_metric(ds, m)
            if args.replicates:
                table = io.replicate_convergence(ds, metrics, args.window)
            else:
                table = sensitivity.sobol_convergence(ds, metrics, args.window, args.bootstrap,
                                                      args.conf, args.seed)
            print(_format_table(table))
            if args.csv:
                table.to_csv(args.csv, index=False)
                print(f"wrote {args.csv}")
            draw = plots.replicate_figure if args.replicates else plots.convergence_figure
            fig = draw(ds, table, args.lang, args.window, args.title)
            dss = [ds]
        plots.save(fig, args.output, {"Description": plots.provenance(dss)})
    except (ValueError, KeyError, FileNotFoundError, OSError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        if not any(os.path.basename(str(f)) in str(msg) for f in args.files):
            # a message that does not say which file: name it
            files = ", ".join(map(str, args.files))
            msg = (f"{files}: '{msg}' is missing; is it a whole tillit output file?"
                   if isinstance(exc, KeyError) else f"{files}: {msg}")
        print(f"tillit_analysis {args.command}: {msg}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - never a traceback for a bad input file
        what = f"'{exc.args[0]}' is missing" if isinstance(exc, LookupError) and exc.args else exc
        print(f"tillit_analysis {args.command}: {', '.join(map(str, args.files))}: cannot use "
              f"it ({type(exc).__name__}: {what}); is it a whole tillit output file?",
              file=sys.stderr)
        return 1
    print(f"wrote {args.output}")
    return 0


def _format_table(table):
    import pandas as pd

    with pd.option_context("display.width", 140, "display.max_columns", 20,
                           "display.float_format", "{:.3g}".format):
        cols = [c for c in table.columns if c != "condition" or table[c].astype(bool).any()]
        return table[cols].to_string(index=False)
