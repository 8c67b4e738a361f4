/* test_params.c — the parameter and metric tables: lookup, defaults, checks, messages. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tl_test.h"
#include "tillit/metrics.h"
#include "tillit/params.h"
#include "tillit/presets.h"
#include "tillit/sim.h"

static void test_params__defaults_are_in_range_and_valid(void **state)
{
    tl_params p;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    tl_params_default(&p);
    for (int i = 0; i < TL_NPARAMS; i++) {
        const tl_param_info *r = tl_param_info_at(i);
        assert_true(r->def >= r->min && r->def <= r->max);
        assert_true(r->min <= r->max);
        if (r->type == TL_PTYPE_INT)
            assert_true(r->def == floor(r->def));
        assert_true(tl_params_get(&p, i) == r->def);
    }
    assert_int_equal(tl_params_validate(&p, &err), TL_OK);
}

static void test_params__every_row_is_documented(void **state)
{
    (void)state;
    for (int i = 0; i < TL_NPARAMS; i++) {
        const tl_param_info *r = tl_param_info_at(i);
        assert_true(strlen(r->desc) > 10);
        assert_true(strlen(r->source) > 5);
        assert_true(strlen(r->unit) > 0);
        if (r->flags & TL_PF_LEVER) {
            /* every lever names the passage of the source and its part */
            assert_true(strlen(r->principle) > 3);
            assert_true(strcmp(r->part, "governance") == 0 || strcmp(r->part, "culture") == 0 ||
                        strcmp(r->part, "work") == 0);
            assert_true(tl_param_schedulable(i));
        }
        assert_false((r->flags & TL_PF_STRUCT) && tl_param_schedulable(i));
    }
    for (int i = 0; i < TL_NMETRICS; i++) {
        const tl_metric_info *m = tl_metric_info_at(i);
        assert_true(strlen(m->desc) > 10);
        assert_true(strlen(m->unit) > 0);
    }
}

static void test_params__names_are_unique_across_tables(void **state)
{
    /* parameters and metrics share the root group of the output file (snapshot
     * variables live in their own group) */
    const char *names[TL_NPARAMS + TL_NMETRICS];
    int n = 0;
    (void)state;
    for (int i = 0; i < TL_NPARAMS; i++)
        names[n++] = tl_param_info_at(i)->name;
    for (int i = 0; i < TL_NMETRICS; i++)
        names[n++] = tl_metric_info_at(i)->name;
    for (int i = 0; i < n; i++) {
        assert_string_not_equal(names[i], "point");
        assert_string_not_equal(names[i], "replicate");
        assert_string_not_equal(names[i], "step");
        assert_string_not_equal(names[i], "point_label");
        assert_string_not_equal(names[i], "run_status");
        assert_string_not_equal(names[i], "run_error");
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[i], names[j]) == 0) {
                fprintf(stderr, "duplicate name %s\n", names[i]);
                fail();
            }
    }
}

static void test_params__lookup_by_name_and_index(void **state)
{
    tl_params p;
    (void)state;
    tl_params_default(&p);
    int i = tl_param_index("control_intensity");
    assert_true(i >= 0);
    assert_int_equal(i, TL_PARAM_IDX_control_intensity);
    assert_string_equal(tl_param_info_at(i)->name, "control_intensity");
    assert_true(tl_params_get(&p, i) == p.control_intensity);
    assert_int_equal(tl_param_index("no_such_thing"), -1);
    assert_null(tl_param_info_at(-1));
    assert_null(tl_param_info_at(TL_NPARAMS));
    assert_int_equal(tl_metric_index("quality_true"), TL_METRIC_IDX_quality_true);
}

static void test_params__unknown_name_suggests_the_closest(void **state)
{
    tl_params p;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    tl_params_default(&p);
    assert_int_equal(tl_params_set(&p, "control_intensty", 0.3, &err), TL_ERR_UNKNOWN_KEY);
    assert_non_null(strstr(err.msg, "did you mean 'control_intensity'"));
    assert_int_equal(tl_params_set(&p, "zzzzzzzz", 0.3, &err), TL_ERR_UNKNOWN_KEY);
    assert_null(strstr(err.msg, "did you mean"));
}

