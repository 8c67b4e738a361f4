/* test_mechanisms.c — each functional form: the direction and the bounds of its effect. */
#include <math.h>

#include "lab.h"
#include "mechanisms.h"
#include "tillit/rng.h"
#include "tl_test.h"

static tl_params P(void)
{
    tl_params p;
    tl_params_default(&p);
    return p;
}

static tl_regime R(const tl_params *p)
{
    tl_regime r;
    tl_mech_regime(p, &r);
    return r;
}

static int in01(double x) { return x >= 0 && x <= 1; }

static void test_mechanisms__chain_pressure_cascades_into_control_and_mandate(void **state)
{
    tl_params p = P();
    (void)state;
    p.targeted_grants = 0;
    p.trust_from_above = 1;
    tl_regime free_ = R(&p);
    assert_true(free_.chain == 0);
    assert_true(free_.control == p.control_intensity);
    assert_true(free_.mandate == p.mandate);
    p.targeted_grants = 0.9;
    p.trust_from_above = 0.3;
    tl_regime pressed = R(&p);
    assert_true(pressed.chain > 0 && pressed.chain <= 1);
    assert_true(pressed.control > free_.control);
    assert_true(pressed.mandate < free_.mandate);
    assert_true(pressed.report_hours > free_.report_hours);
    assert_true(pressed.doc_hours > free_.doc_hours);
    p.cascade = 0;
    tl_regime none = R(&p);
    assert_true(none.control == p.control_intensity);
}

static void test_mechanisms__documentation_grows_with_control_and_measurement(void **state)
{
    tl_params p = P();
    (void)state;
    p.control_intensity = 0.1;
    double low = R(&p).doc_hours;
    p.control_intensity = 0.6;
    double high = R(&p).doc_hours;
    assert_true(high > low);
    p.control_mode = 0;
    double meas = R(&p).doc_hours;
    assert_true(meas > high);
    p.support = 1;
    assert_true(R(&p).doc_hours < meas);
}

static void test_mechanisms__dialogue_costs_manager_time_and_sees_more(void **state)
{
    tl_params p = P();
    p.targeted_grants = 0;
    p.trust_from_above = 1;
    (void)state;
    p.control_mode = 0;
    tl_regime m = R(&p);
    p.control_mode = 1;
    tl_regime d = R(&p);
    assert_true(d.audit_hours > m.audit_hours);
    assert_true(d.detect_error > m.detect_error);
    /* dialogue sees through some gaming, not all of it: gaming falls but
     * stays above 0 while anything rides on the indicators */
    double gm = tl_mech_gaming(&p, &m, 1), gd = tl_mech_gaming(&p, &d, 1);
    assert_true(gd < gm);
    assert_true(gd > 0);
    assert_true(fabs(gd - gm * (1 - p.detect_gaming)) < 1e-12);
}

static void test_mechanisms__gaming_follows_what_rides_on_indicators_and_type(void **state)
{
    tl_params p = P();
    (void)state;
    p.control_mode = 0;
    tl_regime r = R(&p);
    double base = tl_mech_gaming(&p, &r, 1);
    assert_true(base > 0);
    /* reciprocal types game less (honest triers) */
    assert_true(fabs(tl_mech_gaming(&p, &r, 0) - p.gaming_reciprocal * base) < 1e-12);
    /* more control, more at stake */
    p.control_intensity = 0.6;
    tl_regime rc = R(&p);
    assert_true(tl_mech_gaming(&p, &rc, 1) > base);
    /* judged by citizens, not indicators: nothing rides on them */
    p.citizen_focus = 1;
    tl_regime rf = R(&p);
    assert_true(tl_mech_gaming(&p, &rf, 1) == 0);
    /* no consequence: firmness 0 and full tolerance */
    p = P();
    p.control_mode = 0;
    p.firmness = 0;
    p.error_tolerance = 1;
    tl_regime rn = R(&p);
    assert_true(tl_mech_gaming(&p, &rn, 1) == 0);
}

