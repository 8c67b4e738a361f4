/* test_rng.c — Philox streams: known answers, independence of streams, distributions through GSL. */
#include <math.h>
#include <string.h>

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
        cmocka_unit_test(test_rng__same_key_same_draws),
        cmocka_unit_test(test_rng__seed_point_replicate_and_stream_each_change_the_draws),
        cmocka_unit_test(test_rng__uniform_and_gaussian_have_the_right_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
