/* cmd_run.c — `tillit run` and `tillit sweep`: build the scenario, run it on all cores, write one
 * HDF5 file. A sweep also keeps a journal of finished blocks so that nothing finished is lost and
 * an interrupted sweep can be resumed; `run` is the same without the journal. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"
#include "tillit/builtin.h"
#include "tillit/h5_scenario.h"
#include "tillit/journal.h"
#include "tillit/metrics.h"
#include "tillit/mpi_sweep.h"
#include "tillit/output.h"
#include "tillit/output_lock.h"
#include "tillit/presets.h"
#include "tillit/runner.h"
#include "tillit/scenario_yaml.h"
#include "tillit/shard.h"
#include "tillit/sim.h"

static const char run_usage[] =
    "usage: tillit run [SCENARIO] [options]\n"
    "\n"
    "Run a scenario and write its time series to an HDF5 file.\n"
    "SCENARIO is a scenario file (.yaml), a built-in scenario (`tillit scenarios`), or a\n"
    "tillit output file (.h5, also the classroom's export): its runs are repeated;\n"
    "without it, the built-in `default` runs: control-based, balanced and trust-based\n"
    "steering side by side.\n";

static const char sweep_usage[] =
    "usage: tillit sweep SCENARIO -o OUT.h5 [options]\n"
    "\n"
    "Run every point and replicate of a scenario (a file with a `sweep:` design, see\n"
    "docs/scenario-format.md, or a built-in scenario) on all cores into one HDF5 file.\n"
    "Finished runs are kept in OUT.h5.journal as they complete, so a crash, kill -9 or\n"
    "Ctrl-C loses only the runs in flight; Ctrl-C also writes what is finished to\n"
    "OUT.h5 (marked incomplete). Then:\n"
    "      --resume            complete an interrupted sweep (same scenario and options)\n"
    "      --salvage           write what the journal holds to OUT.h5 without running\n"
    "      --dry-run           print the pre-flight estimate only (output size, its\n"
    "                          layout, memory, time; docs/performance.md)\n"
    "      --shard K/N         run only shard K of N (a job array), for `tillit merge`\n"
    "      --rank-files        under mpirun/srun: every rank writes its own shard to\n"
    "                          OUT.h5.ranks/ (own journal), rank 0 joins them into\n"
    "                          OUT.h5 with virtual datasets (docs/cluster.md); resume\n"
    "                          with the same number of ranks\n";

static const char check_usage[] =
    "usage: tillit check SCENARIO [options]\n       tillit check --preset NAME [options]\n"
    "\n"
    "Validate a scenario file (and the options given) without running it: print its\n"
    "points, design, what varies and the pre-flight estimate, or one clear error.\n";

static const char common_usage[] =
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
    "      --record A,B,..     store only these metrics in the file (default: all;\n"
    "                          scenario: output: {metrics: [A, B]})\n"
    "      --summary-only      no time series: per run, statistics of each stored metric\n"
    "                          over its last 52 weeks (group runs; output: {time_series:\n"
    "                          false, window: W} in a scenario); `tillit table` reads them\n"
    "      --record-every K    time series keep steps K, 2K, ... and always the last\n"
    "                          (output: {every: K}); runs still compute every step\n"
    "      --dtype float32     store time series as float32 (half the raw bytes; the runs\n"
    "                          compute in double; default float64; output: {dtype: float32})\n"
    "      --crn               common random numbers: replicate r of every point draws\n"
    "                          the same random streams, so differences between points\n"
    "                          are paired (default: streams keyed by point too)\n"
    "  -o, --output FILE       output file (run: default tillit-<scenario>-s<seed>.h5,\n"
    "                          never an existing file)\n"
    "  -f, --force             replace FILE if it exists (only once the work succeeded);\n"
    "                          sweep: also discard an interrupted sweep's journal\n"
    "  -j, --threads N         worker threads (default: all cores); results are\n"
    "                          bit-identical whatever N\n"
    "      --progress MODE     auto (a bar on a terminal), bar, json (JSON lines on\n"
    "                          stderr, for batch systems), none\n"
    "  -q, --quiet             no estimate or summary table\n"
    "      --design-csv FILE   write every point's design values as CSV before running\n"
    "                          (`-` for standard output; an existing FILE needs --force)\n"
    "  -h, --help              this help\n"
    "\n"
    "The file is written as FILE.part and renamed when complete: a failed or\n"
    "interrupted command never leaves a half-written FILE. Exit codes: 0 ok, 1 some\n"
    "runs failed (recorded in run_status/run_error), 2 bad input (nothing written),\n"
    "3 output error, 130 interrupted.\n";

typedef struct job {
    int sweep, check;
    const char *scenario, *preset, *output, *design_csv, *record, *shard;
    tl_shard sh; /* --shard K/N; 0/0 for the whole design */
    const char *sets[256];
    const char *scheds[TL_SCHEDULE_MAX];
    int nsets, nscheds, force, quiet, threads, resume, salvage, dry_run, crn, summary_only;
    int rank_files; /* --rank-files: every MPI rank writes its own shard (rank_files.c) */
    int solo;       /* this process's sweep alone, whatever the MPI ranks (a rank's file) */
    double reps, steps, every; /* every: --record-every, 0 = not given */
    const char *dtype;         /* --dtype, NULL = not given */
    uint64_t seed;
    int have_seed;
    int snaps[TL_SNAP_MAX], nsnap;
    tl_progress_mode pmode;
} job;

/* ---- options -------------------------------------------------------------------- */

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
static int parse_schedule(const char *s, char *param, size_t np, double *at, double *ramp,
                          double *val)
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

