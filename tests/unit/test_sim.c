/* test_sim.c — the simulation as a whole: invariants over random parameter draws, conservation, determinism, life cycle. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "tl_test.h"
#include "tillit/presets.h"
#include "tillit/rng.h"
#include "tillit/sim.h"

static tl_params small(void)
{
    tl_params p;
    tl_params_default(&p);
    p.units = 4;
    p.employees = 30;
    p.citizens = 1500;
    p.steps = 80;
    return p;
}

/* A random parameter set: every non-structural parameter uniform in its
 * range; sizes small. */
static void draw_params(gsl_rng *r, tl_params *p)
{
    tl_params_default(p);
    for (int i = 0; i < TL_NPARAMS; i++) {
        const tl_param_info *info = tl_param_info_at(i);
        if (info->flags & TL_PF_STRUCT)
            continue;
        double lo = info->min, hi = info->max;
        /* keep extreme magnitudes sensible for a short test run */
        if (strcmp(info->unit, "h") == 0 && hi > 20)
            hi = 20;
        if (strcmp(info->unit, "SEK") == 0 || strcmp(info->unit, "SEK/h") == 0)
            hi = lo + (hi - lo) * 1e-3;
        if (strcmp(info->name, "need_rate") == 0)
            hi = 0.5;
        double v = lo + (hi - lo) * gsl_rng_uniform(r);
        if (info->type == TL_PTYPE_INT)
            v = floor(v);
        tl_params_set_raw(p, i, v);
    }
    p->units = 1 + (double)gsl_rng_uniform_int(r, 5);
    p->employees = p->units + (double)gsl_rng_uniform_int(r, 40);
    p->citizens = p->units + (double)gsl_rng_uniform_int(r, 3000);
    p->steps = 40;
    p->knowledge_dims = 1 + (double)gsl_rng_uniform_int(r, 40);
    p->self_interested_share = gsl_rng_uniform(r);
    p->weak_voice_share = gsl_rng_uniform(r);
    p->unit_heterogeneity = gsl_rng_uniform(r);
    p->queue_weeks = 1 + 30 * gsl_rng_uniform(r);
    p->fast_learner_share = gsl_rng_uniform(r);
}

static int is_share(const char *agg)
{
    return strcmp(agg, "share") == 0 || strcmp(agg, "staff") == 0 || strcmp(agg, "group") == 0;
}

static void test_sim__invariants_hold_over_random_parameter_draws(void **state)
{
    gsl_rng *r;
    const int draws = 400;
    (void)state;
    tl_rng_new(&r, 2024, 0, 0, TL_STREAM_INIT, NULL);
    for (int d = 0; d < draws; d++) {
        tl_params p;
        tl_sim *s = NULL;
        tl_error err = TL_ERROR_INIT;
        tl_run_key key = {(uint64_t)d, 0, 0};
        double backlog = 0;
        draw_params(r, &p);
        if (tl_sim_new(&s, &p, NULL, key, &err) != TL_OK) {
            fprintf(stderr, "draw %d: %s\n", d, err.msg);
            fail();
        }
        size_t ne = (size_t)p.employees, nc = (size_t)p.citizens;
        float *buf = malloc(sizeof(float) * (ne > nc ? ne : nc));
        for (int t = 1; t <= (int)p.steps; t++) {
            if (tl_sim_step(s, &err) != TL_OK) {
                fprintf(stderr, "draw %d step %d: %s\n", d, t, err.msg);
                fail();
            }
            const tl_metrics *m = tl_sim_metrics(s);
            for (int i = 0; i < TL_NMETRICS; i++) {
                const tl_metric_info *mi = tl_metric_info_at(i);
                double v = tl_metrics_get(m, i);
                assert_false(isinf(v));
                if (isnan(v))
                    continue;
                if (is_share(mi->agg) && strcmp(mi->unit, "1") == 0 && strstr(mi->name, "gap") == NULL) {
                    if (!(v >= -1e-9 && v <= 1 + 1e-9)) {
                        fprintf(stderr, "draw %d step %d: %s = %g outside [0,1]\n", d, t, mi->name, v);
                        fail();
                    }
                }
                if (strcmp(mi->agg, "count") == 0 && strcmp(mi->unit, "1") == 0)
                    assert_true(v >= 0 && v == floor(v));
            }
            /* every need is completed, turned away, abandoned or still waiting */
            double expect = backlog + m->cases_arrived - m->cases_completed - m->cases_turned_away -
                            m->cases_abandoned;
            assert_true(m->backlog == expect);
            backlog = m->backlog;
            assert_true(isnan(m->quality_true) || (m->quality_true >= 0 && m->quality_true <= 1 + 1e-12));
            assert_true(m->code_knowledge >= -1 && m->code_knowledge <= 1);
        }
        /* agents conserved and every state in range */
        for (int v = 0; v < TL_NAGENT_VARS; v++) {
            size_t n = tl_sim_agent_count(s, (tl_agent_var)v);
            const char *name = tl_agent_var_table()[v].name;
            assert_int_equal(n, strcmp(tl_agent_var_table()[v].agent, "employee") == 0 ? ne : nc);
            assert_int_equal(tl_sim_snapshot(s, (tl_agent_var)v, buf, n, &err), TL_OK);
            for (size_t i = 0; i < n; i++) {
                assert_true(isfinite(buf[i]));
                if (strcmp(name, "unit") == 0)
                    assert_true(buf[i] >= 0 && buf[i] < p.units);
                else if (strcmp(name, "tenure") != 0 && !(buf[i] >= 0 && buf[i] <= 1)) {
                    fprintf(stderr, "draw %d: %s[%zu] = %g\n", d, name, i, buf[i]);
                    fail();
                }
            }
        }
        free(buf);
        tl_sim_free(s);
    }
    gsl_rng_free(r);
}