static void test_mechanisms__tailoring_beats_the_book_for_complex_needs_only_when_skilled(void **state)
{
    (void)state;
    double x = 0.9;
    assert_true(tl_mech_fit_tailored(x, 0.9, 0, 0) > tl_mech_fit_standard(x));
    assert_true(tl_mech_fit_tailored(x, 0.1, 0, 0) < tl_mech_fit_standard(x));
    /* simple needs: the book fits */
    assert_true(tl_mech_fit_standard(0) == 1);
    for (double s = 0; s <= 1; s += 0.25)
        for (double xx = 0; xx <= 1; xx += 0.25)
            assert_true(in01(tl_mech_fit_tailored(xx, s, 0.5, 0.5)));
}

static void test_mechanisms__rule_frame_bounds_the_voice_gap(void **state)
{
    (void)state;
    double x = 0.8, s = 0.8, voice = 0.6;
    double voiced = tl_mech_fit_tailored(x, s, 0, 0);
    double weak = tl_mech_fit_tailored(x, s, voice, 0);
    double weak_framed = tl_mech_fit_tailored(x, s, voice, 1);
    assert_true(weak < voiced);
    assert_true(weak_framed >= tl_mech_fit_standard(x));
    assert_true(voiced - weak_framed < voiced - weak);
    /* ... at a price: the frame forgoes part of the benefit of tailoring */
    assert_true(tl_mech_fit_tailored(x, s, 0, 1) < voiced);
    assert_true(tl_mech_fit_tailored(x, s, 0, 1) > tl_mech_fit_standard(x));
    /* and the regime's voice gap shrinks with the frame and citizen focus */
    tl_params p = P();
    p.rule_frame = 0;
    p.citizen_focus = 0;
    double open_gap = R(&p).voice_gap;
    p.rule_frame = 1;
    assert_true(R(&p).voice_gap < open_gap);
    p.rule_frame = 0;
    p.citizen_focus = 1;
    assert_true(R(&p).voice_gap < open_gap);
}

static void test_mechanisms__quality_rises_with_effort_and_falls_with_gaming(void **state)
{
    (void)state;
    assert_true(tl_mech_quality(0.8, 0.9, 0, 0.3) > tl_mech_quality(0.8, 0.3, 0, 0.3));
    assert_true(tl_mech_quality(0.8, 0.9, 0.5, 0.3) < tl_mech_quality(0.8, 0.9, 0, 0.3));
    assert_true(tl_mech_quality_measured(0.5, 0.5) > 0.5);
    assert_true(tl_mech_quality_measured(0.5, 0) == 0.5);
    assert_true(in01(tl_mech_quality_measured(0.99, 1)));
}

static void test_mechanisms__errors_rise_with_complexity_and_fall_with_skill_and_effort(void **state)
{
    (void)state;
    double base = tl_mech_error_prob(0.06, 0.3, 0.6, 0.7, 0, 1);
    assert_true(tl_mech_error_prob(0.06, 0.9, 0.6, 0.7, 0, 1) > base);
    assert_true(tl_mech_error_prob(0.06, 0.3, 0.9, 0.7, 0, 1) < base);
    assert_true(tl_mech_error_prob(0.06, 0.3, 0.6, 0.95, 0, 1) < base);
    assert_true(tl_mech_error_prob(0.06, 0.3, 0.6, 0.7, 1, 1) > base);
    assert_true(fabs(tl_mech_error_prob(0.06, 0.3, 0.6, 0.7, 0, 1.5) - 1.5 * base) < 1e-12);
    assert_true(tl_mech_error_prob(1, 1, 0, 0, 1, 3) <= TL_C_ERROR_CAP);
}

