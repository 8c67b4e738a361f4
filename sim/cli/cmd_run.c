/* cmd_run.c — `tillit run`: build the scenario, run it on all cores, write one HDF5 file, summarise. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "text.h"
#include "tillit/builtin.h"
#include "tillit/metrics.h"
#include "tillit/output.h"
#include "tillit/presets.h"
#include "tillit/runner.h"
#include "tillit/scenario_yaml.h"

static volatile sig_atomic_t g_stop; /* set by SIGINT/SIGTERM: the only file-scope mutable state, in the program, not the library */

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static const char usage[] =
    "usage: tillit run [SCENARIO] [options]\n"
    "\n"
    "Run a scenario and write its time series to an HDF5 file.\n"
    "SCENARIO is a scenario file (.yaml) or a built-in scenario (`tillit scenarios`);\n"
    "without it, the built-in `default` runs: control-based, balanced and trust-based\n"
    "steering side by side.\n"
    "\n"
    "options:\n"
    "  -p, --preset NAME       run one preset instead (`tillit presets`)\n"
    "  -r, --replicates R      replicates per point\n"
    "  -t, --steps T           weeks to simulate (every point)\n"
    "  -s, --seed S            master seed (a whole number)\n"
    "      --set KEY=VALUE     set a parameter at every point (repeatable; `tillit params`)\n"
    "      --schedule P@AT[:RAMP]=V  change lever P to V at week AT, ramped over RAMP weeks\n"
    "                          (repeatable), e.g. control_intensity@104:26=0.15\n"
    "      --snapshots S1,S2.. save agent-level snapshots after these steps (0 = start)\n"
    "  -o, --output FILE       output file (default: tillit-<scenario>-s<seed>.h5, never\n"
    "                          an existing file)\n"
    "  -f, --force             overwrite FILE if it exists (only once the run succeeded)\n"
    "  -j, --threads N         worker threads (default: all cores)\n"
    "      --progress MODE     auto (a bar on a terminal), bar, json (JSON lines), none\n"
    "  -q, --quiet             no summary table\n"
    "  -h, --help              this help\n"
    "\n"
    "The file is written as FILE.part and renamed when complete: a failed or\n"
    "interrupted run leaves nothing under FILE. Exit codes: 0 ok, 1 some runs failed\n"
    "(recorded in the file), 2 bad input (nothing written), 3 output error, 130\n"
    "interrupted.\n";

typedef struct run_ctx {
    tl_writer *w;
    const tl_scenario *sc;
    double *summary; /* npoints x NSUM: mean over replicates of the last-year mean */
    int *summary_n;
} run_ctx;

static const char *const summary_metrics[] = {
    "quality_true", "quality_gap", "equal_gap", "wait_mean", "motivation_mean", "safety_mean",
    "time_documentation", "shirking_share", "incidents", "cost_per_case", "outcome_index"};
#define NSUM ((int)(sizeof summary_metrics / sizeof summary_metrics[0]))

static tl_status on_block(void *vctx, const tl_block *b, tl_error *err)
{
    run_ctx *c = vctx;
    tl_status st = tl_writer_put_block(c->w, b, err);
    if (st != TL_OK)
        return st;
    int steps = (int)c->sc->points[b->point].params.steps;
    int from = steps > 52 ? steps - 52 : 0;
    for (int r = 0; r < b->nrep; r++) {
        if (b->state[r] != TL_RUN_OK)
            continue;
        const double *run = b->data + (size_t)r * (size_t)b->steps * TL_NMETRICS;
        for (int k = 0; k < NSUM; k++) {
            int m = tl_metric_index(summary_metrics[k]);
            double s = 0;
            int n = 0;
            for (int t = from; t < steps; t++) {
                double v = run[(size_t)t * TL_NMETRICS + (size_t)m];
                if (!isnan(v)) {
                    s += v;
                    n++;
                }
            }
            c->summary[b->point * NSUM + k] += n ? s / n : 0;
        }
        c->summary_n[b->point]++;
    }
    return TL_OK;
}

