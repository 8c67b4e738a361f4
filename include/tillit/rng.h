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
