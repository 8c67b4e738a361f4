/* tillit/output.h — the HDF5 output file: layout, provenance, crash-safe commit. */
#ifndef TILLIT_OUTPUT_H
#define TILLIT_OUTPUT_H

#include <signal.h>
#include <stdint.h>

#include "tillit/runner.h"
#include "tillit/scenario.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the file layout documented in docs/output-format.md. */
#define TL_SCHEMA_VERSION "1"

/* Outcome of one run, stored per (point, replicate) in run_status. */
typedef enum { TL_RUN_NOT_RUN = 0, TL_RUN_OK = 1, TL_RUN_FAILED = 2 } tl_run_state;

/* Provenance the caller knows (the program adds version, git revision,
 * schema version, RNG description and creation time itself). */
typedef struct tl_provenance {
    const char *command_line; /* as typed, may be NULL */
    int incomplete;           /* 1: some runs are missing on purpose (an interrupted sweep
                                 written out for reading; `--resume` completes it) */
    int shard_k, shard_n;     /* shard K of N (tillit/shard.h); 0, 0 for a whole sweep */
    /* the program that ran the runs, when not this one (a merge: the shards'
     * tillit_version and git_revision); NULL: this program */
    const char *version, *revision;
    /* a virtual join (tillit merge --virtual): the per-run datasets are
     * HDF5 virtual datasets over these shard files (sim/io/h5_virtual.h),
     * nothing is put; NULL: a file that stores its runs */
    const struct tl_vjoin *vjoin;
} tl_provenance;

typedef struct tl_writer tl_writer;

/* Start an output file for scenario sc (finalised). Everything is written to
 * "<path>.part" in the same directory and only renamed to path by
 * tl_writer_commit, so a failed or interrupted run never leaves a
 * half-written file under path. Without force an existing path is an error
 * (TL_ERR_EXISTS) and nothing is created. Errors: TL_ERR_EXISTS, TL_ERR_IO
 * (directory missing or not writable), TL_ERR_NOMEM. */
tl_status tl_writer_open(tl_writer **out, const char *path, const tl_scenario *sc,
                         const tl_provenance *prov, int force, tl_error *err);

/* Store every replicate of one point.
 *   data   replicates x steps x TL_NMETRICS doubles, replicate-major then
 *          step then metric (as tl_run writes one run); steps is
 *          tl_scenario_steps(sc); runs shorter than that are padded by the
 *          caller with NaN
 *   state  replicates entries of tl_run_state
 *   errors replicates messages ("" for none), may be NULL
 *   snaps  when the scenario asks for snapshots: replicates x n_snap x
 *          tl_snapshot_size(params) floats (as tl_run writes them), else NULL
 * Errors: TL_ERR_INVALID (point out of range), TL_ERR_IO. */
tl_status tl_writer_put_point(tl_writer *w, int point, const double *data, const uint8_t *state,
                              const char *const *errors, const float *snaps, tl_error *err);

/* Store a block of replicates of one point as the runner hands it over
 * (b->steps must equal tl_scenario_steps(sc)). Errors as tl_writer_put_point. */
tl_status tl_writer_put_block(tl_writer *w, const tl_block *b, tl_error *err);

/* A block's output work that needs no file, done ahead: each metric's
 * chunk laid out, shuffled and compressed as the file's filters would, and
 * a whole point's summaries. Thread-safe (it reads only the file's fixed
 * layout), so worker threads do it while the calling thread writes; then
 * tl_writer_put_block with b->prepared set writes the chunks as they are
 * (H5Dwrite_chunk). NULL when the block is not exactly one chunk of each
 * metric, on a big-endian host or when memory is short: put the block
 * without it. Free with tl_prepared_free (accepts NULL). */
typedef struct tl_prepared tl_prepared;
tl_prepared *tl_writer_prepare(const tl_writer *w, const tl_block *b);
void tl_prepared_free(tl_prepared *p);
/* tl_prepared_free in the shape of tl_runner_opts.release */
void tl_prepared_release(void *ctx, void *prepared);
/* The same in a process without the file (an MPI worker rank): the layout
 * follows from the scenario as tl_writer_open makes it. */
tl_prepared *tl_block_prepare(const tl_scenario *sc, const tl_block *b);
/* A prepared block as bytes, to send to the process that writes (steps:
 * tl_scenario_steps). unpack checks the sizes and returns NULL when they do
 * not add up or memory is short. */
size_t tl_prepared_packed_size(const tl_prepared *p, int steps);
void tl_prepared_pack(const tl_prepared *p, int steps, void *out);
tl_prepared *tl_prepared_unpack(const void *in, size_t len, int steps);

/* Copy the stored runs (time series or per-run statistics, run_status,
 * run_error, snapshots) of the blocks b with blocks[b] != 0 (numbered as
 * the runner does) from src, a committed output file of the same scenario
 * (a shard: tillit/shard.h), as tl_writer_put_block would have stored them.
 * Their summaries are made at commit, from the file. Errors: TL_ERR_IO
 * (src unreadable or not of this layout), TL_ERR_INTERRUPTED when *stop
 * (may be NULL) is set. */
tl_status tl_writer_copy_blocks(tl_writer *w, const char *src, const uint8_t *blocks,
                                volatile sig_atomic_t *stop, tl_error *err);

/* Write the summaries across replicates (group "summary"), flush and close
 * the file, fsync it and rename it to its final path. The writer is freed
 * whatever the outcome. Errors: TL_ERR_IO; TL_ERR_EXISTS when path appeared
 * during the run without force (the results stay in "<path>.part");
 * TL_ERR_INVALID for a NULL writer. */
tl_status tl_writer_commit(tl_writer *w, tl_error *err);

/* Close and delete the partial file; accepts NULL. */
void tl_writer_abort(tl_writer *w);

#ifdef __cplusplus
}
#endif
#endif
