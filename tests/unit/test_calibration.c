/* test_calibration.c — the model against published numbers, each over replicates with a tolerance band, on seeds the defaults were not tuned on.
 *
 * Every test names its source, its target, its tolerance and the mechanism
 * that produces it. Calibrated means a parameter was set to hit the target
 * (the test then checks that it holds on other seeds: a check of the
 * calibration, not validation); not fitted means no parameter was tuned to
 * it. docs/ODD.md, "Calibration targets", keeps the table of all targets,
 * including those not yet met. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "lab.h"
#include "tl_test.h"
#include "tillit/presets.h"
#include "tillit/rng.h"
#include "tillit/sim.h"

#define REPS 20
#define M(name) TL_METRIC_IDX_##name

static uint64_t seed(void) { return tl_test_seed(31337u); }

static void last(const tl_params *p, int metric, double *out)
{
    tl_test_run_reps(p, NULL, seed(), 0, REPS, metric, (int)p->steps - 103, (int)p->steps, out);
}

/* The 99 % interval of the mean of x lies inside [lo, hi]. */
static void assert_within(const double *x, double lo, double hi, const char *what)
{
    double m, h;
    tl_test_ci(x, REPS, &m, &h);
    fprintf(stderr, "%s: %.4f +- %.4f (target %.3g .. %.3g)\n", what, m, h, lo, hi);
    if (!(m - h >= lo && m + h <= hi))
        fail_msg("%s: %.4f +- %.4f outside %.3g .. %.3g", what, m, h, lo, hi);
}

/* Bevan & Hood (2006): under the English NHS's sanction-backed targets the
 * reported share of A&E patients seen within four hours exceeded the
 * independently measured one by 15-20 points (90 vs 69 %, 96 vs 77 %).
 * Target: under control-based steering (measurement, targets, firmness,
 * upward focus) quality_measured - quality_true in 0.15 .. 0.20.
 * Calibrated (the gaming lever's strength); mechanism 6. */
static void test_calibration__bevan_hood_indicator_overstates_true_quality_by_15_to_20_points(void **state)
{
    tl_params c = tl_test_preset("control-based", NULL);
    double gap[REPS];
    (void)state;
    last(&c, M(quality_gap), gap);
    assert_within(gap, 0.15, 0.20, "control-based: measured - true quality");
}

/* Motivation of reciprocal staff, per replicate, in units of the spread of
 * motivation between employees (the pooled mean of motivation_sd). */
static void effect_in_sd(const tl_params *a, const tl_params *b, double *d)
{
    double ma[REPS], mb[REPS], sa[REPS], sb[REPS];
    last(a, M(motivation_reciprocal), ma);
    last(b, M(motivation_reciprocal), mb);
    last(a, M(motivation_sd), sa);
    last(b, M(motivation_sd), sb);
    for (int r = 0; r < REPS; r++)
        d[r] = (ma[r] - mb[r]) / (0.5 * (sa[r] + sb[r]));
}

/* Deci, Koestner & Ryan (1999), meta-analysis: controlling interventions
 * lower intrinsic motivation by about 0.3-0.4 SD; informational, supportive
 * feedback raises it by about 0.3 SD. Targets: uniform audits of 40 % of
 * cases by measurement against none lower reciprocal staff's motivation by
 * 0.25 .. 0.45 SD; full support against none raises it by 0.2 .. 0.4 SD.
 * Calibrated (crowding_out, crowding_in); mechanism 3. The meta-analysis
 * measures short lab sessions, the model a long-run level: the match is of
 * size, not of time course. */
static void test_calibration__deci_controlling_minus_a_third_sd_supportive_plus_a_third(void **state)
{
    const char *none = "control_intensity=0 control_selectivity=0 targeted_grants=0 trust_from_above=1";
    tl_params n = tl_test_preset("balanced", none), c = n, s0 = n, s1 = n;
    double d[REPS];
    (void)state;
    c.control_intensity = 0.4;
    c.control_mode = 0;
    effect_in_sd(&n, &c, d);
    assert_within(d, 0.25, 0.45, "motivation lost to controlling audits (SD)");
    s0.support = 0;
    s1.support = 1;
    effect_in_sd(&s1, &s0, d);
    assert_within(d, 0.2, 0.4, "motivation gained from full support (SD)");
}

