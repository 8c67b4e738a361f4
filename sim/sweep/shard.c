/* shard.c — which blocks of a sweep belong to shard K of N (job arrays), and the tag that keys a
 * shard's journal. The merge of shard files is in sim/io/h5_merge.c. */
#include "tillit/shard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

tl_status tl_shard_parse(const char *text, tl_shard *out, tl_error *err)
{
    const char *slash = text ? strchr(text, '/') : NULL;
    char num[32];
    double k, n;
    if (!slash || (size_t)(slash - text) >= sizeof num)
        goto bad;
    memcpy(num, text, (size_t)(slash - text));
    num[slash - text] = 0;
    if (tl_text_to_double(num, &k) != 0 || tl_text_to_double(slash + 1, &n) != 0 ||
        k != floor(k) || n != floor(n))
        goto bad;
    if (n < 1 || n > 1000000)
        return tl_error_set(err, TL_ERR_INVALID,
                            "--shard %s: the number of shards N must be 1 to 1000000", text);
    if (k < 1 || k > n)
        return tl_error_set(err, TL_ERR_INVALID,
                            "--shard %s: K must be 1 to %.0f (shards are numbered from 1)", text,
                            n);
    out->k = (int)k;
    out->n = (int)n;
    return TL_OK;
bad:
    return tl_error_set(err, TL_ERR_INVALID,
                        "--shard %s: expected K/N, whole numbers with 1 <= K <= N, e.g. "
                        "--shard 3/8 (a Slurm --array=1-N task: --shard "
                        "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)",
                        text ? text : "");
}

int tl_shard_owns(const tl_shard *s, int block) { return block % s->n == s->k - 1; }

uint8_t *tl_shard_skip(const tl_scenario *sc, const tl_shard *s, const uint8_t *done,
                       long *outside)
{
    int B = tl_scenario_block_reps(sc), bpp = tl_blocks_per_point(sc->replicates, B);
    int nblocks = sc->npoints * bpp;
    uint8_t *skip = malloc(nblocks > 0 ? (size_t)nblocks : 1);
    long out = 0;
    if (!skip)
        return NULL;
    for (int b = 0; b < nblocks; b++) {
        int nrep = tl_block_nrep(b, bpp, B, sc->replicates);
        skip[b] = !tl_shard_owns(s, b) || (done && done[b]);
        if (!tl_shard_owns(s, b))
            out += nrep;
    }
    if (outside)
        *outside = out;
    return skip;
}

char *tl_shard_tag_text(char *text, const tl_shard *s)
{
    char tag[64];
    size_t n = text ? strlen(text) : 0;
    int t = snprintf(tag, sizeof tag, "# shard %d/%d\n", s->k, s->n);
    char *r = text ? realloc(text, n + (size_t)t + 1) : NULL;
    if (!r) {
        free(text);
        return NULL;
    }
    memcpy(r + n, tag, (size_t)t + 1);
    return r;
}
