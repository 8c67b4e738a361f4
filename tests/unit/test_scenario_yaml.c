/* test_scenario_yaml.c — scenario files: every design, precedence, errors at file:line:column, round trips, garbage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "tl_test.h"
#include "tillit/presets.h"
#include "tillit/scenario_yaml.h"

/* ---- helpers -------------------------------------------------------------- */

static tl_status parse(const char *text, tl_scenario *sc, tl_error *err)
{
    tl_scenario_init(sc);
    return tl_scenario_parse_yaml(text, strlen(text), "t.yaml", sc, err);
}

/* Parse text that must load; fails the test with the message otherwise. */
static void load_ok(const char *text, tl_scenario *sc)
{
    tl_error err = TL_ERROR_INIT;
    tl_status st = parse(text, sc, &err);
    if (st != TL_OK) {
        fprintf(stderr, "expected the text to load, got: %s\n---\n%s\n---\n", err.msg, text);
        fail();
    }
}

/* The text must fail with code; the message must start with where
 * ("t.yaml:3:5: ") and contain each of a and b (when not NULL); the
 * scenario must be left empty. */
static void expect_error_at(const char *text, tl_status code, const char *where, const char *a,
                            const char *b, const char *file, int line)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    tl_status st = parse(text, &sc, &err);
    int ok = st == code && strncmp(err.msg, where, strlen(where)) == 0 &&
             (!a || strstr(err.msg, a)) && (!b || strstr(err.msg, b));
    if (!ok) {
        fprintf(stderr,
                "%s:%d: expected status %s with a message starting '%s' naming '%s' and '%s'\n"
                "got status %s: %s\n",
                file, line, tl_status_str(code), where, a ? a : "", b ? b : "", tl_status_str(st),
                err.msg);
        _fail(file, line);
    }
    assert_int_equal(sc.npoints, 0);
    assert_null(sc.points);
    assert_null(sc.description);
    assert_null(sc.design_values);
}

#define expect_error(text, code, where, a, b)                                                      \
    expect_error_at(text, code, where, a, b, __FILE__, __LINE__)

static char *data_path(const char *name)
{
    const char *src = getenv("TL_SOURCE_DIR");
    char *p;
    size_t n;
    if (!src)
        src = ".";
    n = strlen(src) + strlen(name) + 32;
    p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/tests/data/scenarios/%s", src, name);
    return p;
}

static tl_status load_data(const char *name, tl_scenario *sc, tl_error *err)
{
    char *p = data_path(name);
    tl_status st;
    tl_scenario_init(sc);
    st = tl_scenario_load_yaml(p, sc, err);
    free(p);
    return st;
}

static double dv(const tl_scenario *sc, int point, int var)
{
    return sc->design_values[(size_t)point * (size_t)sc->ndesign + (size_t)var];
}

/* Every parameter bit for bit, the schedules and labels. */
static void assert_same_points(const tl_scenario *a, const tl_scenario *b)
{
    assert_int_equal(a->npoints, b->npoints);
    for (int k = 0; k < a->npoints; k++) {
        tl_point pb, qb; /* either may make its points on demand */
        const tl_point *p = tl_scenario_point(a, k, &pb), *q = tl_scenario_point(b, k, &qb);
        assert_string_equal(p->label, q->label);
        for (int i = 0; i < TL_NPARAMS; i++) {
            double x = tl_params_get(&p->params, i), y = tl_params_get(&q->params, i);
            if (memcmp(&x, &y, sizeof x) != 0) {
                fprintf(stderr, "point %d: %s differs: %.17g vs %.17g\n", k,
                        tl_param_info_at(i)->name, x, y);
                fail();
            }
        }
        assert_int_equal(p->sched.n, q->sched.n);
        for (int j = 0; j < p->sched.n; j++) {
            assert_int_equal(p->sched.c[j].param, q->sched.c[j].param);
            assert_memory_equal(&p->sched.c[j].at, &q->sched.c[j].at, sizeof(double));
            assert_memory_equal(&p->sched.c[j].ramp, &q->sched.c[j].ramp, sizeof(double));
            assert_memory_equal(&p->sched.c[j].value, &q->sched.c[j].value, sizeof(double));
        }
    }
}

/* ---- points made on demand ------------------------------------------------ */

/* A design's points made on demand (the threshold lowered by the test seam) are the
 * points held, bit for bit, for each kind of design; and so after the command line's
 * settings and scheduled changes applied at every point. */
static void test_scenario_yaml__points_made_on_demand_are_the_points_held(void **state)
{
    static const char *const files[] = {"grid.yaml", "csv.yaml", "sobol.yaml", "morris.yaml",
                                        "lhs.yaml", "teaching.yaml"};
    (void)state;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        tl_scenario held, made;
        tl_error err = TL_ERROR_INIT;
        const int ci = tl_param_index("control_intensity");
        unsetenv("TILLIT_TEST_POINTS_ON_DEMAND");
        assert_int_equal(load_data(files[f], &held, &err), TL_OK);
        setenv("TILLIT_TEST_POINTS_ON_DEMAND", "1", 1);
        assert_int_equal(load_data(files[f], &made, &err), TL_OK);
        unsetenv("TILLIT_TEST_POINTS_ON_DEMAND");
        assert_null(held.gen);
        if (made.ndesign > 0) { /* a sweep: made on demand */
            assert_non_null(made.gen);
            assert_null(made.points);
        }
        assert_same_points(&held, &made);
        { /* the same resolved text both ways; its length known without making it */
            char *th = tl_scenario_to_yaml(&held), *tm = tl_scenario_to_yaml(&made);
            assert_non_null(th);
            assert_non_null(tm);
            assert_string_equal(th, tm);
            assert_true(held.npoints <= 1000);
            assert_true(tl_scenario_yaml_bytes(&held) == (double)strlen(th));
            assert_true(tl_scenario_yaml_bytes(&made) == (double)strlen(th));
            free(th);
            free(tm);
        }
        assert_int_equal(tl_scenario_steps(&held), tl_scenario_steps(&made));
        assert_int_equal(held.nvaried, made.nvaried);
        assert_memory_equal(held.varied, made.varied, sizeof(int) * (size_t)held.nvaried);
        /* --set of a design variable wins over the design; --steps; a change everywhere */
        for (tl_scenario *sc = &held;; sc = &made) {
            assert_int_equal(tl_scenario_set_everywhere(sc, ci, 0.33, &err), TL_OK);
            assert_int_equal(tl_scenario_set_everywhere(sc, tl_param_index("steps"), 520, &err), TL_OK);
            assert_int_equal(tl_scenario_schedule_everywhere(sc, "support", 30, 4, 0.2, &err), TL_OK);
            if (tl_scenario_finalise(sc, &err) != TL_OK) {
                fprintf(stderr, "%s: %s\n", files[f], err.msg);
                fail();
            }
            if (sc == &made)
                break;
        }
        assert_same_points(&held, &made);
        {
            tl_point buf;
            assert_true(tl_scenario_point(&made, made.npoints - 1, &buf)->params.control_intensity == 0.33);
        }
        assert_int_equal(tl_scenario_steps(&made), 520);
        tl_scenario_clear(&held);
        tl_scenario_clear(&made);
    }
}

/* ---- valid files ---------------------------------------------------------- */