static void test_params__out_of_range_and_wrong_type_are_refused_with_the_range(void **state)
{
    tl_params p;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    tl_params_default(&p);
    assert_int_equal(tl_params_set(&p, "mandate", 1.5, &err), TL_ERR_RANGE);
    assert_non_null(strstr(err.msg, "mandate"));
    assert_non_null(strstr(err.msg, "1.5"));
    assert_non_null(strstr(err.msg, "[0, 1]"));
    assert_true(p.mandate == tl_param_info_at(TL_PARAM_IDX_mandate)->def); /* unchanged */
    assert_int_equal(tl_params_set(&p, "units", 2.5, &err), TL_ERR_TYPE);
    assert_non_null(strstr(err.msg, "whole number"));
    assert_int_equal(tl_params_set_str(&p, "mandate", "lots", &err), TL_ERR_TYPE);
    assert_non_null(strstr(err.msg, "not a number"));
    assert_int_equal(tl_params_set_str(&p, "mandate", "0.25", &err), TL_OK);
    assert_true(p.mandate == 0.25);
    assert_int_equal(tl_params_set(&p, "mandate", NAN, &err), TL_ERR_RANGE);
}

static void test_params__more_units_than_employees_is_a_conflict(void **state)
{
    tl_params p;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    tl_params_default(&p);
    p.units = 50;
    p.employees = 20;
    assert_int_equal(tl_params_validate(&p, &err), TL_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "units"));
}

static void test_presets__every_preset_applies_and_validates(void **state)
{
    tl_error err = TL_ERROR_INIT;
    (void)state;
    assert_true(tl_preset_count() >= 6);
    for (int i = 0; i < tl_preset_count(); i++) {
        tl_params p;
        assert_int_equal(tl_preset_apply(tl_preset_at(i)->name, &p, &err), TL_OK);
        assert_int_equal(tl_params_validate(&p, &err), TL_OK);
    }
    /* balanced is the table defaults */
    tl_params b, d;
    tl_params_default(&d);
    assert_int_equal(tl_preset_apply("balanced", &b, &err), TL_OK);
    assert_memory_equal(&b, &d, sizeof b);
    assert_int_equal(tl_preset_apply("trust_based", &b, &err), TL_ERR_UNKNOWN_KEY);
    assert_non_null(strstr(err.msg, "trust-based"));
}

static void test_presets__regime_presets_set_every_lever(void **state)
{
    static const char *const regimes[] = {"control-based", "trust-based",    "balanced",
                                          "naive-trust",   "zero-tolerance", "targeted-grants"};
    (void)state;
    for (size_t k = 0; k < sizeof regimes / sizeof regimes[0]; k++) {
        const char *s = tl_preset_find(regimes[k])->settings;
        for (int i = 0; i < TL_NPARAMS; i++) {
            const tl_param_info *r = tl_param_info_at(i);
            char key[80];
            if (!(r->flags & TL_PF_LEVER))
                continue;
            snprintf(key, sizeof key, "%s=", r->name);
            if (!strstr(s, key)) {
                fprintf(stderr, "preset %s does not set lever %s\n", regimes[k], r->name);
                fail();
            }
        }
    }
}

/* Contexts set the task environment and no lever; "context+regime" applies
 * both in order, over the table defaults. */
static void test_presets__contexts_set_no_lever_and_combine_with_a_regime(void **state)
{
    static const char *const contexts[] = {"benefits", "home-care", "child-protection"};
    tl_error err = TL_ERROR_INIT;
    tl_params ctx, both, reg;
    (void)state;
    for (size_t k = 0; k < sizeof contexts / sizeof contexts[0]; k++) {
        const char *s = tl_preset_find(contexts[k])->settings;
        for (int i = 0; i < TL_NPARAMS; i++) {
            const tl_param_info *r = tl_param_info_at(i);
            char key[80];
            snprintf(key, sizeof key, "%s=", r->name);
            if ((r->flags & TL_PF_LEVER) && strstr(s, key)) {
                fprintf(stderr, "context %s sets lever %s\n", contexts[k], r->name);
                fail();
            }
        }
        char name[64];
        snprintf(name, sizeof name, "%s+trust-based", contexts[k]);
        assert_int_equal(tl_preset_apply(contexts[k], &ctx, &err), TL_OK);
        assert_int_equal(tl_preset_apply("trust-based", &reg, &err), TL_OK);
        assert_int_equal(tl_preset_apply(name, &both, &err), TL_OK);
        for (int i = 0; i < TL_NPARAMS; i++) {
            double want = (tl_param_info_at(i)->flags & TL_PF_LEVER) ? tl_params_get(&reg, i)
                                                                       : tl_params_get(&ctx, i);
            assert_true(tl_params_get(&both, i) == want);
        }
    }
    assert_int_equal(tl_preset_apply("home-care+", &reg, &err), TL_ERR_UNKNOWN_KEY);
    assert_int_equal(tl_preset_apply("+balanced", &reg, &err), TL_ERR_UNKNOWN_KEY);
    assert_int_equal(tl_preset_apply("home-care+balancd", &reg, &err), TL_ERR_UNKNOWN_KEY);
    assert_non_null(strstr(err.msg, "balanced"));
}

