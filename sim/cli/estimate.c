/* estimate.c — the pre-flight estimate of a run or sweep (output size, memory,
 * time) from the design and a short pilot, and the progress of writing a file's
 * layout. How close it comes is measured in docs/performance.md ("How good is
 * the pre-flight estimate?"); the constants below were measured there. The
 * time estimate's arithmetic is in estimate_model.c. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "estimate_model.h"
#include "tillit/journal.h"
#include "tillit/metrics.h"
#include "tillit/sim.h"
#include "tillit/table.h"

/* What the HDF5 file costs beyond its data: per chunk its index entry, per
 * chunked dataset its index node and attributes (kept compact in its object
 * header: 4608 bytes when they went to dense storage), per file the rest. */
#define CHUNK_INDEX_BYTES 60.0
#define DATASET_BYTES 1792.0
#define FILE_BYTES 409600.0
/* deflate (with shuffle) on results, as measured: series and summaries of
 * several replicates, summaries of one (sd NaN, quantiles = mean), per-run
 * statistics, agent snapshots */
#define RATIO_SERIES 0.55
#define RATIO_SUMMARY_ONE 0.2
#define RATIO_RUNS 0.9
#define RATIO_SNAPSHOTS 0.45
/* the writer's working memory (HDF5 caches, libraries) and its metadata
 * cache, which grows with the points written up to HDF5's 32 MiB */
#define WRITER_MEM_BYTES (20.0 * 1048576)
#define WRITER_MEM_PER_POINT 8192.0
#define WRITER_MEM_POINTS_MAX (32.0 * 1048576)
/* time, in CPU seconds of one core (a thread's CPU clock, measured in an
 * instrumented build on the shapes of docs/performance.md):
 * - a worker's output work on a finished block (summaries over replicates,
 *   compression): per block, per value of every metric, per step of every
 *   metric;
 * - the writing thread's per block (the journal, run states), per chunk
 *   stored, per byte of series and summaries it stores (the summaries are
 *   compressed there), per chunk of per-run statistics (compressed there);
 * - one point of a layout; starting and finishing. */
#define PREP_BLOCK_CPU 0.33e-3
#define PREP_VALUE_CPU 92e-9
#define PREP_STEP_CPU 225e-9
#define WRITE_BLOCK_CPU 1.16e-3
#define WRITE_CHUNK_CPU 2.3e-6
#define WRITE_BYTE_CPU 9.9e-9
#define WRITE_FILTER_CHUNK_CPU 15e-6
#define LAYOUT_POINT_CPU 4e-6
#define FIXED_CPU 0.2
/* the pilot: at least this many steps of each point it runs (or all of
 * them), and more while that point has used less CPU than PILOT_POINT_CPU */
#define PILOT_MIN_STEPS 26
#define PILOT_POINT_CPU 0.1
/* and each pilot thread runs for at least this long, to measure its share
 * of a core (its CPU time over this wall time) */
#define PILOT_MIN_WALL 0.3

double tl_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void human_bytes(double b, char *out, size_t n)
{
    const char *u[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int k = 0;
    while (b >= 1024 && k < 4) {
        b /= 1024;
        k++;
    }
    snprintf(out, n, "%.3g %s", b, u[k]);
}

static void human_time(double s, char *out, size_t n)
{
    if (s < 90)
        snprintf(out, n, "%.0f s", s);
    else if (s < 5400)
        snprintf(out, n, "%.1f min", s / 60);
    else
        snprintf(out, n, "%.1f h", s / 3600);
}

/* Memory this process holds now (the scenario's points included: ~3 KB
 * each, so a large design's dominates), from /proc; 0 when unknown. */
static double resident_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, res = 0;
    long page = sysconf(_SC_PAGESIZE);
    int ok = f && fscanf(f, "%lu %lu", &size, &res) == 2;
    if (f)
        fclose(f);
    return ok && page > 0 ? (double)res * (double)page : 0;
}

/* The layout: what the file holds whatever runs: per point its label, design
 * values, run status and error and the parameters that vary (one that does not
 * is a fill value, never written); per chunked dataset and chunk the index; the
 * attributes, the resolved scenario's text among them. */
