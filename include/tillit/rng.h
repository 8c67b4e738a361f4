/* tillit/rng.h — named, counter-based random streams per run (Philox4x32-10 as a gsl_rng). */
#ifndef TILLIT_RNG_H
#define TILLIT_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The named streams of one run. Adding a stream at the end never shifts the
 * draws of the others; reordering them does (and changes the schema). */
#define TL_STREAM_LIST(X)                                                      \
    X(INIT, "init")             /* initial agents */                           \
    X(ARRIVALS, "arrivals")     /* new needs */                                \
    X(SERVICE, "service")       /* mandate, escalation, collaboration */       \
    X(ERRORS, "errors")         /* errors, severity, reporting */              \
    X(CONTROL, "control")       /* audits and detection, firmness */           \
    X(WORKFORCE, "workforce")   /* quitting, replacement */                    \
    X(KNOWLEDGE, "knowledge")   /* March's socialisation, code, turbulence */  \
    X(INCIDENTS, "incidents")   /* hazards surfacing */                         \
    X(DESIGN, "design")         /* sweep designs (LHS, Morris): point 0, replicate 0 */ \
    X(ABANDON, "abandon")       /* waiting needs withdrawn */              \
    X(TRAITS, "traits")         /* employees' traits added after v2: control aversion */

typedef enum {
#define TL_X_ENUM(id, name) TL_STREAM_##id,
    TL_STREAM_LIST(TL_X_ENUM)
#undef TL_X_ENUM
        TL_NSTREAMS
} tl_stream;

const char *tl_stream_name(tl_stream s);

/* The generator type: Philox4x32-10 (Salmon et al. 2011, Random123), 32-bit
 * outputs. Keyed by the 64-bit master seed; the 128-bit counter holds the
 * point index, the replicate index, the stream id and a 48-bit block
 * counter, so distinct (seed, point, replicate, stream) never share draws
 * (injective, no hashing). All gsl_ran_* distributions work with it. */
extern const gsl_rng_type *tl_rng_philox;

/* The generator's state. Its words are made 16 blocks of four at a time (the same words in
 * the same order as one block at a time: tests/unit/test_rng.c), and drawn inline by
 * tl_rng_uniform below; the layout is rng.c's, shown here only for that. */
#define TL_PHILOX_LANES 16
#define TL_PHILOX_WORDS (4 * TL_PHILOX_LANES)
typedef struct tl_philox_state {
    uint32_t key[2];
    uint32_t ctr[4]; /* the next block: ctr[0] block lo, ctr[1] block hi (16 bits) | stream << 16,
                      * ctr[2] replicate, ctr[3] point */
    uint32_t out[TL_PHILOX_WORDS];
    unsigned idx; /* next unused word of out; TL_PHILOX_WORDS = empty */
} tl_philox_state;

/* Make the next TL_PHILOX_LANES blocks into out (with the fastest implementation this
 * processor runs: plain C, SSE2 or AVX2, all giving the same words). */
void tl_philox_refill(tl_philox_state *s);

/* For tests: the same with one implementation (0 plain C, 1 SSE2, 2 AVX2); -1 (and nothing
 * made) where this build or processor lacks it. */
int tl_philox_refill_by(tl_philox_state *s, int impl);

static inline uint32_t tl_philox_next(tl_philox_state *s)
{
    if (s->idx >= TL_PHILOX_WORDS)
        tl_philox_refill(s);
    return s->out[s->idx++];
}

/* gsl_rng_uniform(r) of a stream made by tl_rng_new, without GSL's two calls per draw: the
 * same double, u32 / 2^32. Only for tl_rng_philox generators. */
static inline double tl_rng_uniform(const gsl_rng *r)
{
    return tl_philox_next((tl_philox_state *)r->state) * 0x1p-32;
}

/* Allocate the generator of one stream of one run. Free with gsl_rng_free.
 * Errors: TL_ERR_NOMEM. */
tl_status tl_rng_new(gsl_rng **out, uint64_t seed, uint32_t point, uint32_t replicate,
                     tl_stream stream, tl_error *err);

/* Short description of the generator and how seeds are derived, for the
 * provenance of output files. */
const char *tl_rng_description(void);

#ifdef __cplusplus
}
#endif
#endif
