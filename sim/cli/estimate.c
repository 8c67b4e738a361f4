/* estimate.c — the pre-flight estimate of a run or sweep (output size, memory,
 * time) from the design and a short pilot, and the progress of writing a file's
 * layout. How close it comes is measured in docs/performance.md ("How good is
 * the pre-flight estimate?"); the constants below were measured there. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
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
/* time: one chunk written (index update included) as compressed by a
 * worker, or compressed by the writer (per-run statistics); one point of a
 * layout; starting and finishing (the journal, one log, is removed at once) */
#define CHUNK_WRITE_SECONDS 90e-6
#define CHUNK_FILTER_SECONDS 250e-6
#define LAYOUT_POINT_SECONDS 30e-6
#define FIXED_SECONDS 0.5

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

/* The layout: what the file holds whatever runs: per point its parameters,
 * label, design values and run status and error; per chunked dataset and
 * chunk the index; the attributes. */
static void estimate_layout(const tl_scenario *sc, estimate *e)
{
    const double np = sc->npoints, R = sc->replicates, nrec = tl_scenario_nrecorded(sc);
    const double B = tl_scenario_block_reps(sc), blocks = np * ((R + B - 1) / B);
    double per_point = TL_NPARAMS * 8.0 + 64 + R * (1 + 16) + sc->ndesign * 8.0 + 12;
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
    e->layout_bytes = np * per_point + dsets * DATASET_BYTES + FILE_BYTES;
    e->layout_seconds = np * LAYOUT_POINT_SECONDS;
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
        double snaps = np * R * sc->n_snap * (double)tl_snapshot_size(&sc->points[0].params) * 4;
        raw += snaps;
        packed += snaps * RATIO_SNAPSHOTS;
    }
    /* the bound allows the layout's estimate half as much again */
    e->out_bytes_max = raw + 1.5 * (e->layout_bytes + e->chunks * CHUNK_INDEX_BYTES);
    e->out_bytes = packed + e->layout_bytes + e->chunks * CHUNK_INDEX_BYTES;
}

/* simulations, result buffers (raw blocks and their compressed copies
 * waiting to be written), the writer, and what is held already: the
 * program, the scenario and its points */
static void estimate_memory(const tl_scenario *sc, int threads, estimate *e)
{
    int T = tl_scenario_steps(sc), B = tl_scenario_block_reps(sc);
    size_t mem_max = 0;
    double held = resident_bytes(), cache = sc->npoints * WRITER_MEM_PER_POINT;
    for (int k = 0; k < sc->npoints; k++) {
        size_t m = tl_sim_memory_max(&sc->points[k].params, &sc->points[k].sched);
        if (m > mem_max)
            mem_max = m;
    }
    e->mem_bytes = (double)threads * (double)mem_max +
                   2.0 * (threads / B + 2) * B * (double)T * TL_NMETRICS * 8;
    e->mem_bytes += held > 0 ? held : (double)sc->npoints * sizeof(tl_point);
    e->mem_bytes += WRITER_MEM_BYTES + (cache < WRITER_MEM_POINTS_MAX ? cache : WRITER_MEM_POINTS_MAX);
}

/* A short pilot: up to three points (first, middle, last), 26 steps each. */
static int pilot(const tl_scenario *sc, estimate *e)
{
    int pick[3] = {0, sc->npoints / 2, sc->npoints - 1}, npick = sc->npoints < 3 ? sc->npoints : 3;
    double sec = 0;
    int steps_done = 0;
    for (int i = 0; i < npick; i++) {
        const tl_point *pt = &sc->points[pick[i]];
        tl_sim *s = NULL;
        tl_run_key key = {sc->seed, (uint32_t)pick[i], 0};
        int n = (int)pt->params.steps < 26 ? (int)pt->params.steps : 26;
        double t0 = tl_now_s();
        if (tl_sim_new(&s, &pt->params, &pt->sched, key, NULL) != TL_OK)
            return -1;
        for (int t = 0; t < n && !tl_cli_stop; t++)
            if (tl_sim_step(s, NULL) != TL_OK)
                break;
        tl_sim_free(s);
        sec += tl_now_s() - t0;
        steps_done += n;
    }
    e->step_seconds = steps_done ? sec / steps_done : 0;
    return 0;
}