static void test_mechanisms__discretion_amplifies_skill_differences_unless_framed(void **state)
{
    tl_params p = P();
    (void)state;
    p.rule_frame = 0.2;
    double lo = tl_mech_discretion_risk(&p, 0.3), hi = tl_mech_discretion_risk(&p, 0.9);
    assert_true(lo > hi && hi > 1);
    assert_true(fabs(lo - (1 + p.discretion_error * 0.8 * 0.7)) < 1e-12);
    p.rule_frame = 1; /* a full frame removes the extra risk */
    assert_true(tl_mech_discretion_risk(&p, 0.3) == 1);
    tl_regime r = R(&p);
    r.voice_gap = 0.2;
    assert_true(tl_mech_voice_gap(&r, 0.3) > tl_mech_voice_gap(&r, 0.9));
    assert_true(fabs(tl_mech_voice_gap(&r, 0.5) - 0.2) < 1e-12);
}

/* Rationing: nothing cut with nothing waiting in contracted time, in
 * proportion to the weeks waiting up to one, the full share in overtime,
 * never outside [0, 1]; off at 0 whatever the pressure. */
static void test_mechanisms__rationing_cuts_time_in_proportion_to_the_queue_and_fully_in_overtime(void **state)
{
    (void)state;
    assert_true(tl_mech_rationing(0.6, 0, 0) == 0);
    assert_true(tl_mech_rationing(0.6, -0.5, 0) == 0);
    assert_true(fabs(tl_mech_rationing(0.6, 0.5, 0) - 0.3) < 1e-12);
    assert_true(fabs(tl_mech_rationing(0.6, 1, 0) - 0.6) < 1e-12);
    assert_true(fabs(tl_mech_rationing(0.6, 7, 0) - 0.6) < 1e-12);
    assert_true(fabs(tl_mech_rationing(0.6, 0, 1) - 0.6) < 1e-12);
    assert_true(tl_mech_rationing(0.6, 0.2, 0) < tl_mech_rationing(0.6, 0.4, 0));
    assert_true(tl_mech_rationing(0, 3, 1) == 0);
    assert_true(tl_mech_rationing(1.5, 2, 1) == 1);
}

static void test_mechanisms__case_hours_vary_with_mean_one(void **state)
{
    tl_params p = P();
    (void)state;
    /* the variability factor 1 - cv + cv*Exp(1) by inverse transform has mean
     * 1: integrate over u on a fine grid */
    double hsum = 0;
    int ngrid = 200000;
    for (int k = 0; k < ngrid; k++)
        hsum += tl_mech_case_hours(&p, 0, 1, (k + 0.5) / ngrid);
    assert_true(fabs(hsum / ngrid / p.case_hours - 1) < 2e-3);
    assert_true(tl_mech_case_hours(&p, 0, 1, 0.99) > tl_mech_case_hours(&p, 0, 1, 0.01));
    p.case_hours_cv = 0;
    assert_true(fabs(tl_mech_case_hours(&p, 0, 1, 0.9) - p.case_hours) < 1e-12);
}

static void test_mechanisms__error_severity_has_the_case_mean(void **state)
{
    (void)state;
    /* severity: mean v, in [0,1] */
    double s = 0;
    int n = 10000;
    for (int i = 0; i < n; i++) {
        double sev = tl_mech_error_severity((i + 0.5) / n, 0.3);
        assert_true(in01(sev));
        s += sev;
    }
    assert_true(fabs(s / n - 0.3) < 0.01);
}

static void test_mechanisms__reporting_rises_with_safety_and_openness(void **state)
{
    tl_params p = P();
    (void)state;
    p.openness = 0.2;
    double lo = tl_mech_report_prob(&p, 0.5, 0);
    assert_true(tl_mech_report_prob(&p, 0.9, 0) > lo);
    p.openness = 0.9;
    assert_true(tl_mech_report_prob(&p, 0.5, 0) > lo);
    assert_true(tl_mech_report_prob(&p, 0.5, 1) < tl_mech_report_prob(&p, 0.5, 0));
    assert_true(tl_mech_report_prob(&p, 0, 0) == 0);
}

/* The control the chain adds is targeted only as far as cascade_selectivity
 * says: at 1 the regime's selectivity is the lever's, at 0 the chain's part
 * is spread over everyone, so the same mean rate reaches low-trust staff
 * less. Without pressure from above it changes nothing. */