static void test_sim__same_seed_gives_bit_identical_runs_other_seeds_differ(void **state)
{
    tl_params p = small();
    size_t n = (size_t)p.steps * TL_NMETRICS;
    double *a = malloc(sizeof(double) * n), *b = malloc(sizeof(double) * n),
           *c = malloc(sizeof(double) * n), *d = malloc(sizeof(double) * n);
    tl_run_key k1 = {11, 2, 3}, k2 = {12, 2, 3}, k3 = {11, 2, 4};
    (void)state;
    assert_int_equal(tl_run(&p, NULL, k1, a, NULL, 0, NULL, NULL), TL_OK);
    assert_int_equal(tl_run(&p, NULL, k1, b, NULL, 0, NULL, NULL), TL_OK);
    assert_int_equal(tl_run(&p, NULL, k2, c, NULL, 0, NULL, NULL), TL_OK);
    assert_int_equal(tl_run(&p, NULL, k3, d, NULL, 0, NULL, NULL), TL_OK);
    /* NaN == NaN bitwise: compare bytes */
    assert_memory_equal(a, b, sizeof(double) * n);
    assert_true(memcmp(a, c, sizeof(double) * n) != 0);
    assert_true(memcmp(a, d, sizeof(double) * n) != 0);
    free(a);
    free(b);
    free(c);
    free(d);
}

static void test_sim__two_simulations_interleaved_do_not_interfere(void **state)
{
    tl_params p = small();
    tl_sim *s1, *s2;
    tl_run_key k = {5, 0, 0};
    size_t n = (size_t)p.steps * TL_NMETRICS;
    double *alone = malloc(sizeof(double) * n), *mixed = malloc(sizeof(double) * n);
    (void)state;
    assert_int_equal(tl_run(&p, NULL, k, alone, NULL, 0, NULL, NULL), TL_OK);
    tl_params q = p;
    q.control_intensity = 0.9;
    assert_int_equal(tl_sim_new(&s1, &p, NULL, k, NULL), TL_OK);
    assert_int_equal(tl_sim_new(&s2, &q, NULL, k, NULL), TL_OK);
    for (int t = 0; t < (int)p.steps; t++) {
        assert_int_equal(tl_sim_step(s2, NULL), TL_OK);
        assert_int_equal(tl_sim_step(s1, NULL), TL_OK);
        tl_metrics_to_array(tl_sim_metrics(s1), mixed + (size_t)t * TL_NMETRICS);
    }
    assert_memory_equal(alone, mixed, sizeof(double) * n);
    tl_sim_free(s1);
    tl_sim_free(s2);
    free(alone);
    free(mixed);
}

/* Fast and slow learners (March 1991, figures 2-3): the groups partition the
 * staff (round(share x ne) fast, staff knowledge their weighted mean, a
 * group's metric NaN exactly when it is empty), and when both learn at the
 * same rate the split changes nothing else: the run is bit-identical to one
 * without fast learners. */