static void estimate_layout(const tl_scenario *sc, estimate *e)
{
    const double np = sc->npoints, R = sc->replicates, nrec = tl_scenario_nrecorded(sc);
    const double B = tl_scenario_block_reps(sc), blocks = np * ((R + B - 1) / B);
    double per_point = sc->nvaried * 8.0 + 64 + R * (1 + 16) + sc->ndesign * 8.0 + 12;
    double dsets = nrec, chunks;
    if (sc->summary_only) {
        chunks = nrec * np * ((R + 8191) / 8192);
    } else {
        per_point += 64 + sc->nvaried * 8.0; /* the summary group's coordinates */
        dsets += nrec;
        chunks = nrec * (blocks + np);
    }
    if (sc->n_snap > 0) {
        dsets += TL_NAGENT_VARS;
        chunks += (double)sc->n_snap * blocks * TL_NAGENT_VARS;
    }
    e->chunks = chunks;
    e->blocks = blocks;
    e->text_bytes = tl_scenario_yaml_bytes(sc);
    e->layout_bytes = np * per_point + dsets * DATASET_BYTES + FILE_BYTES + e->text_bytes;
    e->layout_seconds = np * LAYOUT_POINT_CPU;
}

/* The results: raw (an upper bound) and as compressed. */
static void estimate_output(const tl_scenario *sc, estimate *e)
{
    const double np = sc->npoints, R = sc->replicates, nrec = tl_scenario_nrecorded(sc);
    /* the steps kept (output.every) and the bytes per value kept (output.dtype);
     * the summaries keep the same steps, always as float64 */
    const double T = tl_record_nsteps(tl_scenario_steps(sc), sc->record_every);
    const double vb = sc->record_f32 ? 4 : 8;
    double raw, packed;
    if (sc->summary_only) {
        raw = np * R * TL_TSTAT_N * nrec * vb;
        packed = raw * RATIO_RUNS;
    } else {
        double series = np * R * T * nrec * vb, summary = np * 5.0 * T * nrec * 8;
        raw = series + summary;
        packed = series * RATIO_SERIES + summary * (R > 1 ? RATIO_SERIES : RATIO_SUMMARY_ONE);
    }
    if (sc->n_snap > 0) {
        tl_point buf;
        double snaps = np * R * sc->n_snap * (double)tl_snapshot_size(&tl_scenario_point(sc, 0, &buf)->params) * 4;
        raw += snaps;
        packed += snaps * RATIO_SNAPSHOTS;
    }
    /* the bound allows the layout's estimate half as much again */
    e->out_bytes_max = raw + 1.5 * (e->layout_bytes + e->chunks * CHUNK_INDEX_BYTES);
    e->out_bytes = packed + e->layout_bytes + e->chunks * CHUNK_INDEX_BYTES;
}

/* The peak of two phases, beside what is held already (the program, the
 * scenario and its points) and the sweep's summary table:
 * - writing a layout: the resolved scenario's text four times (the journal's
 *   copy, the writer's, and HDF5's two of its attribute) and the points'
 *   labels;
 * - running: the simulations, result buffers (raw blocks and their
 *   compressed copies waiting to be written) and the writer. */
static void estimate_memory(const tl_scenario *sc, int threads, estimate *e)
{
    int T = tl_scenario_steps(sc), B = tl_scenario_block_reps(sc);
    size_t mem_max = 0;
    double held = resident_bytes(), cache = sc->npoints * WRITER_MEM_PER_POINT, setup, running;
    for (int k = 0; k < sc->npoints; k++) {
        tl_point buf;
        const tl_point *pt = tl_scenario_point(sc, k, &buf);
        size_t m = tl_sim_memory_max(&pt->params, &pt->sched);
        if (m > mem_max)
            mem_max = m;
    }
    running = (double)threads * (double)mem_max +
              2.0 * (threads / B + 2) * B * (double)T * TL_NMETRICS * 8;
    running += WRITER_MEM_BYTES + (cache < WRITER_MEM_POINTS_MAX ? cache : WRITER_MEM_POINTS_MAX);
    setup = 4.0 * e->text_bytes + (double)sc->npoints * (TL_LABEL_MAX + 1 + sizeof(char *));
    e->mem_bytes = held > 0 ? held : (double)(sc->gen ? sc->gen->nbases : sc->npoints) * sizeof(tl_point);
    e->mem_bytes += (double)sc->npoints * tl_cli_summary_columns * (sizeof(double) + sizeof(int));
    e->mem_bytes += setup > running ? setup : running;
}

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Cores this process may use: its affinity mask, and a cgroup (v2) CPU
 * quota when one is set; 1 when neither can be read. */