static void test_mechanisms__control_from_above_is_targeted_as_cascade_selectivity_says(void **state)
{
    tl_params p = P();
    (void)state;
    p.control_intensity = 0.2;
    p.control_selectivity = 1;
    p.targeted_grants = 0.5;
    p.trust_from_above = 0.3;
    p.cascade_selectivity = 1;
    tl_regime r1 = R(&p);
    assert_true(r1.control > p.control_intensity);
    assert_true(fabs(r1.selectivity - 1) < 1e-12);
    p.cascade_selectivity = 0;
    tl_regime r0 = R(&p);
    assert_true(r0.control == r1.control);
    assert_true(fabs(r0.selectivity - p.control_intensity / r0.control) < 1e-12);
    assert_true(tl_mech_audit_exposure(&r0, 3.0, 1) < tl_mech_audit_exposure(&r1, 3.0, 1));
    assert_true(fabs(0.5 * tl_mech_audit_exposure(&r0, 0.5, 1) + 0.5 * tl_mech_audit_exposure(&r0, 1.5, 1) -
                     r0.control) < 1e-12);
    /* no pressure from above: nothing to spread */
    p.targeted_grants = 0;
    p.trust_from_above = 1;
    r0 = R(&p);
    assert_true(fabs(r0.selectivity - 1) < 1e-12);
}

static void test_mechanisms__selective_control_targets_low_trust_at_the_same_mean(void **state)
{
    tl_params p = P();
    (void)state;
    p.control_selectivity = 1;
    tl_regime r = R(&p);
    assert_true(tl_mech_audit_exposure(&r, 2.0, 1) > tl_mech_audit_exposure(&r, 0.5, 1));
    assert_true(tl_mech_audit_prob(&p, &r, 1, 0.9, 1) > tl_mech_audit_prob(&p, &r, 1, 0.1, 1));
    /* mean over a risk distribution with mean 1 equals the intensity (no clamping here) */
    double m = 0.5 * tl_mech_audit_exposure(&r, 0.6, 1) + 0.5 * tl_mech_audit_exposure(&r, 1.4, 1);
    assert_true(fabs(m - r.control) < 1e-12);
    p.control_selectivity = 0;
    r = R(&p);
    assert_true(tl_mech_audit_exposure(&r, 2.0, 1) == tl_mech_audit_exposure(&r, 0.5, 1));
    p.control_intensity = 1;
    p.control_selectivity = 1;
    r = R(&p);
    assert_true(tl_mech_audit_prob(&p, &r, 10, 1, 1) == 1);
    /* a unit's manager who controls more scales the rate before the cap */
    p.control_intensity = 0.2;
    p.control_selectivity = 0;
    r = R(&p);
    assert_true(fabs(tl_mech_audit_exposure(&r, 1, 1.5) - 1.5 * r.control) < 1e-12);
    assert_true(tl_mech_audit_exposure(&r, 1, 100) == 1);
    assert_true(tl_mech_audit_prob(&p, &r, 1, 0.3, 100) == 1);
}

static void test_mechanisms__self_interested_effort_follows_detection_reciprocal_follows_motivation(void **state)
{
    tl_params p = P();
    (void)state;
    tl_regime r = R(&p);
    assert_true(tl_mech_effort(&p, 1, 0.9, 0, 0) == p.effort_floor); /* motivation irrelevant */
    assert_true(tl_mech_effort(&p, 1, 0.9, 1, 0) == p.effort_norm);  /* complies: the norm */
    assert_true(tl_mech_effort(&p, 0, 0.9, 1, 0) == 0.9);            /* above the norm anyway */
    assert_true(tl_mech_effort(&p, 0, 0.3, 1, 0) == p.effort_norm);
    assert_true(tl_mech_effort(&p, 0, 0.9, 0, 1) < 0.9); /* burnt out */
    /* compliance when perceived risk x consequence reaches the cost */
    assert_true(tl_mech_complies(&r, 0.2, 0.1 * r.consequence) == 1);
    assert_true(tl_mech_complies(&r, 0.05, 0.1 * r.consequence) == 0);
    p.firmness = 0;
    p.error_tolerance = 1;
    tl_regime r0 = R(&p);
    assert_true(r0.consequence == 0);
    assert_true(tl_mech_complies(&r0, 1, 1e-6) == 0); /* nothing happens when found */
    /* zero tolerance adds to what is feared */
    p.error_tolerance = 0;
    tl_regime rz = R(&p);
    assert_true(fabs(rz.consequence - p.sanction_deterrence) < 1e-12);
}

