/* test_rng.c — Philox streams: known answers, the stream equal to Random123's philox4x32 block by
 * block (the generator makes 16 blocks at a time), independence of streams, distributions. */
#include <math.h>
#include <string.h>

#include <Random123/philox.h>
#include <gsl/gsl_randist.h>

#include "tl_test.h"
#include "tillit/rng.h"

static void test_rng__matches_the_philox_known_answer(void **state)
{
    /* Random123 kat_vectors: philox4x32-10, counter 0, key 0 ->
     * 6627e8d5 e169c58d bc57ac4c 9b00dbd8 */
    gsl_rng *r = NULL;
    (void)state;
    assert_int_equal(tl_rng_new(&r, 0, 0, 0, TL_STREAM_INIT, NULL), TL_OK);
    assert_int_equal(gsl_rng_get(r), 0x6627e8d5UL);
    assert_int_equal(gsl_rng_get(r), 0xe169c58dUL);
    assert_int_equal(gsl_rng_get(r), 0xbc57ac4cUL);
    assert_int_equal(gsl_rng_get(r), 0x9b00dbd8UL);
    gsl_rng_free(r);
}

/* The stream is Random123's philox4x32 of counter {block lo, block hi | stream << 16,
 * replicate, point} for blocks 0, 1, 2, ...: the words made 16 blocks at a time equal those
 * made one block at a time, also across the 32-bit boundary of the block counter and its
 * 48-bit wrap (the counter set through the state). */
static void test_rng__is_random123s_philox_block_by_block(void **state)
{
    static const uint64_t starts[] = {0, 0xfffffff9ull, 0xfffffffffff5ull}; /* not of 16 */
    (void)state;
    for (size_t t = 0; t < sizeof starts / sizeof *starts; t++) {
        gsl_rng *r = NULL;
        tl_philox_state *st;
        uint64_t seed = 0x0123456789abcdefull + t;
        assert_int_equal(tl_rng_new(&r, seed, 77, 5, TL_STREAM_CONTROL, NULL), TL_OK);
        st = gsl_rng_state(r);
        st->ctr[0] = (uint32_t)starts[t];
        st->ctr[1] = (st->ctr[1] & 0xffff0000u) | (uint32_t)(starts[t] >> 32);
        for (uint64_t b = starts[t]; b < starts[t] + 100; b++) {
            uint64_t n = b & 0xffffffffffffull;
            philox4x32_ctr_t c = {{(uint32_t)n, ((uint32_t)TL_STREAM_CONTROL << 16) |
                                                    (uint32_t)(n >> 32), 5, 77}};
            philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
            philox4x32_ctr_t want = philox4x32(c, k);
            for (int j = 0; j < 4; j++)
                assert_int_equal(gsl_rng_get(r), want.v[j]);
        }
        gsl_rng_free(r);
    }
}

/* Each implementation of the rounds (plain C, SSE2, AVX2) makes Random123's words, whichever
 * the processor picks for the streams: blocks from an odd counter across the 32-bit boundary. */
static void test_rng__every_implementation_makes_the_same_words(void **state)
{
    int made = 0;
    (void)state;
    for (int impl = 0; impl < 3; impl++) {
        gsl_rng *r = NULL;
        tl_philox_state *st;
        uint64_t b = 0xffffffe7ull;
        assert_int_equal(tl_rng_new(&r, 0xfeedfacecafebeefull, 3, 9, TL_STREAM_KNOWLEDGE, NULL),
                         TL_OK);
        st = gsl_rng_state(r);
        st->ctr[0] = (uint32_t)b;
        for (int n = 0; n < 4; n++) {
            if (tl_philox_refill_by(st, impl) != 0)
                break;
            made += n == 0;
            for (int i = 0; i < TL_PHILOX_LANES; i++, b++) {
                philox4x32_ctr_t c = {{(uint32_t)b, ((uint32_t)TL_STREAM_KNOWLEDGE << 16) |
                                                        (uint32_t)(b >> 32), 9, 3}};
                philox4x32_key_t k = {{0xcafebeefu, 0xfeedfaceu}};
                philox4x32_ctr_t want = philox4x32(c, k);
                for (int w = 0; w < 4; w++)
                    assert_int_equal(st->out[4 * i + w], want.v[w]);
            }
        }
        gsl_rng_free(r);
    }
    assert_true(made >= 1); /* plain C at least; SSE2 and AVX2 where the processor has them */
}

static void test_rng__same_key_same_draws(void **state)
{
    gsl_rng *a, *b;
    (void)state;
    tl_rng_new(&a, 42, 3, 7, TL_STREAM_ERRORS, NULL);
    tl_rng_new(&b, 42, 3, 7, TL_STREAM_ERRORS, NULL);
    for (int i = 0; i < 1000; i++)
        assert_true(gsl_rng_uniform(a) == gsl_rng_uniform(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void test_rng__seed_point_replicate_and_stream_each_change_the_draws(void **state)
{
    struct {
        uint64_t seed;
        uint32_t p, r;
        tl_stream s;
    } keys[] = {{1, 0, 0, TL_STREAM_INIT},  {2, 0, 0, TL_STREAM_INIT},
                {1, 1, 0, TL_STREAM_INIT},  {1, 0, 1, TL_STREAM_INIT},
                {1, 0, 0, TL_STREAM_ERRORS}, {(uint64_t)1 << 32 | 1, 0, 0, TL_STREAM_INIT}};
    unsigned long first[6][4];
    (void)state;
    for (int k = 0; k < 6; k++) {
        gsl_rng *r;
        tl_rng_new(&r, keys[k].seed, keys[k].p, keys[k].r, keys[k].s, NULL);
        for (int j = 0; j < 4; j++)
            first[k][j] = gsl_rng_get(r);
        gsl_rng_free(r);
    }
    for (int a = 0; a < 6; a++)
        for (int b = a + 1; b < 6; b++)
            assert_true(memcmp(first[a], first[b], sizeof first[a]) != 0);
}

static void test_rng__uniform_and_gaussian_have_the_right_moments(void **state)
{
    gsl_rng *r;
    const int n = 400000;
    double s = 0, ss = 0, g = 0, gg = 0;
    (void)state;
    tl_rng_new(&r, 9, 0, 0, TL_STREAM_SERVICE, NULL);
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r), z = gsl_ran_gaussian_ziggurat(r, 1.0);
        assert_true(u >= 0 && u < 1);
        s += u;
        ss += u * u;
        g += z;
        gg += z * z;
    }
    /* 6 standard errors */
    assert_true(fabs(s / n - 0.5) < 6 * sqrt(1.0 / 12 / n));
    assert_true(fabs(ss / n - 1.0 / 3) < 6 * sqrt(4.0 / 45 / n));
    assert_true(fabs(g / n) < 6 / sqrt((double)n));
    assert_true(fabs(gg / n - 1) < 6 * sqrt(2.0 / n));
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng__matches_the_philox_known_answer),
        cmocka_unit_test(test_rng__is_random123s_philox_block_by_block),
        cmocka_unit_test(test_rng__every_implementation_makes_the_same_words),
        cmocka_unit_test(test_rng__same_key_same_draws),
        cmocka_unit_test(test_rng__seed_point_replicate_and_stream_each_change_the_draws),
        cmocka_unit_test(test_rng__uniform_and_gaussian_have_the_right_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