static void test_scenario_yaml__a_file_without_points_is_one_point_of_defaults(void **state)
{
    tl_scenario sc;
    tl_params def;
    (void)state;
    load_ok("name: plain\n", &sc);
    tl_params_default(&def);
    assert_int_equal(sc.npoints, 1);
    assert_string_equal(sc.design, "single");
    assert_string_equal(sc.points[0].label, "plain");
    assert_memory_equal(&sc.points[0].params, &def, sizeof def);
    assert_int_equal(sc.points[0].sched.n, 0);
    assert_int_equal(sc.replicates, 1);
    assert_int_equal(sc.ndesign, 0);
    assert_null(sc.design_values);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__name_defaults_to_the_file_name(void **state)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    assert_int_equal(load_data("minimal.yaml", &sc, &err), TL_OK);
    assert_string_equal(sc.name, "minimal");
    assert_int_equal(sc.replicates, 2);
    assert_null(sc.description);
    tl_scenario_clear(&sc);
    tl_scenario_init(&sc);
    assert_int_equal(tl_scenario_parse_yaml("run: {steps: 5}", 15, "dir.x/my.run.yaml", &sc, &err),
                     TL_OK);
    assert_string_equal(sc.name, "my");
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__run_sets_replicates_seed_steps_and_snapshots(void **state)
{
    tl_scenario sc;
    (void)state;
    load_ok("description: |\n  two\n  lines\n"
            "run:\n  steps: 300\n  replicates: 12\n  seed: 18446744073709551615\n"
            "  snapshots: [0, 150, 300]\n",
            &sc);
    assert_int_equal(sc.replicates, 12);
    assert_true(sc.seed == UINT64_MAX);
    assert_true(sc.points[0].params.steps == 300);
    assert_int_equal(sc.n_snap, 3);
    assert_int_equal(sc.snap_steps[1], 150);
    assert_string_equal(sc.description, "two\nlines\n");
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__common_random_numbers_is_a_file_setting_that_round_trips(void **state)
{
    tl_scenario sc, back;
    tl_error err = TL_ERROR_INIT;
    char *text;
    (void)state;
    load_ok("run: {steps: 20}\n", &sc);
    assert_int_equal(sc.crn, 0); /* the documented default */
    tl_scenario_clear(&sc);
    load_ok("run: {steps: 20, common_random_numbers: true}\n", &sc);
    assert_int_equal(sc.crn, 1);
    text = tl_scenario_to_yaml(&sc);
    assert_non_null(text);
    assert_int_equal(parse(text, &back, &err), TL_OK);
    assert_int_equal(back.crn, 1);
    free(text);
    tl_scenario_clear(&back);
    tl_scenario_clear(&sc);
    assert_int_equal(parse("run: {common_random_numbers: 3}\n", &sc, &err), TL_ERR_TYPE);
    assert_non_null(strstr(err.msg, "true or false"));
    tl_scenario_clear(&sc);
    assert_int_equal(parse("points:\n  - {run: {common_random_numbers: true}}\n", &sc, &err),
                     TL_ERR_UNKNOWN_KEY);
    assert_non_null(strstr(err.msg, "whole file"));
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__values_follow_the_precedence_order(void **state)
{
    /* defaults -> preset (the point's, else the file's) -> file groups ->
     * point groups -> sweep */
    const char *t = "preset: control-based\n"
                    "regime: {firmness: 0.7}\n"
                    "points:\n"
                    "  - label: file-preset\n"
                    "  - label: own-preset\n"
                    "    preset: trust-based\n"
                    "  - label: own-values\n"
                    "    preset: trust-based\n"
                    "    regime: {firmness: 0.3, mandate: 0.4}\n";
    tl_scenario sc;
    tl_params ctl, tru;
    (void)state;
    assert_int_equal(tl_preset_apply("control-based", &ctl, NULL), TL_OK);
    assert_int_equal(tl_preset_apply("trust-based", &tru, NULL), TL_OK);
    load_ok(t, &sc);
    assert_int_equal(sc.npoints, 3);
    assert_string_equal(sc.design, "list");
    assert_int_equal(sc.ndesign, 0);
    /* the file's preset, its group value over the preset */
    assert_true(sc.points[0].params.mandate == ctl.mandate);
    assert_true(sc.points[0].params.firmness == 0.7);
    assert_true(sc.points[0].params.error_rate == 0.06); /* table default */
    /* the point's preset replaces the file's; the file's groups still apply */
    assert_true(sc.points[1].params.mandate == tru.mandate);
    assert_true(sc.points[1].params.openness == tru.openness);
    assert_true(sc.points[1].params.firmness == 0.7);
    /* the point's own values last */
    assert_true(sc.points[2].params.firmness == 0.3);
    assert_true(sc.points[2].params.mandate == 0.4);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__the_sweep_wins_over_values_fixed_per_point(void **state)
{
    tl_scenario sc;
    (void)state;
    load_ok("regime: {mandate: 0.1}\n"
            "points:\n  - {label: a, regime: {mandate: 0.2}}\n  - {label: b}\n"
            "sweep: {design: grid, parameters: {mandate: [0.5, 0.6]}}\n",
            &sc);
    assert_int_equal(sc.npoints, 4);
    assert_true(sc.points[0].params.mandate == 0.5);
    assert_true(sc.points[1].params.mandate == 0.6);
    assert_true(sc.points[2].params.mandate == 0.5);
    assert_string_equal(sc.points[0].label, "a/p0");
    assert_string_equal(sc.points[3].label, "b/p1");
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__schedules_are_file_changes_then_the_points(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    (void)state;
    assert_int_equal(load_data("teaching.yaml", &sc, &err), TL_OK);
    assert_string_equal(sc.name, "teaching-comparison");
    assert_non_null(strstr(sc.description, "side by side"));
    assert_int_equal(sc.npoints, 3);
    assert_int_equal(sc.replicates, 5);
    assert_true(sc.seed == 42);
    assert_int_equal(sc.points[0].sched.n, 1);
    assert_int_equal(sc.points[1].sched.n, 1);
    assert_int_equal(sc.points[2].sched.n, 2);
    assert_int_equal(sc.points[2].sched.c[0].param, tl_param_index("control_intensity"));
    assert_true(sc.points[2].sched.c[0].at == 104 && sc.points[2].sched.c[0].ramp == 26);
    assert_true(sc.points[2].sched.c[0].value == 0.15);
    assert_int_equal(sc.points[2].sched.c[1].param, tl_param_index("mandate"));
    assert_true(sc.points[2].sched.c[1].at == 52 && sc.points[2].sched.c[1].ramp == 0);
    assert_true(sc.points[2].params.steps == 200);
    assert_true(sc.points[0].params.steps == 260);
    assert_true(sc.points[0].params.units == 10);
    assert_true(sc.points[0].params.firmness == 0.5);
    assert_true(sc.points[0].params.control_intensity == 0.3);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__points_without_labels_take_their_preset_or_index(void **state)
{
    tl_scenario sc;
    (void)state;
    load_ok("points:\n  - preset: trust-based\n  - regime: {mandate: 0.3}\n  - label: x\n", &sc);
    assert_string_equal(sc.points[0].label, "trust-based");
    assert_string_equal(sc.points[1].label, "p1");
    assert_string_equal(sc.points[2].label, "x");
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__grid_crosses_values_and_ranges(void **state)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    assert_int_equal(load_data("grid.yaml", &sc, &err), TL_OK);
    assert_string_equal(sc.design, "grid");
    assert_int_equal(sc.npoints, 15);
    assert_int_equal(sc.ndesign, 2);
    assert_string_equal(sc.design_names[0], "control_intensity");
    assert_string_equal(sc.design_names[1], "mandate");
    assert_null(sc.design_block);
    for (int k = 0; k < 15; k++) {
        char lab[16];
        snprintf(lab, sizeof lab, "p%d", k);
        assert_string_equal(sc.points[k].label, lab);
        assert_true(sc.points[k].params.control_intensity == (k / 5) * 0.25);
        assert_true(fabs(sc.points[k].params.mandate - (0.2 + 0.2 * (k % 5))) < 1e-15);
        assert_true(dv(&sc, k, 0) == sc.points[k].params.control_intensity);
        assert_true(dv(&sc, k, 1) == sc.points[k].params.mandate);
    }
    assert_true(sc.points[4].params.mandate == 1.0);
    assert_int_equal(sc.nvaried, 2);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__list_design_pairs_values_row_by_row(void **state)
{
    tl_scenario sc;
    (void)state;
    load_ok("sweep:\n  design: list\n  parameters:\n    mandate: [0.1, 0.2, 0.3]\n"
            "    units: [5, 10, 15]\n",
            &sc);
    assert_string_equal(sc.design, "list");
    assert_int_equal(sc.npoints, 3);
    assert_int_equal(sc.ndesign, 2);
    assert_true(sc.points[2].params.mandate == 0.3 && sc.points[2].params.units == 15);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__lhs_values_fall_one_per_stratum_and_ints_round(void **state)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    int seen[40] = {0};
    (void)state;
    assert_int_equal(load_data("lhs.yaml", &sc, &err), TL_OK);
    assert_string_equal(sc.design, "lhs");
    assert_int_equal(sc.npoints, 40);
    assert_int_equal(sc.ndesign, 3);
    for (int k = 0; k < 40; k++) {
        double u = sc.points[k].params.control_intensity / 0.6;
        seen[(int)floor(u * 40)]++;
        assert_true(sc.points[k].params.units == floor(sc.points[k].params.units));
        assert_true(sc.points[k].params.units >= 5 && sc.points[k].params.units <= 40);
        assert_true(dv(&sc, k, 2) == sc.points[k].params.units);
    }
    for (int s = 0; s < 40; s++)
        assert_int_equal(seen[s], 1);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__lhs_seed_defaults_to_the_run_seed(void **state)
{
    const char *a =
        "run: {seed: 5}\nsweep: {design: lhs, samples: 8, parameters: {mandate: {min: 0, max: 1}}}";
    const char *b = "run: {seed: 6}\nsweep: {design: lhs, samples: 8, seed: 5, parameters: "
                    "{mandate: {min: 0, max: 1}}}";
    tl_scenario x, y;
    (void)state;
    load_ok(a, &x);
    load_ok(b, &y);
    assert_memory_equal(x.design_values, y.design_values, sizeof(double) * 8);
    tl_scenario_clear(&x);
    tl_scenario_clear(&y);
}

static void test_scenario_yaml__sobol_saltelli_records_blocks_and_schedule_settings(void **state)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    const int n = 16, d = 3;
    (void)state;
    assert_int_equal(load_data("sobol.yaml", &sc, &err), TL_OK);
    assert_string_equal(sc.design, "sobol-saltelli");
    assert_int_equal(sc.design_base, n);
    assert_int_equal(sc.npoints, n * (d + 2));
    assert_string_equal(sc.design_names[2], "schedule_0_value");
    assert_non_null(sc.design_block);
    for (int k = 0; k < sc.npoints; k++) {
        int i = k / (d + 2), w = k % (d + 2);
        assert_int_equal(sc.design_row[k], i);
        assert_int_equal(sc.design_block[k], w == 0 ? 0 : w == d + 1 ? 1 : 2 + (w - 1));
        assert_true(sc.points[k].sched.c[0].value == dv(&sc, k, 2));
        assert_true(sc.points[k].params.baseline_trust == dv(&sc, k, 0));
    }
    /* AB_1 takes column 1 from B */
    assert_true(dv(&sc, 2, 1) == dv(&sc, d + 1, 1));
    assert_true(dv(&sc, 2, 0) == dv(&sc, 0, 0));
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__sobol_second_order_adds_the_ba_blocks(void **state)
{
    tl_scenario sc;
    const int n = 4, d = 2, per = 2 * d + 2;
    (void)state;
    load_ok("sweep: {design: sobol, second_order: true, samples: 4, parameters: "
            "{mandate: {min: 0, max: 1}, openness: {min: 0, max: 1}}}",
            &sc);
    assert_string_equal(sc.design, "sobol-saltelli");
    assert_int_equal(sc.design_base, n);
    assert_int_equal(sc.npoints, n * per);
    for (int k = 0; k < sc.npoints; k++) {
        int w = k % per;
        assert_int_equal(sc.design_row[k], k / per);
        assert_int_equal(sc.design_block[k], w == 0 ? 0 : w == per - 1 ? 1 : 1 + w);
    }
    /* BA_0 (row 3 of sample 0) takes column 0 from A, column 1 from B */
    assert_true(sc.points[3].params.mandate == sc.points[0].params.mandate);
    assert_true(sc.points[3].params.openness == sc.points[per - 1].params.openness);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__sobol_without_saltelli_is_plain_points(void **state)
{
    tl_scenario sc;
    (void)state;
    load_ok("sweep: {design: sobol, saltelli: false, samples: 10, parameters: "
            "{mandate: {min: 0, max: 1}, openness: {min: 0, max: 1}}}",
            &sc);
    assert_string_equal(sc.design, "sobol");
    assert_int_equal(sc.npoints, 10);
    assert_null(sc.design_block);
    assert_true(sc.points[0].params.mandate == 0.75 && sc.points[0].params.openness == 0.25);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__morris_trajectories_step_one_variable_at_a_time(void **state)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    const int r = 6, d = 3;
    (void)state;
    assert_int_equal(load_data("morris.yaml", &sc, &err), TL_OK);
    assert_string_equal(sc.design, "morris");
    assert_int_equal(sc.design_base, r);
    assert_int_equal(sc.npoints, r * (d + 1));
    for (int k = 0; k < sc.npoints; k++) {
        assert_int_equal(sc.design_block[k], k / (d + 1));
        assert_int_equal(sc.design_row[k], k % (d + 1));
        if (k % (d + 1) == 0)
            continue;
        int changed = 0;
        for (int j = 0; j < d; j++)
            changed += dv(&sc, k, j) != dv(&sc, k - 1, j);
        assert_int_equal(changed, 1);
    }
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__csv_design_takes_labels_and_schedule_columns(void **state)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    assert_int_equal(load_data("csv.yaml", &sc, &err), TL_OK);
    assert_string_equal(sc.design, "csv");
    assert_int_equal(sc.npoints, 3);
    assert_int_equal(sc.ndesign, 3);
    assert_string_equal(sc.design_names[2], "schedule_0_at");
    assert_string_equal(sc.points[1].label, "mid");
    assert_true(sc.points[1].params.control_intensity == 0.25);
    assert_true(sc.points[2].sched.c[0].at == 78);
    assert_true(sc.points[2].sched.c[0].value == 0.1);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__csv_round_trips_a_design_written_out(void **state)
{
    /* a design from one scenario, written as CSV with its recorded names,
     * read back by another gives the same points */
    const char *t = "schedule: [{param: mandate, at: 10, value: 0.5}]\n"
                    "sweep: {design: lhs, samples: 25, parameters: {openness: {min: 0, max: 1}, "
                    "units: {min: 1, max: 50}, schedule.0.value: {min: 0.1, max: 0.9}}}\n";
    tl_scenario a, b;
    tl_error err = TL_ERROR_INIT;
    char *csv = tl_test_path("round.csv"), *yml = tl_test_path("round.yaml");
    FILE *f;
    (void)state;
    load_ok(t, &a);
    f = fopen(csv, "w");
    assert_non_null(f);
    fprintf(f, "label");
    for (int j = 0; j < a.ndesign; j++)
        fprintf(f, ",%s", a.design_names[j]);
    fprintf(f, "\n");
    for (int k = 0; k < a.npoints; k++) {
        fprintf(f, "%s", a.points[k].label);
        for (int j = 0; j < a.ndesign; j++)
            fprintf(f, ",%.17g", dv(&a, k, j));
        fprintf(f, "\n");
    }
    fclose(f);
    f = fopen(yml, "w");
    assert_non_null(f);
    fprintf(f, "schedule: [{param: mandate, at: 10, value: 0.5}]\nsweep: {design: csv, file: %s}\n",
            strrchr(csv, '/') + 1);
    fclose(f);
    tl_scenario_init(&b);
    if (tl_scenario_load_yaml(yml, &b, &err) != TL_OK) {
        fprintf(stderr, "%s\n", err.msg);
        fail();
    }
    assert_same_points(&a, &b);
    assert_memory_equal(a.design_values, b.design_values, sizeof(double) * 25 * 3);
    remove(csv);
    remove(yml);
    free(csv);
    free(yml);
    tl_scenario_clear(&a);
    tl_scenario_clear(&b);
}

static void test_scenario_yaml__schedule_settings_can_be_design_variables(void **state)
{
    tl_scenario sc;
    (void)state;
    load_ok("run: {steps: 100}\n"
            "schedule:\n  - {param: mandate, at: 10, value: 0.5}\n"
            "  - {param: openness, at: 20, value: 0.5, ramp: 5}\n"
            "sweep: {design: grid, parameters: {schedule.1.at: [30, 40], schedule.1.ramp: [0, 10], "
            "schedule.0.value: [0.2]}}\n",
            &sc);
    assert_int_equal(sc.npoints, 4);
    assert_string_equal(sc.design_names[0], "schedule_1_at");
    assert_true(sc.points[3].sched.c[1].at == 40 && sc.points[3].sched.c[1].ramp == 10);
    assert_true(sc.points[3].sched.c[0].value == 0.2 && sc.points[3].sched.c[0].at == 10);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__null_values_count_as_empty(void **state)
{
    tl_scenario sc;
    (void)state;
    load_ok("regime:\nschedule: ~\nrun:\n  snapshots:\n", &sc);
    assert_int_equal(sc.npoints, 1);
    assert_int_equal(sc.n_snap, 0);
    tl_scenario_clear(&sc);
}

static void test_scenario_yaml__aliases_of_whole_values_work(void **state)
{
    tl_scenario sc;
    (void)state;
    load_ok("regime: &r {mandate: 0.3}\npoints:\n  - {label: a, regime: *r}\n  - {label: b}\n",
            &sc);
    assert_true(sc.points[0].params.mandate == 0.3);
    tl_scenario_clear(&sc);
}

/* ---- round trip ----------------------------------------------------------- */

static void round_trip(const tl_scenario *a)
{
    char *y = tl_scenario_to_yaml(a);
    tl_scenario b;
    tl_error err = TL_ERROR_INIT;
    assert_non_null(y);
    tl_scenario_init(&b);
    if (tl_scenario_parse_yaml(y, strlen(y), "resolved.yaml", &b, &err) != TL_OK) {
        fprintf(stderr, "%s\n---\n%s\n", err.msg, y);
        fail();
    }
    assert_string_equal(a->name, b.name);
    if (a->description)
        assert_string_equal(a->description, b.description);
    else
        assert_null(b.description);
    assert_int_equal(a->replicates, b.replicates);
    assert_true(a->seed == b.seed);
    assert_int_equal(a->n_snap, b.n_snap);
    assert_memory_equal(a->snap_steps, b.snap_steps, sizeof(int) * (size_t)a->n_snap);
    assert_same_points(a, &b);
    /* and the resolved text is a fixed point */
    char *y2 = tl_scenario_to_yaml(&b);
    assert_string_equal(y, y2);
    free(y);
    free(y2);
    tl_scenario_clear(&b);
}

static void test_scenario_yaml__resolved_yaml_loads_back_bit_for_bit(void **state)
{
    static const char *const files[] = {"teaching.yaml", "grid.yaml", "lhs.yaml",    "sobol.yaml",
                                        "morris.yaml",   "csv.yaml",  "minimal.yaml"};
    (void)state;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        tl_scenario sc;
        tl_error err = TL_ERROR_INIT;
        assert_int_equal(load_data(files[f], &sc, &err), TL_OK);
        round_trip(&sc);
        tl_scenario_clear(&sc);
    }
}

static void test_scenario_yaml__random_scenarios_round_trip_bit_for_bit(void **state)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    const char *const presets[] = {"balanced", "control-based", "trust-based", "naive-trust"};
    (void)state;
    gsl_rng_set(r, 2024);
    for (int trial = 0; trial < 40; trial++) {
        tl_scenario sc;
        int np = 1 + (int)gsl_rng_uniform_int(r, 5);
        tl_scenario_init(&sc);
        snprintf(sc.name, sizeof sc.name, "random \"%d\" \\ é", trial);
        if (trial % 2) {
            sc.description = malloc(64);
            snprintf(sc.description, 64, "line one\nline \"two\"\ttab %d", trial);
        }
        sc.replicates = 1 + (int)gsl_rng_uniform_int(r, 100);
        sc.seed = ((uint64_t)gsl_rng_get(r) << 32) ^ gsl_rng_get(r);
        sc.n_snap = 2;
        sc.snap_steps[0] = 0;
        sc.snap_steps[1] = 50;
        for (int k = 0; k < np; k++) {
            tl_point pt;
            memset(&pt, 0, sizeof pt);
            snprintf(pt.label, sizeof pt.label, "pt: %d #x", k);
            assert_int_equal(tl_preset_apply(presets[gsl_rng_uniform_int(r, 4)], &pt.params, NULL),
                             TL_OK);
            /* random values with every bit of the mantissa in use */
            for (int i = 0; i < TL_NPARAMS; i++) {
                const tl_param_info *ri = tl_param_info_at(i);
                if (ri->flags & TL_PF_STRUCT || ri->type == TL_PTYPE_INT)
                    continue;
                if (gsl_rng_uniform(r) < 0.5)
                    tl_params_set_raw(&pt.params, i,
                                      ri->min + (ri->max - ri->min) * gsl_rng_uniform(r));
            }
            pt.params.steps = 100 + (double)gsl_rng_uniform_int(r, 100);
            pt.params.strikes_to_remove = 1 + (double)gsl_rng_uniform_int(r, 10);
            for (int j = 0; j < (int)gsl_rng_uniform_int(r, 4); j++)
                assert_int_equal(tl_schedule_add(&pt.sched, "control_intensity",
                                                 1 + (double)gsl_rng_uniform_int(r, 50),
                                                 (double)gsl_rng_uniform_int(r, 20),
                                                 gsl_rng_uniform(r), NULL),
                                 TL_OK);
            assert_int_equal(tl_scenario_add_point(&sc, &pt, NULL), TL_OK);
        }
        assert_int_equal(tl_scenario_finalise(&sc, NULL), TL_OK);
        round_trip(&sc);
        tl_scenario_clear(&sc);
    }
    gsl_rng_free(r);
}

/* ---- bad input ------------------------------------------------------------ */

static void test_scenario_yaml__malformed_yaml_gives_libyamls_problem_and_place(void **state)
{
    (void)state;
    expect_error("regime:\n  mandate: 0.3\n openness: 0.5\n", TL_ERR_PARSE,
                 "t.yaml:3:2: ", "malformed YAML", "did not find expected key");
    expect_error("regime: {mandate: [0.1, 0.2}\n", TL_ERR_PARSE, "t.yaml:1:", "malformed YAML",
                 NULL);
    expect_error("a: \"unterminated\n", TL_ERR_PARSE, "t.yaml:", "malformed YAML", NULL);
    expect_error("name: x\n\x01\n", TL_ERR_PARSE, "t.yaml:2:1: ", "malformed YAML", "control");
    expect_error("", TL_ERR_PARSE, "t.yaml:1:1: ", "empty", NULL);
    expect_error("name: a\n---\nname: b\n", TL_ERR_PARSE, "t.yaml:2:1: ", "second YAML document",
                 NULL);
}

static void test_scenario_yaml__unknown_key_suggests_the_nearest(void **state)
{
    (void)state;
    expect_error("nmae: x\n", TL_ERR_UNKNOWN_KEY, "t.yaml:1:1: ", "'nmae'", "did you mean 'name'");
    expect_error("regime:\n  mandat: 0.5\n", TL_ERR_UNKNOWN_KEY, "t.yaml:2:3: ", "regime.mandat",
                 "did you mean 'mandate'");
    expect_error("run: {replicate: 3}\n", TL_ERR_UNKNOWN_KEY, "t.yaml:1:7: ", "run.replicate",
                 "did you mean 'replicates'");
    expect_error("sweep: {desing: grid}\n", TL_ERR_UNKNOWN_KEY, "t.yaml:1:9: ", "sweep.desing",
                 "did you mean 'design'");
    expect_error("points:\n  - {lable: a}\n", TL_ERR_UNKNOWN_KEY, "t.yaml:2:6: ", "points[0].lable",
                 "did you mean 'label'");
    expect_error("schedule:\n  - {param: mandate, at: 5, valeu: 0.3}\n", TL_ERR_UNKNOWN_KEY,
                 "t.yaml:2:29: ", "schedule[0].valeu", "did you mean 'value'");
    expect_error("bogus: 1\n", TL_ERR_UNKNOWN_KEY, "t.yaml:1:1: ", "'bogus'", "expected one of");
    expect_error("points: [{run: {seed: 3}}]\n", TL_ERR_UNKNOWN_KEY,
                 "t.yaml:1:17: ", "points[0].run.seed", "only steps may be set per point");
    expect_error("sweep: {design: grid, samples: 3, parameters: {mandate: [1]}}\n",
                 TL_ERR_UNKNOWN_KEY, "t.yaml:1:23: ", "sweep.samples", "not used by design 'grid'");
    expect_error("sweep: {design: sobl}\n", TL_ERR_UNKNOWN_KEY, "t.yaml:1:17: ", "'sobl'",
                 "did you mean 'sobol'");
    expect_error("sweep: {design: grid, parameters: {mandat: [0.5]}}\n", TL_ERR_UNKNOWN_KEY,
                 "t.yaml:1:36: ", "sweep.parameters.mandat", "did you mean 'mandate'");
    expect_error("schedule:\n  - {param: mandat, at: 5, value: 0.3}\n", TL_ERR_UNKNOWN_KEY,
                 "t.yaml:2:13: ", "'mandat'", "did you mean 'mandate'");
    expect_error("preset: balansed\n", TL_ERR_UNKNOWN_KEY, "t.yaml:1:9: ", "'balansed'",
                 "did you mean 'balanced'");
    expect_error("base: &b {mandate: 1}\nregime:\n  <<: *b\n", TL_ERR_UNKNOWN_KEY,
                 "t.yaml:1:1: ", "base", NULL);
    expect_error("regime:\n  <<: {mandate: 1}\n", TL_ERR_UNKNOWN_KEY, "t.yaml:2:3: ", "merge keys",
                 NULL);
}

static void test_scenario_yaml__a_parameter_in_the_wrong_group_says_where_it_belongs(void **state)
{
    (void)state;
    expect_error("regime:\n  units: 5\n", TL_ERR_UNKNOWN_KEY, "t.yaml:2:3: ", "regime.units",
                 "'units' belongs in 'organisation'");
    expect_error("mandate: 0.5\n", TL_ERR_UNKNOWN_KEY, "t.yaml:1:1: ", "mandate",
                 "belongs in 'regime'");
    expect_error("steps: 10\n", TL_ERR_UNKNOWN_KEY, "t.yaml:1:1: ", "steps", "belongs in 'run'");
    expect_error("points:\n  - economy: {mandate: 0.5}\n", TL_ERR_UNKNOWN_KEY,
                 "t.yaml:2:15: ", "points[0].economy.mandate", "belongs in 'regime'");
}

static void test_scenario_yaml__wrong_types_are_refused(void **state)
{
    (void)state;
    expect_error("regime:\n  mandate: {x: 1}\n", TL_ERR_TYPE, "t.yaml:2:12: ", "regime.mandate",
                 "a mapping");
    expect_error("regime:\n  mandate: high\n", TL_ERR_TYPE, "t.yaml:2:12: ", "regime.mandate",
                 "'high' is not a number");
    expect_error("organisation: {units: 2.5}\n", TL_ERR_TYPE, "t.yaml:1:23: ", "organisation.units",
                 "2.5 is not a whole number");
    expect_error("run: {snapshots: 100}\n", TL_ERR_TYPE, "t.yaml:1:18: ", "run.snapshots",
                 "expected a list");
    expect_error("regime: {mandate: \"0.5\"}\n", TL_ERR_TYPE, "t.yaml:1:19: ", "regime.mandate",
                 "quoted");
    expect_error("regime: {mandate: 0x10}\n", TL_ERR_TYPE, "t.yaml:1:19: ", "regime.mandate",
                 "'0x10' is not a number");
    expect_error("regime: {mandate: true}\n", TL_ERR_TYPE, "t.yaml:1:19: ", "regime.mandate",
                 "'true'");
    expect_error("regime: {mandate: }\n", TL_ERR_TYPE, "t.yaml:1:", "regime.mandate", "nothing");
    expect_error("regime: [1, 2]\n", TL_ERR_TYPE, "t.yaml:1:9: ", "regime", "expected a mapping");
    expect_error("run: {seed: 4.5}\n", TL_ERR_TYPE, "t.yaml:1:13: ", "run.seed", "4.5");
    expect_error("run: {replicates: 2.5}\n", TL_ERR_TYPE, "t.yaml:1:19: ", "run.replicates", "2.5");
    expect_error("- 1\n- 2\n", TL_ERR_TYPE, "t.yaml:1:1: ", "a list", "expected a mapping");
    expect_error("points: {a: 1}\n", TL_ERR_TYPE, "t.yaml:1:9: ", "points", "expected a list");
    expect_error("schedule:\n  - {param: mandate, value: 0.3}\n", TL_ERR_TYPE,
                 "t.yaml:2:5: ", "schedule[0].at", "missing");
    expect_error("sweep: {design: sobol, saltelli: maybe, samples: 4, parameters: {mandate: {min: "
                 "0, max: 1}}}\n",
                 TL_ERR_TYPE, "t.yaml:1:34: ", "sweep.saltelli", "true or false");
    expect_error("sweep: {design: sobol, saltelli: false, second_order: true, samples: 4, "
                 "parameters: {mandate: {min: 0, max: 1}}}\n",
                 TL_ERR_CONFLICT, "t.yaml:1:", "sweep.second_order", "saltelli: true");
    expect_error("sweep: {design: lhs, second_order: true, samples: 4, parameters: {mandate: "
                 "{min: 0, max: 1}}}\n",
                 TL_ERR_UNKNOWN_KEY, "t.yaml:1:", "sweep.second_order", "not used by design 'lhs'");
    expect_error("sweep: {design: lhs, samples: 4, parameters: {mandate: [0, 1]}}\n", TL_ERR_TYPE,
                 "t.yaml:1:56: ", "sweep.parameters.mandate", "{min: ..., max: ...}");
    expect_error("sweep: {design: grid, parameters: {units: {from: 1, to: 10, steps: 3}}}\n",
                 TL_ERR_TYPE, "t.yaml:1:43: ", "sweep.parameters.units", "gives 5.5");
}

static void test_scenario_yaml__out_of_range_values_are_refused(void **state)
{
    (void)state;
    expect_error("regime:\n  mandate: 1.5\n", TL_ERR_RANGE, "t.yaml:2:12: ", "regime.mandate = 1.5",
                 "[0, 1]");
    expect_error("run: {replicates: 0}\n", TL_ERR_RANGE, "t.yaml:1:19: ", "run.replicates = 0",
                 "[1, 1000000]");
    expect_error("run: {replicates: 1000001}\n", TL_ERR_RANGE, "t.yaml:1:19: ", "run.replicates",
                 "1000001");
    expect_error("run: {seed: -3}\n", TL_ERR_RANGE, "t.yaml:1:13: ", "run.seed = -3", "negative");
    expect_error("run: {seed: 18446744073709551616}\n", TL_ERR_RANGE, "t.yaml:1:13: ", "run.seed",
                 "too large");
    expect_error("run: {steps: 0}\n", TL_ERR_RANGE, "t.yaml:1:14: ", "run.steps = 0", NULL);
    expect_error("sweep: {design: lhs, samples: 4, parameters: {mandate: {min: 0, max: 2}}}\n",
                 TL_ERR_RANGE, "t.yaml:1:", "sweep.parameters.mandate.max = 2", "[0, 1]");
    expect_error("sweep: {design: grid, parameters: {mandate: [0.5, -1]}}\n", TL_ERR_RANGE,
                 "t.yaml:1:51: ", "sweep.parameters.mandate[1] = -1", NULL);
    expect_error("sweep: {design: lhs, samples: 0, parameters: {mandate: {min: 0, max: 1}}}\n",
                 TL_ERR_RANGE, "t.yaml:1:31: ", "sweep.samples = 0", NULL);
    expect_error("sweep: {design: lhs, samples: 4, parameters: {mandate: {min: 0.5, max: 0.5}}}\n",
                 TL_ERR_RANGE, "t.yaml:1:", "sweep.parameters.mandate", "not below max");
    expect_error("sweep: {design: morris, trajectories: 3, levels: 5, parameters: {mandate: {min: "
                 "0, max: 1}}}\n",
                 TL_ERR_RANGE, "t.yaml:1:50: ", "sweep.levels = 5", "even");
    expect_error("schedule: [{param: mandate, at: 0, value: 0.1}]\n", TL_ERR_RANGE,
                 "t.yaml:1:33: ", "schedule[0].at = 0", NULL);
    expect_error("points: [{label: "
                 "\"0123456789012345678901234567890123456789012345678901234567890123456789\"}]\n",
                 TL_ERR_RANGE, "t.yaml:1:18: ", "points[0].label", "expected 1 to 63");
}

static void test_scenario_yaml__more_than_a_million_points_is_refused(void **state)
{
    (void)state;
    expect_error("points: [{label: a}, {label: b}]\n"
                 "sweep:\n  design: grid\n  parameters:\n"
                 "    mandate: {from: 0, to: 1, steps: 1000}\n"
                 "    openness: {from: 0, to: 1, steps: 600}\n",
                 TL_ERR_RANGE, "t.yaml:2:1: ", "1200000", "at most 1000000");
    expect_error("sweep:\n  design: grid\n  parameters:\n"
                 "    mandate: {from: 0, to: 1, steps: 4000}\n"
                 "    openness: {from: 0, to: 1, steps: 4000}\n",
                 TL_ERR_RANGE, "t.yaml:1:1: ", "16000000", NULL);
    expect_error(
        "sweep: {design: sobol, samples: 500000, parameters: {mandate: {min: 0, max: 1}}}\n",
        TL_ERR_RANGE, "t.yaml:1:1: ", "1500000", NULL);
}

static void test_scenario_yaml__contradictions_point_at_the_setting(void **state)
{
    (void)state;
    /* more units than employees: at the line where units was set */
    expect_error("organisation:\n  employees: 50\n  units: 80\n", TL_ERR_CONFLICT,
                 "t.yaml:3:3: ", "units = 80", "employees = 50");
    expect_error("points:\n  - label: ok\n  - label: big\n    organisation: {units: 500}\n",
                 TL_ERR_CONFLICT, "t.yaml:4:20: ", "units = 500", "'big'");
    expect_error(
        "organisation: {employees: 30}\nsweep: {design: grid, parameters: {units: [10, 40]}}\n",
        TL_ERR_CONFLICT, "t.yaml:2:36: ", "units = 40", "'p1'");
    /* a schedule step past the horizon, for the point whose horizon it is */
    expect_error("run: {steps: 100}\nschedule: [{param: mandate, at: 150, value: 0.1}]\n",
                 TL_ERR_CONFLICT, "t.yaml:2:33: ", "schedule[0].at = 150", "steps = 100");
    expect_error("schedule: [{param: mandate, at: 50, value: 0.1}]\npoints:\n  - {label: a}\n"
                 "  - {label: b, run: {steps: 40}}\n",
                 TL_ERR_CONFLICT, "t.yaml:1:33: ", "schedule[0].at = 50", "'b'");
    expect_error("run: {steps: 100}\nschedule: [{param: mandate, at: 90, ramp: 20, value: 0.1}]\n",
                 TL_ERR_CONFLICT, "t.yaml:2:43: ", "schedule[0]", "ends at step 109");
    expect_error("run: {steps: 100}\nschedule: [{param: mandate, at: 50, value: 0.1}]\n"
                 "sweep: {design: grid, parameters: {schedule.0.at: [20, 120]}}\n",
                 TL_ERR_CONFLICT, "t.yaml:3:36: ", "schedule[0].at = 120", NULL);
    /* snapshots */
    expect_error("run:\n  steps: 100\n  snapshots: [0, 50, 200]\n", TL_ERR_CONFLICT,
                 "t.yaml:3:22: ", "run.snapshots[2] = 200", "steps = 100");
    expect_error("run:\n  snapshots: [10, 5]\n", TL_ERR_CONFLICT,
                 "t.yaml:2:19: ", "run.snapshots[1] = 5", "increase");
    expect_error("run: {snapshots: [0]}\npoints:\n  - {label: a}\n  - {label: b, organisation: "
                 "{employees: 300}}\n",
                 TL_ERR_CONFLICT, "t.yaml:1:7: ", "run.snapshots", "same employees");
    /* empty points, duplicates */
    expect_error("points: []\n", TL_ERR_CONFLICT, "t.yaml:1:1: ", "points is empty", NULL);
    expect_error("points:\n", TL_ERR_CONFLICT, "t.yaml:1:1: ", "points is empty", NULL);
    expect_error("regime: {mandate: 0.1}\nname: x\nregime: {mandate: 0.2}\n", TL_ERR_CONFLICT,
                 "t.yaml:3:1: ", "regime is given twice", "line 1");
    expect_error("regime:\n  mandate: 0.1\n  mandate: 0.2\n", TL_ERR_CONFLICT,
                 "t.yaml:3:3: ", "regime.mandate is given twice", NULL);
    expect_error("sweep:\n  design: grid\n  parameters:\n    mandate: [0.1]\n    mandate: [0.2]\n",
                 TL_ERR_CONFLICT, "t.yaml:5:5: ", "mandate", "listed twice");
    expect_error("schedule: [{param: mandate, at: 5, value: 0.1}]\n"
                 "sweep: {design: grid, parameters: {schedule.0.at: [1], schedule_0_at: [2]}}\n",
                 TL_ERR_CONFLICT, "t.yaml:2:56: ", "schedule_0_at", "listed twice");
    expect_error("points:\n  - {label: a}\n  - {label: a}\n", TL_ERR_CONFLICT,
                 "t.yaml:3:13: ", "points[0] and points[1]", "'a'");
    expect_error("sweep: {design: list, parameters: {mandate: [0.1, 0.2], openness: [0.3]}}\n",
                 TL_ERR_CONFLICT, "t.yaml:1:67: ", "sweep.parameters.openness", "same length");
    expect_error("schedule: [{param: units, at: 5, value: 10}]\n", TL_ERR_CONFLICT,
                 "t.yaml:1:20: ", "schedule[0].param = 'units'", "cannot change during a run");
}

static void test_scenario_yaml__schedule_design_variable_must_name_a_change(void **state)
{
    (void)state;
    expect_error("sweep: {design: grid, parameters: {schedule.0.at: [10]}}\n", TL_ERR_UNKNOWN_KEY,
                 "t.yaml:1:36: ", "schedule.0.at", "has 0 changes");
    expect_error("schedule: [{param: mandate, at: 5, value: 0.1}]\n"
                 "sweep: {design: grid, parameters: {schedule.0.when: [10]}}\n",
                 TL_ERR_UNKNOWN_KEY, "t.yaml:2:36: ", "schedule.0.when", "schedule.K.at");
}

static void test_scenario_yaml__files_report_io_errors_with_path_and_reason(void **state)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    char *p;
    (void)state;
    assert_int_equal(load_data("no-such-file.yaml", &sc, &err), TL_ERR_IO);
    assert_non_null(strstr(err.msg, "no-such-file.yaml"));
    assert_non_null(strstr(err.msg, "No such file or directory"));
    assert_null(sc.points);
    p = data_path("");
    tl_scenario_init(&sc);
    assert_int_equal(tl_scenario_load_yaml(p, &sc, &err), TL_ERR_IO); /* a directory */
    assert_non_null(strstr(err.msg, "directory"));
    free(p);
    assert_int_equal(load_data("bad_csv_missing.yaml", &sc, &err), TL_ERR_IO);
    assert_non_null(strstr(err.msg, "bad_csv_missing.yaml:3:9: "));
    assert_non_null(strstr(err.msg, "no-such-design.csv"));
    assert_non_null(strstr(err.msg, "No such file or directory"));
    assert_null(sc.points);
}

static void expect_file_error(const char *name, tl_status code, const char *where, const char *a,
                              const char *b)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    tl_status st = load_data(name, &sc, &err);
    const char *tail = strstr(err.msg, where);
    if (st != code || !tail || (a && !strstr(err.msg, a)) || (b && !strstr(err.msg, b))) {
        fprintf(stderr, "%s: expected %s at '%s' naming '%s', '%s'; got %s: %s\n", name,
                tl_status_str(code), where, a ? a : "", b ? b : "", tl_status_str(st), err.msg);
        fail();
    }
    /* the path comes first */
    assert_true(err.msg[0] == '/' || strncmp(err.msg, where, strlen(where)) == 0 ||
                strstr(err.msg, "/") < tail);
    assert_null(sc.points);
}

static void test_scenario_yaml__broken_files_name_file_line_and_column(void **state)
{
    (void)state;
    expect_file_error("bad_unknown_key.yaml", TL_ERR_UNKNOWN_KEY,
                      "bad_unknown_key.yaml:4:3: ", "regime.mandat", "did you mean 'mandate'");
    expect_file_error("bad_wrong_group.yaml", TL_ERR_UNKNOWN_KEY,
                      "bad_wrong_group.yaml:2:3: ", "regime.units", "belongs in 'organisation'");
    expect_file_error("bad_type.yaml", TL_ERR_TYPE,
                      "bad_type.yaml:2:22: ", "regime.control_intensity", "'high'");
    expect_file_error("bad_range.yaml", TL_ERR_RANGE, "bad_range.yaml:4:12: ", "regime.mandate",
                      "1.5");
    expect_file_error("bad_units.yaml", TL_ERR_CONFLICT, "bad_units.yaml:3:3: ", "units = 80",
                      "employees = 50");
    expect_file_error("bad_malformed.yaml", TL_ERR_PARSE,
                      "bad_malformed.yaml:3:2: ", "malformed YAML", NULL);
    /* problems inside a CSV design point into the CSV file */
    expect_file_error("bad_csv_column.yaml", TL_ERR_UNKNOWN_KEY,
                      "bad_column.csv:1:9: ", "'contrl_intensity'",
                      "did you mean 'control_intensity'");
    expect_file_error("bad_csv_row.yaml", TL_ERR_PARSE, "bad_row.csv:3:1: ", "1 field",
                      "header has 2");
}

static void test_scenario_yaml__csv_values_are_checked_where_they_stand(void **state)
{
    char *csv = tl_test_path("values.csv"), *yml = tl_test_path("values.yaml");
    const char *base = strrchr(csv, '/') + 1;
    char want[256];
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    FILE *f = fopen(csv, "w");
    (void)state;
    assert_non_null(f);
    fprintf(f, "mandate,units\n0.5,10\n0.7,2.5\n");
    fclose(f);
    f = fopen(yml, "w");
    assert_non_null(f);
    fprintf(f, "sweep: {design: csv, file: %s}\n", base);
    fclose(f);
    tl_scenario_init(&sc);
    assert_int_equal(tl_scenario_load_yaml(yml, &sc, &err), TL_ERR_TYPE);
    snprintf(want, sizeof want, "%s:3:5: ", base);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, "units"));
    f = fopen(csv, "w");
    fprintf(f, "mandate,units\n0.5,10\n1.7,25\n");
    fclose(f);
    assert_int_equal(tl_scenario_load_yaml(yml, &sc, &err), TL_ERR_RANGE);
    snprintf(want, sizeof want, "%s:3:1: ", base);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, "mandate"));
    /* a relation broken by a row: at that row's value */
    f = fopen(csv, "w");
    fprintf(f, "mandate,units\n0.5,10\n0.7,250\n");
    fclose(f);
    assert_int_equal(tl_scenario_load_yaml(yml, &sc, &err), TL_ERR_CONFLICT);
    snprintf(want, sizeof want, "%s:3:5: ", base);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, "units = 250"));
    remove(csv);
    remove(yml);
    free(csv);
    free(yml);
}

/* ---- scale and garbage ---------------------------------------------------- */

static void test_scenario_yaml__a_ten_thousand_line_file_loads_fast(void **state)
{
    size_t cap = 1 << 20, n = 0;
    char *t = malloc(cap);
    tl_scenario sc;
    clock_t t0;
    double secs;
    (void)state;
    assert_non_null(t);
    n += (size_t)snprintf(t + n, cap - n, "name: big\nrun: {steps: 52}\npoints:\n");
    for (int k = 0; k < 2500; k++)
        n += (size_t)snprintf(t + n, cap - n,
                              "  - label: point-%d\n    regime:\n      mandate: %.6f\n"
                              "      openness: %.6f\n",
                              k, (k % 100) / 100.0, (k % 37) / 37.0);
    t0 = clock();
    load_ok(t, &sc);
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(sc.npoints, 2500);
    assert_string_equal(sc.points[2499].label, "point-2499");
    tl_scenario_clear(&sc);
    free(t);
    if (secs > 5) {
        fprintf(stderr, "10,000 lines took %.2f s\n", secs);
        fail();
    }
}

static void test_scenario_yaml__hostile_yaml_neither_crashes_nor_hangs(void **state)
{
    static const char *const cases[] = {
        "a: &x [*x]\n",
        "regime: &x {mandate: *x}\n",
        "points: &p [*p]\n",
        "points: &p [{label: a, regime: *p}]\n",
        "sweep: &s {design: grid, parameters: {mandate: *s}}\n",
        ("points: [&a [x,x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], "
         "&c [*b,*b,*b,*b,*b,*b,*b,*b,*b], *c, *c, *c]\n"),
        "? [a, b]\n: 1\n",
        "name: \"\\0nul\"\n",
        "regime: {\"mandate\\0x\": 0.5}\n",
        "!!binary name: x\n",
        "%YAML 1.1\n---\nname: x\n...\n",
        "\xef\xbb\xbfname: bom\n",
        "name: \xff\xfe\n",
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tl_scenario sc;
        tl_error err = TL_ERROR_INIT;
        tl_status st = parse(cases[i], &sc, &err);
        if (st == TL_OK)
            tl_scenario_clear(&sc);
        else {
            assert_true(strlen(err.msg) > 0);
            assert_null(sc.points);
        }
    }
    /* deep nesting and many anchors: refused early, before libyaml's
     * quadratic costs set in */
    {
        size_t n = 1000000;
        char *t = malloc(2 * n + 16);
        tl_scenario sc;
        tl_error err = TL_ERROR_INIT;
        clock_t t0 = clock();
        assert_non_null(t);
        strcpy(t, "a: ");
        memset(t + 3, '[', n);
        memset(t + 3 + n, ']', n);
        tl_scenario_init(&sc);
        assert_int_equal(tl_scenario_parse_yaml(t, 3 + 2 * n, "deep", &sc, &err), TL_ERR_PARSE);
        assert_non_null(strstr(err.msg, "deep:1:"));
        assert_non_null(strstr(err.msg, "nested more than"));
        n = 0;
        for (int i = 0; i < 20000; i++)
            n += (size_t)sprintf(t + n, "a%d: &x%d [*x%d]\n", i, i, i > 0 ? i - 1 : 0);
        assert_int_equal(tl_scenario_parse_yaml(t, n, "anchors", &sc, &err), TL_ERR_PARSE);
        assert_non_null(strstr(err.msg, "anchors"));
        assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5);
        free(t);
    }
}