static void test_mechanisms__perceived_risk_learns_from_what_is_seen_with_a_lag(void **state)
{
    tl_params p = P();
    (void)state;
    tl_regime r = R(&p);
    /* from 0, a week of audits on every case moves risk by risk_learning of the way */
    double seen = r.detect_shirk;
    double one = tl_mech_perceived_risk(&p, &r, 0, 1, 1, 0);
    assert_true(fabs(one - p.risk_learning * seen) < 1e-12);
    /* it converges to what is seen, not at once */
    double x = 0;
    for (int w = 0; w < 200; w++)
        x = tl_mech_perceived_risk(&p, &r, x, 0.1, 0.1, 0);
    assert_true(fabs(x - 0.1 * seen) < 1e-6);
    assert_true(tl_mech_perceived_risk(&p, &r, 0, 0.1, 0.1, 0) < 0.1 * seen);
    /* own audits weigh risk_own_weight; an absent week (NaN) sees only the unit */
    double own = tl_mech_perceived_risk(&p, &r, 0, 1, 0, 0);
    assert_true(fabs(own - p.risk_learning * p.risk_own_weight * seen) < 1e-12);
    assert_true(tl_mech_perceived_risk(&p, &r, 0, NAN, 0, 0) == 0);
    /* a colleague's problem acted on is salient */
    assert_true(tl_mech_perceived_risk(&p, &r, 0, 0, 0, 0.04) > 0);
}

static void test_mechanisms__manager_trust_is_a_belief_that_forgets_toward_the_prior(void **state)
{
    tl_params p = P();
    (void)state;
    assert_true(fabs(tl_mech_trust_from_logodds(0) - 0.5) < 1e-12);
    assert_true(tl_mech_trust_from_logodds(2) > 0.85 && tl_mech_trust_from_logodds(-2) < 0.15);
    double lo = tl_mech_trust_forget(&p, 3, 1);
    assert_true(fabs(lo - (1 + (1 - p.trust_forgetting) * 2)) < 1e-12);
    p.trust_forgetting = 1;
    assert_true(tl_mech_trust_forget(&p, 3, 1) == 1);
}

static void test_mechanisms__complacency_thins_audits_when_trust_is_high(void **state)
{
    tl_params p = P();
    (void)state;
    assert_true(tl_mech_attention(&p, 0.3) == 1);
    assert_true(tl_mech_attention(&p, 0.5) == 1);
    assert_true(fabs(tl_mech_attention(&p, 1) - (1 - p.complacency)) < 1e-12);
    assert_true(tl_mech_attention(&p, 0.9) < tl_mech_attention(&p, 0.7));
    p.complacency = 0;
    assert_true(tl_mech_attention(&p, 1) == 1);
}

static void test_mechanisms__control_crowds_out_motivation_autonomy_crowds_in(void **state)
{
    tl_params p = P();
    (void)state;
    tl_regime r = R(&p);
    double base = tl_mech_motivation_target(&p, &r, 0.7, 0.1, 0.5, 0.5, 0.2);
    assert_true(tl_mech_motivation_target(&p, &r, 0.7, 0.6, 0.5, 0.5, 0.2) < base);
    assert_true(tl_mech_motivation_target(&p, &r, 0.7, 0.1, 0.9, 0.5, 0.2) > base);
    assert_true(tl_mech_motivation_target(&p, &r, 0.7, 0.1, 0.5, 0.9, 0.2) > base);
    assert_true(tl_mech_motivation_target(&p, &r, 0.7, 0.1, 0.5, 0.5, 0.9) < base);
    p.mandate = 1;
    tl_regime r2 = R(&p);
    assert_true(tl_mech_motivation_target(&p, &r2, 0.7, 0.1, 0.5, 0.5, 0.2) > base);
    /* dialogue and co-creation make the same control feel less controlling */
    p.control_mode = 0;
    p.co_creation = 0;
    double felt_meas = tl_mech_controlling(&p, &r, 0.3, 0.1);
    tl_params q = p;
    q.control_mode = 1;
    q.co_creation = 1;
    tl_regime rq = R(&q);
    assert_true(tl_mech_controlling(&q, &rq, 0.3, 0.1) < felt_meas);
    assert_true(in01(tl_mech_motivation_target(&p, &r, 1, 0, 1, 1, 0)));
    assert_true(in01(tl_mech_motivation_target(&p, &r, 0, 1, 0, 0, 1)));
}

