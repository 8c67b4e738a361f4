/* test_estimate_model.c — the pre-flight time estimate's arithmetic (sim/cli/estimate_model.c):
 * a run's mean step cost from a pilot's two halves, and the wall time from CPU work, threads,
 * cores and load; fake pilot figures in, the model's figures out. */
#include "tl_test.h"
#include "estimate_model.h"

#define EPS 1e-9

static tl_time_inputs inputs(double runs, double run_cpu, int threads, double cpus, double share)
{
    tl_time_inputs in = {0};
    in.runs = runs;
    in.run_cpu = run_cpu;
    in.threads = threads;
    in.ranks = 1;
    in.cpus = cpus;
    in.share = share;
    return in;
}

static void test_estimate_model__all_steps_run_give_their_mean(void **state)
{
    (void)state;
    /* 10 steps: 0.3 s in the first 5, 0.2 s in the last 5 */
    assert_float_equal(tl_step_cost_mean(10, 0.3, 0.2, 10), 0.05, EPS);
    assert_float_equal(tl_step_cost_mean(1, 0, 0.004, 1), 0.004, EPS);
}

static void test_estimate_model__a_flat_cost_is_extended_as_it_is(void **state)
{
    (void)state;
    /* 26 of 260 steps at 1 ms each */
    assert_float_equal(tl_step_cost_mean(26, 0.013, 0.013, 260), 1e-3, EPS);
}

static void test_estimate_model__a_warm_up_is_not_extended_downwards(void **state)
{
    (void)state;
    /* first half 2 ms a step, second 1 ms: the steps not run cost 1 ms */
    double m = tl_step_cost_mean(20, 0.020, 0.010, 100);
    assert_float_equal(m, (0.030 + 80 * 1e-3) / 100, EPS);
}

static void test_estimate_model__a_linear_growth_is_continued(void **state)
{
    (void)state;
    /* step t costs 1 + t/10 ms: the fit recovers the whole run's mean exactly */
    int done = 40, T = 200;
    double first = 0, second = 0, all = 0;
    for (int t = 0; t < T; t++) {
        double c = 1e-3 * (1 + t / 10.0);
        all += c;
        if (t < done / 2)
            first += c;
        else if (t < done)
            second += c;
    }
    assert_float_equal(tl_step_cost_mean(done, first, second, T), all / T, 1e-12);
}

static void test_estimate_model__growth_is_capped(void **state)
{
    (void)state;
    /* 1 ms then 3 ms a step over 2 + 2 steps, 10,000 steps in all: the steps
     * not run cost at most TL_STEP_GROWTH_CAP x 3 ms */
    double m = tl_step_cost_mean(4, 0.002, 0.006, 10000);
    assert_float_equal(m, (0.008 + 9996 * TL_STEP_GROWTH_CAP * 3e-3) / 10000, EPS);
}

static void test_estimate_model__an_idle_machine_shares_runs_among_threads(void **state)
{
    (void)state;
    tl_time_estimate e;
    /* 100 runs of 0.1 s CPU on 2 threads and 2 free cores; no output work */
    tl_time_inputs in = inputs(100, 0.1, 2, 2, 1);
    tl_time_model(&in, &e);
    assert_float_equal(e.run_seconds, 5, EPS);
    assert_float_equal(e.cores, 2, EPS); /* 3 threads (the writer too) on 2 cores */
    assert_float_equal(e.cpu_seconds, 5, EPS);
    assert_float_equal(e.seconds, 5, EPS);
    /* one thread: twice as long; more threads than cores: no faster */
    in.threads = 1;
    tl_time_model(&in, &e);
    assert_float_equal(e.seconds, 10, EPS);
    in.threads = 8;
    tl_time_model(&in, &e);
    assert_float_equal(e.seconds, 5, EPS);
}

static void test_estimate_model__the_writer_shares_the_cores(void **state)
{
    (void)state;
    tl_time_estimate e;
    /* workers 4 s CPU, writer 2 s, 2 threads on 2 cores: all three threads
     * busy, the 6 CPU seconds over 2 cores = 3 s (not max(2, 2)) */
    tl_time_inputs in = inputs(40, 0.1, 2, 2, 1);
    in.writer_cpu = 2;
    tl_time_model(&in, &e);
    assert_float_equal(e.run_seconds, 2, EPS);
    assert_float_equal(e.write_seconds, 2, EPS);
    assert_float_equal(e.cpu_seconds, 3, EPS);
    assert_float_equal(e.work_cpu, 6, EPS);
    assert_float_equal(e.seconds, 3, EPS);
    /* a writer bound sweep: the writer's own time */
    in.writer_cpu = 10;
    tl_time_model(&in, &e);
    assert_float_equal(e.seconds, 10, EPS);
}