/* Edmondson (1996): better-led nursing units reported several times more
 * medication errors (3-10x) without making more. Target: errors reported
 * under balanced steering are 3 .. 10 times those under control-based, and
 * balanced makes no more errors per case. Not fitted: no parameter was set
 * for it. Mechanism 4: reporting follows psychological safety and openness;
 * safety follows sanctions seen and trust in the manager (its size emerges
 * from those dynamics, the direction is by construction). */
static void test_calibration__edmondson_safe_units_report_3_to_10_times_more_errors_not_make_more(void **state)
{
    tl_params b = tl_test_preset("balanced", NULL), c = tl_test_preset("control-based", NULL);
    double rb[REPS], rc[REPS], ratio[REPS], eb[REPS], ec[REPS], nb[REPS], nc[REPS];
    (void)state;
    last(&b, M(errors_reported), rb);
    last(&c, M(errors_reported), rc);
    for (int r = 0; r < REPS; r++)
        ratio[r] = rb[r] / rc[r];
    assert_within(ratio, 3, 10, "errors reported, balanced / control-based");
    /* errors made per completed case: minor + serious */
    last(&b, M(errors_minor), eb);
    last(&c, M(errors_minor), ec);
    last(&b, M(errors_serious), nb);
    last(&c, M(errors_serious), nc);
    double made_b[REPS], made_c[REPS], done_b[REPS], done_c[REPS];
    last(&b, M(cases_completed), done_b);
    last(&c, M(cases_completed), done_c);
    for (int r = 0; r < REPS; r++) {
        made_b[r] = (eb[r] + nb[r]) / done_b[r];
        made_c[r] = (ec[r] + nc[r]) / done_c[r];
    }
    tl_test_assert_greater(made_c, made_b, REPS, "errors made per case, control-based > balanced");
}

/* Sessions of Falk & Kosfeld's game (72 agents each), one per replicate:
 * the per-session results in out[r]. */
#define SESSIONS 200
static void lab_sessions(const tl_params *p, double scale, tl_lab_result *out)
{
    for (int r = 0; r < SESSIONS; r++) {
        gsl_rng *g = NULL;
        assert_int_equal(tl_rng_new(&g, seed(), 0, (uint32_t)r, TL_STREAM_INIT, NULL), TL_OK);
        assert_int_equal(tl_lab_falk_kosfeld(p, 72, 10, scale, g, &out[r]), 0);
        gsl_rng_free(g);
    }
}

static void lab_ci(const tl_lab_result *res, size_t off, double *mean, double *half)
{
    double x[SESSIONS];
    for (int r = 0; r < SESSIONS; r++)
        x[r] = *(const double *)((const char *)&res[r] + off);
    tl_test_ci(x, SESSIONS, mean, half);
}

/* Falk & Kosfeld (2006): 72 agents choose effort 0..120, trusted or under a
 * minimum of 10 imposed by their principal: mean 23.0 trusted vs 17.5
 * controlled; 57 % lower, 18 % the same, 25 % raise; with a mostly
 * self-interested population the hidden cost reverses (replications: 9.5 ->
 * 12.5). The model's employees play it (sim/model/lab.c) with the model's
 * types, motivation and crowding (calibrated to Deci et al., above); the
 * lab's one extra number, how motivation maps to voluntary effort, is set so
 * that the trusted mean is 23 (calibrated). Checked: the trusted mean (the
 * calibration), that control lowers the mean (direction, by construction of
 * crowding out), that about a quarter raise (by construction: the
 * self-interested share), and that with 80 % self-interested control raises
 * the mean (emergent from the mix), and the shares who lower and keep their
 * effort (calibrated: control_indifferent_share = 0.18 / 0.75 of reciprocal
 * agents do not respond to control). Not met, and so only printed and
 * recorded in docs/ODD.md: the size of the hidden cost (crowding calibrated
 * to Deci et al. gives a smaller drop than 23.0 -> 17.5; replications of the
 * game found smaller hidden costs than the original, Ziegelmeyer, Schmelz &
 * Ploner 2012). */
