/* rng.c — Philox4x32-10 plugged into GSL as a gsl_rng_type, and per-run streams. */
#include "tillit/rng.h"

#include <string.h>

/* ---- Philox4x32-10, 16 blocks at a time -------------------------------------------------
 * As Random123's philox4x32 (a round: mulhilo of word 0 by 0xD2511F53 and of word 2 by
 * 0xCD9E8D57; the key bumped by the Weyl constants between rounds), for TL_PHILOX_LANES
 * consecutive block counters side by side: x[w][i] is word w of lane i. The rounds exist
 * three times, for the same bits (tests/unit/test_rng.c checks each against Random123):
 * plain C; SSE2 (every x86-64), four lanes per instruction; AVX2, eight, chosen at start
 * when the processor has it. */
#define L TL_PHILOX_LANES
#define M0 0xD2511F53u
#define M1 0xCD9E8D57u
#define W0 0x9E3779B9u
#define W1 0xBB67AE85u

static void rounds_c(uint32_t x[4][L], uint32_t k0, uint32_t k1)
{
    for (int round = 0; round < 10; round++, k0 += W0, k1 += W1)
        for (int i = 0; i < L; i++) {
            uint64_t p0 = (uint64_t)M0 * x[0][i], p1 = (uint64_t)M1 * x[2][i];
            uint32_t y0 = (uint32_t)(p1 >> 32) ^ x[1][i] ^ k0;
            uint32_t y2 = (uint32_t)(p0 >> 32) ^ x[3][i] ^ k1;
            x[1][i] = (uint32_t)p1;
            x[3][i] = (uint32_t)p0;
            x[0][i] = y0;
            x[2][i] = y2;
        }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TL_PHILOX_SIMD 1

/* hi and lo words of the 32 x 32-bit products of x's lanes with m's (m: one constant) */
static inline void mulhilo_sse2(__m128i x, __m128i m, __m128i *hi, __m128i *lo)
{
    const __m128i low = _mm_set1_epi64x(0xffffffff);
    __m128i even = _mm_mul_epu32(x, m), odd = _mm_mul_epu32(_mm_srli_epi64(x, 32), m);
    *lo = _mm_or_si128(_mm_and_si128(even, low), _mm_slli_epi64(odd, 32));
    *hi = _mm_or_si128(_mm_srli_epi64(even, 32), _mm_andnot_si128(low, odd));
}

static void rounds_sse2(uint32_t x[4][L], uint32_t k0, uint32_t k1)
{
    const __m128i m0 = _mm_set1_epi32((int)M0), m1 = _mm_set1_epi32((int)M1);
    for (int i = 0; i < L; i += 4) {
        __m128i a = _mm_loadu_si128((const __m128i *)&x[0][i]);
        __m128i b = _mm_loadu_si128((const __m128i *)&x[1][i]);
        __m128i c = _mm_loadu_si128((const __m128i *)&x[2][i]);
        __m128i d = _mm_loadu_si128((const __m128i *)&x[3][i]);
        uint32_t j0 = k0, j1 = k1;
        for (int round = 0; round < 10; round++, j0 += W0, j1 += W1) {
            __m128i hi0, lo0, hi1, lo1;
            mulhilo_sse2(a, m0, &hi0, &lo0);
            mulhilo_sse2(c, m1, &hi1, &lo1);
            a = _mm_xor_si128(_mm_xor_si128(hi1, b), _mm_set1_epi32((int)j0));
            b = lo1;
            c = _mm_xor_si128(_mm_xor_si128(hi0, d), _mm_set1_epi32((int)j1));
            d = lo0;
        }
        _mm_storeu_si128((__m128i *)&x[0][i], a);
        _mm_storeu_si128((__m128i *)&x[1][i], b);
        _mm_storeu_si128((__m128i *)&x[2][i], c);
        _mm_storeu_si128((__m128i *)&x[3][i], d);
    }
}

__attribute__((target("avx2"))) static inline void mulhilo_avx2(__m256i x, __m256i m,
                                                                 __m256i *hi, __m256i *lo)
{
    const __m256i low = _mm256_set1_epi64x(0xffffffff);
    __m256i even = _mm256_mul_epu32(x, m), odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
    *lo = _mm256_or_si256(_mm256_and_si256(even, low), _mm256_slli_epi64(odd, 32));
    *hi = _mm256_or_si256(_mm256_srli_epi64(even, 32), _mm256_andnot_si256(low, odd));
}

__attribute__((target("avx2"))) static void rounds_avx2(uint32_t x[4][L], uint32_t k0,
                                                        uint32_t k1)
{
    const __m256i m0 = _mm256_set1_epi32((int)M0), m1 = _mm256_set1_epi32((int)M1);
    for (int i = 0; i < L; i += 8) {
        __m256i a = _mm256_loadu_si256((const __m256i *)&x[0][i]);
        __m256i b = _mm256_loadu_si256((const __m256i *)&x[1][i]);
        __m256i c = _mm256_loadu_si256((const __m256i *)&x[2][i]);
        __m256i d = _mm256_loadu_si256((const __m256i *)&x[3][i]);
        uint32_t j0 = k0, j1 = k1;
        for (int round = 0; round < 10; round++, j0 += W0, j1 += W1) {
            __m256i hi0, lo0, hi1, lo1;
            mulhilo_avx2(a, m0, &hi0, &lo0);
            mulhilo_avx2(c, m1, &hi1, &lo1);
            a = _mm256_xor_si256(_mm256_xor_si256(hi1, b), _mm256_set1_epi32((int)j0));
            b = lo1;
            c = _mm256_xor_si256(_mm256_xor_si256(hi0, d), _mm256_set1_epi32((int)j1));
            d = lo0;
        }
        _mm256_storeu_si256((__m256i *)&x[0][i], a);
        _mm256_storeu_si256((__m256i *)&x[1][i], b);
        _mm256_storeu_si256((__m256i *)&x[2][i], c);
        _mm256_storeu_si256((__m256i *)&x[3][i], d);
    }
}

static int has_avx2(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}
#endif

typedef void rounds_fn(uint32_t x[4][L], uint32_t k0, uint32_t k1);

/* The rounds of an implementation (0 plain C, 1 SSE2, 2 AVX2), NULL where this build or
 * processor lacks it. */
static rounds_fn *rounds_of(int impl)
{
    switch (impl) {
    case 0:
        return rounds_c;
#ifdef TL_PHILOX_SIMD
    case 1:
        return rounds_sse2;
    case 2:
        return has_avx2() ? rounds_avx2 : NULL;
#endif
    default:
        return NULL;
    }
}

static rounds_fn *rounds = rounds_c; /* the best there is: set once, before main */

__attribute__((constructor)) static void choose_rounds(void)
{
    for (int impl = 2; impl > 0; impl--)
        if (rounds_of(impl)) {
            rounds = rounds_of(impl);
            return;
        }
}

static void refill_with(tl_philox_state *s, rounds_fn *fn)
{
    uint32_t x[4][L];
    const uint64_t block = (uint64_t)s->ctr[0] | ((uint64_t)(s->ctr[1] & 0xffffu) << 32);
    for (int i = 0; i < L; i++) {
        uint64_t b = (block + (uint64_t)i) & 0xffffffffffffull; /* a 48-bit counter wraps */
        x[0][i] = (uint32_t)b;
        x[1][i] = (s->ctr[1] & 0xffff0000u) | (uint32_t)(b >> 32);
        x[2][i] = s->ctr[2];
        x[3][i] = s->ctr[3];
    }
    fn(x, s->key[0], s->key[1]);
    for (int i = 0; i < L; i++)
        for (int w = 0; w < 4; w++)
            s->out[4 * i + w] = x[w][i];
    s->idx = 0;
    {
        uint64_t next = (block + L) & 0xffffffffffffull;
        s->ctr[0] = (uint32_t)next;
        s->ctr[1] = (s->ctr[1] & 0xffff0000u) | (uint32_t)(next >> 32);
    }
}

void tl_philox_refill(tl_philox_state *s) { refill_with(s, rounds); }

int tl_philox_refill_by(tl_philox_state *s, int impl)
{
    rounds_fn *fn = rounds_of(impl);
    if (!fn)
        return -1;
    refill_with(s, fn);
    return 0;
}

#undef L
#undef M0
#undef M1
#undef W0
#undef W1

static unsigned long philox_get(void *vs)
{
    return tl_philox_next(vs);
}

static double philox_get_double(void *vs)
{
    return tl_philox_next(vs) * 0x1p-32; /* the same as tl_rng_uniform */
}

static void philox_set(void *vs, unsigned long seed)
{
    tl_philox_state *s = vs;
    memset(s, 0, sizeof *s);
    s->key[0] = (uint32_t)(seed & 0xffffffffu);
    s->key[1] = (uint32_t)(((uint64_t)seed >> 32) & 0xffffffffu);
    s->idx = TL_PHILOX_WORDS;
}

static const gsl_rng_type philox_type = {
    "philox4x32-10", 0xffffffffUL, 0, sizeof(tl_philox_state),
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
    tl_philox_state *s;
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
    s->idx = TL_PHILOX_WORDS;
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
