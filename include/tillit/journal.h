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
 *   block-NNNNNNNN.h5   one finished block: data (nrep, steps, metric),
 *                       state (nrep), error (nrep), snaps (nrep, floats)
 * Each file is written as a temporary, fsync'ed and renamed, so a crash or
 * kill -9 at any moment leaves only whole blocks. Block b covers point
 * b / bpp, replicates from (b % bpp) * block_reps, as the runner numbers them. */
typedef struct tl_journal tl_journal;

typedef enum { TL_JOURNAL_NEW, TL_JOURNAL_RESUME } tl_journal_mode;

/* NEW: create the journal; an existing one is an error (TL_ERR_EXISTS)
 * unless replace (then it is deleted first). RESUME: open an existing one;
 * TL_ERR_INVALID when there is none, TL_ERR_CONFLICT when its scenario text
 * differs from scenario_text (message names the first differing line).
 * Torn temporaries are removed; a missing scenario.yaml or layout.h5 (a kill
 * while the journal was made) is written again (tl_journal_note says so).
 * A journal that is a symbolic link or not a directory is refused (TL_ERR_IO). Errors also TL_ERR_IO, TL_ERR_NOMEM. */
tl_status tl_journal_open(tl_journal **out, const char *output_path, const tl_scenario *sc,
                          const char *scenario_text, tl_journal_mode mode, int replace,
                          tl_error *err);

/* Blocks in all, and which are done (nblocks flags, 1 = in the journal). */
int tl_journal_nblocks(const tl_journal *j);
const uint8_t *tl_journal_done(const tl_journal *j);
long tl_journal_runs_done(const tl_journal *j);
const char *tl_journal_dir(const tl_journal *j);

/* Record a finished block durably (before it counts as done). */
tl_status tl_journal_put(tl_journal *j, const tl_block *b, tl_error *err);

/* Read block b back; the tl_block points into buffers owned by the journal,
 * valid until the next call. Every block carries the hash of the scenario
 * text it was run for and a checksum of its data. Errors: TL_ERR_CONFLICT
 * (a block of another scenario: foreign), TL_ERR_IO (empty, torn, damaged,
 * checksum wrong, or not fitting this sweep). */
tl_status tl_journal_get(tl_journal *j, int b, tl_block *out, tl_error *err);

/* Set block b aside (renamed to block-NNNNNNNN.h5.WHY, never deleted) and
 * count it as not done, so that its runs are run again. */
tl_status tl_journal_discard(tl_journal *j, int b, const char *why, tl_error *err);

/* A warning from tl_journal_open about what it repaired, or NULL. */
const char *tl_journal_note(const tl_journal *j);

/* Delete the journal directory (after the output was committed): only the
 * files the journal writes, never through a symbolic link; a journal that
 * holds anything else is left in place (TL_ERR_IO naming it). */
tl_status tl_journal_remove(tl_journal *j, tl_error *err);
/* Free; the directory stays. Accepts NULL. */
void tl_journal_close(tl_journal *j);

/* 1 when path is an output file marked incomplete (complete == 0), which a
 * resumed sweep may replace; 0 otherwise. */
int tl_output_is_incomplete(const char *path);

#ifdef __cplusplus
}
#endif
#endif
