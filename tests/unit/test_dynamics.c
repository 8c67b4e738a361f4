/* test_dynamics.c — model v2's dynamics over replicates: the service system (Little's law, waits under load), deterrence that costs control, evidence-learned trust, stayers vs all, no regime winning every criterion.
 *
 * Seeds differ from those of test_patterns (and from the exploration runs
 * the defaults were set with); TL_TEST_SEED re-runs them with others. Each
 * test says whether what it checks is emergent (could have come out
 * otherwise under the model's equations) or holds by construction (docs/ODD.md,
 * "Patterns and validation"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_test.h"
#include "tillit/presets.h"
#include "tillit/sim.h"

#define REPS 20
#define M(name) TL_METRIC_IDX_##name

static uint64_t seed(void) { return tl_test_seed(90210u); }

static void last(const tl_params *p, int metric, double *out)
{
    tl_test_run_reps(p, NULL, seed(), 0, REPS, metric, (int)p->steps - 103, (int)p->steps, out);
}

/* a > b on metric over the last two years, paired by replicate */
static void gt(const tl_params *a, const tl_params *b, int metric, const char *what)
{
    tl_test_assert_config_greater(a, b, seed(), REPS, metric, what);
}

static void fill(double *x, double v)
{
    for (int r = 0; r < REPS; r++)
        x[r] = v;
}

/* Little's law L = lambda W on the queue: mean backlog at the end of a week
 * equals admitted arrivals per week times the mean weeks completed cases
 * waited (no abandonment here, so every admitted case is completed). An
 * accounting identity: it checks that queue, waits and counts agree. */
static void test_dynamics__littles_law_backlog_equals_admitted_arrivals_times_queue_wait(void **state)
{
    tl_params p = tl_test_preset("balanced", "need_rate=0.108 abandon_rate=0");
    double rel[REPS], tol[REPS];
    (void)state;
    for (int r = 0; r < REPS; r++) {
        tl_sim *s = NULL;
        tl_run_key key = {seed(), 0, (uint32_t)r};
        double L = 0, lam = 0, wsum = 0, done = 0;
        int n = 0;
        assert_int_equal(tl_sim_new(&s, &p, NULL, key, NULL), TL_OK);
        for (int t = 1; t <= (int)p.steps; t++) {
            assert_int_equal(tl_sim_step(s, NULL), TL_OK);
            const tl_metrics *m = tl_sim_metrics(s);
            if (t <= 104)
                continue; /* a steady state, not the start */
            L += m->backlog;
            lam += m->cases_arrived - m->cases_turned_away;
            if (m->cases_completed > 0) {
                wsum += m->wait_queue * m->cases_completed;
                done += m->cases_completed;
            }
            n++;
        }
        tl_sim_free(s);
        L /= n;
        lam /= n;
        assert_true(L > 1); /* a queue worth checking */
        rel[r] = fabs(L - lam * wsum / done) / L;
    }
    fill(tol, 0.03);
    tl_test_assert_greater(tol, rel, REPS, "|L - lambda W| / L below 3 %");
}

/* Waits grow smoothly with load; overload is absorbed by abandonment,
 * overtime and strain, not by an unbounded queue. Emergent: the equations
 * set no wait; it comes from weekly variation in arrivals, absences and case
 * times against capacity. */
static void test_dynamics__waits_grow_smoothly_with_load_and_overload_stays_bounded(void **state)
{
    static const double rates[] = {0.09, 0.1, 0.105, 0.11, 0.115, 0.12};
    enum { NL = sizeof rates / sizeof rates[0] };
    double w[NL][REPS], x[REPS], cap[REPS];
    (void)state;
    for (int l = 0; l < NL; l++) {
        tl_params p = tl_test_preset("balanced", NULL);
        p.need_rate = rates[l];
        last(&p, M(wait_queue), w[l]);
        if (l > 0) {
            char what[96];
            snprintf(what, sizeof what, "wait, need_rate %.3f > %.3f", rates[l], rates[l - 1]);
            tl_test_assert_greater(w[l], w[l - 1], REPS, what);
        }
    }
    /* 30 % more demand than the default: waits of weeks, not a queue that
     * grows without bound; needs are withdrawn instead */
    tl_params over = tl_test_preset("balanced", "need_rate=0.13");
    double arrivals = over.citizens * over.need_rate;
    last(&over, M(backlog), x);
    fill(cap, 3 * arrivals);
    tl_test_assert_greater(cap, x, REPS, "backlog under overload below three weeks of arrivals");
    last(&over, M(cases_abandoned), x);
    fill(cap, 0.01 * arrivals);
    tl_test_assert_greater(x, cap, REPS, "needs withdrawn under overload, above 1 % of arrivals");
    last(&over, M(utilisation), x);
    fill(cap, 1.05);
    tl_test_assert_greater(x, cap, REPS, "hours worked above contracted under overload (overtime)");
}

