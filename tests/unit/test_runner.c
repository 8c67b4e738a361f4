/* test_runner.c — the runner's progress: reported about five times a second even while the
 * calling thread is always busy storing blocks (a writer that is behind). */
#include <string.h>
#include <time.h>

#include "tl_test.h"
#include "tillit/builtin.h"
#include "tillit/runner.h"

typedef struct counts {
    int blocks, reports_before_last;
    long total;
} counts;

/* a slow writer: 20 ms a block, while the runs (2 steps of a tiny
 * organisation) take far less, so a finished block is always waiting */
static tl_status slow_block(void *ctx, const tl_block *b, tl_error *err)
{
    struct timespec d = {0, 20 * 1000 * 1000L};
    (void)b;
    (void)err;
    ((counts *)ctx)->blocks++;
    nanosleep(&d, NULL);
    return TL_OK;
}

static void progress(void *ctx, const tl_progress *p)
{
    counts *c = ctx;
    c->total = p->runs_total;
    if (c->blocks < 60)
        c->reports_before_last++;
}

static void test_runner__progress_is_reported_while_the_writer_is_behind(void **state)
{
    (void)state;
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    tl_runner_opts o = TL_RUNNER_OPTS_INIT;
    counts c;
    memset(&c, 0, sizeof c);
    tl_scenario_init(&sc);
    assert_int_equal(tl_scenario_from_preset("balanced", &sc, &err), TL_OK);
    sc.points[0].params.employees = 4;
    sc.points[0].params.units = 1;
    sc.points[0].params.citizens = 20;
    sc.points[0].params.steps = 2;
    sc.replicates = 60;
    o.threads = 2;
    o.block_reps = 1; /* 60 blocks: 1.2 s of storing */
    o.on_block = slow_block;
    o.ctx = &c;
    o.on_progress = progress;
    o.progress_ctx = &c;
    assert_int_equal(tl_runner_run(&sc, &o, &err), TL_OK);
    assert_int_equal(c.blocks, 60);
    assert_int_equal(c.total, 60);
    /* 1.2 s of storing at a report every 0.2 s: several before the last block
     * (before the fix: none, the writer always found a block ready) */
    assert_true(c.reports_before_last >= 3);
    tl_scenario_clear(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runner__progress_is_reported_while_the_writer_is_behind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