static double usable_cpus(void)
{
    double n = 0;
    cpu_set_t set;
    FILE *f;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        n = CPU_COUNT(&set);
    if (n < 1) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (double)c : 1;
    }
    if ((f = fopen("/sys/fs/cgroup/cpu.max", "r"))) {
        double quota, period;
        if (fscanf(f, "%lf %lf", &quota, &period) == 2 && quota > 0 && period > 0 &&
            quota / period < n)
            n = quota / period < 1 ? 1 : quota / period;
        fclose(f);
    }
    return n;
}

/* The pilot: points spread over the design (first, middle, last, and more
 * when there are more threads and cores: one per pilot thread), each made
 * and run for PILOT_MIN_STEPS steps and on while it has used less than
 * PILOT_POINT_CPU (to its end when that comes first), timed by the running
 * thread's CPU clock; a run's mean cost per step from the two halves of the
 * steps run (tl_step_cost_mean). As many pilot threads run at once as the
 * sweep will keep cores busy (its workers and its writer, at most the cores
 * it may use and one per point): each one's CPU time over its wall time is
 * the share of a core a thread of the sweep gets beside the other work on
 * the machine now (the load, whatever the scheduler makes of it). */
#define PILOT_POINTS_MAX 16
typedef struct pilot_ctx {
    const tl_scenario *sc;
    int npick, next, failed;
    int pick[PILOT_POINTS_MAX];
    double setup[PILOT_POINTS_MAX], rate[PILOT_POINTS_MAX];
    long steps[PILOT_POINTS_MAX];
    double share_sum, cpu_sum;
    pthread_mutex_t mu;
} pilot_ctx;

/* one point of the pilot: 0, or -1 when it cannot be made or run */
static int pilot_point(const tl_scenario *sc, int k, double *setup, double *rate, long *steps)
{
    tl_point buf;
    const tl_point *pt = tl_scenario_point(sc, k, &buf);
    tl_sim *s = NULL;
    tl_run_key key = {sc->seed, (uint32_t)k, 0};
    int T = (int)pt->params.steps, done = 0;
    double *cost = malloc(sizeof(double) * (size_t)(T > 0 ? T : 1)), used = 0, c0, half[2] = {0, 0};
    if (!cost)
        return -1;
    c0 = thread_cpu_s();
    if (tl_sim_new(&s, &pt->params, &pt->sched, key, NULL) != TL_OK) {
        free(cost);
        return -1;
    }
    *setup = thread_cpu_s() - c0;
    while (done < T && (done < PILOT_MIN_STEPS || used < PILOT_POINT_CPU) && !tl_cli_stop) {
        c0 = thread_cpu_s();
        if (tl_sim_step(s, NULL) != TL_OK)
            break;
        cost[done] = thread_cpu_s() - c0;
        used += cost[done++];
    }
    tl_sim_free(s);
    for (int t = 0; t < done; t++)
        half[t >= done / 2] += cost[t];
    free(cost);
    *rate = done > 0 ? tl_step_cost_mean(done, half[0], half[1], T) : 0;
    *steps = done;
    return 0;
}