static void test_mechanisms__strain_follows_demand_control_and_support(void **state)
{
    tl_params p = P();
    (void)state;
    tl_regime r = R(&p);
    double base = tl_mech_strain_target(&r, 0.9, 0.2, 0.5);
    assert_true(tl_mech_strain_target(&r, 1.3, 0.2, 0.5) > base);
    assert_true(tl_mech_strain_target(&r, 0.9, 0.7, 0.5) > base);
    assert_true(tl_mech_strain_target(&r, 0.9, 0.2, 0.9) < base);
    assert_true(tl_mech_quit_prob(&p, 0.9, 0) > tl_mech_quit_prob(&p, 0.2, 0));
    assert_true(tl_mech_quit_prob(&p, 0.2, 0) == p.quit_base);
}

static void test_mechanisms__trust_is_lost_faster_than_built(void **state)
{
    tl_params p = P();
    (void)state;
    double up = tl_mech_approach(0.5, 1, p.trust_rise, p.trust_fall) - 0.5;
    double down = 0.5 - tl_mech_approach(0.5, 0, p.trust_rise, p.trust_fall);
    assert_true(down > up);
    assert_true(tl_mech_approach(0.9, 2, 1, 1) == 1); /* clamps */
    assert_true(tl_mech_safety_target(&p, 0.9) > tl_mech_safety_target(&p, 0.1));
    assert_true(tl_mech_trust_target(&p, 0.5, 0.8) < tl_mech_trust_target(&p, 0.5, 0.1));
}

static void test_mechanisms__code_adoption_follows_march(void **state)
{
    (void)state;
    assert_true(tl_mech_code_adopt_prob(0.5, 0) == 0);
    assert_true(fabs(tl_mech_code_adopt_prob(0.5, 1) - 0.5) < 1e-15);
    assert_true(fabs(tl_mech_code_adopt_prob(0.5, 3) - 0.875) < 1e-15);
    assert_true(fabs(tl_mech_code_adopt_prob(0.1, 2) - 0.19) < 1e-15);
    tl_params p = P();
    p.openness = 1;
    tl_regime open = R(&p);
    p.openness = 0;
    tl_regime closed = R(&p);
    assert_true(open.p1 < closed.p1); /* openness slows socialisation */
    p.openness_damping = 0;
    p.knowledge_code_weight = 0;
    tl_regime plain = R(&p);
    assert_true(plain.p1 == p.socialisation_rate && plain.p2 == p.code_learning_rate);
}