static void test_sim__fast_and_slow_learners_partition_the_staff(void **state)
{
    static const double shares[] = {0, 0.1, 0.5, 0.93, 1};
    tl_params p = small();
    tl_run_key k = {7, 0, 0};
    size_t n = (size_t)p.steps * TL_NMETRICS;
    double *base = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
    (void)state;
    p.socialisation_rate_fast = p.socialisation_rate;
    assert_int_equal(tl_run(&p, NULL, k, base, NULL, 0, NULL, NULL), TL_OK);
    for (int j = 0; j < 5; j++) {
        p.fast_learner_share = shares[j];
        assert_int_equal(tl_run(&p, NULL, k, out, NULL, 0, NULL, NULL), TL_OK);
        double nf = floor(shares[j] * p.employees + 0.5);
        for (int t = 0; t < (int)p.steps; t++) {
            const double *a = base + (size_t)t * TL_NMETRICS, *b = out + (size_t)t * TL_NMETRICS;
            for (int i = 0; i < TL_NMETRICS; i++)
                if (i != TL_METRIC_IDX_knowledge_fast && i != TL_METRIC_IDX_knowledge_slow)
                    assert_memory_equal(&a[i], &b[i], sizeof(double));
            double f = b[TL_METRIC_IDX_knowledge_fast], s = b[TL_METRIC_IDX_knowledge_slow];
            assert_true(isnan(f) == (nf == 0) && isnan(s) == (nf == p.employees));
            double mix = ((nf > 0 ? nf * f : 0) + (nf < p.employees ? (p.employees - nf) * s : 0)) /
                         p.employees;
            assert_true(fabs(mix - b[TL_METRIC_IDX_staff_knowledge]) < 1e-9);
        }
    }
    free(base);
    free(out);
}

static void test_sim__stepping_past_the_horizon_is_refused(void **state)
{
    tl_params p = small();
    tl_sim *s;
    tl_error err = TL_ERROR_INIT;
    tl_run_key k = {1, 0, 0};
    (void)state;
    p.steps = 3;
    assert_int_equal(tl_sim_new(&s, &p, NULL, k, &err), TL_OK);
    assert_int_equal(tl_sim_time(s), 0);
    assert_true(isnan(tl_sim_metrics(s)->quality_true));
    for (int t = 0; t < 3; t++)
        assert_int_equal(tl_sim_step(s, &err), TL_OK);
    assert_int_equal(tl_sim_time(s), 3);
    assert_int_equal(tl_sim_step(s, &err), TL_ERR_INVALID);
    tl_sim_free(s);
    tl_sim_free(NULL);
}

static void test_sim__invalid_parameters_are_refused_before_allocating(void **state)
{
    tl_params p = small();
    tl_sim *s = (tl_sim *)&p;
    tl_error err = TL_ERROR_INIT;
    tl_run_key k = {1, 0, 0};
    (void)state;
    p.units = 100;
    p.employees = 10;
    assert_int_equal(tl_sim_new(&s, &p, NULL, k, &err), TL_ERR_CONFLICT);
    assert_null(s);
    p = small();
    p.mandate = -1;
    assert_int_equal(tl_sim_new(&s, &p, NULL, k, &err), TL_ERR_RANGE);
}

static void test_sim__a_lever_set_mid_run_takes_effect_next_step(void **state)
{
    tl_params p = small();
    tl_sim *s;
    tl_error err = TL_ERROR_INIT;
    tl_run_key k = {1, 0, 0};
    (void)state;
    p.targeted_grants = 0;
    p.trust_from_above = 1;
    assert_int_equal(tl_sim_new(&s, &p, NULL, k, &err), TL_OK);
    assert_int_equal(tl_sim_step(s, &err), TL_OK);
    assert_true(tl_sim_metrics(s)->control_effective == p.control_intensity);
    assert_int_equal(tl_sim_set(s, "control_intensity", 0.6, &err), TL_OK);
    assert_int_equal(tl_sim_step(s, &err), TL_OK);
    assert_true(tl_sim_metrics(s)->control_effective == 0.6);
    assert_int_equal(tl_sim_set(s, "employees", 5, &err), TL_ERR_INVALID);
    assert_int_equal(tl_sim_set(s, "control_intensity", 3, &err), TL_ERR_RANGE);
    assert_int_equal(tl_sim_set(s, "contol_intensity", 0.3, &err), TL_ERR_UNKNOWN_KEY);
    tl_sim_free(s);
}