static void *pilot_thread(void *arg)
{
    pilot_ctx *p = arg;
    double c0 = thread_cpu_s(), w0 = tl_now_s(), wall;
    for (;;) {
        int i, r;
        pthread_mutex_lock(&p->mu);
        i = p->failed ? p->npick : p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->npick)
            break;
        r = pilot_point(p->sc, p->pick[i], &p->setup[i], &p->rate[i], &p->steps[i]);
        if (r != 0) {
            pthread_mutex_lock(&p->mu);
            p->failed = 1;
            pthread_mutex_unlock(&p->mu);
        }
    }
    /* a share measured over a few milliseconds says little: go on running
     * (the first point again, another replicate) for PILOT_MIN_WALL */
    while (!p->failed && !tl_cli_stop && tl_now_s() - w0 < PILOT_MIN_WALL) {
        tl_point buf;
        const tl_point *pt = tl_scenario_point(p->sc, p->pick[0], &buf);
        tl_sim *s = NULL;
        tl_run_key key = {p->sc->seed, (uint32_t)p->pick[0], 1};
        if (tl_sim_new(&s, &pt->params, &pt->sched, key, NULL) != TL_OK)
            break;
        for (int t = 0; t < (int)pt->params.steps && tl_now_s() - w0 < PILOT_MIN_WALL; t++)
            if (tl_sim_step(s, NULL) != TL_OK)
                break;
        tl_sim_free(s);
    }
    wall = tl_now_s() - w0;
    pthread_mutex_lock(&p->mu);
    p->share_sum += wall > 0 ? (thread_cpu_s() - c0) / wall : 1;
    p->cpu_sum += thread_cpu_s() - c0;
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static int pilot(const tl_scenario *sc, int threads, double cpus, estimate *e)
{
    pilot_ctx p;
    pthread_t th[PILOT_POINTS_MAX];
    /* the sweep's busy threads: its workers and the writer, on its cores */
    int want = threads + 1 < cpus ? threads + 1 : (int)cpus, nth = 0;
    double w0 = tl_now_s();
    memset(&p, 0, sizeof p);
    p.sc = sc;
    p.npick = want > 3 ? want : 3;
    if (p.npick > PILOT_POINTS_MAX)
        p.npick = PILOT_POINTS_MAX;
    if (p.npick > sc->npoints)
        p.npick = sc->npoints;
    if (p.npick < 1)
        return -1;
    for (int i = 0; i < p.npick; i++)
        p.pick[i] = p.npick > 1 ? (int)((long)i * (sc->npoints - 1) / (p.npick - 1)) : 0;
    if (want > p.npick)
        want = p.npick;
    if (want < 1)
        want = 1;
    pthread_mutex_init(&p.mu, NULL);
    for (; nth < want - 1; nth++)
        if (pthread_create(&th[nth], NULL, pilot_thread, &p) != 0)
            break;
    pilot_thread(&p); /* this thread is one of them */
    for (int i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&p.mu);
    if (p.failed)
        return -1;
    for (int i = 0; i < p.npick; i++) {
        e->setup_seconds += p.setup[i] / p.npick;
        e->step_seconds += p.rate[i] / p.npick;
        e->pilot_steps += p.steps[i];
    }
    e->pilot_threads = nth + 1;
    e->pilot_seconds = tl_now_s() - w0;
    e->pilot_cpu = p.cpu_sum;
    e->share = p.share_sum / (nth + 1);
    if (e->share > 1)
        e->share = 1;
    return 0;
}

/* The CPU the output costs: the workers' per block, the writer's per block
 * and chunk and byte; fraction frac of the runs still to do. */
static void output_cpu(const tl_scenario *sc, const estimate *e, double frac, double *worker,
                       double *writer)
{
    const double np = sc->npoints, R = sc->replicates, nrec = tl_scenario_nrecorded(sc);
    const double T = tl_scenario_steps(sc), Tk = tl_record_nsteps((int)T, sc->record_every);
    const double vb = sc->record_f32 ? 4 : 8;
    double bytes;
    *worker = frac * (e->blocks * (PREP_BLOCK_CPU + T * TL_NMETRICS * PREP_STEP_CPU) +
                      np * R * T * TL_NMETRICS * PREP_VALUE_CPU);
    if (sc->summary_only) {
        *writer = frac * (e->blocks * WRITE_BLOCK_CPU + e->chunks * WRITE_FILTER_CHUNK_CPU);
        return;
    }
    bytes = np * R * Tk * nrec * vb + np * 5.0 * Tk * nrec * 8;
    if (sc->n_snap > 0) {
        tl_point buf;
        bytes += np * R * sc->n_snap * (double)tl_snapshot_size(&tl_scenario_point(sc, 0, &buf)->params) * 4;
    }
    *writer = frac * (e->blocks * WRITE_BLOCK_CPU + e->chunks * WRITE_CHUNK_CPU + bytes * WRITE_BYTE_CPU);
}

