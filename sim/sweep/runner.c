/* runner.c — worker threads run (point, replicate) jobs in order; finished blocks go back to the caller's thread. */
#include "tillit/runner.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tillit/metrics.h"
#include "tillit/output.h"
#include "tillit/sim.h"

#define ERR_LEN (sizeof(((tl_error *)0)->msg) + 64)

typedef struct slot {
    int block; /* -1 when free */
    int point, r0, nrep, remaining, handed;
    int ready;     /* every run done and the block prepared: the caller may store it */
    void *prep;    /* from opts->prepare, or NULL */
    double *data;
    uint8_t *state;
    char *errbuf; /* nrep x ERR_LEN */
    const char **errors;
    float *snaps;
} slot;

typedef struct runner {
    const tl_scenario *sc;
    const tl_runner_opts *o;
    int T, R, B, bpp, nblocks;
    size_t snap_size;
    int cur_block, cur_rep; /* next job */
    int need_block, source_done; /* with opts->next_block */
    slot *slots;
    int nslots, workers_alive, abort;
    tl_progress prog;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
} runner;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int tl_runner_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 1024 ? 1024 : (int)n);
}

static int stopping(const runner *rn)
{
    return rn->abort || (rn->o->stop && *rn->o->stop);
}

/* The runs (replicates) of block b: B, fewer in a point's last block. */
static int block_runs(const runner *rn, int b)
{
    return tl_block_nrep(b, rn->bpp, rn->B, rn->R);
}

/* Under the lock: the next job, or 0 when none is left (or stopping). May
 * wait for a free slot. */
static int next_job(runner *rn, slot **out_slot, int *out_rep)
{
    for (;;) {
        if (stopping(rn))
            return 0;
        if (rn->o->next_block && rn->need_block) {
            /* the next block comes from the source; -1 ends */
            int b = rn->source_done ? -1 : rn->o->next_block(rn->o->source_ctx);
            if (b < 0 || b >= rn->nblocks) {
                rn->source_done = 1;
                return 0;
            }
            rn->cur_block = b;
            rn->cur_rep = 0;
            rn->need_block = 0;
        }
        while (!rn->o->next_block && rn->cur_block < rn->nblocks && rn->o->skip &&
               rn->o->skip[rn->cur_block] && rn->cur_rep == 0) {
            rn->prog.runs_skipped += block_runs(rn, rn->cur_block);
            rn->cur_block++;
        }
        if (rn->cur_block >= rn->nblocks)
            return 0;
        slot *s = NULL;
        for (int k = 0; k < rn->nslots; k++)
            if (rn->slots[k].block == rn->cur_block)
                s = &rn->slots[k];
        if (!s) {
            for (int k = 0; k < rn->nslots && !s; k++)
                if (rn->slots[k].block < 0)
                    s = &rn->slots[k];
            if (!s) {
                double t0 = now();
                pthread_cond_wait(&rn->cv_work, &rn->mu);
                rn->prog.writer_wait_seconds += now() - t0;
                continue;
            }
            s->block = rn->cur_block;
            s->point = rn->cur_block / rn->bpp;
            s->r0 = tl_block_r0(rn->cur_block, rn->bpp, rn->B);
            s->nrep = rn->R - s->r0 < rn->B ? rn->R - s->r0 : rn->B;
            s->remaining = s->nrep;
            s->handed = 0;
            s->ready = 0;
            s->prep = NULL;
            size_t nd = (size_t)s->nrep * (size_t)rn->T * TL_NMETRICS;
            for (size_t j = 0; j < nd; j++)
                s->data[j] = NAN;
            if (s->snaps) {
                size_t ns = (size_t)s->nrep * (size_t)rn->sc->n_snap * rn->snap_size;
                for (size_t j = 0; j < ns; j++)
                    s->snaps[j] = NAN;
            }
            memset(s->state, TL_RUN_NOT_RUN, (size_t)s->nrep);
            for (int r = 0; r < s->nrep; r++) {
                s->errbuf[(size_t)r * ERR_LEN] = 0;
                s->errors[r] = s->errbuf + (size_t)r * ERR_LEN;
            }
        }
        *out_slot = s;
        *out_rep = rn->cur_rep;
        if (++rn->cur_rep >= s->nrep) {
            rn->cur_rep = 0;
            if (rn->o->next_block)
                rn->need_block = 1; /* ask the source next time */
            else
                rn->cur_block++;
        }
        return 1;
    }
}

/* The block a slot holds, as the caller sees it. */
static tl_block slot_block(const runner *rn, const slot *s)
{
    tl_block b = {s->point, s->r0,   s->nrep, rn->T, s->data, s->state,
                  s->errors, s->snaps, s->prep};
    return b;
}

/* Under the lock: on_progress, when 0.2 s have passed since the last
 * report; 1 when it was called (the lock was let go meanwhile). */
