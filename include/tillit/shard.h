/* tillit/shard.h — job arrays: one slice (shard K of N) of a sweep's design into its own file, and
 * the merge of all N shard files into the file one sweep would have written. */
#ifndef TILLIT_SHARD_H
#define TILLIT_SHARD_H

#include <signal.h>
#include <stdint.h>

#include "tillit/scenario.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Shard k of n (1 <= k <= n). A sweep's blocks are numbered point-major as
 * the runner numbers them (tillit/runner.h: skip); shard k runs the blocks b
 * with b mod n == k - 1. Round robin rather than contiguous ranges: designs
 * vary their parameters systematically along the points (grids, Sobol
 * blocks A, B, AB_i), so contiguous ranges would give one shard all the
 * large organisations or long horizons; dealt out in turn, every shard gets
 * a similar mix and the shards of a job array finish at about the same time. */
typedef struct tl_shard {
    int k, n;
} tl_shard;

/* "K/N" with whole numbers 1 <= K <= N <= 1000000; TL_ERR_INVALID with a
 * message that names the text and says what is expected. */
tl_status tl_shard_parse(const char *text, tl_shard *out, tl_error *err);

/* 1 when block b belongs to the shard. */
int tl_shard_owns(const tl_shard *s, int block);

/* The runner's skip flags (one per block) for a shard: the blocks of other
 * shards, and those set in done (may be NULL: resume). malloc'ed; NULL when
 * out of memory. *outside (may be NULL) gets the runs of other shards. */
uint8_t *tl_shard_skip(const tl_scenario *sc, const tl_shard *s, const uint8_t *done,
                       long *outside);

/* The scenario text a shard's journal is keyed by: text with a last line
 * "# shard K/N" appended (realloc'ed; NULL when out of memory, text freed),
 * so that resuming with another --shard is refused and blocks of another
 * shard count as foreign. */
char *tl_shard_tag_text(char *text, const tl_shard *s);

/* Merge shard files (tillit sweep --shard K/N, every K of one N, in any
 * order) into output, the file one sweep of the whole design writes: same
 * data, summaries and attributes but command_line and created. Refused
 * (TL_ERR_CONFLICT, TL_ERR_INVALID; the message names the file): a file that
 * is not a shard, of another scenario, design, seed, tillit version or
 * revision or shard count; a shard twice or missing; an incomplete shard
 * (marked incomplete, or its .journal or .part still beside it). The output
 * is written as output.part and renamed (tillit/output.h); without force an
 * existing output is TL_ERR_EXISTS. A set *stop stops between blocks
 * (TL_ERR_INTERRUPTED, nothing written). Errors also TL_ERR_IO, TL_ERR_NOMEM. */
tl_status tl_shard_merge(const char *output, const char *const *shards, int nshards,
                         const char *command_line, int force, volatile sig_atomic_t *stop,
                         tl_error *err);

/* As tl_shard_merge (the same checks, the same file for a reader), but the
 * runs are not copied: every per-run dataset of output (and every summary
 * when each point's replicates are one block; else the summaries are
 * computed and stored) is an HDF5 virtual dataset over the shard files,
 * named relative to output's directory. Costs metadata only, whatever the
 * shards hold; the shards must stay beside output (a missing one reads as
 * runs not_run, values NaN). */
tl_status tl_shard_merge_virtual(const char *output, const char *const *shards, int nshards,
                                 const char *command_line, int force, tl_error *err);

#ifdef __cplusplus
}
#endif
#endif
