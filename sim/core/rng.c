/* rng.c — Philox4x32-10 plugged into GSL as a gsl_rng_type, and per-run streams. */
#include "tillit/rng.h"

#include <Random123/philox.h>
#include <string.h>

typedef struct {
    uint32_t key[2];
    uint32_t ctr[4]; /* ctr[0] block lo, ctr[1] block hi (16 bits) | stream << 16, ctr[2] replicate, ctr[3] point */
    uint32_t out[4];
    unsigned idx; /* next unused word of out; 4 = empty */
} philox_state;

static void refill(philox_state *s)
{
    philox4x32_ctr_t c = {{s->ctr[0], s->ctr[1], s->ctr[2], s->ctr[3]}};
    philox4x32_key_t k = {{s->key[0], s->key[1]}};
    philox4x32_ctr_t r = philox4x32(c, k);
    memcpy(s->out, r.v, sizeof s->out);
    s->idx = 0;
    /* 48-bit block counter: low word, then the low 16 bits of ctr[1] */
    if (++s->ctr[0] == 0)
        s->ctr[1] = (s->ctr[1] & 0xffff0000u) | ((s->ctr[1] + 1u) & 0xffffu);
}

static unsigned long philox_get(void *vs)
{
    philox_state *s = vs;
    if (s->idx >= 4)
        refill(s);
    return s->out[s->idx++];
}

static double philox_get_double(void *vs)
{
    return (double)philox_get(vs) / 4294967296.0;
}

static void philox_set(void *vs, unsigned long seed)
{
    philox_state *s = vs;
    memset(s, 0, sizeof *s);
    s->key[0] = (uint32_t)(seed & 0xffffffffu);
    s->key[1] = (uint32_t)(((uint64_t)seed >> 32) & 0xffffffffu);
    s->idx = 4;
}

static const gsl_rng_type philox_type = {
    "philox4x32-10", 0xffffffffUL, 0, sizeof(philox_state),
    philox_set,      philox_get,   philox_get_double,
};

const gsl_rng_type *tl_rng_philox = &philox_type;

static const char *const stream_names[] = {
#define TL_X_NAME(id, name) name,
    TL_STREAM_LIST(TL_X_NAME)
#undef TL_X_NAME
};

const char *tl_stream_name(tl_stream s)
{
    return ((int)s >= 0 && s < TL_NSTREAMS) ? stream_names[s] : "?";
}

tl_status tl_rng_new(gsl_rng **out, uint64_t seed, uint32_t point, uint32_t replicate,
                     tl_stream stream, tl_error *err)
{
    gsl_rng *r = gsl_rng_alloc(tl_rng_philox);
    philox_state *s;
    *out = NULL;
    if (!r)
        return tl_error_set(err, TL_ERR_NOMEM, "cannot allocate a random stream");
    s = r->state;
    memset(s, 0, sizeof *s);
    s->key[0] = (uint32_t)(seed & 0xffffffffu);
    s->key[1] = (uint32_t)(seed >> 32);
    s->ctr[1] = (uint32_t)stream << 16;
    s->ctr[2] = replicate;
    s->ctr[3] = point;
    s->idx = 4;
    *out = r;
    return TL_OK;
}

const char *tl_rng_description(void)
{
    return "philox4x32-10 (Random123) as a gsl_rng_type; key = 64-bit master seed; "
           "counter = [block bits 0-31, block bits 32-47 | stream << 16, replicate, point]; "
           "one stream per subsystem: init, arrivals, service, errors, control, workforce, "
           "knowledge, incidents; uniform doubles = u32 / 2^32";
}