static void test_lab__pure_types_choose_as_stated_and_bad_input_is_refused(void **state)
{
    tl_params p = P();
    gsl_rng *g = NULL;
    tl_lab_result res;
    (void)state;
    assert_int_equal(tl_rng_new(&g, 1, 0, 0, TL_STREAM_INIT, NULL), TL_OK);
    p.self_interested_share = 1; /* all selfish: 0 trusted, the floor controlled */
    assert_int_equal(tl_lab_falk_kosfeld(&p, 50, 10, 0.4, g, &res), 0);
    assert_true(res.mean_trusted == 0 && res.mean_controlled == 10 && res.share_raise == 1);
    p.self_interested_share = 0; /* all reciprocal: control lowers, never below the floor */
    p.motivation_spread = 0;
    p.control_indifferent_share = 0; /* ... for all alike */
    assert_int_equal(tl_lab_falk_kosfeld(&p, 50, 10, 0.4, g, &res), 0);
    assert_true(res.mean_trusted == round(120 * 0.4 * p.motivation_baseline));
    assert_true(res.mean_controlled < res.mean_trusted && res.mean_controlled >= 10);
    assert_true(res.share_lower == 1 && res.share_same == 0);
    p.control_indifferent_share = 0.5; /* half indifferent: they keep their effort */
    assert_int_equal(tl_lab_falk_kosfeld(&p, 2000, 10, 0.4, g, &res), 0);
    assert_true(res.share_same > 0.45 && res.share_same < 0.55);
    assert_true(fabs(res.share_lower + res.share_same - 1) < 1e-12);
    p.crowding_out = 0; /* no crowding: nobody changes */
    assert_int_equal(tl_lab_falk_kosfeld(&p, 50, 10, 0.4, g, &res), 0);
    assert_true(res.share_same == 1 && res.mean_controlled == res.mean_trusted);
    assert_int_equal(tl_lab_falk_kosfeld(&p, 0, 10, 0.4, g, &res), -1);
    assert_int_equal(tl_lab_falk_kosfeld(&p, 10, 130, 0.4, g, &res), -1);
    assert_int_equal(tl_lab_falk_kosfeld(&p, 10, 10, -1, g, &res), -1);
    gsl_rng_free(g);
}

static void test_mechanisms__opacity_hides_complex_cases_from_measurement_only(void **state)
{
    tl_params p = P();
    (void)state;
    p.targeted_grants = 0;
    p.trust_from_above = 1;
    p.control_mode = 0; /* measurement */
    /* off by default: the chance is the same at every complexity */
    tl_regime r0 = R(&p);
    assert_true(r0.detect_error_slope == 0 && r0.detect_shirk_slope == 0);
    assert_true(tl_mech_detect_at(r0.detect_error, r0.detect_error_slope, 0.9) == r0.detect_error);
    p.opacity = 0.8;
    tl_regime m = R(&p);
    double simple = tl_mech_detect_at(m.detect_error, m.detect_error_slope, 0.1);
    double ref = tl_mech_detect_at(m.detect_error, m.detect_error_slope, TL_C_TASK_REF);
    double complex_ = tl_mech_detect_at(m.detect_error, m.detect_error_slope, 0.9);
    assert_true(simple > ref && ref > complex_);
    assert_true(fabs(ref - m.detect_error) <= 1e-15); /* calibrated at the reference */
    assert_true(tl_mech_detect_at(m.detect_shirk, m.detect_shirk_slope, 0.9) < m.detect_shirk);
    /* dialogue does not depend on it */
    p.control_mode = 1;
    tl_regime d = R(&p);
    assert_true(d.detect_error_slope == 0 && d.detect_shirk_slope == 0);
    /* bounded */
    p.control_mode = 0;
    p.opacity = 1;
    p.detect_measurement = 1;
    tl_regime b = R(&p);
    assert_true(in01(tl_mech_detect_at(b.detect_error, b.detect_error_slope, 0)));
    assert_true(in01(tl_mech_detect_at(b.detect_error, b.detect_error_slope, 1)));
}

/* Control aversion: the indifferent share does not respond, the others
 * respond 1 / (1 - share) times, so the mean over a uniform u is 1 (the
 * average crowding stays as calibrated); share 0 gives 1 for everyone. */
static void test_mechanisms__control_aversion_keeps_the_mean_response(void **state)
{
    (void)state;
    assert_true(tl_mech_control_aversion(0, 0.0) == 1.0);
    assert_true(tl_mech_control_aversion(0, 0.999) == 1.0);
    assert_true(tl_mech_control_aversion(0.24, 0.1) == 0.0);
    assert_true(fabs(tl_mech_control_aversion(0.24, 0.5) - 1 / 0.76) < 1e-12);
    for (int k = 0; k <= 9; k++) {
        double share = 0.1 * k, sum = 0;
        int n = 100000;
        for (int j = 0; j < n; j++)
            sum += tl_mech_control_aversion(share, (j + 0.5) / n);
        assert_true(fabs(sum / n - 1.0) < 1e-9);
    }
}

