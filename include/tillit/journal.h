/* tillit/journal.h — durable record of a sweep's finished blocks, so that nothing finished is lost and a sweep can resume. */
#ifndef TILLIT_JOURNAL_H
#define TILLIT_JOURNAL_H

#include <stdint.h>

#include "tillit/runner.h"
#include "tillit/scenario.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The journal of output file OUT is the directory "OUT.journal" holding
 *   scenario.yaml       the resolved scenario (tl_scenario_to_yaml), to
 *                       refuse resuming a scenario that changed
 *   layout.h5           the output file's layout with no data (coordinates,
 *                       attributes), for readers of a sweep in progress
 *   blocks.log          the finished blocks, appended: a 16-byte head
 *                       ("TLJOURNL", version 3, byte-order mark), then per
 *                       block a 96-byte record head (block, point, r0, nrep,
 *                       steps, nmetrics, snapshot floats per replicate,
 *                       error bytes, the scenario's hash, what it keeps:
 *                       kept steps, first, every, end, a mask of the metrics,
 *                       bytes per value; the payload's CRC32, the head's own
 *                       CRC32) and the payload: the kept values (nrep, kept
 *                       step, kept metric), state (nrep bytes), the errors as
 *                       nrep NUL-ended strings, snaps floats
 * A record keeps only what the output file needs of a block: the metrics it
 * stores (output.metrics); the steps its series keep (output.every: every
 * K-th and the last), or, with output: {time_series: false}, the last
 * `window` steps of the point's horizon, which the per-run statistics are
 * computed from; as float32 when the series are stored float32 (the file
 * rounds them so), else as doubles. Read back, a block is laid out over every
 * step and metric again, NaN where nothing was kept, so the output written
 * from the journal is the one written straight. A log of version 2 (every
 * metric at every step) is refused, saying to finish it with the tillit that
 * wrote it or start over with --force.
 *   blocks.log.damaged  a torn or damaged tail that --resume cut off
 * scenario.yaml and layout.h5 are written as a temporary, fsync'ed and
 * renamed. A record is appended with one write, so kill -9 at any moment
 * leaves whole records and at most one torn one at the end; the log is
 * fsync'ed when a block arrives TL_JOURNAL_SYNC_SECONDS or more after the
 * last fsync, and when the journal is closed, so a system crash loses at most
 * the records since the last fsync. Their runs are run again on --resume,
 * which recognises a torn tail by its length and CRCs. Block b covers point
 * b / bpp, replicates from (b % bpp) * block_reps, as the runner numbers them. */
#define TL_JOURNAL_SYNC_SECONDS 1.0
typedef struct tl_journal tl_journal;

typedef enum { TL_JOURNAL_NEW, TL_JOURNAL_RESUME } tl_journal_mode;

/* NEW: create the journal; an existing one is an error (TL_ERR_EXISTS)
 * unless replace (then it is deleted first). RESUME: open an existing one;
 * TL_ERR_INVALID when there is none, TL_ERR_CONFLICT when its scenario text
 * differs from scenario_text (message names the first differing line).
 * A missing scenario.yaml, layout.h5 or blocks.log (a kill while the journal
 * was made) is written again; a log ending in bytes that are not a whole
 * record (a kill or crash during an append, or damage in the middle: all
 * from the first bad record head on) has them moved to blocks.log.damaged
 * (tl_journal_note says so), and their blocks count as not done. A journal of
 * the format before the log (block-NNNNNNNN.h5 files) is refused with
 * TL_ERR_INVALID, saying to finish it with the older tillit or start over.
 * A journal, or a log, that is a symbolic link is refused (TL_ERR_IO), as is
 * a journal that is not a directory. Errors also TL_ERR_IO, TL_ERR_NOMEM. */
tl_status tl_journal_open(tl_journal **out, const char *output_path, const tl_scenario *sc,
                          const char *scenario_text, tl_journal_mode mode, int replace,
                          tl_error *err);

/* Blocks in all, and which are done (nblocks flags, 1 = in the journal). */
int tl_journal_nblocks(const tl_journal *j);
const uint8_t *tl_journal_done(const tl_journal *j);
long tl_journal_runs_done(const tl_journal *j);
const char *tl_journal_dir(const tl_journal *j);

/* Append a finished block to the log (it counts as done at once: a kill -9
 * cannot lose it; see above for a system crash). */
tl_status tl_journal_put(tl_journal *j, const tl_block *b, tl_error *err);

/* Read block b back (its last record): laid out as the runner hands blocks
 * over, NaN where the record keeps nothing (see above); the tl_block points
 * into buffers owned by the journal, valid until the next call. Every record carries the
 * hash of the scenario text it was run for and a CRC32 of its data. Errors:
 * TL_ERR_CONFLICT (a block of another scenario: foreign), TL_ERR_IO (torn,
 * damaged: CRC wrong, or not fitting this sweep); the message names the log,
 * the block and the record's byte offset. */
tl_status tl_journal_get(tl_journal *j, int b, tl_block *out, tl_error *err);

/* Count block b as not done, so that its runs are run again; its record
 * stays in the log, superseded by the record of the rerun. */
void tl_journal_discard(tl_journal *j, int b);

/* Every whole record of the journal in directory dir, in the order written,
 * laid out as tl_journal_get does, passed to visit (a block written twice: both, the later last), without
 * the scenario check; read-only, so a sweep may be appending meanwhile: the
 * reading stops at the first torn record, and a record whose CRC is wrong is
 * passed over. No log: nothing visited (a sweep just started), unless the
 * journal is of the format before the log (TL_ERR_INVALID). visit's error
 * stops the reading. Errors also TL_ERR_IO, TL_ERR_NOMEM. */
tl_status tl_journal_each(const char *dir,
                          tl_status (*visit)(void *ctx, const tl_block *b, tl_error *err),
                          void *ctx, tl_error *err);

/* A warning from tl_journal_open about what it repaired, or NULL. */
const char *tl_journal_note(const tl_journal *j);

/* Delete the journal directory (after the output was committed): only the
 * files the journal writes, never through a symbolic link; a journal that
 * holds anything else is left in place (TL_ERR_IO naming it). */
tl_status tl_journal_remove(tl_journal *j, tl_error *err);

/* The bytes blocks.log reaches when every block of sc is in it (its peak on
 * disk for a sweep run straight through; a resume appends the blocks it
 * reruns): the log's head and, per block, its record with empty error
 * messages. For the pre-flight estimate. */
double tl_journal_log_bytes(const tl_scenario *sc);
/* fsync the log if needed, and free; the directory stays. Accepts NULL. */
void tl_journal_close(tl_journal *j);

/* 1 when path is an output file marked incomplete (complete == 0), which a
 * resumed sweep may replace; 0 otherwise. */
int tl_output_is_incomplete(const char *path);

#ifdef __cplusplus
}
#endif
#endif
