/* cmd_table.c — `tillit table FILE`: the experiment table from the command line, without Python.
 * One row per run (point, replicate, seed, status, every design value, statistics of chosen
 * metrics over a window of steps), or with --points one row per point with the mean and a 95 %
 * confidence interval across replicates; aligned text or CSV. Reads a sweep in progress too. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "cli.h"
#include "text.h"
#include "tillit/table.h"

static const char table_usage[] =
    "usage: tillit table FILE [options]\n"
    "\n"
    "The experiment table of an output file: one row per run with its point, label,\n"
    "replicate, seed, status, every design value (the design variables, or else the\n"
    "parameters that vary) and statistics of metrics over a window of steps. When\n"
    "FILE.journal exists (a sweep still running, or stopped), the finished runs are\n"
    "read from it; runs not yet finished have status not_run and empty values.\n"
    "\n"
    "options:\n"
    "      --csv               CSV (full precision, NaN as an empty field) instead of\n"
    "                          aligned text\n"
    "  -o, --output FILE       write to FILE (an existing FILE needs --force)\n"
    "  -f, --force             replace FILE\n"
    "  -m, --metrics A,B,..    metrics to tabulate (default: every metric in the file)\n"
    "  -w, --window W          steps to summarise: last:N (the last N steps of each\n"
    "                          point's horizon; default last:52, one year), A:B (steps A\n"
    "                          to B, 1-based, inclusive), or all\n"
    "      --stat S,S,..       statistics over the window: mean (default), sd, min, max,\n"
    "                          last, sum; columns are named METRIC_STAT\n"
    "      --points            one row per point: n (runs that finished), and for every\n"
    "                          column its mean and 95 % confidence interval across the\n"
    "                          replicates (Student t): COLUMN_mean, COLUMN_ci_lo, COLUMN_ci_hi\n"
    "  -h, --help              this help\n";

typedef struct topts {
    const char *file, *output;
    int csv, force, points;
    char *metric_buf; /* owned copy of --metrics, split in place */
    const char *metrics[1024];
    tl_table_opts o;
} topts;

static int parse_window(const char *s, tl_table_opts *o)
{
    char *end;
    long a, b;
    o->last = 0;
    o->from = o->to = 0;
    if (!strcmp(s, "all"))
        return 0;
    if (!strncmp(s, "last:", 5)) {
        errno = 0;
        a = strtol(s + 5, &end, 10);
        if (errno || *end || end == s + 5 || a < 1 || a > 1000000)
            return -1;
        o->last = (int)a;
        return 0;
    }
    errno = 0;
    a = strtol(s, &end, 10);
    if (errno || *end != ':' || end == s || a < 1 || a > 1000000)
        return -1;
    s = end + 1;
    b = strtol(s, &end, 10);
    if (errno || *end || end == s || b < a || b > 1000000)
        return -1;
    o->from = (int)a;
    o->to = (int)b;
    return 0;
}

static int parse_stats(const char *s, tl_table_opts *o)
{
    char buf[256], *save = NULL;
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    o->nstats = 0;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int k = 0;
        while (k < TL_TSTAT_N && strcmp(tok, tl_table_stat_name(k)))
            k++;
        if (k == TL_TSTAT_N || o->nstats >= TL_TSTAT_N)
            return -1;
        for (int j = 0; j < o->nstats; j++)
            if (o->stats[j] == k)
                return -1;
        o->stats[o->nstats++] = k;
    }
    return o->nstats > 0 ? 0 : -1;
}