static void test_calibration__falk_kosfeld_hidden_cost_of_control_in_the_lab(void **state)
{
    tl_params p = tl_test_preset("balanced", NULL);
    static tl_lab_result res[SESSIONS];
    double m, h, m2, h2;
    (void)state;
    /* the lab's scale: trusted mean 23 when the (1 - share) reciprocal agents
     * have mean motivation motivation_baseline */
    double scale = 23.0 / (120 * (1 - p.self_interested_share) * p.motivation_baseline);
    lab_sessions(&p, scale, res);
    lab_ci(res, offsetof(tl_lab_result, mean_trusted), &m, &h);
    lab_ci(res, offsetof(tl_lab_result, mean_controlled), &m2, &h2);
    fprintf(stderr, "lab: trusted %.2f +- %.2f, controlled %.2f +- %.2f (Falk & Kosfeld: 23.0, 17.5)\n",
            m, h, m2, h2);
    assert_true(m - h > 21 && m + h < 25);
    assert_true(m2 + h2 < m - h);
    double lo, hl, sa, hs, ra, hr;
    lab_ci(res, offsetof(tl_lab_result, share_lower), &lo, &hl);
    lab_ci(res, offsetof(tl_lab_result, share_same), &sa, &hs);
    lab_ci(res, offsetof(tl_lab_result, share_raise), &ra, &hr);
    fprintf(stderr, "lab: lower %.2f, same %.2f, raise %.2f (Falk & Kosfeld: 0.57, 0.18, 0.25)\n", lo,
            sa, ra);
    assert_true(ra - hr > 0.15 && ra + hr < 0.35);
    /* the 18 % who keep their effort: calibrated (control_indifferent_share
     * = 0.18 / 0.75); the 57 % who lower it then follow */
    assert_true(sa - hs > 0.13 && sa + hs < 0.23);
    assert_true(lo - hl > 0.50 && lo + hl < 0.64);
    /* all reciprocal agents alike (control_indifferent_share 0): none keeps
     * their effort, and the mean hidden cost is the same as with the default
     * share (those who respond do so 1 / (1 - share) times more) */
    tl_params ph = p;
    ph.control_indifferent_share = 0;
    lab_sessions(&ph, scale, res);
    double m3, h3, lo2, hl2, sa2, hs2;
    lab_ci(res, offsetof(tl_lab_result, mean_controlled), &m3, &h3);
    lab_ci(res, offsetof(tl_lab_result, share_lower), &lo2, &hl2);
    lab_ci(res, offsetof(tl_lab_result, share_same), &sa2, &hs2);
    fprintf(stderr,
            "lab, all reciprocal alike: controlled %.2f +- %.2f; lower %.2f, same %.2f\n", m3, h3,
            lo2, sa2);
    assert_true(sa2 + hs2 < 0.02 && lo2 - hl2 > 0.70);
    assert_true(fabs(m3 - m2) < 0.5); /* the mean response is kept */
    /* a mostly self-interested population: control raises the mean */
    p.self_interested_share = 0.8;
    lab_sessions(&p, scale, res);
    lab_ci(res, offsetof(tl_lab_result, mean_trusted), &m, &h);
    lab_ci(res, offsetof(tl_lab_result, mean_controlled), &m2, &h2);
    fprintf(stderr, "lab, 80 %% self-interested: trusted %.2f +- %.2f, controlled %.2f +- %.2f\n", m, h,
            m2, h2);
    assert_true(m2 - h2 > m + h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calibration__bevan_hood_indicator_overstates_true_quality_by_15_to_20_points),
        cmocka_unit_test(test_calibration__deci_controlling_minus_a_third_sd_supportive_plus_a_third),
        cmocka_unit_test(test_calibration__edmondson_safe_units_report_3_to_10_times_more_errors_not_make_more),
        cmocka_unit_test(test_calibration__falk_kosfeld_hidden_cost_of_control_in_the_lab),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