static int report_progress(runner *rn, double t0, double *last)
{
    double t = now();
    tl_progress pr;
    if (!rn->o->on_progress || t - *last < 0.2)
        return 0;
    pr = rn->prog;
    pr.elapsed = t - t0;
    *last = t;
    pthread_mutex_unlock(&rn->mu);
    rn->o->on_progress(rn->o->progress_ctx, &pr);
    pthread_mutex_lock(&rn->mu);
    return 1;
}

static void *worker(void *arg)
{
    runner *rn = arg;
    const tl_scenario *sc = rn->sc;
    pthread_mutex_lock(&rn->mu);
    for (;;) {
        slot *s;
        int rep;
        if (!next_job(rn, &s, &rep))
            break;
        pthread_mutex_unlock(&rn->mu);

        tl_point buf; /* the point, when made on demand */
        const tl_point *pt = tl_scenario_point(sc, s->point, &buf);
        /* common random numbers: the same streams for replicate r of every point */
        tl_run_key key = {sc->seed, sc->crn ? 0u : (uint32_t)s->point, (uint32_t)(s->r0 + rep)};
        tl_error e = TL_ERROR_INIT;
        double *out = s->data + (size_t)rep * (size_t)rn->T * TL_NMETRICS;
        float *snap = s->snaps ? s->snaps + (size_t)rep * (size_t)sc->n_snap * rn->snap_size : NULL;
        tl_status st;
        if (rn->o->inject_failure &&
            rn->o->inject_failure(rn->o->failure_ctx, s->point, s->r0 + rep))
            st = tl_error_set(&e, TL_ERR_NUMERIC, "injected failure (test seam) at point %d, "
                              "replicate %d", s->point, s->r0 + rep);
        else
            st = tl_run(&pt->params, &pt->sched, key, out, sc->snap_steps, sc->n_snap, snap, &e);
        if (st != TL_OK) {
            /* a failed run's partial data are not results */
            for (size_t j = 0; j < (size_t)rn->T * TL_NMETRICS; j++)
                out[j] = NAN;
            if (snap)
                for (size_t j = 0; j < (size_t)sc->n_snap * rn->snap_size; j++)
                    snap[j] = NAN;
        }

        pthread_mutex_lock(&rn->mu);
        if (st == TL_OK) {
            s->state[rep] = TL_RUN_OK;
        } else {
            s->state[rep] = TL_RUN_FAILED;
            snprintf(s->errbuf + (size_t)rep * ERR_LEN, ERR_LEN, "%s: %s", tl_status_str(st), e.msg);
            rn->prog.runs_failed++;
        }
        rn->prog.runs_done++;
        if (--s->remaining == 0) {
            /* the block's output work that needs no file, here on this
             * worker rather than on the calling thread that writes */
            if (rn->o->prepare && !stopping(rn)) {
                tl_block b = slot_block(rn, s);
                pthread_mutex_unlock(&rn->mu);
                void *prep = rn->o->prepare(rn->o->ctx, &b);
                pthread_mutex_lock(&rn->mu);
                s->prep = prep;
            }
            s->ready = 1;
            pthread_cond_broadcast(&rn->cv_done);
        }
    }
    rn->workers_alive--;
    pthread_cond_broadcast(&rn->cv_done);
    pthread_mutex_unlock(&rn->mu);
    return NULL;
}

static void free_slots(runner *rn)
{
    if (!rn->slots)
        return;
    for (int k = 0; k < rn->nslots; k++) {
        if (rn->slots[k].prep && rn->o->release)
            rn->o->release(rn->o->ctx, rn->slots[k].prep);
        free(rn->slots[k].data);
        free(rn->slots[k].state);
        free(rn->slots[k].errbuf);
        free(rn->slots[k].errors);
        free(rn->slots[k].snaps);
    }
    free(rn->slots);
}