int tl_preflight(const tl_scenario *sc, int threads, int ranks, long runs_done, estimate *e)
{
    double steps_sum = 0, frac;
    tl_time_inputs in;
    tl_time_estimate te;
    memset(e, 0, sizeof *e);
    e->threads = threads;
    e->ranks = ranks;
    e->runs = (long)sc->npoints * sc->replicates;
    e->runs_todo = e->runs - runs_done;
    estimate_layout(sc, e);
    estimate_output(sc, e);
    estimate_memory(sc, threads, e);
    /* the journal beside the output until it is committed: every block's
     * record (what the output keeps of it), a layout and the scenario text of its own */
    e->journal_bytes = tl_journal_log_bytes(sc) + e->layout_bytes + e->text_bytes;
    e->cpus = usable_cpus();
    if (pilot(sc, threads, e->cpus, e) != 0)
        return -1;
    for (int k = 0; k < sc->npoints; k++) {
        tl_point buf;
        steps_sum += tl_scenario_point(sc, k, &buf)->params.steps;
    }
    frac = e->runs > 0 ? (double)e->runs_todo / e->runs : 0;
    memset(&in, 0, sizeof in);
    in.runs = (double)e->runs_todo;
    in.run_cpu = e->setup_seconds + e->step_seconds * (steps_sum / sc->npoints);
    output_cpu(sc, e, frac, &in.worker_cpu, &in.writer_cpu);
    /* a sweep writes two layouts (journal, output) before its first run */
    in.serial_cpu = 2 * e->layout_seconds + FIXED_CPU;
    in.threads = threads;
    in.ranks = ranks;
    in.cpus = e->cpus;
    in.share = e->share;
    tl_time_model(&in, &te);
    e->run_seconds = te.run_seconds;
    e->write_seconds = te.write_seconds;
    e->cores = te.cores;
    /* a sweep runs the same pilot first */
    e->seconds = te.seconds + e->pilot_seconds;
    e->cpu_seconds = te.work_cpu + e->pilot_cpu;
    return 0;
}

void tl_print_estimate(const tl_scenario *sc, const estimate *e, tl_progress_mode mode, int quiet,
                       int dry_run)
{
    char ob[32], om[32], lb[32], mb[32], tb[32], rk[48] = "", every[48] = "";
    FILE *out = dry_run ? stdout : stderr;
    if (sc->record_every > 1 && !sc->summary_only)
        snprintf(every, sizeof every, ", every %d%s step", sc->record_every,
                 sc->record_every % 10 == 1 && sc->record_every % 100 != 11   ? "st"
                 : sc->record_every % 10 == 2 && sc->record_every % 100 != 12 ? "nd"
                 : sc->record_every % 10 == 3 && sc->record_every % 100 != 13 ? "rd"
                                                                               : "th");
    human_bytes(e->out_bytes, ob, sizeof ob);
    human_bytes(e->out_bytes_max, om, sizeof om);
    human_bytes(e->layout_bytes, lb, sizeof lb);
    human_bytes(e->mem_bytes, mb, sizeof mb);
    human_time(e->seconds, tb, sizeof tb);
    if (e->ranks > 1)
        snprintf(rk, sizeof rk, " x %d MPI ranks", e->ranks);
    if (mode == TL_PROGRESS_JSON)
        fprintf(stderr,
                "{\"event\":\"estimate\",\"points\":%d,\"replicates\":%d,\"steps\":%d,\"runs\":%ld,"
                "\"runs_to_do\":%ld,\"threads\":%d,\"ranks\":%d,\"output_bytes_max\":%.0f,"
                "\"output_bytes\":%.0f,\"layout_bytes\":%.0f,\"journal_bytes\":%.0f,\"memory_bytes\":%.0f,"
                "\"seconds\":%.1f,\"cpu_seconds\":%.1f,\"layout_seconds\":%.1f,\"write_seconds\":%.1f,"
                "\"pilot_seconds_per_step\":%.3g,\"pilot_setup_seconds\":%.3g,\"pilot_steps\":%ld,"
                "\"pilot_threads\":%d,\"cpus\":%.3g,\"share\":%.2f,\"cores\":%.2f}\n",
                sc->npoints, sc->replicates, tl_scenario_steps(sc), e->runs, e->runs_todo,
                e->threads, e->ranks, e->out_bytes_max, e->out_bytes, e->layout_bytes,
                e->journal_bytes, e->mem_bytes, e->seconds, e->cpu_seconds, e->layout_seconds, e->write_seconds, e->step_seconds,
                e->setup_seconds, e->pilot_steps, e->pilot_threads, e->cpus, e->share, e->cores);
    if (quiet && !dry_run)
        return;
    fprintf(out,
            "%s: %d point%s x %d replicate%s x %d steps = %ld runs\n"
            "  output  about %s, at most %s before compression (%d metric%s, %s%s%s%s)\n"
            "  layout  %s of it, written before the first run\n"
            "  memory  about %s (%d thread%s%s)\n"
            "  time    about %s on %d thread%s%s (%.3g cores, %.0f%% of a core per thread beside "
            "the machine's other work; pilot: %.3g ms CPU per simulated week)\n",
            sc->name, sc->npoints, sc->npoints == 1 ? "" : "s", sc->replicates,
            sc->replicates == 1 ? "" : "s", tl_scenario_steps(sc), e->runs, ob, om,
            tl_scenario_nrecorded(sc), tl_scenario_nrecorded(sc) == 1 ? "" : "s",
            sc->summary_only ? "per-run statistics only" : "summaries",
            sc->n_snap ? ", agent snapshots" : "", every, sc->record_f32 ? ", float32" : "", lb, mb, e->threads, e->threads == 1 ? "" : "s",
            e->ranks > 1 ? " per MPI rank" : "", tb, e->threads, e->threads == 1 ? "" : "s", rk,
            e->cpus, 100 * e->share, 1000 * e->step_seconds);
    if (e->runs_todo < e->runs)
        fprintf(out, "  resume  %ld of %ld runs are done already\n", e->runs - e->runs_todo,
                e->runs);
}