static void test_sim__a_schedule_moves_the_lever_in_the_run(void **state)
{
    tl_params p = small();
    tl_schedule sch = TL_SCHEDULE_INIT;
    size_t n = (size_t)p.steps * TL_NMETRICS;
    double *out = malloc(sizeof(double) * n);
    tl_run_key k = {1, 0, 0};
    (void)state;
    p.targeted_grants = 0;
    p.trust_from_above = 1;
    p.control_intensity = 0.5;
    assert_int_equal(tl_schedule_add(&sch, "control_intensity", 20, 10, 0.1, NULL), TL_OK);
    assert_int_equal(tl_run(&p, &sch, k, out, NULL, 0, NULL, NULL), TL_OK);
    double at19 = out[18 * TL_NMETRICS + TL_METRIC_IDX_control_effective];
    double at25 = out[24 * TL_NMETRICS + TL_METRIC_IDX_control_effective];
    double at29 = out[28 * TL_NMETRICS + TL_METRIC_IDX_control_effective];
    assert_true(at19 == 0.5);
    assert_true(at25 < 0.5 && at25 > 0.1);
    assert_true(at29 == 0.1);
    free(out);
}

static void test_sim__snapshots_capture_the_agents_at_the_steps_asked(void **state)
{
    tl_params p = small();
    size_t n = (size_t)p.steps * TL_NMETRICS, ss = tl_snapshot_size(&p);
    double *out = malloc(sizeof(double) * n);
    float *snap = malloc(sizeof(float) * ss * 2);
    int steps[2] = {0, 80};
    tl_run_key k = {1, 0, 0};
    (void)state;
    assert_int_equal(ss, (size_t)(13 * 30 + 3 * 1500));
    assert_int_equal(tl_run(&p, NULL, k, out, steps, 2, snap, NULL), TL_OK);
    /* tenure grows by 80 weeks for a stayer */
    const float *ten0 = snap + TL_AGENT_tenure * 30, *ten1 = snap + ss + TL_AGENT_tenure * 30;
    int grew = 0;
    for (int i = 0; i < 30; i++)
        grew += ten1[i] == ten0[i] + 80;
    assert_true(grew > 15);
    /* skill at the end matches the mean in the metrics */
    double sum = 0;
    for (int i = 0; i < 30; i++)
        sum += snap[ss + i];
    assert_true(fabs(sum / 30 - out[79 * TL_NMETRICS + TL_METRIC_IDX_skill_mean]) < 1e-5);
    /* and so does the share of self-interested staff */
    const float *si = snap + ss + TL_AGENT_self_interested * 30;
    double n_si = 0;
    for (int i = 0; i < 30; i++)
        n_si += si[i];
    assert_true(fabs(n_si / 30 - out[79 * TL_NMETRICS + TL_METRIC_IDX_self_interested_staff]) < 1e-12);
    free(out);
    free(snap);
}

/* funded_employees sets what the budget pays for and nothing else: equal to
 * the staff it changes nothing; half the staff leaves every metric but the
 * budget's deviation (and the composite that weighs it) alone, and the cost
 * over the smaller budget is the same cost. */
static void test_sim__funded_employees_moves_only_the_budget(void **state)
{
    tl_params p = small(), q, h;
    size_t n = (size_t)p.steps * TL_NMETRICS;
    double *a = malloc(sizeof(double) * n), *b = malloc(sizeof(double) * n),
           *c = malloc(sizeof(double) * n);
    tl_run_key k = {5, 0, 1};
    (void)state;
    q = p;
    q.funded_employees = p.employees;
    h = p;
    h.funded_employees = p.employees / 2;
    assert_int_equal(tl_run(&p, NULL, k, a, NULL, 0, NULL, NULL), TL_OK);
    assert_int_equal(tl_run(&q, NULL, k, b, NULL, 0, NULL, NULL), TL_OK);
    assert_int_equal(tl_run(&h, NULL, k, c, NULL, 0, NULL, NULL), TL_OK);
    assert_memory_equal(a, b, sizeof(double) * n);
    double wage_all = p.employees * p.hours_per_week * p.wage,
           wage_half = h.funded_employees * p.hours_per_week * p.wage,
           mgr = p.units * p.manager_hours * p.manager_wage;
    double b_all = (wage_all + mgr) * (1 + p.budget_margin),
           b_half = (wage_half + mgr) * (1 + p.budget_margin);
    for (int t = 0; t < (int)p.steps; t++) {
        const double *x = a + (size_t)t * TL_NMETRICS, *y = c + (size_t)t * TL_NMETRICS;
        for (int m = 0; m < TL_NMETRICS; m++)
            if (m != TL_METRIC_IDX_budget_deviation && m != TL_METRIC_IDX_outcome_index)
                assert_memory_equal(&x[m], &y[m], sizeof(double));
        double cost = (x[TL_METRIC_IDX_budget_deviation] + 1) * b_all;
        assert_true(fabs(y[TL_METRIC_IDX_budget_deviation] - (cost / b_half - 1)) < 1e-9);
        assert_true(y[TL_METRIC_IDX_budget_deviation] > x[TL_METRIC_IDX_budget_deviation]);
        assert_true(y[TL_METRIC_IDX_outcome_index] <= x[TL_METRIC_IDX_outcome_index]);
    }
    free(a);
    free(b);
    free(c);
}