/* Deterrence is not free: with uniform audits and nothing from above, the
 * share of self-interested staff who comply rises with control, and a few
 * per cent of cases audited leaves many of them shirking. Emergent from
 * perceived risk (learnt from what is seen) against heterogeneous costs. */
static void test_dynamics__compliance_needs_control_and_grows_with_it(void **state)
{
    const char *uniform = "targeted_grants=0 trust_from_above=1 control_selectivity=0 "
                          "self_interested_share=0.5";
    tl_params lo = tl_test_preset("balanced", uniform), hi = lo;
    double b[REPS], bound[REPS];
    (void)state;
    lo.control_intensity = 0.05;
    hi.control_intensity = 0.3;
    gt(&hi, &lo, M(compliance_share), "compliance, control 0.3 > 0.05");
    last(&lo, M(compliance_share), b);
    fill(bound, 0.8);
    tl_test_assert_greater(bound, b, REPS, "compliance at 5 % uniform audits below 80 %");
    gt(&lo, &hi, M(shirking_share), "shirking, control 0.05 > 0.3");
}

/* Managers' trust is learnt from what audits show: with more self-interested
 * staff it ends lower (emergent: through shirking and errors found). With a
 * higher starting expectation it ends higher (partly by construction: the
 * belief forgets toward the prior; partly through complacency, which thins
 * the audits that would correct it). */
static void test_dynamics__manager_trust_follows_evidence_and_the_prior(void **state)
{
    tl_params few = tl_test_preset("balanced", "self_interested_share=0.05");
    tl_params many = tl_test_preset("balanced", "self_interested_share=0.6");
    tl_params low = tl_test_preset("balanced", "baseline_trust=0.3");
    tl_params high = tl_test_preset("balanced", "baseline_trust=0.9");
    (void)state;
    gt(&few, &many, M(manager_trust), "manager trust, 5 % self-interested > 60 %");
    gt(&high, &low, M(manager_trust), "manager trust, baseline 0.9 > 0.3");
    /* complacency: the trusting manager audits less */
    gt(&low, &high, M(audit_rate), "audits per case, baseline 0.3 > 0.9 (complacency)");
}

/* Metrics of stayers (two years' tenure or more) separate the staff's
 * composition from change in the people: under heavy turnover, recruits pull
 * the all-staff skill down. By construction (recruits start at
 * skill_newcomer, below the staff's mean): a check that the metric separates
 * the groups, not a finding. Groups that are empty give NaN, not 0. */
static void test_dynamics__stayers_metrics_separate_composition_from_change(void **state)
{
    tl_params p = tl_test_preset("balanced", "quit_base=0.02");
    double st[REPS], all[REPS];
    (void)state;
    last(&p, M(skill_stayers), st);
    last(&p, M(skill_mean), all);
    tl_test_assert_greater(st, all, REPS, "skill, stayers > all staff under heavy turnover");

    tl_params none = tl_test_preset("balanced", "self_interested_share=0 steps=10");
    tl_params only = tl_test_preset("balanced", "self_interested_share=1 steps=10");
    tl_params young = tl_test_preset("balanced", "steps=10");
    double out[10 * TL_NMETRICS];
    tl_run_key key = {seed(), 0, 0};
    assert_int_equal(tl_run(&none, NULL, key, out, NULL, 0, NULL, NULL), TL_OK);
    for (int t = 0; t < 10; t++) {
        const double *m = out + (size_t)t * TL_NMETRICS;
        assert_true(isnan(m[M(effort_self_interested)]) && isnan(m[M(compliance_share)]) &&
                    isnan(m[M(perceived_risk)]));
        assert_false(isnan(m[M(effort_reciprocal)]));
    }
    assert_int_equal(tl_run(&only, NULL, key, out, NULL, 0, NULL, NULL), TL_OK);
    for (int t = 0; t < 10; t++) {
        const double *m = out + (size_t)t * TL_NMETRICS;
        assert_true(isnan(m[M(effort_reciprocal)]) && isnan(m[M(motivation_reciprocal)]));
        assert_false(isnan(m[M(effort_self_interested)]));
    }
    /* the initial staff's tenure is spread over ten years: most are stayers */
    assert_int_equal(tl_run(&young, NULL, key, out, NULL, 0, NULL, NULL), TL_OK);
    assert_true(out[M(stayers_share)] > 0.6 && out[M(stayers_share)] < 0.95);
}

