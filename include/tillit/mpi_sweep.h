/* tillit/mpi_sweep.h — sweeps over MPI ranks: rank 0 coordinates and writes, every rank runs blocks (build with -DTILLIT_MPI=ON). */
#ifndef TILLIT_MPI_SWEEP_H
#define TILLIT_MPI_SWEEP_H

#include <signal.h>
#include <stdint.h>

#include "tillit/runner.h"
#include "tillit/scenario.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Start MPI when the program was launched by mpirun/srun (MPI_THREAD_FUNNELED:
 * only the main thread of a rank talks MPI). Returns the number of ranks
 * (1 when not launched so, or when built without MPI) and sets *rank. */
int tl_mpi_start(int *argc, char ***argv, int *rank);
/* Number of ranks (1 when MPI was not started) and this rank. */
int tl_mpi_size(int *rank);
/* Finish MPI (if started). */
void tl_mpi_stop(void);
/* Stop every rank at once (after an error on one of them). */
void tl_mpi_abort(int code);
/* The largest v over all ranks (every rank calls it; asleep while it waits,
 * not polling). Without MPI started: v. */
int tl_mpi_max(int v);

/* All ranks: check that every rank resolved the same scenario (a hash of
 * its text); TL_ERR_CONFLICT naming the rank that differs. */
tl_status tl_mpi_same_scenario(const char *scenario_text, tl_error *err);

/* ---- rank 0 --------------------------------------------------------------- */
typedef struct tl_mpi_coord tl_mpi_coord;

/* Coordinate the blocks not marked in done (may be NULL) among the ranks. */
tl_status tl_mpi_coord_new(tl_mpi_coord **out, const tl_scenario *sc, const uint8_t *done,
                           tl_error *err);
/* Next block to run, -1 when none is left: for rank 0's own runner
 * (tl_runner_opts.next_block); thread-safe. */
int tl_mpi_coord_next_block(void *coord);
/* Serve requests and receive finished blocks from other ranks, handing each
 * to deliver (on the calling thread); never blocks. */
tl_status tl_mpi_coord_poll(tl_mpi_coord *c, tl_status (*deliver)(void *, const tl_block *, tl_error *),
                            void *ctx, tl_error *err);
/* After rank 0's own runner is done: poll (as tl_mpi_coord_poll) until
 * tl_mpi_coord_finished, asleep between polls; TL_ERR_INTERRUPTED when
 * *stop (may be NULL) is set. */
tl_status tl_mpi_coord_drain(tl_mpi_coord *c,
                             tl_status (*deliver)(void *, const tl_block *, tl_error *), void *ctx,
                             volatile sig_atomic_t *stop, tl_error *err);
/* 1 when every other rank has been told there is no more work and every
 * block given out has come back. */
int tl_mpi_coord_finished(const tl_mpi_coord *c);
/* Runs finished on other ranks so far. */
long tl_mpi_coord_remote_runs(const tl_mpi_coord *c);
void tl_mpi_coord_free(tl_mpi_coord *c);

/* ---- ranks 1.. ------------------------------------------------------------ */
/* Ask rank 0 for blocks, run each with `threads` threads, send the results
 * back, until rank 0 says there is nothing left. */
tl_status tl_mpi_worker(const tl_scenario *sc, int threads, tl_error *err);

#ifdef __cplusplus
}
#endif
#endif