static void test_estimate_model__load_takes_its_share(void **state)
{
    (void)state;
    tl_time_estimate e;
    /* 2 cores, 2 workers, each pilot thread getting a quarter of a core
     * beside other work: the sweep gets 2 x 0.25 cores, busy or not */
    tl_time_inputs in = inputs(60, 0.1, 2, 2, 0.25);
    in.worker_cpu = 1;
    in.writer_cpu = 0.5;
    in.serial_cpu = 0.2;
    tl_time_model(&in, &e);
    assert_float_equal(e.cores, 0.5, EPS);
    assert_float_equal(e.run_seconds, 7 / 0.5, EPS);
    assert_float_equal(e.write_seconds, 0.5 / 0.5, EPS);
    assert_float_equal(e.cpu_seconds, 7.5 / 0.5, EPS);
    assert_float_equal(e.serial_seconds, 0.2 / 0.5, EPS);
    assert_float_equal(e.seconds, 15 + 0.4, EPS);
    assert_float_equal(e.work_cpu, 7.7, EPS); /* the load does not change the work */
    /* one worker on 4 cores at half a core a thread: worker and writer get
     * a core between them; the worker alone at most that core */
    in = inputs(100, 0.1, 1, 4, 0.5);
    in.writer_cpu = 2;
    tl_time_model(&in, &e);
    assert_float_equal(e.cores, 1, EPS);
    assert_float_equal(e.run_seconds, 10, EPS);
    assert_float_equal(e.cpu_seconds, 12, EPS);
    assert_float_equal(e.seconds, 12, EPS);
    /* a writer-bound sweep under load: the writer alone gets the sweep's
     * cores, at most one */
    in = inputs(10, 0.1, 2, 2, 0.3);
    in.writer_cpu = 6;
    tl_time_model(&in, &e);
    assert_float_equal(e.write_seconds, 6 / 0.6, EPS);
    assert_float_equal(e.seconds, 7 / 0.6, EPS); /* all busy is larger still */
    /* a share outside (0, 1] is taken as 1 */
    in = inputs(100, 0.1, 1, 4, 0);
    in.writer_cpu = 2;
    tl_time_model(&in, &e);
    assert_float_equal(e.seconds, 10, EPS);
}

static void test_estimate_model__fewer_runs_than_threads_use_fewer_threads(void **state)
{
    (void)state;
    tl_time_estimate e;
    /* 3 runs of 2 s on 8 threads and 8 cores: 2 s, not 6/8 */
    tl_time_inputs in = inputs(3, 2, 8, 8, 1);
    tl_time_model(&in, &e);
    assert_float_equal(e.seconds, 2, EPS);
    /* ranks bring cores of their own: 16 runs, 2 ranks x 4 threads x 4 cores */
    in = inputs(16, 1, 4, 4, 1);
    in.ranks = 2;
    tl_time_model(&in, &e);
    assert_float_equal(e.seconds, 2, EPS);
    /* nothing to do: only the serial work */
    in = inputs(0, 1, 2, 2, 1);
    in.serial_cpu = 0.3;
    tl_time_model(&in, &e);
    assert_float_equal(e.seconds, 0.3, EPS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_estimate_model__all_steps_run_give_their_mean),
        cmocka_unit_test(test_estimate_model__a_flat_cost_is_extended_as_it_is),
        cmocka_unit_test(test_estimate_model__a_warm_up_is_not_extended_downwards),
        cmocka_unit_test(test_estimate_model__a_linear_growth_is_continued),
        cmocka_unit_test(test_estimate_model__growth_is_capped),
        cmocka_unit_test(test_estimate_model__an_idle_machine_shares_runs_among_threads),
        cmocka_unit_test(test_estimate_model__the_writer_shares_the_cores),
        cmocka_unit_test(test_estimate_model__load_takes_its_share),
        cmocka_unit_test(test_estimate_model__fewer_runs_than_threads_use_fewer_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