tl_status tl_runner_run(const tl_scenario *sc, const tl_runner_opts *o, tl_error *err)
{
    runner rn;
    pthread_t *tids = NULL;
    tl_status result = TL_OK;
    int threads = o->threads > 0 ? o->threads : tl_runner_default_threads();
    int started = 0;
    double t0 = now(), last = -1;

    memset(&rn, 0, sizeof rn);
    rn.sc = sc;
    rn.o = o;
    rn.T = tl_scenario_steps(sc);
    rn.R = sc->replicates;
    rn.B = o->block_reps > 0 ? o->block_reps : tl_scenario_block_reps(sc);
    if (rn.B > rn.R)
        rn.B = rn.R;
    rn.bpp = tl_blocks_per_point(rn.R, rn.B);
    rn.nblocks = sc->npoints * rn.bpp;
    tl_point p0;
    rn.snap_size = sc->n_snap > 0 ? tl_snapshot_size(&tl_scenario_point(sc, 0, &p0)->params) : 0;
    rn.prog.runs_total = (long)sc->npoints * rn.R;
    rn.need_block = 1;
    if (threads > rn.prog.runs_total)
        threads = (int)rn.prog.runs_total;
    /* enough finished-block buffers that workers rarely wait while the
     * calling thread writes (and fsyncs) earlier blocks: about 64 MiB at most */
    {
        size_t per = (size_t)rn.B * (size_t)rn.T * TL_NMETRICS * sizeof(double);
        size_t cap = per ? (64u << 20) / per : 1;
        rn.nslots = threads / rn.B + 2 + 2 * threads;
        if ((size_t)rn.nslots > cap)
            rn.nslots = (int)(cap > (size_t)(threads / rn.B + 2) ? cap : (size_t)(threads / rn.B + 2));
    }
    rn.slots = calloc((size_t)rn.nslots, sizeof *rn.slots);
    tids = calloc((size_t)threads, sizeof *tids);
    if (!rn.slots || !tids)
        goto nomem;
    for (int k = 0; k < rn.nslots; k++) {
        slot *s = &rn.slots[k];
        s->block = -1;
        s->data = malloc(sizeof(double) * (size_t)rn.B * (size_t)rn.T * TL_NMETRICS);
        s->state = malloc((size_t)rn.B);
        s->errbuf = malloc((size_t)rn.B * ERR_LEN);
        s->errors = malloc(sizeof(char *) * (size_t)rn.B);
        if (sc->n_snap > 0)
            s->snaps = malloc(sizeof(float) * (size_t)rn.B * (size_t)sc->n_snap * rn.snap_size);
        if (!s->data || !s->state || !s->errbuf || !s->errors || (sc->n_snap > 0 && !s->snaps))
            goto nomem;
    }
    pthread_mutex_init(&rn.mu, NULL);
    pthread_cond_init(&rn.cv_work, NULL);
    pthread_cond_init(&rn.cv_done, NULL);

    pthread_mutex_lock(&rn.mu);
    for (int k = 0; k < threads; k++) {
        if (pthread_create(&tids[k], NULL, worker, &rn) != 0)
            break;
        started++;
        rn.workers_alive++;
    }
    if (started == 0) {
        pthread_mutex_unlock(&rn.mu);
        result = tl_error_set(err, TL_ERR_NOMEM, "cannot start worker threads");
        goto out_sync;
    }
    for (;;) {
        slot *ready = NULL;
        for (int k = 0; k < rn.nslots && !ready; k++)
            if (rn.slots[k].block >= 0 && rn.slots[k].ready && !rn.slots[k].handed)
                ready = &rn.slots[k];
        if (ready) {
            tl_block b = slot_block(&rn, ready);
            ready->handed = 1;
            pthread_mutex_unlock(&rn.mu);
            double tw = now();
            tl_status st = result == TL_OK && o->on_block ? o->on_block(o->ctx, &b, err) : TL_OK;
            tw = now() - tw;
            pthread_mutex_lock(&rn.mu);
            rn.prog.write_seconds += tw;
            if (st != TL_OK && result == TL_OK) {
                result = st;
                rn.abort = 1;
            }
            if (ready->prep && o->release)
                o->release(o->ctx, ready->prep);
            ready->prep = NULL;
            ready->block = -1;
            pthread_cond_broadcast(&rn.cv_work);
            /* a writer that is behind always finds a block ready: report
             * between blocks too, or nothing is shown until it catches up */
            report_progress(&rn, t0, &last);
            continue;
        }
        if (rn.workers_alive == 0)
            break;
        if (o->on_idle && result == TL_OK) {
            pthread_mutex_unlock(&rn.mu);
            double tw = now();
            tl_status st = o->on_idle(o->ctx, err);
            tw = now() - tw;
            pthread_mutex_lock(&rn.mu);
            rn.prog.write_seconds += tw;
            if (st != TL_OK) {
                result = st;
                rn.abort = 1;
                pthread_cond_broadcast(&rn.cv_work);
            }
        }
        if (report_progress(&rn, t0, &last))
            continue;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (o->on_idle ? 5 : 200) * 1000 * 1000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&rn.cv_done, &rn.mu, &until);
    }
    if (result == TL_OK && o->stop && *o->stop) {
        /* a resume or a shard skips runs: count against what this call had to do */
        long todo = rn.prog.runs_total;
        for (int b = 0; o->skip && !o->next_block && b < rn.nblocks; b++)
            if (o->skip[b])
                todo -= block_runs(&rn, b);
        result = tl_error_set(err, TL_ERR_INTERRUPTED, "interrupted after %ld of %s%ld runs%s",
                              rn.prog.runs_done, todo < rn.prog.runs_total ? "the " : "", todo,
                              todo < rn.prog.runs_total ? " left to do" : "");
    }
    pthread_mutex_unlock(&rn.mu);
    for (int k = 0; k < started; k++)
        pthread_join(tids[k], NULL);
    if (o->on_progress) {
        tl_progress pr = rn.prog;
        pr.elapsed = now() - t0;
        o->on_progress(o->progress_ctx, &pr);
    }
out_sync:
    pthread_cond_destroy(&rn.cv_done);
    pthread_cond_destroy(&rn.cv_work);
    pthread_mutex_destroy(&rn.mu);
    free_slots(&rn);
    free(tids);
    return result;
nomem:
    free_slots(&rn);
    free(tids);
    return tl_error_set(err, TL_ERR_NOMEM, "cannot allocate result buffers for %d threads",
                        threads);
}