/* Control aversion scales only crowding out, and the number of draws does
 * not depend on the indifferent share: without crowding out, any share gives
 * the same run bit for bit; with it, the share changes the run. */
static void test_sim__control_aversion_moves_nothing_but_crowding(void **state)
{
    tl_params p = small(), q;
    size_t n = (size_t)p.steps * TL_NMETRICS;
    double *a = malloc(sizeof(double) * n), *b = malloc(sizeof(double) * n);
    tl_run_key k = {11, 0, 2};
    (void)state;
    p.crowding_out = 0;
    p.control_indifferent_share = 0;
    q = p;
    q.control_indifferent_share = 0.6;
    assert_int_equal(tl_run(&p, NULL, k, a, NULL, 0, NULL, NULL), TL_OK);
    assert_int_equal(tl_run(&q, NULL, k, b, NULL, 0, NULL, NULL), TL_OK);
    assert_memory_equal(a, b, sizeof(double) * n);
    p.crowding_out = q.crowding_out = 0.5;
    p.control_intensity = q.control_intensity = 0.6;
    assert_int_equal(tl_run(&p, NULL, k, a, NULL, 0, NULL, NULL), TL_OK);
    assert_int_equal(tl_run(&q, NULL, k, b, NULL, 0, NULL, NULL), TL_OK);
    int differ = 0;
    for (size_t j = 0; j < n; j++)
        differ += memcmp(&a[j], &b[j], sizeof(double)) != 0;
    assert_true(differ > 0);
    free(a);
    free(b);
}

/* burnout_recognised: under control-based steering (staff burn out and are
 * audited often) audits stop counting burnt-out staff's low effort as
 * shirking, so fewer are removed; where nobody burns out it changes
 * nothing, bit for bit. Summed over 4 replicates of 3 years. */
static double removals_of(const tl_params *p, double *out)
{
    size_t n = (size_t)p->steps * TL_NMETRICS;
    double sum = 0;
    for (uint32_t r = 0; r < 4; r++) {
        tl_run_key k = {21, 0, r};
        assert_int_equal(tl_run(p, NULL, k, out + r * n, NULL, 0, NULL, NULL), TL_OK);
        for (int t = 0; t < (int)p->steps; t++)
            sum += out[r * n + (size_t)t * TL_NMETRICS + TL_METRIC_IDX_removals];
    }
    return sum;
}

static void test_sim__recognised_burnout_is_not_removed_as_shirking(void **state)
{
    tl_params p = tl_test_preset("control-based", "employees=40 units=2 citizens=2000 steps=156"), q;
    size_t n = (size_t)p.steps * TL_NMETRICS;
    double *a = malloc(sizeof(double) * n * 4), *b = malloc(sizeof(double) * n * 4);
    (void)state;
    q = p;
    q.burnout_recognised = 1;
    double r0 = removals_of(&p, a), r1 = removals_of(&q, b);
    assert_true(r0 > 0);
    assert_true(r1 < 0.8 * r0);
    p.burnout_threshold = q.burnout_threshold = 1; /* nobody burns out */
    p.strain_rate = q.strain_rate = 0;
    removals_of(&p, a);
    removals_of(&q, b);
    assert_memory_equal(a, b, sizeof(double) * n * 4);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim__invariants_hold_over_random_parameter_draws),
        cmocka_unit_test(test_sim__same_seed_gives_bit_identical_runs_other_seeds_differ),
        cmocka_unit_test(test_sim__two_simulations_interleaved_do_not_interfere),
        cmocka_unit_test(test_sim__fast_and_slow_learners_partition_the_staff),
        cmocka_unit_test(test_sim__stepping_past_the_horizon_is_refused),
        cmocka_unit_test(test_sim__invalid_parameters_are_refused_before_allocating),
        cmocka_unit_test(test_sim__a_lever_set_mid_run_takes_effect_next_step),
        cmocka_unit_test(test_sim__a_schedule_moves_the_lever_in_the_run),
        cmocka_unit_test(test_sim__snapshots_capture_the_agents_at_the_steps_asked),
        cmocka_unit_test(test_sim__funded_employees_moves_only_the_budget),
        cmocka_unit_test(test_sim__control_aversion_moves_nothing_but_crowding),
        cmocka_unit_test(test_sim__recognised_burnout_is_not_removed_as_shirking),
    };
    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