/* 0 to go on, -1 help printed, else the exit code */
static int parse(int argc, char **argv, topts *t)
{
    enum { OPT_CSV = 1000, OPT_STAT, OPT_POINTS };
    static const struct option opts[] = {
        {"csv", no_argument, 0, OPT_CSV},           {"output", required_argument, 0, 'o'},
        {"force", no_argument, 0, 'f'},             {"metrics", required_argument, 0, 'm'},
        {"window", required_argument, 0, 'w'},      {"stat", required_argument, 0, OPT_STAT},
        {"points", no_argument, 0, OPT_POINTS},     {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    t->o.last = 52;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:fm:w:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_CSV: t->csv = 1; break;
        case 'o': t->output = optarg; break;
        case 'f': t->force = 1; break;
        case OPT_POINTS: t->points = 1; break;
        case 'm': {
            char *save = NULL;
            free(t->metric_buf);
            if (!(t->metric_buf = strdup(optarg))) {
                tl_cli_error("out of memory");
                return TL_EXIT_IO;
            }
            t->o.nmetrics = 0;
            for (char *tok = strtok_r(t->metric_buf, ",", &save); tok;
                 tok = strtok_r(NULL, ",", &save)) {
                if (t->o.nmetrics >= 1024) {
                    tl_cli_error("--metrics: at most 1024");
                    return TL_EXIT_USAGE;
                }
                t->metrics[t->o.nmetrics++] = tok;
            }
            if (t->o.nmetrics == 0) {
                tl_cli_error("--metrics %s: expected names such as quality_true,wait_mean", optarg);
                return TL_EXIT_USAGE;
            }
            t->o.metrics = t->metrics;
            break;
        }
        case 'w':
            if (parse_window(optarg, &t->o)) {
                tl_cli_error("--window %s: expected last:N, A:B (1-based steps, A <= B) or all",
                             optarg);
                return TL_EXIT_USAGE;
            }
            break;
        case OPT_STAT:
            if (parse_stats(optarg, &t->o)) {
                tl_cli_error("--stat %s: expected one or more of mean, sd, min, max, last, sum "
                             "(comma-separated, each once)",
                             optarg);
                return TL_EXIT_USAGE;
            }
            break;
        case 'h': fputs(table_usage, stdout); return -1;
        default: tl_cli_error("table: see `tillit table --help`"); return TL_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        tl_cli_error(optind >= argc ? "table: which file? (tillit table FILE)"
                                    : "table: one file at a time");
        return TL_EXIT_USAGE;
    }
    t->file = argv[optind];
    return 0;
}

/* ---- output: a grid of text cells, printed as CSV or aligned -------------------- */

typedef struct grid {
    int nrows, ncols; /* rows include the header */
    char **cell;      /* nrows x ncols, owned */
    int *numeric;     /* ncols: right-align */
} grid;

static int grid_set(grid *g, int r, int c, const char *s)
{
    char **slot = &g->cell[(size_t)r * g->ncols + c];
    free(*slot);
    *slot = strdup(s);
    return *slot ? 0 : -1;
}

static void fmt_value(char *b, size_t n, double v, int csv)
{
    if (isnan(v))
        snprintf(b, n, "%s", csv ? "" : "NaN");
    else if (csv)
        tl_fmt_num(b, n, v);
    else
        snprintf(b, n, "%.6g", v);
}

static void grid_print(FILE *f, const grid *g, int csv)
{
    int *w = calloc((size_t)g->ncols, sizeof *w);
    if (!csv && w)
        for (int r = 0; r < g->nrows; r++)
            for (int c = 0; c < g->ncols; c++) {
                int l = (int)strlen(g->cell[(size_t)r * g->ncols + c]);
                w[c] = l > w[c] ? l : w[c];
            }
    for (int r = 0; r < g->nrows; r++) {
        for (int c = 0; c < g->ncols; c++) {
            const char *s = g->cell[(size_t)r * g->ncols + c];
            if (csv) {
                if (c)
                    fputc(',', f);
                tl_csv_field(f, s);
            } else {
                fprintf(f, c ? "  %*s" : "%*s", g->numeric[c] && r > 0 ? w[c] : -w[c], s);
            }
        }
        fputc('\n', f);
    }
    free(w);
}

static void grid_free(grid *g)
{
    if (g->cell)
        for (size_t i = 0; i < (size_t)g->nrows * g->ncols; i++)
            free(g->cell[i]);
    free(g->cell);
    free(g->numeric);
}

static int grid_alloc(grid *g, int nrows, int ncols)
{
    g->nrows = nrows;
    g->ncols = ncols;
    g->cell = calloc((size_t)nrows * ncols, sizeof *g->cell);
    g->numeric = calloc((size_t)ncols, sizeof *g->numeric);
    return g->cell && g->numeric ? 0 : -1;
}

static const char *status_name(int s) { return s == 1 ? "ok" : s == 2 ? "failed" : "not_run"; }

static double *tv(const tl_table *t, int p, int r, int m, int s)
{
    return t->values + (((size_t)p * t->nreps + r) * t->nmetrics + m) * t->nstats + s;
}

/* The run table: point,label,replicate,seed,status,[design_block,design_row,]design...,metric_stat... */
static int run_grid(const tl_table *t, int csv, grid *g)
{
    int fixed = 5 + (t->block ? 2 : 0), nc = fixed + t->ndesign + t->nmetrics * t->nstats, c;
    char b[64];
    if (grid_alloc(g, 1 + t->npoints * t->nreps, nc))
        return -1;
    c = 0;
    grid_set(g, 0, c++, "point");
    grid_set(g, 0, c++, "label");
    grid_set(g, 0, c++, "replicate");
    grid_set(g, 0, c++, "seed");
    grid_set(g, 0, c++, "status");
    if (t->block) {
        grid_set(g, 0, c++, "design_block");
        grid_set(g, 0, c++, "design_row");
    }
    for (int j = 0; j < t->ndesign; j++)
        grid_set(g, 0, c++, t->design_names[j]);
    for (int m = 0; m < t->nmetrics; m++)
        for (int s = 0; s < t->nstats; s++) {
            char h[300];
            snprintf(h, sizeof h, "%s_%s", t->metric_names[m], tl_table_stat_name(t->stats[s]));
            grid_set(g, 0, c++, h);
        }
    for (c = 0; c < nc; c++)
        g->numeric[c] = c != 1 && c != 4;
    for (int p = 0; p < t->npoints; p++)
        for (int r = 0; r < t->nreps; r++) {
            int row = 1 + p * t->nreps + r;
            c = 0;
            snprintf(b, sizeof b, "%d", p);
            grid_set(g, row, c++, b);
            grid_set(g, row, c++, t->labels[p]);
            snprintf(b, sizeof b, "%d", r);
            grid_set(g, row, c++, b);
            snprintf(b, sizeof b, "%llu", (unsigned long long)t->seed);
            grid_set(g, row, c++, b);
            grid_set(g, row, c++, status_name(t->status[(size_t)p * t->nreps + r]));
            if (t->block) {
                snprintf(b, sizeof b, "%d", t->block[p]);
                grid_set(g, row, c++, b);
                snprintf(b, sizeof b, "%d", t->row[p]);
                grid_set(g, row, c++, b);
            }
            for (int j = 0; j < t->ndesign; j++) {
                fmt_value(b, sizeof b, t->design[(size_t)p * t->ndesign + j], csv);
                grid_set(g, row, c++, b);
            }
            for (int m = 0; m < t->nmetrics; m++)
                for (int s = 0; s < t->nstats; s++) {
                    fmt_value(b, sizeof b, *tv(t, p, r, m, s), csv);
                    grid_set(g, row, c++, b);
                }
        }
    for (int i = 0; i < g->nrows * g->ncols; i++)
        if (!g->cell[i])
            return -1;
    return 0;
}

/* The point table: point,label,[block,row,]design...,n,COL_mean,COL_ci_lo,COL_ci_hi... */
static int point_grid(const tl_table *t, int csv, grid *g)
{
    int fixed = 2 + (t->block ? 2 : 0), nv = t->nmetrics * t->nstats;
    int nc = fixed + t->ndesign + 1 + 3 * nv, c;
    char b[64];
    if (grid_alloc(g, 1 + t->npoints, nc))
        return -1;
    c = 0;
    grid_set(g, 0, c++, "point");
    grid_set(g, 0, c++, "label");
    if (t->block) {
        grid_set(g, 0, c++, "design_block");
        grid_set(g, 0, c++, "design_row");
    }
    for (int j = 0; j < t->ndesign; j++)
        grid_set(g, 0, c++, t->design_names[j]);
    grid_set(g, 0, c++, "n");
    for (int m = 0; m < t->nmetrics; m++)
        for (int s = 0; s < t->nstats; s++) {
            static const char *const suf[3] = {"mean", "ci_lo", "ci_hi"};
            for (int k = 0; k < 3; k++) {
                char h[320];
                snprintf(h, sizeof h, "%s_%s_%s", t->metric_names[m],
                         tl_table_stat_name(t->stats[s]), suf[k]);
                grid_set(g, 0, c++, h);
            }
        }
    for (c = 0; c < nc; c++)
        g->numeric[c] = c != 1;
    for (int p = 0; p < t->npoints; p++) {
        int row = 1 + p, n = 0;
        c = 0;
        snprintf(b, sizeof b, "%d", p);
        grid_set(g, row, c++, b);
        grid_set(g, row, c++, t->labels[p]);
        if (t->block) {
            snprintf(b, sizeof b, "%d", t->block[p]);
            grid_set(g, row, c++, b);
            snprintf(b, sizeof b, "%d", t->row[p]);
            grid_set(g, row, c++, b);
        }
        for (int j = 0; j < t->ndesign; j++) {
            fmt_value(b, sizeof b, t->design[(size_t)p * t->ndesign + j], csv);
            grid_set(g, row, c++, b);
        }
        for (int r = 0; r < t->nreps; r++)
            n += t->status[(size_t)p * t->nreps + r] == 1;
        snprintf(b, sizeof b, "%d", n);
        grid_set(g, row, c++, b);
        for (int m = 0; m < t->nmetrics; m++)
            for (int s = 0; s < t->nstats; s++) {
                /* across the replicates that finished and have a value */
                double sum = 0, sq = 0, mean, half = NAN;
                int k = 0;
                for (int r = 0; r < t->nreps; r++) {
                    double v = *tv(t, p, r, m, s);
                    if (t->status[(size_t)p * t->nreps + r] == 1 && !isnan(v)) {
                        sum += v;
                        k++;
                    }
                }
                mean = k ? sum / k : NAN;
                for (int r = 0; r < t->nreps && k > 1; r++) {
                    double v = *tv(t, p, r, m, s);
                    if (t->status[(size_t)p * t->nreps + r] == 1 && !isnan(v))
                        sq += (v - mean) * (v - mean);
                }
                if (k > 1)
                    half = gsl_cdf_tdist_Pinv(0.975, k - 1) * sqrt(sq / (k - 1)) / sqrt(k);
                fmt_value(b, sizeof b, mean, csv);
                grid_set(g, row, c++, b);
                fmt_value(b, sizeof b, mean - half, csv);
                grid_set(g, row, c++, b);
                fmt_value(b, sizeof b, mean + half, csv);
                grid_set(g, row, c++, b);
            }
    }
    for (int i = 0; i < g->nrows * g->ncols; i++)
        if (!g->cell[i])
            return -1;
    return 0;
}

int tl_cmd_table(int argc, char **argv)
{
    topts t;
    tl_table tab;
    tl_error err = TL_ERROR_INIT;
    grid g = {0};
    FILE *out = stdout;
    int rc;
    memset(&t, 0, sizeof t);
    tl_table_init(&tab);
    rc = parse(argc, argv, &t);
    if (rc != 0) {
        free(t.metric_buf);
        return rc < 0 ? TL_EXIT_OK : rc;
    }
    if (t.output && !t.force && (out = fopen(t.output, "rb"))) {
        fclose(out);
        out = NULL;
        tl_cli_error("output file '%s' already exists; use --force to replace it", t.output);
        rc = TL_EXIT_USAGE;
        goto done;
    }
    out = stdout;
    if (tl_table_read(t.file, &t.o, &tab, &err) != TL_OK) {
        tl_cli_error("%s", err.msg);
        rc = err.code == TL_ERR_NOMEM || err.code == TL_ERR_IO ? TL_EXIT_IO : TL_EXIT_USAGE;
        goto done;
    }
    if (tab.from_journal)
        fprintf(stderr, "tillit: %s.journal exists: reading the runs finished so far from it\n",
                t.file);
    else if (!tab.complete)
        fprintf(stderr, "tillit: %s is incomplete (an interrupted sweep): runs not yet done are "
                        "not_run\n",
                t.file);
    if ((t.points ? point_grid(&tab, t.csv, &g) : run_grid(&tab, t.csv, &g)) != 0) {
        tl_cli_error("out of memory");
        rc = TL_EXIT_IO;
        goto done;
    }
    if (t.output) {
        errno = 0;
        if (!(out = fopen(t.output, "w"))) {
            tl_cli_error("cannot write %s: %s", t.output, strerror(errno));
            out = stdout;
            rc = TL_EXIT_IO;
            goto done;
        }
    }
    grid_print(out, &g, t.csv);
    rc = TL_EXIT_OK;
    if (fflush(out) != 0 || ferror(out)) {
        tl_cli_error("write error on %s", t.output ? t.output : "standard output");
        rc = TL_EXIT_IO;
    }
done:
    if (out && out != stdout && fclose(out) != 0 && rc == TL_EXIT_OK) {
        tl_cli_error("write error on %s", t.output);
        rc = TL_EXIT_IO;
    }
    grid_free(&g);
    tl_table_clear(&tab);
    free(t.metric_buf);
    return rc;
}