/* "writing the file's layout": an event when it starts (done 0), every second
 * while it is written (its elapsed time) and when it is written (done = points) */
void tl_progress_layout(const tl_progress_state *ps, const char *what, long done, long points,
                        double elapsed)
{
    if (ps->mode == TL_PROGRESS_JSON) {
        fprintf(ps->out, "{\"event\":\"layout\",\"file\":");
        tl_json_str(ps->out, what);
        fprintf(ps->out, ",\"points_done\":%ld,\"points\":%ld,\"elapsed_s\":%.3f}\n", done, points,
                elapsed);
    } else if (ps->mode == TL_PROGRESS_BAR) {
        /* no count of points while it is written: the writer has none to give */
        if (done < points)
            fprintf(ps->out, "writing the %s's layout (%ld points): %.0f s\n", what, points,
                    elapsed);
        else
            fprintf(ps->out, "the %s's layout written (%ld points) in %.1f s\n", what, points,
                    elapsed);
    }
    fflush(ps->out);
}

/* "reading the scenario", "estimating": every second while it lasts (none
 * when it takes less) */
static void progress_prepare(const tl_progress_state *ps, const char *what, double elapsed)
{
    if (ps->mode == TL_PROGRESS_JSON) {
        fprintf(ps->out, "{\"event\":\"prepare\",\"what\":");
        tl_json_str(ps->out, what);
        fprintf(ps->out, ",\"elapsed_s\":%.3f}\n", elapsed);
    } else if (ps->mode == TL_PROGRESS_BAR) {
        fprintf(ps->out, "%s: %.0f s\n", what, elapsed);
    }
    fflush(ps->out);
}

static void *tick(void *arg)
{
    tl_layout_ticker *t = arg;
    struct timespec until;
    pthread_mutex_lock(&t->mu);
    clock_gettime(CLOCK_REALTIME, &until);
    while (!t->stop) {
        until.tv_sec += 1;
        if (pthread_cond_timedwait(&t->cv, &t->mu, &until) != 0 && !t->stop) {
            if (t->prepare)
                progress_prepare(t->ps, t->what, tl_now_s() - t->t0);
            else
                tl_progress_layout(t->ps, t->what, 0, t->points, tl_now_s() - t->t0);
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

void tl_layout_start(tl_layout_ticker *t, const tl_progress_state *ps, const char *what,
                     long points)
{
    memset(t, 0, sizeof *t);
    t->ps = ps;
    t->what = what;
    t->points = points;
    t->t0 = tl_now_s();
    if (ps->mode == TL_PROGRESS_NONE)
        return;
    tl_progress_layout(ps, what, 0, points, 0);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    t->running = pthread_create(&t->th, NULL, tick, t) == 0;
}

void tl_prepare_start(tl_layout_ticker *t, const tl_progress_state *ps, const char *what)
{
    memset(t, 0, sizeof *t);
    t->ps = ps;
    t->what = what;
    t->prepare = 1;
    t->t0 = tl_now_s();
    if (ps->mode == TL_PROGRESS_NONE)
        return;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    t->running = pthread_create(&t->th, NULL, tick, t) == 0;
}

void tl_prepare_stop(tl_layout_ticker *t) { tl_layout_stop(t, 0); }

void tl_layout_stop(tl_layout_ticker *t, int written)
{
    if (t->ps->mode == TL_PROGRESS_NONE)
        return;
    if (t->running) {
        pthread_mutex_lock(&t->mu);
        t->stop = 1;
        pthread_cond_signal(&t->cv);
        pthread_mutex_unlock(&t->mu);
        pthread_join(t->th, NULL);
    }
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    if (written)
        tl_progress_layout(t->ps, t->what, t->points, t->points, tl_now_s() - t->t0);
}
