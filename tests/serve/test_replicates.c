/* test_replicates.c — replicates in class without HTTP: the band of one week (least, median,
 * greatest), the limits on R, a session of R replicates (the seed's run unchanged, the band
 * around it, changes on every replicate, the memory counted R times). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replicates.h"
#include "session.h"
#include "tl_test.h"
#include "tillit/metrics.h"
#include "tillit/presets.h"

static void test_replicates__band_row_is_min_median_max(void **state)
{
    double a[2] = {3, NAN}, b[2] = {1, NAN}, c[2] = {2, 5}, d[2] = {10, 7};
    const double *vals[4] = {a, b, c, d};
    double lo[2], med[2], hi[2];
    (void)state;
    srv_band_row(vals, 3, 2, lo, med, hi); /* odd: the middle value */
    assert_true(lo[0] == 1 && med[0] == 2 && hi[0] == 3);
    assert_true(lo[1] == 5 && med[1] == 5 && hi[1] == 5); /* NaN left out */
    srv_band_row(vals, 4, 2, lo, med, hi); /* even: the mean of the two middle ones */
    assert_true(lo[0] == 1 && med[0] == 2.5 && hi[0] == 10);
    assert_true(lo[1] == 5 && med[1] == 6 && hi[1] == 7);
    srv_band_row(vals, 2, 2, lo, med, hi);
    assert_true(isnan(lo[1]) && isnan(med[1]) && isnan(hi[1])); /* no value at all */
    srv_band_row(vals, 1, 2, lo, med, hi);
    assert_true(lo[0] == 3 && med[0] == 3 && hi[0] == 3);
}

static void test_replicates__limits(void **state)
{
    char msg[128];
    (void)state;
    assert_int_equal(srv_replicates_check(1, msg, sizeof msg), 0);
    assert_int_equal(srv_replicates_check(SRV_MAX_REPLICATES, msg, sizeof msg), 0);
    assert_int_equal(srv_replicates_check(0, msg, sizeof msg), 400);
    assert_non_null(strstr(msg, "replicates"));
    assert_int_equal(srv_replicates_check(SRV_MAX_REPLICATES + 1, msg, sizeof msg), 400);
    assert_int_equal(srv_replicates_check(2.5, msg, sizeof msg), 400);
    assert_int_equal(srv_replicates_check(NAN, msg, sizeof msg), 400);
    assert_int_equal(srv_replicates_of(0), 1);
    assert_int_equal(srv_replicates_of(4), 4);
}

static void small_setup(srv_setup *su, int nsides, int replicates)
{
    tl_error err = TL_ERROR_INIT;
    memset(su, 0, sizeof *su);
    su->nsides = nsides;
    su->seed = 7;
    su->replicates = replicates;
    for (int k = 0; k < nsides; k++) {
        assert_int_equal(tl_preset_apply(k ? "control-based" : "balanced", &su->side[k].params, &err),
                         TL_OK);
        su->side[k].params.units = 4;
        su->side[k].params.employees = 40;
        su->side[k].params.citizens = 2000;
        su->side[k].params.steps = 30;
        snprintf(su->side[k].label, sizeof su->side[k].label, "%s", k ? "control" : "balanced");
    }
}

static void test_replicates__setup_check_refuses_bad_counts(void **state)
{
    srv_limits lim;
    srv_setup su;
    srv_err e;
    (void)state;
    srv_limits_default(&lim);
    small_setup(&su, 1, 0);
    assert_int_equal(srv_setup_check(&lim, &su, &e), 0); /* 0: not given, one run */
    su.replicates = SRV_MAX_REPLICATES;
    assert_int_equal(srv_setup_check(&lim, &su, &e), 0);
    su.replicates = SRV_MAX_REPLICATES + 1;
    assert_int_equal(srv_setup_check(&lim, &su, &e), 400);
    su.replicates = -3;
    assert_int_equal(srv_setup_check(&lim, &su, &e), 400);
    /* no week dearer than two sides of the largest organisation */
    su.replicates = 2;
    su.side[0].params.citizens = lim.max_citizens;
    su.side[0].params.employees = lim.max_employees;
    assert_int_equal(srv_setup_check(&lim, &su, &e), 0);
    su.replicates = 3;
    assert_int_equal(srv_setup_check(&lim, &su, &e), 400);
    assert_non_null(strstr(e.msg, "3 replicates"));
    su.side[0].params.citizens = 2000;
    su.side[0].params.employees = 40;
    /* R simulations must fit the server's whole budget */
    {
        srv_table tb;
        srv_session *s = NULL;
        size_t one, two;
        su.replicates = 1;
        assert_int_equal(srv_table_init(&tb, &lim), 0);
        assert_int_equal(srv_session_create(&tb, &su, "10.0.0.1", &s, &e), 0);
        one = s->bytes;
        srv_session_release(&tb, s);
        srv_table_clear(&tb);
        /* the second replicate's simulation and its rows are counted, and
         * the band's three rows a week */
        su.replicates = 2;
        assert_int_equal(srv_table_init(&tb, &lim), 0);
        assert_int_equal(srv_session_create(&tb, &su, "10.0.0.1", &s, &e), 0);
        two = s->bytes;
        srv_session_release(&tb, s);
        srv_table_clear(&tb);
        assert_int_equal(two, 2 * one + 3 * (size_t)su.side[0].params.steps * TL_NMETRICS *
                                            sizeof(double));
        lim.max_total_bytes = two;
        su.replicates = 2;
        assert_int_equal(srv_setup_check(&lim, &su, &e), 0);
        su.replicates = SRV_MAX_REPLICATES;
        assert_int_equal(srv_setup_check(&lim, &su, &e), 400);
        assert_non_null(strstr(e.msg, "10 replicates"));
    }
}

