/* test_schedule.c — regime schedules: jumps, ramps, order, validation. */
#include <math.h>
#include <string.h>

#include "tl_test.h"
#include "tillit/schedule.h"

static double at_step(const tl_schedule *s, const tl_params *base, int t)
{
    tl_params out;
    tl_schedule_apply(s, base, t, &out);
    return out.control_intensity;
}

static void test_schedule__jump_takes_effect_at_its_step(void **state)
{
    tl_schedule s = TL_SCHEDULE_INIT;
    tl_params p;
    (void)state;
    tl_params_default(&p);
    p.control_intensity = 0.5;
    assert_int_equal(tl_schedule_add(&s, "control_intensity", 10, 0, 0.1, NULL), TL_OK);
    assert_true(at_step(&s, &p, 9) == 0.5);
    assert_true(at_step(&s, &p, 10) == 0.1);
    assert_true(at_step(&s, &p, 500) == 0.1);
}

static void test_schedule__ramp_is_linear_and_exact_at_its_end(void **state)
{
    tl_schedule s = TL_SCHEDULE_INIT;
    tl_params p;
    (void)state;
    tl_params_default(&p);
    p.control_intensity = 0.5;
    tl_schedule_add(&s, "control_intensity", 104, 26, 0.15, NULL);
    assert_true(at_step(&s, &p, 103) == 0.5);
    assert_true(fabs(at_step(&s, &p, 104) - (0.5 - 0.35 / 26)) < 1e-12);
    assert_true(fabs(at_step(&s, &p, 116) - (0.5 - 0.35 * 13 / 26)) < 1e-12);
    assert_true(at_step(&s, &p, 129) == 0.15);
    assert_true(at_step(&s, &p, 200) == 0.15);
    for (int t = 104; t < 129; t++) /* monotone */
        assert_true(at_step(&s, &p, t + 1) <= at_step(&s, &p, t));
}

static void test_schedule__changes_apply_in_order_of_step(void **state)
{
    tl_schedule s = TL_SCHEDULE_INIT;
    tl_params p;
    (void)state;
    tl_params_default(&p);
    p.control_intensity = 0.2;
    tl_schedule_add(&s, "control_intensity", 200, 0, 0.1, NULL); /* given out of order */
    tl_schedule_add(&s, "control_intensity", 100, 0, 0.6, NULL);
    assert_true(at_step(&s, &p, 99) == 0.2);
    assert_true(at_step(&s, &p, 150) == 0.6);
    assert_true(at_step(&s, &p, 250) == 0.1);
}

static void test_schedule__refuses_what_cannot_change(void **state)
{
    tl_schedule s = TL_SCHEDULE_INIT;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    assert_int_equal(tl_schedule_add(&s, "employees", 10, 0, 5, &err), TL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "employees"));
    assert_int_equal(tl_schedule_add(&s, "mandat", 10, 0, 0.5, &err), TL_ERR_UNKNOWN_KEY);
    assert_non_null(strstr(err.msg, "did you mean 'mandate'"));
    assert_int_equal(tl_schedule_add(&s, "mandate", 10, 0, 2, &err), TL_ERR_RANGE);
    assert_int_equal(s.n, 0);
}

static void test_schedule__a_step_past_the_horizon_is_a_conflict(void **state)
{
    tl_schedule s = TL_SCHEDULE_INIT;
    tl_params p;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    tl_params_default(&p);
    p.steps = 100;
    tl_schedule_add(&s, "mandate", 101, 0, 0.5, NULL);
    assert_int_equal(tl_schedule_validate(&s, &p, &err), TL_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "horizon"));
    s.c[0].at = 90;
    s.c[0].ramp = 20;
    assert_int_equal(tl_schedule_validate(&s, &p, &err), TL_ERR_CONFLICT);
    s.c[0].ramp = 11;
    assert_int_equal(tl_schedule_validate(&s, &p, &err), TL_OK);
    s.c[0].at = 2.5;
    assert_int_equal(tl_schedule_validate(&s, &p, &err), TL_ERR_RANGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule__jump_takes_effect_at_its_step),
        cmocka_unit_test(test_schedule__ramp_is_linear_and_exact_at_its_end),
        cmocka_unit_test(test_schedule__changes_apply_in_order_of_step),
        cmocka_unit_test(test_schedule__refuses_what_cannot_change),
        cmocka_unit_test(test_schedule__a_step_past_the_horizon_is_a_conflict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