/* 0 to go on, else the exit code (help printed: TL_EXIT_OK) */
static int parse_job(int argc, char **argv, job *o)
{
    enum { OPT_SET = 1000, OPT_SCHEDULE, OPT_SNAPSHOTS, OPT_PROGRESS, OPT_RESUME, OPT_SALVAGE,
           OPT_DRY, OPT_DESIGN_CSV, OPT_CRN, OPT_RECORD, OPT_SUMMARY_ONLY, OPT_SHARD,
           OPT_RECORD_EVERY, OPT_DTYPE, OPT_RANK_FILES };
    static const struct option opts[] = {
        {"preset", required_argument, 0, 'p'},   {"replicates", required_argument, 0, 'r'},
        {"steps", required_argument, 0, 't'},    {"seed", required_argument, 0, 's'},
        {"set", required_argument, 0, OPT_SET},  {"schedule", required_argument, 0, OPT_SCHEDULE},
        {"snapshots", required_argument, 0, OPT_SNAPSHOTS},
        {"output", required_argument, 0, 'o'},   {"force", no_argument, 0, 'f'},
        {"threads", required_argument, 0, 'j'},  {"progress", required_argument, 0, OPT_PROGRESS},
        {"quiet", no_argument, 0, 'q'},          {"help", no_argument, 0, 'h'},
        {"resume", no_argument, 0, OPT_RESUME},  {"salvage", no_argument, 0, OPT_SALVAGE},
        {"dry-run", no_argument, 0, OPT_DRY},    {"design-csv", required_argument, 0, OPT_DESIGN_CSV},
        {"crn", no_argument, 0, OPT_CRN}, {"record", required_argument, 0, OPT_RECORD},
        {"summary-only", no_argument, 0, OPT_SUMMARY_ONLY}, {"shard", required_argument, 0, OPT_SHARD},
        {"record-every", required_argument, 0, OPT_RECORD_EVERY},
        {"dtype", required_argument, 0, OPT_DTYPE},
        {"rank-files", no_argument, 0, OPT_RANK_FILES},
        {0, 0, 0, 0}};
    const char *cmd = o->check ? "check" : o->sweep ? "sweep" : "run";
    int c;
    double v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:r:t:s:o:fj:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'p': o->preset = optarg; break;
        case 'r': if (parse_whole("--replicates", optarg, 1, 1000000, &o->reps)) return TL_EXIT_USAGE; break;
        case 't': if (parse_whole("--steps", optarg, 1, 100000, &o->steps)) return TL_EXIT_USAGE; break;
        case 's': {
            /* exact: a double would round seeds above 2^53 to other seeds */
            int r = tl_text_to_u64(optarg, &o->seed);
            if (r != 0) {
                tl_cli_error("--seed %s: %s: expected a whole number in [0, "
                             "18446744073709551615]",
                             optarg, r == -2 ? "too large" : optarg[0] == '-' ? "negative" : "not a whole number");
                return TL_EXIT_USAGE;
            }
            o->have_seed = 1;
            break;
        }
        case 'o': o->output = optarg; break;
        case OPT_DESIGN_CSV: o->design_csv = optarg; break;
        case OPT_CRN: o->crn = 1; break;
        case OPT_RECORD: o->record = optarg; break;
        case OPT_SUMMARY_ONLY: o->summary_only = 1; break;
        case OPT_RECORD_EVERY:
            if (parse_whole("--record-every", optarg, 1, 100000, &o->every))
                return TL_EXIT_USAGE;
            break;
        case OPT_DTYPE:
            if (strcmp(optarg, "float64") && strcmp(optarg, "float32")) {
                tl_cli_error("--dtype %s: expected float64 (the default) or float32", optarg);
                return TL_EXIT_USAGE;
            }
            o->dtype = optarg;
            break;
        case OPT_SHARD: o->shard = optarg; break;
        case OPT_RANK_FILES: o->rank_files = 1; break;
        case 'f': o->force = 1; break;
        case 'q': o->quiet = 1; break;
        case 'j':
            if (parse_whole("--threads", optarg, 0, 1024, &v))
                return TL_EXIT_USAGE;
            o->threads = (int)v;
            break;
        case OPT_SET:
            if (o->nsets >= 256) {
                tl_cli_error("too many --set options (at most 256)");
                return TL_EXIT_USAGE;
            }
            o->sets[o->nsets++] = optarg;
            break;
        case OPT_SCHEDULE:
            if (o->nscheds >= TL_SCHEDULE_MAX) {
                tl_cli_error("too many --schedule options (at most %d)", TL_SCHEDULE_MAX);
                return TL_EXIT_USAGE;
            }
            o->scheds[o->nscheds++] = optarg;
            break;
        case OPT_SNAPSHOTS: {
            char *dup = strdup(optarg), *tok, *next;
            if (!dup) {
                tl_cli_error("out of memory");
                return TL_EXIT_USAGE;
            }
            o->nsnap = 0;
            /* every item a step: "", ",," or "0,,52" are refused, not read as fewer */
            for (tok = dup; tok; tok = next) {
                if ((next = strchr(tok, ',')))
                    *next++ = 0;
                if (!*tok) {
                    tl_cli_error("--snapshots %s: an empty item; expected steps separated by "
                                 "commas, e.g. --snapshots 0,52,104",
                                 optarg);
                    free(dup);
                    return TL_EXIT_USAGE;
                }
                if (o->nsnap >= TL_SNAP_MAX) {
                    tl_cli_error("--snapshots: at most %d steps", TL_SNAP_MAX);
                    free(dup);
                    return TL_EXIT_USAGE;
                }
                if (parse_whole("--snapshots", tok, 0, 100000, &v)) {
                    free(dup);
                    return TL_EXIT_USAGE;
                }
                o->snaps[o->nsnap++] = (int)v;
            }
            free(dup);
            break;
        }
        case OPT_PROGRESS:
            if (tl_progress_parse(optarg, &o->pmode)) {
                tl_cli_error("--progress %s: expected auto, bar, json or none", optarg);
                return TL_EXIT_USAGE;
            }
            break;
        case OPT_RESUME:
        case OPT_SALVAGE:
        case OPT_DRY:
            if (!o->sweep) {
                tl_cli_error("run: --%s belongs to `tillit sweep`", c == OPT_RESUME ? "resume"
                                                                   : c == OPT_SALVAGE ? "salvage"
                                                                                      : "dry-run");
                return TL_EXIT_USAGE;
            }
            if (c == OPT_RESUME)
                o->resume = 1;
            else if (c == OPT_SALVAGE)
                o->salvage = 1;
            else
                o->dry_run = 1;
            break;
        case 'h':
            fputs(o->check ? check_usage : o->sweep ? sweep_usage : run_usage, stdout);
            fputs(common_usage, stdout);
            return -TL_EXIT_OK - 1;
        default: tl_cli_error("%s: see `tillit %s --help`", cmd, cmd); return TL_EXIT_USAGE;
        }
    }
    if (optind < argc - 1) {
        tl_cli_error("%s: one scenario at a time (got '%s' and '%s')", cmd, argv[optind],
                     argv[optind + 1]);
        return TL_EXIT_USAGE;
    }
    if (optind < argc)
        o->scenario = argv[optind];
    if (o->scenario && o->preset) {
        tl_cli_error("%s: give a scenario or --preset, not both", cmd);
        return TL_EXIT_USAGE;
    }
    if (o->check && !o->scenario && !o->preset) {
        tl_cli_error("check: which scenario file? (tillit check FILE, or tillit check --preset "
                     "NAME)");
        return TL_EXIT_USAGE;
    }
    if (o->sweep && !o->check && !o->output) {
        tl_cli_error("sweep: say where to write: -o OUT.h5");
        return TL_EXIT_USAGE;
    }
    tl_error serr = TL_ERROR_INIT;
    if (o->shard && (!o->sweep || tl_shard_parse(o->shard, &o->sh, &serr) != TL_OK)) {
        tl_cli_error("%s", o->sweep ? serr.msg : "run: --shard belongs to `tillit sweep`");
        return TL_EXIT_USAGE;
    }
    if (o->rank_files && (!o->sweep || o->shard)) {
        tl_cli_error("%s", o->sweep ? "sweep: --rank-files or --shard, not both (--rank-files "
                                      "makes every MPI rank a shard)"
                                    : "run: --rank-files belongs to `tillit sweep`");
        return TL_EXIT_USAGE;
    }
    if (o->resume + o->salvage > 1) {
        tl_cli_error("sweep: --resume or --salvage, not both");
        return TL_EXIT_USAGE;
    }
    return 0;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int is_file_arg(const char *a)
{
    size_t n = strlen(a);
    return strchr(a, '/') || (n > 5 && strcmp(a + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(a + n - 4, ".yml") == 0) || file_exists(a);
}

/* The scenario with the command line's overrides applied to every point. */
static int build_scenario(const job *o, tl_scenario *sc)
{
    tl_error err = TL_ERROR_INIT;
    tl_status st;
    if (o->preset)
        st = tl_scenario_from_preset(o->preset, sc, &err);
    else if (o->scenario && file_exists(o->scenario) && tl_is_hdf5_file(o->scenario))
        st = tl_scenario_load_h5(o->scenario, sc, &err); /* repeat the runs of an output file */
    else if (o->scenario && is_file_arg(o->scenario))
        st = tl_scenario_load_yaml(o->scenario, sc, &err);
    else
        st = tl_builtin_load(o->scenario ? o->scenario : "default", sc, &err);
    if (st != TL_OK) {
        tl_cli_error("%s", err.msg);
        return TL_EXIT_USAGE;
    }
    /* every point, after what the file sets (a design's values too) */
    for (int j = 0; j < o->nsets; j++) {
        const char *eq = strchr(o->sets[j], '=');
        char key[128];
        tl_params one;
        if (!eq || eq == o->sets[j] || (size_t)(eq - o->sets[j]) >= sizeof key) {
            tl_cli_error("--set %s: expected KEY=VALUE", o->sets[j]);
            return TL_EXIT_USAGE;
        }
        memcpy(key, o->sets[j], (size_t)(eq - o->sets[j]));
        key[eq - o->sets[j]] = 0;
        tl_params_default(&one);
        if (tl_params_set_str(&one, key, eq + 1, &err) != TL_OK) {
            tl_cli_error("--set %s: %s", o->sets[j], err.msg);
            return TL_EXIT_USAGE;
        }
        if (tl_scenario_set_everywhere(sc, tl_param_index(key),
                                       tl_params_get(&one, tl_param_index(key)), &err) != TL_OK) {
            tl_cli_error("--set %s: %s", o->sets[j], err.msg);
            return TL_EXIT_IO;
        }
    }
    if (o->steps > 0 &&
        tl_scenario_set_everywhere(sc, tl_param_index("steps"), (double)o->steps, &err) != TL_OK) {
        tl_cli_error("%s", err.msg);
        return TL_EXIT_IO;
    }
    for (int j = 0; j < o->nscheds; j++) {
        char param[128];
        double at, ramp, val;
        if (parse_schedule(o->scheds[j], param, sizeof param, &at, &ramp, &val)) {
            tl_cli_error("--schedule %s: expected PARAM@STEP[:RAMP]=VALUE, e.g. "
                         "control_intensity@104:26=0.15",
                         o->scheds[j]);
            return TL_EXIT_USAGE;
        }
        if (tl_scenario_schedule_everywhere(sc, param, at, ramp, val, &err) != TL_OK) {
            tl_cli_error("--schedule %s: %s", o->scheds[j], err.msg);
            return TL_EXIT_USAGE;
        }
    }
    if (o->reps > 0)
        sc->replicates = (int)o->reps;
    if (o->have_seed)
        sc->seed = o->seed;
    if (o->crn)
        sc->crn = 1;
    if (o->summary_only)
        sc->summary_only = 1;
    if (o->every > 0)
        sc->record_every = (int)o->every;
    if (o->dtype)
        sc->record_f32 = !strcmp(o->dtype, "float32");
    if (o->record && tl_scenario_set_record(sc, o->record, &err) != TL_OK) {
        tl_cli_error("--record %s: %s", o->record, err.msg);
        return TL_EXIT_USAGE;
    }
    if (o->nsnap >= 0) {
        sc->n_snap = o->nsnap;
        memcpy(sc->snap_steps, o->snaps, sizeof(int) * (size_t)o->nsnap);
    }
    if (tl_scenario_finalise(sc, &err) != TL_OK) {
        static const char every_key[] = "output.every = ";
        /* a value given as --record-every is named as the user wrote it */
        if (o->every > 0 && !strncmp(err.msg, every_key, sizeof every_key - 1))
            tl_cli_error("--record-every %s", err.msg + sizeof every_key - 1);
        else
            tl_cli_error("%s", err.msg);
        return TL_EXIT_USAGE;
    }
    return 0;
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

/* ---- execution ------------------------------------------------------------------ */

static const char *const summary_metrics[] = {
    "quality_true", "quality_gap", "equal_gap", "wait_mean", "motivation_mean", "safety_mean",
    "time_documentation", "shirking_share", "incidents", "cost_per_case", "outcome_index"};
static const char *const summary_heads[] = {"quality", "measured-", "equal gap", "wait (wk)",
                                            "motivation", "safety", "doc share", "shirking",
                                            "incidents/wk", "SEK/case", "outcome"};
#define NSUM ((int)(sizeof summary_metrics / sizeof summary_metrics[0]))
const int tl_cli_summary_columns = NSUM;

typedef struct run_ctx {
    tl_writer *w;
    tl_journal *j;
    tl_mpi_coord *mpi;   /* rank 0 of an MPI sweep */
    tl_progress_state *ps;
    long skipped;        /* runs already in the journal when started */
    const tl_scenario *sc;
    double *summary; /* npoints x NSUM: sum over replicates of the last-year mean */
    int *summary_n;  /* npoints x NSUM: the runs summed (a block replayed from the journal
                        holds only what the output keeps: some runs may lack a metric) */
    long failed;
    tl_progress last; /* the last progress reported */
    int have_last;
    tl_shard shard; /* --shard K/N, else 0/0: written with what is salvaged too */
} run_ctx;

static void accumulate(run_ctx *c, const tl_block *b)
{
    tl_point buf;
    int steps = (int)tl_scenario_point(c->sc, b->point, &buf)->params.steps;
    int from = steps > 52 ? steps - 52 : 0;
    for (int r = 0; r < b->nrep; r++) {
        if (b->state[r] == TL_RUN_FAILED)
            c->failed++;
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
            if (n) {
                c->summary[b->point * NSUM + k] += s / n;
                c->summary_n[b->point * NSUM + k]++;
            }
        }
    }
}

static tl_status on_block(void *vctx, const tl_block *b, tl_error *err)
{
    run_ctx *c = vctx;
    tl_status st;
    /* durable first: once in the journal a block survives anything */
    if (c->j && (st = tl_journal_put(c->j, b, err)) != TL_OK)
        return st;
    if ((st = tl_writer_put_block(c->w, b, err)) != TL_OK)
        return st;
    accumulate(c, b);
    return TL_OK;
}

/* on a worker thread: the block's chunks compressed and summaries computed,
 * so that the calling thread only writes */
static void *prepare_block(void *vctx, const tl_block *b)
{
    run_ctx *c = vctx;
    return c->w ? tl_writer_prepare(c->w, b) : NULL;
}

static void print_summary(const run_ctx *c)
{
    const tl_scenario *sc = c->sc;
    if (sc->npoints > 40) {
        printf("(%d points: no summary table; see the file's `summary` group or "
               "`python3 -m tillit_analysis`)\n",
               sc->npoints);
        return;
    }
    printf("\nlast year of each run, mean over replicates (quality: true; measured-: measured minus "
           "true):\n");
    printf("%-22s", "point");
    for (int k = 0; k < NSUM; k++)
        printf(" %10.10s", summary_heads[k]);
    printf("\n");
    for (int p = 0; p < sc->npoints; p++) {
        tl_point buf;
        printf("%-22.22s", tl_scenario_point(sc, p, &buf)->label);
        for (int k = 0; k < NSUM; k++) {
            const int n = c->summary_n[p * NSUM + k];
            double v = n ? c->summary[p * NSUM + k] / n : NAN;
            if (fabs(v) >= 1000)
                printf(" %10.0f", v);
            else
                printf(" %10.3f", v);
        }
        printf("\n");
    }
}

/* progress of the whole sweep: this process's runs plus other ranks' */
static void progress_all(void *vctx, const tl_progress *p)
{
    run_ctx *c = vctx;
    tl_progress q = *p;
    c->last = *p;
    c->have_last = 1;
    if (c->mpi) {
        q.runs_done += tl_mpi_coord_remote_runs(c->mpi);
        q.runs_skipped = c->skipped;
    }
    tl_progress_report(c->ps, &q);
}

static tl_status mpi_idle(void *vctx, tl_error *err)
{
    run_ctx *c = vctx;
    return tl_mpi_coord_poll(c->mpi, on_block, c, err);
}

/* Test seam: TILLIT_TEST_FAIL_RUNS="p:r,p:r" makes those runs fail (see runner.h). */
static int inject(void *ctx, int point, int rep)
{
    const char *spec = ctx;
    char buf[32];
    snprintf(buf, sizeof buf, "%d:%d", point, rep);
    for (const char *s = spec; (s = strstr(s, buf)); s++)
        if ((s == spec || s[-1] == ',') && (s[strlen(buf)] == ',' || s[strlen(buf)] == 0))
            return 1;
    return 0;
}

/* Test seam: TILLIT_TEST_SIGNAL_AT=PHASE raises SIGINT at that phase (start,
 * journal, writer, replay, commit, committed), so that tests hit each phase
 * exactly rather than by timing. */
static void test_phase(const char *phase)
{
    const char *at = getenv("TILLIT_TEST_SIGNAL_AT");
    if (at && strcmp(at, phase) == 0)
        raise(SIGINT);
}

/* Replay every block of the journal into the writer (resume, salvage). A
 * block of another scenario (foreign) or a damaged one is never merged: it
 * is passed over with a warning and its runs are run again. */
static tl_status replay(run_ctx *c, tl_error *err)
{
    const uint8_t *done = tl_journal_done(c->j);
    for (int b = 0; b < tl_journal_nblocks(c->j); b++) {
        tl_block blk;
        tl_status st;
        if (!done[b])
            continue;
        if ((st = tl_journal_get(c->j, b, &blk, err)) == TL_ERR_IO || st == TL_ERR_CONFLICT) {
            tl_cli_error("warning: %s; its runs are run again", err->msg);
            tl_journal_discard(c->j, b);
            continue;
        }
        if (st != TL_OK || (st = tl_writer_put_block(c->w, &blk, err)) != TL_OK)
            return st;
        accumulate(c, &blk);
    }
    return TL_OK;
}

/* Write what the journal holds to the output, marked incomplete; for a large
 * design (minutes) with progress as the sweep's own: the layout, then every
 * second while the finished runs are written. */
static int salvage_to(const char *output, const tl_scenario *sc, tl_journal *j, const char *cmdline,
                      run_ctx *c, const tl_progress_state *ps)
{
    tl_error err = TL_ERROR_INIT;
    tl_provenance prov = {cmdline, 1, c->shard.k, c->shard.n, NULL, NULL, NULL};
    int force = tl_output_is_incomplete(output);
    tl_layout_ticker tk;
    tl_status st;
    tl_layout_start(&tk, ps, "output file", sc->npoints);
    st = tl_writer_open(&c->w, output, sc, &prov, force, &err);
    tl_layout_stop(&tk, st == TL_OK);
    c->j = j;
    if (st == TL_OK) {
        tl_prepare_start(&tk, ps, "writing the finished runs");
        st = replay(c, &err);
        if (st == TL_OK)
            st = tl_writer_commit(c->w, &err);
        else
            tl_writer_abort(c->w);
        tl_prepare_stop(&tk);
    }
    c->w = NULL;
    if (st != TL_OK) {
        tl_cli_error("%s", err.msg);
        return -1;
    }
    return 0;
}

static int execute(const job *o, tl_scenario *sc, const char *cmdline);

/* --rank-files: this rank's shard of the sweep into OUT.h5.ranks/, then
 * (every rank waiting asleep for the last) rank 0's virtual join. */
static int rank_file(const job *o, tl_scenario *sc, const char *cmdline, int rank, int nranks)
{
    job r = *o;
    char path[4096], shard[64], journal[4112];
    int rc = TL_EXIT_OK, skip = 0;
    r.solo = 1;
    r.rank_files = 0;
    if (o->dry_run) /* the whole sweep's estimate, once */
        return rank == 0 ? execute(&r, sc, cmdline) : TL_EXIT_OK;
    if (tl_rank_file(path, sizeof path, o->output, rank + 1, nranks) != 0 ||
        snprintf(journal, sizeof journal, "%s.journal", path) >= (int)sizeof journal) {
        tl_cli_error("output path '%s' is too long", o->output);
        rc = TL_EXIT_USAGE;
    } else if (!o->resume && !o->salvage && !o->force && file_exists(o->output)) {
        if (rank == 0)
            tl_cli_error("output file '%s' already exists; use --force to replace it", o->output);
        rc = TL_EXIT_USAGE;
    } else if (o->resume && tl_rank_files_other_count(o->output, nranks)) {
        /* another number of ranks would make other files and run everything again */
        if (rank == 0)
            tl_cli_error("%s.ranks/ holds the files of %d ranks, this job has %d: resume with "
                         "the same number of ranks (mpirun -n %d ...)",
                         o->output, tl_rank_files_other_count(o->output, nranks), nranks,
                         tl_rank_files_other_count(o->output, nranks));
        rc = TL_EXIT_USAGE;
    } else if (tl_rank_files_dir(o->output) != 0) {
        rc = TL_EXIT_IO;
    }
    snprintf(shard, sizeof shard, "%d/%d", rank + 1, nranks);
    r.output = path;
    r.shard = shard;
    r.sh.k = rank + 1;
    r.sh.n = nranks;
    r.quiet = 1; /* the summary of one rank's runs would mislead */
    if (o->threads <= 0 && nranks > 1)
        r.threads = 1; /* ranks share the cores */
    if (rank > 0)
        r.pmode = TL_PROGRESS_NONE;
    if (rc == TL_EXIT_OK && o->resume && !file_exists(journal)) {
        /* this rank had finished (its file complete), or never started */
        if (file_exists(path) && !tl_output_is_incomplete(path))
            skip = 1;
        else if (!file_exists(path))
            r.resume = 0;
    }
    if (rc == TL_EXIT_OK && !skip)
        rc = execute(&r, sc, cmdline);
    if (o->salvage) /* each rank's file written out for reading; nothing to join */
        return rc;
    return tl_rank_files_finish(rc, rank, o->output, nranks, cmdline, o->force || o->resume);
}

static int execute(const job *o, tl_scenario *sc, const char *cmdline)
{
    tl_error err = TL_ERROR_INIT;
    tl_status st = TL_OK;
    run_ctx ctx = {0};
    char outbuf[4096];
    char *text = NULL;
    const char *output = o->output;
    int threads = o->threads > 0 ? o->threads : tl_runner_default_threads();
    int rc = TL_EXIT_USAGE, replace_output;
    /* a new sweep's estimate comes before anything is written (a resumed or
     * sharded one's after its journal is read: runs done count) */
    const int est_shown = o->sweep && !o->resume && !o->salvage && !o->shard && !o->dry_run;
    const char *inject_spec = getenv("TILLIT_TEST_FAIL_RUNS");
    estimate est;
    tl_progress_state ps;
    tl_output_lock *lock = NULL;
    uint8_t *shard_skip = NULL; /* --shard: the blocks of other shards, and those done */
    tl_stop_guard guard = {0};

    int rank, nranks = o->sweep && !o->solo ? tl_mpi_size(&rank) : 1;
    if (nranks > 1) {
        /* every rank resolved the scenario from its own copy of the file */
        if (!(text = tl_scenario_to_yaml(sc)) || tl_mpi_same_scenario(text, &err) != TL_OK) {
            if (rank == 0)
                tl_cli_error("%s", text ? err.msg : "out of memory");
            free(text);
            tl_mpi_abort(TL_EXIT_USAGE);
            return TL_EXIT_USAGE;
        }
        free(text);
        text = NULL;
        if (o->rank_files)
            return rank_file(o, sc, cmdline, rank, nranks);
        if (rank > 0) {
            /* ranks 1..: run what rank 0 hands out; rank 0 alone reads and writes */
            if (o->dry_run || o->salvage)
                return TL_EXIT_OK;
            if (tl_mpi_worker(sc, o->threads > 0 ? o->threads : 1, &err) != TL_OK) {
                tl_cli_error("rank %d: %s", rank, err.msg);
                tl_mpi_abort(TL_EXIT_FAIL);
            }
            return TL_EXIT_OK;
        }
        if (o->threads <= 0)
            threads = 1; /* one thread per rank unless asked: ranks share the cores */
    } else if (o->rank_files) {
        return rank_file(o, sc, cmdline, 0, 1);
    }
    /* Ctrl-C and SIGTERM are graceful from here to the end: before anything
     * is written, through the journal's layout, the runs and the final commit */
    tl_cli_stop_catch(&guard);
    test_phase("start");
    if (!output) {
        default_output(sc, outbuf, sizeof outbuf);
        output = outbuf;
    }
    replace_output = o->force;
    {
        struct stat osb;
        if (stat(output, &osb) == 0 && S_ISDIR(osb.st_mode)) {
            tl_cli_error("output path '%s' is a directory; give a file name, e.g. -o %s/out.h5",
                         output, output);
            goto out;
        }
    }
    /* one writer per output: a second run, sweep or resume is refused at once */
    if (!o->dry_run && tl_output_lock_take(&lock, output, &err) != TL_OK) {
        tl_cli_error("%s", err.msg);
        rc = err.code == TL_ERR_CONFLICT ? TL_EXIT_USAGE : TL_EXIT_IO;
        goto out;
    }
    ctx.sc = sc;
    ctx.shard = o->sh;
    ctx.summary = calloc((size_t)sc->npoints * NSUM, sizeof(double));
    ctx.summary_n = calloc((size_t)sc->npoints * NSUM, sizeof(int));
    if (!ctx.summary || !ctx.summary_n) {
        tl_cli_error("out of memory");
        rc = TL_EXIT_IO;
        goto out;
    }
    tl_progress_init(&ps, o->pmode);

    if (tl_cli_stop) {
        tl_cli_error("interrupted before anything was written%s",
                     o->resume || o->salvage ? "; the journal is as it was (--resume later)" : "");
        rc = TL_EXIT_INTERRUPT;
        goto out;
    }
    if (o->sweep) {
        if (!o->dry_run) { /* the journal's copy of the scenario (a dry run writes none) */
            tl_layout_ticker tk0;
            tl_prepare_start(&tk0, &ps, "preparing the journal");
            text = tl_scenario_to_yaml(sc);
            if (text && o->shard)
                text = tl_shard_tag_text(text, &o->sh);
            tl_prepare_stop(&tk0);
        }
        if (!o->dry_run && !text) {
            tl_cli_error("out of memory");
            rc = TL_EXIT_IO;
            goto out;
        }
        if (o->resume || o->salvage) {
            /* our own incomplete output may be replaced by the completed one */
            if (!replace_output && file_exists(output) && !tl_output_is_incomplete(output)) {
                size_t jn = strlen(output) + sizeof ".journal";
                char *jdir = malloc(jn);
                struct stat jsb;
                if (jdir)
                    snprintf(jdir, jn, "%s.journal", output);
                /* a sweep stopped between writing its file and removing its
                 * journal leaves both: the file is whole, the journal spare */
                if (jdir && stat(jdir, &jsb) == 0 && S_ISDIR(jsb.st_mode))
                    tl_cli_error("output file '%s' exists and is complete; nothing to %s (its "
                                 "journal %s is left over from the end of that sweep and can be "
                                 "removed)",
                                 output, o->resume ? "resume" : "salvage", jdir);
                else
                    tl_cli_error("output file '%s' exists and is complete; nothing to %s", output,
                                 o->resume ? "resume" : "salvage");
                free(jdir);
                goto out;
            }
            replace_output = 1;
        } else if (!o->force && file_exists(output)) {
            tl_cli_error("output file '%s' already exists; use --force to replace it", output);
            goto out;
        }
        if (est_shown) {
            tl_layout_ticker tk;
            int ok;
            tl_prepare_start(&tk, &ps, "estimating");
            ok = tl_preflight(sc, threads, nranks, 0, &est) == 0;
            tl_prepare_stop(&tk);
            if (ok)
                tl_print_estimate(sc, &est, o->pmode, o->quiet, 0);
        }
        if (!o->dry_run) {
            tl_layout_ticker tk;
            tl_layout_start(&tk, &ps, "journal", sc->npoints);
            st = tl_journal_open(&ctx.j, output, sc, text,
                                 o->resume || o->salvage ? TL_JOURNAL_RESUME : TL_JOURNAL_NEW,
                                 o->force, &err);
            tl_layout_stop(&tk, st == TL_OK);
            /* the journal keeps the text's hash: a large design's text (113 MB
             * for 10^6 points) is not held through the runs */
            free(text);
            text = NULL;
            if (st != TL_OK) {
                tl_cli_error("%s", err.msg);
                rc = st == TL_ERR_IO || st == TL_ERR_NOMEM ? TL_EXIT_IO : TL_EXIT_USAGE;
                goto out;
            }
            if (tl_journal_note(ctx.j))
                tl_cli_error("warning: %s", tl_journal_note(ctx.j));
            test_phase("journal");
            if (tl_cli_stop) {
                tl_cli_error("interrupted; %ld finished run%s kept in %s; finish with `tillit "
                             "sweep ... --resume`",
                             tl_journal_runs_done(ctx.j),
                             tl_journal_runs_done(ctx.j) == 1 ? "" : "s", tl_journal_dir(ctx.j));
                rc = TL_EXIT_INTERRUPT;
                goto out;
            }
        }
        if (o->salvage) {
            if (salvage_to(output, sc, ctx.j, cmdline, &ctx, &ps) != 0) {
                rc = TL_EXIT_IO;
                goto out;
            }
            printf("wrote %s from %s: %ld of %ld runs (marked incomplete; finish with --resume)\n",
                   output, tl_journal_dir(ctx.j), tl_journal_runs_done(ctx.j),
                   (long)sc->npoints * sc->replicates);
            rc = TL_EXIT_OK;
            goto out;
        }
    }

    {
        tl_runner_opts ro = TL_RUNNER_OPTS_INIT;
        tl_provenance prov = {cmdline, 0, o->sh.k, o->sh.n, NULL, NULL, NULL};
        long outside = 0; /* runs of other shards */
        tl_layout_ticker tk;
        if (o->shard && !(shard_skip = tl_shard_skip(sc, &o->sh, ctx.j ? tl_journal_done(ctx.j) : NULL, &outside))) {
            tl_cli_error("out of memory");
            rc = TL_EXIT_IO;
            goto done_running;
        }
        if ((o->sweep || o->dry_run) && !est_shown) {
            int ok;
            tl_prepare_start(&tk, &ps, "estimating");
            ok = tl_preflight(sc, threads, nranks, outside + (ctx.j ? tl_journal_runs_done(ctx.j) : 0), &est) == 0;
            tl_prepare_stop(&tk);
            if (ok)
                tl_print_estimate(sc, &est, o->pmode, o->quiet, o->dry_run);
            if (o->dry_run)
                tl_design_print(stdout, sc, 12);
        }
        if (o->dry_run) {
            rc = TL_EXIT_OK;
            goto done_running;
        }
        tl_layout_start(&tk, &ps, "output file", sc->npoints);
        st = tl_writer_open(&ctx.w, output, sc, &prov, replace_output, &err);
        tl_layout_stop(&tk, st == TL_OK);
        if (st != TL_OK) {
            tl_cli_error("%s", err.msg);
            rc = st == TL_ERR_EXISTS ? TL_EXIT_USAGE : TL_EXIT_IO;
            goto done_running;
        }
        test_phase("writer");
        if (ctx.j) { /* the journal's finished runs first (a resume) */
            tl_prepare_start(&tk, &ps, "writing the journal's finished runs");
            st = replay(&ctx, &err);
            tl_prepare_stop(&tk);
        }
        if (ctx.j && st != TL_OK) {
            tl_writer_abort(ctx.w);
            ctx.w = NULL;
            tl_cli_error("%s", err.msg);
            rc = TL_EXIT_IO;
            goto done_running;
        }
        test_phase("replay");
        ro.threads = threads;
        ro.on_block = on_block;
        ro.prepare = prepare_block;
        ro.release = tl_prepared_release;
        ro.ctx = &ctx;
        ctx.ps = &ps;
        ctx.skipped = ctx.j ? tl_journal_runs_done(ctx.j) : 0;
        ro.on_progress = ps.mode != TL_PROGRESS_NONE ? progress_all : NULL;
        ro.progress_ctx = &ctx;
        ro.stop = &tl_cli_stop;
        ro.skip = shard_skip ? shard_skip : ctx.j ? tl_journal_done(ctx.j) : NULL;
        if (nranks > 1) {
            if ((st = tl_mpi_coord_new(&ctx.mpi, sc, ro.skip, &err)) != TL_OK) {
                tl_writer_abort(ctx.w);
                ctx.w = NULL;
                tl_cli_error("%s", err.msg);
                rc = TL_EXIT_IO;
                goto done_running;
            }
            ro.next_block = tl_mpi_coord_next_block;
            ro.source_ctx = ctx.mpi;
            ro.on_idle = mpi_idle;
        }
        if (inject_spec && *inject_spec) {
            ro.inject_failure = inject;
            ro.failure_ctx = (void *)inject_spec;
        }
        st = tl_runner_run(sc, &ro, &err);
        /* other ranks may still be running the last blocks */
        if (st == TL_OK && ctx.mpi && !tl_mpi_coord_finished(ctx.mpi)) {
            double t0 = tl_now_s();
            st = tl_mpi_coord_drain(ctx.mpi, on_block, &ctx, &tl_cli_stop, &err);
            if (ctx.have_last && ro.on_progress) { /* the final count, with those blocks */
                tl_progress p = ctx.last;
                p.elapsed += tl_now_s() - t0;
                progress_all(&ctx, &p);
            }
        }
        tl_progress_finish(&ps);
    done_running:;
    }
    if (o->dry_run || !ctx.w)
        goto out;
    if (st != TL_OK) {
        tl_writer_abort(ctx.w);
        ctx.w = NULL;
        if (!ctx.j) {
            tl_cli_error("%s; nothing written to %s", err.msg, output);
            rc = st == TL_ERR_INTERRUPTED ? TL_EXIT_INTERRUPT : st == TL_ERR_IO ? TL_EXIT_IO : TL_EXIT_FAIL;
            goto out;
        }
        long kept = tl_journal_runs_done(ctx.j);
        if (st == TL_ERR_INTERRUPTED) {
            /* make the finished runs readable at once */
            memset(ctx.summary, 0, sizeof(double) * (size_t)sc->npoints * NSUM);
            memset(ctx.summary_n, 0, sizeof(int) * (size_t)sc->npoints * NSUM);
            int ok;
            /* said at once, also to a log file (a large design takes a minute or more) */
            if (kept > 0 && (ps.mode != TL_PROGRESS_NONE || !o->quiet))
                tl_cli_error("interrupted: writing the %ld finished run%s to %s (the journal %s "
                             "keeps them whatever happens)",
                             kept, kept == 1 ? "" : "s", output, tl_journal_dir(ctx.j));
            ok = kept > 0 && salvage_to(output, sc, ctx.j, cmdline, &ctx, &ps) == 0;
            tl_cli_error("%s; %ld finished run%s kept in %s%s%s; finish with `tillit sweep ... "
                         "--resume`",
                         err.msg, kept, kept == 1 ? "" : "s", tl_journal_dir(ctx.j),
                         ok ? " and written to " : "", ok ? output : "");
            rc = TL_EXIT_INTERRUPT;
        } else {
            tl_cli_error("%s; %ld finished run%s kept in %s: fix the cause, then resume with "
                         "`tillit sweep ... --resume`",
                         err.msg, kept, kept == 1 ? "" : "s", tl_journal_dir(ctx.j));
            rc = st == TL_ERR_IO || st == TL_ERR_NOMEM ? TL_EXIT_IO : TL_EXIT_FAIL;
        }
        goto out;
    }
    test_phase("commit");
    {
        tl_layout_ticker tk;
        tl_prepare_start(&tk, &ps, "finishing the output file");
        st = tl_writer_commit(ctx.w, &err);
        tl_prepare_stop(&tk);
    }
    ctx.w = NULL;
    if (st != TL_OK) {
        tl_cli_error("%s%s%s", err.msg, ctx.j ? "; the finished runs are kept in " : "",
                     ctx.j ? tl_journal_dir(ctx.j) : "");
        rc = TL_EXIT_IO;
        goto out;
    }
    test_phase("committed");
    if (ctx.j && tl_journal_remove(ctx.j, &err) != TL_OK)
        tl_cli_error("warning: %s", err.msg);
    if (tl_cli_stop)
        tl_cli_error("note: a stop signal came during the final write; the file was completed "
                     "first");
    if (!o->quiet)
        print_summary(&ctx);
    if (!o->solo) /* a rank's file: rank 0's join says what was written */
        printf("wrote %s: %d point%s x %d replicate%s x %d steps, %d metric%s\n", output, sc->npoints,
           sc->npoints == 1 ? "" : "s", sc->replicates, sc->replicates == 1 ? "" : "s",
           tl_scenario_steps(sc), tl_scenario_nrecorded(sc), tl_scenario_nrecorded(sc) == 1 ? "" : "s");
    if (o->pmode == TL_PROGRESS_JSON) {
        fputs("{\"event\":\"done\",\"output\":", stderr);
        tl_json_str(stderr, output);
        fprintf(stderr, ",\"runs_failed\":%ld}\n", ctx.failed);
    }
    if (ctx.failed > 0) {
        tl_cli_error("%ld run%s failed; see run_status and run_error in %s", ctx.failed,
                     ctx.failed == 1 ? "" : "s", output);
        rc = TL_EXIT_FAIL;
    } else {
        rc = TL_EXIT_OK;
    }
out:
    if (ctx.w)
        tl_writer_abort(ctx.w);
    tl_journal_close(ctx.j);
    tl_output_lock_release(lock);
    tl_cli_stop_release(&guard);
    if (ctx.mpi) {
        tl_mpi_coord_free(ctx.mpi);
        if (rc != TL_EXIT_OK && rc != TL_EXIT_FAIL)
            tl_mpi_abort(rc); /* the other ranks wait for work that will not come */
    }
    free(text);
    free(shard_skip);
    free(ctx.summary);
    free(ctx.summary_n);
    return rc;
}

static int command(int argc, char **argv, const char *cmdline, int sweep)
{
    job o;
    tl_scenario sc;
    int rc;
    memset(&o, 0, sizeof o);
    o.sweep = sweep;
    o.reps = o.steps = -1;
    o.nsnap = -1;
    o.pmode = TL_PROGRESS_AUTO;
    tl_scenario_init(&sc);
    rc = parse_job(argc, argv, &o);
    if (rc != 0) {
        tl_scenario_clear(&sc);
        return rc < 0 ? TL_EXIT_OK : rc;
    }
    {
        tl_progress_state ps;
        tl_layout_ticker tk;
        tl_progress_init(&ps, o.pmode);
        tl_prepare_start(&tk, &ps, "reading the scenario");
        rc = build_scenario(&o, &sc);
        tl_prepare_stop(&tk);
    }
    if (rc == 0 && o.design_csv)
        rc = tl_design_write_csv(o.design_csv, &sc, o.force);
    if (rc == 0)
        rc = execute(&o, &sc, cmdline);
    tl_scenario_clear(&sc);
    return rc;
}

/* `tillit check`: everything a run would validate, then what it would do */
static int check(const job *o, const tl_scenario *sc)
{
    estimate e;
    int threads = o->threads > 0 ? o->threads : tl_runner_default_threads();
    if (o->scenario)
        printf("%s: valid\n", o->scenario);
    else
        printf("preset %s: valid\n", o->preset);
    printf("  name       %s\n", sc->name);
    if (sc->description)
        printf("  about      %s\n", sc->description);
    printf("  design     %s, %d point%s x %d replicate%s, seed %llu%s\n",
           sc->design[0] ? sc->design : "single", sc->npoints, sc->npoints == 1 ? "" : "s",
           sc->replicates, sc->replicates == 1 ? "" : "s", (unsigned long long)sc->seed,
           sc->crn ? ", common random numbers" : "");
    printf("  varies     ");
    if (sc->nvaried == 0)
        printf("(nothing: one parameter set)");
    for (int i = 0; i < sc->nvaried; i++)
        printf("%s%s", i ? ", " : "", tl_param_info_at(sc->varied[i])->name);
    printf("\n");
    tl_design_print(stdout, sc, 12);
    if (tl_preflight(sc, threads, 1, 0, &e) == 0)
        tl_print_estimate(sc, &e, o->pmode, o->quiet, 1);
    return TL_EXIT_OK;
}

int tl_cmd_run(int argc, char **argv, const char *cmdline) { return command(argc, argv, cmdline, 0); }

int tl_cmd_check(int argc, char **argv)
{
    job o;
    tl_scenario sc;
    int rc;
    memset(&o, 0, sizeof o);
    o.sweep = o.check = 1;
    o.reps = o.steps = -1;
    o.nsnap = -1;
    o.pmode = TL_PROGRESS_NONE;
    tl_scenario_init(&sc);
    rc = parse_job(argc, argv, &o);
    if (rc != 0) { /* the help was printed (rc < 0) or the options were wrong */
        tl_scenario_clear(&sc);
        return rc < 0 ? TL_EXIT_OK : rc;
    }
    {
        tl_progress_state ps;
        tl_layout_ticker tk;
        tl_progress_init(&ps, o.pmode);
        tl_prepare_start(&tk, &ps, "reading the scenario");
        rc = build_scenario(&o, &sc);
        tl_prepare_stop(&tk);
    }
    if (rc == 0 && o.design_csv)
        rc = tl_design_write_csv(o.design_csv, &sc, o.force);
    if (rc == 0)
        rc = check(&o, &sc);
    tl_scenario_clear(&sc);
    return rc;
}

int tl_cmd_sweep(int argc, char **argv, const char *cmdline)
{
    return command(argc, argv, cmdline, 1);
}