/* The band of side k at week t (1-based), part p (0 lo, 1 med, 2 hi), metric m. */
static double band(const srv_session *s, int k, int t, int p, int m)
{
    return s->side[k].band[((size_t)(t - 1) * 3 + (size_t)p) * TL_NMETRICS + (size_t)m];
}

static void test_replicates__session_runs_r_and_keeps_the_seeds_run(void **state)
{
    srv_limits lim;
    srv_table tb;
    srv_setup one, three;
    srv_err e;
    srv_session *a = NULL, *b = NULL;
    int from, differ = 0;
    size_t bytes_one;
    const int q = tl_metric_index("quality_true");
    (void)state;
    srv_limits_default(&lim);
    small_setup(&one, 2, 1);
    small_setup(&three, 2, 3);
    assert_true(q >= 0);
    assert_int_equal(srv_table_init(&tb, &lim), 0);
    assert_int_equal(srv_session_create(&tb, &one, "10.0.0.1", &a, &e), 0);
    bytes_one = tb.bytes;
    assert_null(a->side[0].band);
    assert_int_equal(srv_session_create(&tb, &three, "10.0.0.1", &b, &e), 0);
    /* the memory of R replicates is counted: about three times one run */
    assert_true(tb.bytes - bytes_one > 2 * bytes_one);
    assert_non_null(b->side[1].rep[2]);
    assert_null(b->side[1].rep[3]);

    assert_int_equal(srv_session_step(&tb, a, 12, &from, &e), 0);
    assert_int_equal(srv_session_step(&tb, b, 12, &from, &e), 0);
    for (int k = 0; k < 2; k++)
        for (int t = 1; t <= 12; t++)
            for (int m = 0; m < TL_NMETRICS; m++) {
                double v = b->side[k].hist[(size_t)(t - 1) * TL_NMETRICS + (size_t)m];
                double w = a->side[k].hist[(size_t)(t - 1) * TL_NMETRICS + (size_t)m];
                /* replicate 0 is the seed's run, as with one replicate */
                assert_true(v == w || (isnan(v) && isnan(w)));
                if (isnan(v))
                    continue;
                assert_true(band(b, k, t, 0, m) <= v && v <= band(b, k, t, 2, m));
                assert_true(band(b, k, t, 0, m) <= band(b, k, t, 1, m));
                assert_true(band(b, k, t, 1, m) <= band(b, k, t, 2, m));
            }
    for (int t = 1; t <= 12; t++)
        differ += band(b, 0, t, 0, q) < band(b, 0, t, 2, q);
    assert_true(differ > 6); /* the replicates draw other chance events */
    assert_true(isnan(band(b, 0, 13, 1, q))); /* not run yet */

    /* a lever moved mid-run moves every replicate */
    {
        const char *names[1] = {"control_intensity"};
        double values[1] = {0.95};
        srv_buf jb;
        char *j;
        assert_int_equal(srv_session_set(&tb, b, 1u, names, values, 1, NULL, &e), 0);
        assert_int_equal(srv_session_step(&tb, b, 1, &from, &e), 0);
        assert_true(tl_sim_params(b->side[0].sim)->control_intensity == 0.95);
        for (int r = 1; r < 3; r++) {
            assert_true(tl_sim_params(b->side[0].rep[r])->control_intensity == 0.95);
            /* side B was not asked */
            assert_true(tl_sim_params(b->side[1].rep[r])->control_intensity ==
                        three.side[1].params.control_intensity);
        }
        srv_buf_init(&jb);
        srv_session_json_public(b, 10, &jb);
        j = srv_buf_take(&jb, NULL);
        assert_non_null(strstr(j, "\"replicates\":3"));
        assert_non_null(strstr(j, "\"bands\":[{\"lo\":[["));
        free(j);
        srv_buf_init(&jb);
        srv_session_json_public(a, 10, &jb);
        j = srv_buf_take(&jb, NULL);
        assert_non_null(strstr(j, "\"bands\":null"));
        free(j);
    }
    /* a reset keeps the replicates */
    assert_int_equal(srv_session_reset(&tb, b, NULL, &e), 0);
    assert_int_equal(b->setup.replicates, 3);
    assert_non_null(b->side[0].rep[2]);
    srv_session_release(&tb, a);
    srv_session_release(&tb, b);
    srv_table_clear(&tb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replicates__band_row_is_min_median_max),
        cmocka_unit_test(test_replicates__limits),
        cmocka_unit_test(test_replicates__setup_check_refuses_bad_counts),
        cmocka_unit_test(test_replicates__session_runs_r_and_keeps_the_seeds_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