/* No regime wins every criterion: trust-based (the principles without the
 * reservations) gives citizens more service value and staff less strain than
 * balanced, balanced gives fewer incidents and more equal treatment.
 * Emergent: each side of the comparison pays through a different mechanism
 * (documentation, crowding out and strain against deterrence, firmness and
 * the rule frame). */
static void test_dynamics__no_regime_wins_every_criterion(void **state)
{
    tl_params b = tl_test_preset("balanced", NULL), t = tl_test_preset("trust-based", NULL);
    (void)state;
    gt(&t, &b, M(service_value), "service value, trust-based > balanced");
    gt(&b, &t, M(strain_mean), "strain, balanced > trust-based");
    gt(&t, &b, M(incidents), "incidents, trust-based > balanced");
    gt(&t, &b, M(equal_gap), "equal-treatment gap, trust-based > balanced");
}

/* Control costs manager time that runs out: under control-based steering
 * audits are forgone and support falls short (emergent: the budget binds
 * only when audits, escalations and reporting add up to more than it). */
static void test_dynamics__control_based_steering_runs_out_of_manager_time(void **state)
{
    tl_params c = tl_test_preset("control-based", NULL), b = tl_test_preset("balanced", NULL);
    double x[REPS], y[REPS];
    (void)state;
    last(&c, M(audits_forgone), x);
    fill(y, 1);
    tl_test_assert_greater(x, y, REPS, "audits forgone under control-based > 1 a week");
    gt(&c, &b, M(support_shortfall), "support shortfall, control-based > balanced");
}

/* Rationing keeps an overloaded organisation from collapsing. Control-based
 * steering at equal staffing has more work than contracted time; with
 * quitting at a quarter of its default strength (quit_strain 0.005) fewer
 * strained staff leave, strain builds, burnt-out staff work slower, which
 * makes more overtime: without rationing more staff burn out and are
 * removed (and with burnout_recognised 1, most burn out). Staff
 * who cut direct time when work outruns time (rationing 0.6) keep strain
 * lower. Less time worked follows from the formula (by construction,
 * direction); that this breaks the loop (less burnout, turnover and removal)
 * is emergent. What citizens get is not asserted: here rationing costs a
 * little service value; where nothing else relieves the overload, the
 * collapse it prevents costs far more (docs/ODD.md, section 13). */
static void test_dynamics__rationing_keeps_an_overloaded_organisation_from_burning_out(void **state)
{
    tl_params off = tl_test_preset("control-based", "quit_strain=0.005");
    tl_params on = tl_test_preset("control-based", "quit_strain=0.005 rationing=0.6");
    (void)state;
    gt(&on, &off, M(rationed), "rationed time, rationing > none");
    gt(&off, &on, M(utilisation), "utilisation, no rationing > rationing");
    gt(&off, &on, M(burnout_share), "burnout, no rationing > rationing");
    gt(&off, &on, M(turnover), "turnover, no rationing > rationing");
    gt(&off, &on, M(removals), "removals, no rationing > rationing");
}

/* Skill differs between people and persists (aptitude), so "mandate pays
 * when skill is high" can be tested: with able staff, mandate raises the
 * quality of complex needs; with weak staff it lowers it. The threshold is
 * by construction (tailoring beats the book when effective skill exceeds
 * 0.4, less the discretion risk); where skill settles is emergent (practice,
 * learning, errors, turnover toward each employee's aptitude). */