static void print_summary(const run_ctx *c)
{
    const tl_scenario *sc = c->sc;
    if (sc->npoints > 40) {
        printf("(%d points: no summary table; open the file with the analysis tools)\n",
               sc->npoints);
        return;
    }
    printf("\nmean over the last year of each run, averaged over replicates:\n");
    printf("%-22s", "point");
    for (int k = 0; k < NSUM; k++)
        printf(" %12.12s", summary_metrics[k]);
    printf("\n");
    for (int p = 0; p < sc->npoints; p++) {
        printf("%-22.22s", sc->points[p].label);
        for (int k = 0; k < NSUM; k++) {
            double v = c->summary_n[p] ? c->summary[p * NSUM + k] / c->summary_n[p] : NAN;
            printf(" %12.4g", v);
        }
        printf("\n");
    }
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* tillit-<name>-s<seed>.h5, or -2, -3 ... so that nothing is overwritten */
static void default_output(const tl_scenario *sc, char *buf, size_t n)
{
    char name[TL_LABEL_MAX];
    snprintf(name, sizeof name, "%s", sc->name);
    for (char *q = name; *q; q++)
        if (!(((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
               *q == '-' || *q == '_')))
            *q = '_';
    snprintf(buf, n, "tillit-%s-s%llu.h5", name, (unsigned long long)sc->seed);
    for (int k = 2; file_exists(buf) && k < 10000; k++)
        snprintf(buf, n, "tillit-%s-s%llu-%d.h5", name, (unsigned long long)sc->seed, k);
}

static int parse_whole(const char *opt, const char *s, double lo, double hi, double *out)
{
    double v;
    if (tl_text_to_double(s, &v) != 0 || v != floor(v) || v < lo || v > hi) {
        tl_cli_error("%s %s: expected a whole number in [%.0f, %.0f]", opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* P@AT[:RAMP]=V */
static int parse_schedule(const char *s, char *param, size_t np, double *at, double *ramp, double *val)
{
    const char *a = strchr(s, '@'), *eq = strchr(s, '=');
    char num[64];
    if (!a || !eq || eq < a || (size_t)(a - s) >= np)
        return -1;
    memcpy(param, s, (size_t)(a - s));
    param[a - s] = 0;
    const char *colon = memchr(a, ':', (size_t)(eq - a));
    const char *at_end = colon ? colon : eq;
    if ((size_t)(at_end - a - 1) >= sizeof num)
        return -1;
    memcpy(num, a + 1, (size_t)(at_end - a - 1));
    num[at_end - a - 1] = 0;
    if (tl_text_to_double(num, at) != 0)
        return -1;
    *ramp = 0;
    if (colon) {
        if ((size_t)(eq - colon - 1) >= sizeof num)
            return -1;
        memcpy(num, colon + 1, (size_t)(eq - colon - 1));
        num[eq - colon - 1] = 0;
        if (tl_text_to_double(num, ramp) != 0)
            return -1;
    }
    return tl_text_to_double(eq + 1, val);
}

static int is_file_arg(const char *a)
{
    size_t n = strlen(a);
    return strchr(a, '/') || (n > 5 && strcmp(a + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(a + n - 4, ".yml") == 0) || file_exists(a);
}

int tl_cmd_run(int argc, char **argv, const char *cmdline)
{
    enum { OPT_SET = 1000, OPT_SCHEDULE, OPT_SNAPSHOTS, OPT_PROGRESS };
    static const struct option opts[] = {
        {"preset", required_argument, 0, 'p'},   {"replicates", required_argument, 0, 'r'},
        {"steps", required_argument, 0, 't'},    {"seed", required_argument, 0, 's'},
        {"set", required_argument, 0, OPT_SET},  {"schedule", required_argument, 0, OPT_SCHEDULE},
        {"snapshots", required_argument, 0, OPT_SNAPSHOTS},
        {"output", required_argument, 0, 'o'},   {"force", no_argument, 0, 'f'},
        {"threads", required_argument, 0, 'j'},  {"progress", required_argument, 0, OPT_PROGRESS},
        {"quiet", no_argument, 0, 'q'},          {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *preset = NULL, *output = NULL;
    const char *sets[256];
    const char *scheds[TL_SCHEDULE_MAX];
    int nsets = 0, nscheds = 0, force = 0, quiet = 0, threads = 0, c;
    double reps = -1, steps = -1, seed = -1;
    int snaps[TL_SNAP_MAX], nsnap = -1;
    tl_progress_mode pmode = TL_PROGRESS_AUTO;
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    tl_status st;
    int rc = TL_EXIT_USAGE;
    run_ctx ctx = {0};
    char outbuf[4096];

    tl_scenario_init(&sc);
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:r:t:s:o:fj:qh", opts, NULL)) != -1) {
        double v;
        switch (c) {
        case 'p': preset = optarg; break;
        case 'r': if (parse_whole("--replicates", optarg, 1, 1000000, &reps)) goto out; break;
        case 't': if (parse_whole("--steps", optarg, 1, 100000, &steps)) goto out; break;
        case 's': if (parse_whole("--seed", optarg, 0, 18446744073709549568.0, &seed)) goto out; break;
        case 'o': output = optarg; break;
        case 'f': force = 1; break;
        case 'q': quiet = 1; break;
        case 'j':
            if (parse_whole("--threads", optarg, 0, 1024, &v))
                goto out;
            threads = (int)v;
            break;
        case OPT_SET:
            if (nsets >= 256) {
                tl_cli_error("too many --set options (at most 256)");
                goto out;
            }
            sets[nsets++] = optarg;
            break;
        case OPT_SCHEDULE:
            if (nscheds >= TL_SCHEDULE_MAX) {
                tl_cli_error("too many --schedule options (at most %d)", TL_SCHEDULE_MAX);
                goto out;
            }
            scheds[nscheds++] = optarg;
            break;
        case OPT_SNAPSHOTS: {
            char *dup = strdup(optarg), *save = NULL;
            nsnap = 0;
            for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                if (nsnap >= TL_SNAP_MAX || parse_whole("--snapshots", tok, 0, 100000, &v)) {
                    if (nsnap >= TL_SNAP_MAX)
                        tl_cli_error("--snapshots: at most %d steps", TL_SNAP_MAX);
                    free(dup);
                    goto out;
                }
                snaps[nsnap++] = (int)v;
            }
            free(dup);
            break;
        }
        case OPT_PROGRESS:
            if (tl_progress_parse(optarg, &pmode)) {
                tl_cli_error("--progress %s: expected auto, bar, json or none", optarg);
                goto out;
            }
            break;
        case 'h': fputs(usage, stdout); rc = TL_EXIT_OK; goto out;
        default: tl_cli_error("run: see `tillit run --help`"); goto out;
        }
    }
    if (optind < argc - 1) {
        tl_cli_error("run: one scenario at a time (got '%s' and '%s')", argv[optind], argv[optind + 1]);
        goto out;
    }
    if (optind < argc && preset) {
        tl_cli_error("run: give a scenario or --preset, not both");
        goto out;
    }

    /* the scenario */
    if (preset)
        st = tl_scenario_from_preset(preset, &sc, &err);
    else if (optind < argc && is_file_arg(argv[optind]))
        st = tl_scenario_load_yaml(argv[optind], &sc, &err);
    else
        st = tl_builtin_load(optind < argc ? argv[optind] : "default", &sc, &err);
    if (st != TL_OK) {
        tl_cli_error("%s", err.msg);
        goto out;
    }

    /* command-line overrides, applied to every point */
    for (int k = 0; k < sc.npoints; k++) {
        tl_point *pt = &sc.points[k];
        for (int j = 0; j < nsets; j++) {
            const char *eq = strchr(sets[j], '=');
            char key[128];
            if (!eq || eq == sets[j] || (size_t)(eq - sets[j]) >= sizeof key) {
                tl_cli_error("--set %s: expected KEY=VALUE", sets[j]);
                goto out;
            }
            memcpy(key, sets[j], (size_t)(eq - sets[j]));
            key[eq - sets[j]] = 0;
            if (tl_params_set_str(&pt->params, key, eq + 1, &err) != TL_OK) {
                tl_cli_error("--set %s: %s", sets[j], err.msg);
                goto out;
            }
        }
        if (steps > 0)
            pt->params.steps = steps;
        for (int j = 0; j < nscheds; j++) {
            char param[128];
            double at, ramp, val;
            if (parse_schedule(scheds[j], param, sizeof param, &at, &ramp, &val)) {
                tl_cli_error("--schedule %s: expected PARAM@STEP[:RAMP]=VALUE, e.g. "
                             "control_intensity@104:26=0.15",
                             scheds[j]);
                goto out;
            }
            if (tl_schedule_add(&pt->sched, param, at, ramp, val, &err) != TL_OK) {
                tl_cli_error("--schedule %s: %s", scheds[j], err.msg);
                goto out;
            }
        }
    }
    if (reps > 0)
        sc.replicates = (int)reps;
    if (seed >= 0)
        sc.seed = (uint64_t)seed;
    if (nsnap >= 0) {
        sc.n_snap = nsnap;
        memcpy(sc.snap_steps, snaps, sizeof(int) * (size_t)nsnap);
    }
    if (tl_scenario_finalise(&sc, &err) != TL_OK) {
        tl_cli_error("%s", err.msg);
        goto out;
    }

    /* the output: checked before any work is done */
    if (!output) {
        default_output(&sc, outbuf, sizeof outbuf);
        output = outbuf;
    }
    {
        tl_provenance prov = {cmdline};
        if ((st = tl_writer_open(&ctx.w, output, &sc, &prov, force, &err)) != TL_OK) {
            tl_cli_error("%s", err.msg);
            rc = st == TL_ERR_EXISTS ? TL_EXIT_USAGE : TL_EXIT_IO;
            goto out;
        }
    }
    ctx.sc = &sc;
    ctx.summary = calloc((size_t)sc.npoints * NSUM, sizeof(double));
    ctx.summary_n = calloc((size_t)sc.npoints, sizeof(int));
    if (!ctx.summary || !ctx.summary_n) {
        tl_cli_error("out of memory");
        tl_writer_abort(ctx.w);
        rc = TL_EXIT_IO;
        goto out;
    }

    {
        tl_progress_state ps;
        tl_runner_opts ro = TL_RUNNER_OPTS_INIT;
        struct sigaction sa, old_int, old_term;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        g_stop = 0;
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
        tl_progress_init(&ps, pmode);
        ro.threads = threads;
        ro.on_block = on_block;
        ro.ctx = &ctx;
        ro.on_progress = ps.mode != TL_PROGRESS_NONE ? tl_progress_report : NULL;
        ro.progress_ctx = &ps;
        ro.stop = &g_stop;
        st = tl_runner_run(&sc, &ro, &err);
        tl_progress_finish(&ps);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
    }
    if (st != TL_OK) {
        tl_writer_abort(ctx.w);
        if (st == TL_ERR_INTERRUPTED) {
            tl_cli_error("%s; nothing written to %s", err.msg, output);
            rc = TL_EXIT_INTERRUPT;
        } else {
            tl_cli_error("%s; nothing written to %s", err.msg, output);
            rc = st == TL_ERR_IO ? TL_EXIT_IO : TL_EXIT_FAIL;
        }
        goto out;
    }
    if ((st = tl_writer_commit(ctx.w, &err)) != TL_OK) {
        tl_cli_error("%s", err.msg);
        rc = TL_EXIT_IO;
        goto out;
    }
    {
        long failed = 0;
        for (int p = 0; p < sc.npoints; p++)
            failed += sc.replicates - ctx.summary_n[p];
        if (!quiet)
            print_summary(&ctx);
        printf("wrote %s: %d point%s x %d replicate%s x %d steps, %d metrics\n", output,
               sc.npoints, sc.npoints == 1 ? "" : "s", sc.replicates, sc.replicates == 1 ? "" : "s",
               tl_scenario_steps(&sc), TL_NMETRICS);
        if (failed > 0) {
            tl_cli_error("%ld run%s failed; see run_status and run_error in %s", failed,
                         failed == 1 ? "" : "s", output);
            rc = TL_EXIT_FAIL;
        } else {
            rc = TL_EXIT_OK;
        }
    }
out:
    free(ctx.summary);
    free(ctx.summary_n);
    tl_scenario_clear(&sc);
    return rc;
}
