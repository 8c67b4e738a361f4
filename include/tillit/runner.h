/* tillit/runner.h — run every (point, replicate) of a scenario on worker threads, hand finished blocks to the caller. */
#ifndef TILLIT_RUNNER_H
#define TILLIT_RUNNER_H

#include <signal.h>
#include <stdint.h>

#include "tillit/scenario.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A finished block: replicates [r0, r0+nrep) of one point. Buffers belong
 * to the runner and are valid during the callback only.
 *   data   nrep x steps x TL_NMETRICS doubles (NaN after a run's horizon
 *          and for failed runs)
 *   state  nrep tl_run_state values; errors nrep messages ("" if none)
 *   snaps  nrep x n_snap x tl_snapshot_size floats, or NULL */
typedef struct tl_block {
    int point, r0, nrep, steps;
    const double *data;
    const uint8_t *state;
    const char *const *errors;
    const float *snaps;
    /* the block's output work done ahead on a worker thread
     * (tl_writer_prepare), or NULL */
    const struct tl_prepared *prepared;
} tl_block;

typedef struct tl_progress {
    long runs_done, runs_total, runs_failed, runs_skipped;
    double elapsed; /* seconds since the start */
    /* where the time goes: seconds the calling thread spent storing finished
     * blocks (on_block, and on_idle, where an MPI coordinator stores other
     * ranks' blocks), and seconds worker threads (summed) spent waiting
     * because every result buffer still held a block not yet stored. A
     * writer that is not the bottleneck keeps writer_wait near 0. */
    double write_seconds, writer_wait_seconds;
} tl_progress;

typedef struct tl_runner_opts {
    int threads;    /* worker threads; 0 = one per available core */
    int block_reps; /* replicates per block; 0 = tl_scenario_block_reps(sc) */
    /* Called on the calling thread for each finished block, in no fixed
     * order. A non-OK return stops the runner (runs in flight finish and are
     * dropped) and becomes its result. */
    tl_status (*on_block)(void *ctx, const tl_block *b, tl_error *err);
    /* Called on the calling thread about five times a second and at the end. */
    void (*on_progress)(void *progress_ctx, const tl_progress *p);
    void *ctx;          /* for on_block */
    void *progress_ctx; /* for on_progress */
    /* When non-NULL and set non-zero (e.g. from a signal handler), no new run
     * starts; finished blocks are still handed over; then TL_ERR_INTERRUPTED. */
    volatile sig_atomic_t *stop;
    /* When non-NULL, skip[b] != 0 skips block b (already done: resume);
     * blocks are numbered point-major: b = point*blocks_per_point + r0/block_reps. */
    const uint8_t *skip;
    /* Test seam: when non-NULL and it returns non-zero for (point,
     * replicate), that run is recorded as failed (TL_ERR_NUMERIC) without
     * running, to exercise failure handling end to end. */
    int (*inject_failure)(void *failure_ctx, int point, int replicate);
    void *failure_ctx;
    /* When non-NULL, blocks come from here instead of in order: it returns
     * the next block to run or -1 when none is left. Called from worker
     * threads under the runner's lock (never concurrently with itself);
     * `skip` is then ignored. Used to share blocks with other processes. */
    int (*next_block)(void *source_ctx);
    void *source_ctx;
    /* When non-NULL, called on the calling thread at least every 10 ms while
     * the runner waits (e.g. to serve other processes); a non-OK return
     * stops the runner like on_block's. */
    tl_status (*on_idle)(void *ctx, tl_error *err);
    /* Optional: called on the worker thread that finished a block's last
     * run, before on_block, with the same ctx; what it returns reaches
     * on_block as b->prepared and is then given to release (also for
     * blocks never stored). For output work that needs no file. */
    void *(*prepare)(void *ctx, const tl_block *b);
    void (*release)(void *ctx, void *prepared);
} tl_runner_opts;

#define TL_RUNNER_OPTS_INIT \
    {0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}

/* Worker threads for threads = 0: the cores this process may use. */
int tl_runner_default_threads(void);

/* Run everything. A failing run (numerical error) is recorded in its block
 * (state TL_RUN_FAILED, its message) and the others go on.
 * Errors: TL_ERR_NOMEM, TL_ERR_INTERRUPTED, or what on_block returned. */
tl_status tl_runner_run(const tl_scenario *sc, const tl_runner_opts *opts, tl_error *err);

#ifdef __cplusplus
}
#endif
#endif