static void test_scenario_yaml__random_and_mutated_bytes_are_refused_cleanly(void **state)
{
    static const char *const seeds[] = {
        "name: t\npreset: balanced\norganisation: {units: 4, employees: 20, citizens: 100}\n"
        "regime: {control_intensity: 0.3}\nschedule:\n  - {param: mandate, at: 5, value: 0.2, "
        "ramp: 2}\n"
        "run:\n  steps: 20\n  replicates: 2\n  seed: 9\n  snapshots: [0, 10]\n"
        "points:\n  - label: a\n    preset: trust-based\n    regime: {firmness: 0.5}\n"
        "    schedule: [{param: openness, at: 3, value: 0.1}]\n  - {label: b, run: {steps: 15}}\n",
        "run: {steps: 10}\nschedule: [{param: mandate, at: 5, value: 0.2}]\n"
        "sweep:\n  design: grid\n  parameters:\n    mandate: [0.1, 0.2]\n    schedule.0.at: [2, "
        "3]\n",
        "sweep: {design: lhs, samples: 3, seed: 4, parameters: {units: {min: 1, max: 9}}}\n",
        "sweep: {design: sobol, samples: 2, parameters: {mandate: {min: 0, max: 1}}}\n",
        "sweep: {design: morris, trajectories: 2, levels: 4, parameters: {mandate: {min: 0, max: "
        "1}, "
        "support: {min: 0, max: 1}}}\n",
        "sweep: {design: list, parameters: {mandate: [0.1, 0.2], openness: [0.3, 0.4]}}\n",
    };
    const int nseeds = (int)(sizeof seeds / sizeof seeds[0]);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    char buf[2048];
    int ok = 0, bad = 0;
    (void)state;
    gsl_rng_set(r, 77);
    for (int trial = 0; trial < 4000; trial++) {
        size_t n;
        tl_scenario sc;
        tl_error err = TL_ERROR_INIT;
        tl_status st;
        if (trial % 4 == 0) {
            /* pure noise, biased toward YAML punctuation */
            static const char alpha[] = "ab: -[]{},&*!|>'\"#%@`?\n\t 0123456789.eE";
            n = gsl_rng_uniform_int(r, 300);
            for (size_t i = 0; i < n; i++)
                buf[i] = gsl_rng_uniform(r) < 0.7 ? alpha[gsl_rng_uniform_int(r, sizeof alpha - 1)]
                                                  : (char)gsl_rng_uniform_int(r, 256);
        } else {
            const char *s = seeds[gsl_rng_uniform_int(r, (unsigned long)nseeds)];
            n = strlen(s);
            memcpy(buf, s, n);
            for (int m = 0; m < 1 + (int)gsl_rng_uniform_int(r, 3); m++) {
                size_t at = n ? gsl_rng_uniform_int(r, n) : 0;
                int op = (int)gsl_rng_uniform_int(r, 3);
                char ch = (char)gsl_rng_uniform_int(r, 256);
                if (op == 0 && n) /* replace */
                    buf[at] = ch;
                else if (op == 1 && n + 1 < sizeof buf) { /* insert */
                    memmove(buf + at + 1, buf + at, n - at);
                    buf[at] = ch;
                    n++;
                } else if (n) { /* delete */
                    memmove(buf + at, buf + at + 1, n - at - 1);
                    n--;
                }
            }
        }
        tl_scenario_init(&sc);
        st = tl_scenario_parse_yaml(buf, n, "fuzz.yaml", &sc, &err);
        if (st == TL_OK) {
            assert_true(sc.npoints >= 1);
            ok++;
            tl_scenario_clear(&sc);
        } else {
            /* one message that says where */
            assert_non_null(strstr(err.msg, "fuzz.yaml"));
            assert_null(sc.points);
            bad++;
        }
    }
    gsl_rng_free(r);
    assert_true(ok > 0 && bad > 0);
}