static void test_dynamics__mandate_pays_for_complex_needs_only_when_skill_is_high(void **state)
{
    tl_params hi = tl_test_preset("balanced", "aptitude_mean=0.9 skill_initial=0.85 skill_newcomer=0.7");
    tl_params lo = tl_test_preset("balanced", "aptitude_mean=0.35 skill_initial=0.35 skill_newcomer=0.2");
    tl_params hi0 = hi, lo0 = lo;
    (void)state;
    hi.mandate = lo.mandate = 0.95;
    hi0.mandate = lo0.mandate = 0.05;
    gt(&hi, &hi0, M(quality_complex), "complex-need quality with able staff, mandate > none");
    gt(&lo0, &lo, M(quality_complex), "complex-need quality with weak staff, no mandate > mandate");
}

/* The optional correction by review (audit_correction, off by default): an
 * error an audit finds is corrected, so citizens' true quality rises where
 * audits are many. By construction (a wiring check of the option, not a
 * finding); docs/contexts.md reports what it does to the best mix. */
static void test_dynamics__review_corrects_the_errors_it_finds_when_asked(void **state)
{
    tl_params off = tl_test_preset("control-based", NULL);
    tl_params on = tl_test_preset("control-based", "audit_correction=1");
    (void)state;
    gt(&on, &off, M(quality_true), "true quality, review corrects > it does not");
}

/* The best amount of own control depends on the task (docs/contexts.md,
 * "Does the best amount of control move?"): with half the staff
 * self-interested and no control from the steering chain, raising audits
 * from 5 % to 20 % of cases pays in child protection (long, grave cases: an
 * employee has few cases, so few audits to learn the risk from, and 5 %
 * leaves much shirking) and costs in benefits work (short cases: 5 % already
 * deters, and more control costs time and strain). Emergent: the sign of
 * each difference comes from perceived risk learnt from audits, case
 * volume, severity and the costs of control; it could have come out the
 * same in both contexts. Measured with seed 4242 (10 replicates) before
 * this test was written; checked here on another seed. */
static void test_dynamics__more_control_pays_in_child_protection_not_in_benefits_work(void **state)
{
    const char *chain = "self_interested_share=0.5 targeted_grants=0 trust_from_above=1";
    char lo[128], hi[128];
    snprintf(lo, sizeof lo, "%s control_intensity=0.05", chain);
    snprintf(hi, sizeof hi, "%s control_intensity=0.2", chain);
    tl_params cp_lo = tl_test_preset("child-protection+balanced", lo);
    tl_params cp_hi = tl_test_preset("child-protection+balanced", hi);
    tl_params bf_lo = tl_test_preset("benefits+balanced", lo);
    tl_params bf_hi = tl_test_preset("benefits+balanced", hi);
    (void)state;
    gt(&cp_hi, &cp_lo, M(outcome_index), "child protection: composite at 20 % audits > at 5 %");
    gt(&bf_lo, &bf_hi, M(outcome_index), "benefits: composite at 5 % audits > at 20 %");
    gt(&cp_lo, &bf_lo, M(shirking_share), "at 5 % audits more shirking in child protection than in benefits");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dynamics__littles_law_backlog_equals_admitted_arrivals_times_queue_wait),
        cmocka_unit_test(test_dynamics__waits_grow_smoothly_with_load_and_overload_stays_bounded),
        cmocka_unit_test(test_dynamics__compliance_needs_control_and_grows_with_it),
        cmocka_unit_test(test_dynamics__manager_trust_follows_evidence_and_the_prior),
        cmocka_unit_test(test_dynamics__stayers_metrics_separate_composition_from_change),
        cmocka_unit_test(test_dynamics__no_regime_wins_every_criterion),
        cmocka_unit_test(test_dynamics__mandate_pays_for_complex_needs_only_when_skill_is_high),
        cmocka_unit_test(test_dynamics__control_based_steering_runs_out_of_manager_time),
        cmocka_unit_test(test_dynamics__rationing_keeps_an_overloaded_organisation_from_burning_out),
        cmocka_unit_test(test_dynamics__review_corrects_the_errors_it_finds_when_asked),
        cmocka_unit_test(test_dynamics__more_control_pays_in_child_protection_not_in_benefits_work),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