int tl_preflight(const tl_scenario *sc, int threads, int ranks, long runs_done, estimate *e)
{
    double steps_sum = 0, par = (double)threads * ranks, frac;
    memset(e, 0, sizeof *e);
    e->threads = threads;
    e->ranks = ranks;
    e->runs = (long)sc->npoints * sc->replicates;
    e->runs_todo = e->runs - runs_done;
    estimate_layout(sc, e);
    estimate_output(sc, e);
    estimate_memory(sc, threads, e);
    /* the journal beside the output until it is committed: every block's
     * record (what the output keeps of it) and a layout of its own */
    e->journal_bytes = tl_journal_log_bytes(sc) + e->layout_bytes;
    if (pilot(sc, e) != 0)
        return -1;
    for (int k = 0; k < sc->npoints; k++)
        steps_sum += sc->points[k].params.steps;
    /* runs to do x their mean length x time per step, shared by the threads
     * of every rank; the writer stores the chunks meanwhile, one at a time */
    frac = e->runs > 0 ? (double)e->runs_todo / e->runs : 0;
    e->run_seconds = e->step_seconds * (steps_sum / sc->npoints) * (double)e->runs_todo /
                     (par < e->runs_todo ? par : (double)(e->runs_todo > 0 ? e->runs_todo : 1));
    e->write_seconds =
        frac * e->chunks * (sc->summary_only ? CHUNK_FILTER_SECONDS : CHUNK_WRITE_SECONDS);
    e->seconds = (e->run_seconds > e->write_seconds ? e->run_seconds : e->write_seconds) +
                 2 * e->layout_seconds /* a sweep writes two layouts: journal, output */
                 + FIXED_SECONDS;
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
                "\"output_bytes\":%.0f,\"layout_bytes\":%.0f,\"journal_bytes\":%.0f,"
                "\"memory_bytes\":%.0f,"
                "\"seconds\":%.1f,\"layout_seconds\":%.1f,\"write_seconds\":%.1f,"
                "\"pilot_seconds_per_step\":%.3g}\n",
                sc->npoints, sc->replicates, tl_scenario_steps(sc), e->runs, e->runs_todo,
                e->threads, e->ranks, e->out_bytes_max, e->out_bytes, e->layout_bytes,
                e->journal_bytes, e->mem_bytes, e->seconds, e->layout_seconds, e->write_seconds, e->step_seconds);
    if (quiet && !dry_run)
        return;
    fprintf(out,
            "%s: %d point%s x %d replicate%s x %d steps = %ld runs\n"
            "  output  about %s, at most %s before compression (%d metric%s, %s%s%s%s)\n"
            "  layout  %s of it, written before the first run\n"
            "  memory  about %s (%d thread%s%s)\n"
            "  time    about %s on %d thread%s%s (pilot: %.3g ms per simulated week)\n",
            sc->name, sc->npoints, sc->npoints == 1 ? "" : "s", sc->replicates,
            sc->replicates == 1 ? "" : "s", tl_scenario_steps(sc), e->runs, ob, om,
            tl_scenario_nrecorded(sc), tl_scenario_nrecorded(sc) == 1 ? "" : "s",
            sc->summary_only ? "per-run statistics only" : "summaries",
            sc->n_snap ? ", agent snapshots" : "", every, sc->record_f32 ? ", float32" : "", lb, mb, e->threads, e->threads == 1 ? "" : "s",
            e->ranks > 1 ? " per MPI rank" : "", tb, e->threads, e->threads == 1 ? "" : "s", rk,
            1000 * e->step_seconds);
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

static void *tick(void *arg)
{
    tl_layout_ticker *t = arg;
    struct timespec until;
    pthread_mutex_lock(&t->mu);
    clock_gettime(CLOCK_REALTIME, &until);
    while (!t->stop) {
        until.tv_sec += 1;
        if (pthread_cond_timedwait(&t->cv, &t->mu, &until) != 0 && !t->stop)
            tl_progress_layout(t->ps, t->what, 0, t->points, tl_now_s() - t->t0);
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