/* output: {every: K, dtype: float32}: parsed, checked against the steps,
 * written back by tl_scenario_to_yaml; the kept steps are K, 2K, ... and the last */
static void test_scenario_yaml__output_every_and_dtype_round_trip(void **state)
{
    (void)state;
    tl_scenario sc, again;
    tl_error err = TL_ERROR_INIT;
    char *text;
    load_ok("run: {steps: 50}\noutput: {every: 4, dtype: float32}\n", &sc);
    assert_int_equal(sc.record_every, 4);
    assert_int_equal(sc.record_f32, 1);
    assert_int_equal(tl_scenario_finalise(&sc, &err), TL_OK);
    text = tl_scenario_to_yaml(&sc);
    assert_non_null(text);
    assert_non_null(strstr(text, "output:\n  every: 4\n  dtype: float32\n"));
    load_ok(text, &again);
    assert_int_equal(again.record_every, 4);
    assert_int_equal(again.record_f32, 1);
    free(text);
    tl_scenario_clear(&again);
    sc.record_every = 51; /* more than the steps */
    assert_int_equal(tl_scenario_finalise(&sc, &err), TL_ERR_RANGE);
    assert_non_null(strstr(err.msg, "output.every = 51"));
    tl_scenario_clear(&sc);
    load_ok("run: {steps: 50}\noutput: {dtype: float64}\n", &sc);
    assert_int_equal(sc.record_f32, 0);
    text = tl_scenario_to_yaml(&sc);
    assert_null(strstr(text, "dtype")); /* the default is not written */
    free(text);
    tl_scenario_clear(&sc);
    expect_error("output: {every: 0}\n", TL_ERR_RANGE, "t.yaml:1:", "output.every", NULL);
    expect_error("output: {every: 2.5}\n", TL_ERR_TYPE, "t.yaml:1:", "output.every", NULL);
    expect_error("output: {dtype: half}\n", TL_ERR_RANGE, "t.yaml:1:", "output.dtype = 'half'",
                 "float32");
    /* the kept steps */
    assert_int_equal(tl_record_nsteps(50, 4), 13);
    assert_int_equal(tl_record_step(50, 4, 0), 4);
    assert_int_equal(tl_record_step(50, 4, 11), 48);
    assert_int_equal(tl_record_step(50, 4, 12), 50);
    assert_int_equal(tl_record_nsteps(48, 4), 12);
    assert_int_equal(tl_record_step(48, 4, 11), 48);
    assert_int_equal(tl_record_nsteps(50, 1), 50);
    assert_int_equal(tl_record_nsteps(50, 0), 50);
    assert_int_equal(tl_record_step(50, 1, 49), 50);
    assert_int_equal(tl_record_nsteps(50, 50), 1);
    assert_int_equal(tl_record_step(50, 50, 0), 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_yaml__points_made_on_demand_are_the_points_held),
        cmocka_unit_test(test_scenario_yaml__a_file_without_points_is_one_point_of_defaults),
        cmocka_unit_test(test_scenario_yaml__name_defaults_to_the_file_name),
        cmocka_unit_test(test_scenario_yaml__run_sets_replicates_seed_steps_and_snapshots),
        cmocka_unit_test(test_scenario_yaml__common_random_numbers_is_a_file_setting_that_round_trips),
        cmocka_unit_test(test_scenario_yaml__output_every_and_dtype_round_trip),
        cmocka_unit_test(test_scenario_yaml__values_follow_the_precedence_order),
        cmocka_unit_test(test_scenario_yaml__the_sweep_wins_over_values_fixed_per_point),
        cmocka_unit_test(test_scenario_yaml__schedules_are_file_changes_then_the_points),
        cmocka_unit_test(test_scenario_yaml__points_without_labels_take_their_preset_or_index),
        cmocka_unit_test(test_scenario_yaml__grid_crosses_values_and_ranges),
        cmocka_unit_test(test_scenario_yaml__list_design_pairs_values_row_by_row),
        cmocka_unit_test(test_scenario_yaml__lhs_values_fall_one_per_stratum_and_ints_round),
        cmocka_unit_test(test_scenario_yaml__lhs_seed_defaults_to_the_run_seed),
        cmocka_unit_test(test_scenario_yaml__sobol_saltelli_records_blocks_and_schedule_settings),
        cmocka_unit_test(test_scenario_yaml__sobol_without_saltelli_is_plain_points),
        cmocka_unit_test(test_scenario_yaml__sobol_second_order_adds_the_ba_blocks),
        cmocka_unit_test(test_scenario_yaml__morris_trajectories_step_one_variable_at_a_time),
        cmocka_unit_test(test_scenario_yaml__csv_design_takes_labels_and_schedule_columns),
        cmocka_unit_test(test_scenario_yaml__csv_round_trips_a_design_written_out),
        cmocka_unit_test(test_scenario_yaml__schedule_settings_can_be_design_variables),
        cmocka_unit_test(test_scenario_yaml__null_values_count_as_empty),
        cmocka_unit_test(test_scenario_yaml__aliases_of_whole_values_work),
        cmocka_unit_test(test_scenario_yaml__resolved_yaml_loads_back_bit_for_bit),
        cmocka_unit_test(test_scenario_yaml__random_scenarios_round_trip_bit_for_bit),
        cmocka_unit_test(test_scenario_yaml__malformed_yaml_gives_libyamls_problem_and_place),
        cmocka_unit_test(test_scenario_yaml__unknown_key_suggests_the_nearest),
        cmocka_unit_test(test_scenario_yaml__a_parameter_in_the_wrong_group_says_where_it_belongs),
        cmocka_unit_test(test_scenario_yaml__wrong_types_are_refused),
        cmocka_unit_test(test_scenario_yaml__out_of_range_values_are_refused),
        cmocka_unit_test(test_scenario_yaml__more_than_a_million_points_is_refused),
        cmocka_unit_test(test_scenario_yaml__contradictions_point_at_the_setting),
        cmocka_unit_test(test_scenario_yaml__schedule_design_variable_must_name_a_change),
        cmocka_unit_test(test_scenario_yaml__files_report_io_errors_with_path_and_reason),
        cmocka_unit_test(test_scenario_yaml__broken_files_name_file_line_and_column),
        cmocka_unit_test(test_scenario_yaml__csv_values_are_checked_where_they_stand),
        cmocka_unit_test(test_scenario_yaml__a_ten_thousand_line_file_loads_fast),
        cmocka_unit_test(test_scenario_yaml__hostile_yaml_neither_crashes_nor_hangs),
        cmocka_unit_test(test_scenario_yaml__random_and_mutated_bytes_are_refused_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