static void test_mechanisms__crowding_out_follows_the_task_when_asked(void **state)
{
    tl_params p = P();
    (void)state;
    assert_true(R(&p).crowding == p.crowding_out); /* off by default */
    p.crowding_task = 1;
    p.complexity_mean = TL_C_TASK_REF;
    assert_true(fabs(R(&p).crowding - p.crowding_out) <= 1e-15);
    p.complexity_mean = 0.1;
    double routine = R(&p).crowding;
    p.complexity_mean = 0.7;
    double complex_ = R(&p).crowding;
    assert_true(routine < p.crowding_out && complex_ > p.crowding_out);
    /* and it reaches the motivation target */
    p.complexity_mean = 0.1;
    tl_regime rr = R(&p);
    p.complexity_mean = 0.7;
    tl_regime rc = R(&p);
    assert_true(tl_mech_motivation_target(&p, &rr, 0.7, 0.6, 0.5, 0.5, 0.2) >
                tl_mech_motivation_target(&p, &rc, 0.7, 0.6, 0.5, 0.5, 0.2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mechanisms__chain_pressure_cascades_into_control_and_mandate),
        cmocka_unit_test(test_mechanisms__opacity_hides_complex_cases_from_measurement_only),
        cmocka_unit_test(test_mechanisms__crowding_out_follows_the_task_when_asked),
        cmocka_unit_test(test_mechanisms__control_aversion_keeps_the_mean_response),
        cmocka_unit_test(test_mechanisms__documentation_grows_with_control_and_measurement),
        cmocka_unit_test(test_mechanisms__dialogue_costs_manager_time_and_sees_more),
        cmocka_unit_test(test_mechanisms__gaming_follows_what_rides_on_indicators_and_type),
        cmocka_unit_test(test_mechanisms__discretion_amplifies_skill_differences_unless_framed),
        cmocka_unit_test(test_mechanisms__case_hours_vary_with_mean_one),
        cmocka_unit_test(test_mechanisms__rationing_cuts_time_in_proportion_to_the_queue_and_fully_in_overtime),
        cmocka_unit_test(test_mechanisms__error_severity_has_the_case_mean),
        cmocka_unit_test(test_mechanisms__perceived_risk_learns_from_what_is_seen_with_a_lag),
        cmocka_unit_test(test_mechanisms__manager_trust_is_a_belief_that_forgets_toward_the_prior),
        cmocka_unit_test(test_mechanisms__complacency_thins_audits_when_trust_is_high),
        cmocka_unit_test(test_mechanisms__tailoring_beats_the_book_for_complex_needs_only_when_skilled),
        cmocka_unit_test(test_mechanisms__rule_frame_bounds_the_voice_gap),
        cmocka_unit_test(test_mechanisms__quality_rises_with_effort_and_falls_with_gaming),
        cmocka_unit_test(test_mechanisms__errors_rise_with_complexity_and_fall_with_skill_and_effort),
        cmocka_unit_test(test_mechanisms__reporting_rises_with_safety_and_openness),
        cmocka_unit_test(test_mechanisms__selective_control_targets_low_trust_at_the_same_mean),
        cmocka_unit_test(test_mechanisms__control_from_above_is_targeted_as_cascade_selectivity_says),
        cmocka_unit_test(test_mechanisms__self_interested_effort_follows_detection_reciprocal_follows_motivation),
        cmocka_unit_test(test_mechanisms__control_crowds_out_motivation_autonomy_crowds_in),
        cmocka_unit_test(test_mechanisms__strain_follows_demand_control_and_support),
        cmocka_unit_test(test_mechanisms__trust_is_lost_faster_than_built),
        cmocka_unit_test(test_mechanisms__code_adoption_follows_march),
        cmocka_unit_test(test_lab__pure_types_choose_as_stated_and_bad_input_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