/* The label tables (metric_labels.h, param_labels.h) have one row per name
 * (the compiler checks that); here: no row is left empty, a share shown in
 * per cent is a metric of unit 1, and better is -1, 0 or +1. */
static void test_labels__every_metric_and_parameter_has_both_labels(void **state)
{
    static const char *const shown[] = {
        "score",       "diff",        "sd",       "share_needs", "share_staff", "share_staff_week",
        "share_hours", "share_mgr",   "share_dims", "cases_week", "cases",      "errors_week",
        "events_week", "staff_week",  "audits_week", "per_case",  "weeks",      "sek_week",
        "sek_case",    "budget",      "ratio",    "index",       "knowledge",   "hazards"};
    (void)state;
    for (int i = 0; i < TL_NMETRICS; i++) {
        const tl_metric_label *l = tl_metric_label_at(i);
        int known = 0;
        assert_non_null(l);
        assert_true(*l->en && *l->sv && *l->desc_sv);
        for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++)
            known |= strcmp(l->shown, shown[k]) == 0;
        assert_true(known);
        assert_true(l->better >= -1 && l->better <= 1);
        if (l->pct)
            assert_string_equal(tl_metric_info_at(i)->unit, "1");
    }
    assert_null(tl_metric_label_at(TL_NMETRICS));
    for (int i = 0; i < TL_NPARAMS; i++) {
        const tl_param_label *l = tl_param_label_at(i);
        assert_non_null(l);
        assert_true(*l->en && *l->sv && *l->desc_sv);
    }
    assert_null(tl_param_label_at(-1));
}

/* The criteria are metrics with a direction that counts as better, each once, in
 * positions 1..n; the composite is not one of them. */
static void test_labels__criteria_are_distinct_metrics_with_a_direction(void **state)
{
    int n = 0, seen = 0;
    const int *c = tl_criteria(&n);
    (void)state;
    assert_true(n >= 4);
    for (int k = 0; k < n; k++) {
        assert_in_range(c[k], 0, TL_NMETRICS - 1);
        assert_int_equal(tl_metric_criterion(c[k]), k + 1);
        assert_int_not_equal(tl_metric_label_at(c[k])->better, 0);
    }
    for (int i = 0; i < TL_NMETRICS; i++)
        seen += tl_metric_criterion(i) > 0;
    assert_int_equal(seen, n);
    assert_int_equal(tl_metric_criterion(tl_metric_index("outcome_index")), 0);
    assert_int_equal(tl_metric_criterion(tl_metric_index("equal_gap")) > 0, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params__defaults_are_in_range_and_valid),
        cmocka_unit_test(test_params__every_row_is_documented),
        cmocka_unit_test(test_labels__every_metric_and_parameter_has_both_labels),
        cmocka_unit_test(test_labels__criteria_are_distinct_metrics_with_a_direction),
        cmocka_unit_test(test_params__names_are_unique_across_tables),
        cmocka_unit_test(test_params__lookup_by_name_and_index),
        cmocka_unit_test(test_params__unknown_name_suggests_the_closest),
        cmocka_unit_test(test_params__out_of_range_and_wrong_type_are_refused_with_the_range),
        cmocka_unit_test(test_params__more_units_than_employees_is_a_conflict),
        cmocka_unit_test(test_presets__every_preset_applies_and_validates),
        cmocka_unit_test(test_presets__regime_presets_set_every_lever),
        cmocka_unit_test(test_presets__contexts_set_no_lever_and_combine_with_a_regime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
