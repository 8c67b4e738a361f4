/* bench_steps.c — the cost of each step of a run, to see whether later steps of a long
 * run cost more than the first (the pre-flight estimate's pilot times a few steps).
 * Usage: bench_steps SCENARIO.yaml [POINT [REPLICATE [BIN]]]: runs one point's replicate to
 * its last step and prints, per BIN steps (default 26), the mean CPU seconds per step of this
 * thread (CLOCK_THREAD_CPUTIME_ID: unaffected by other work on a loaded machine) and of the
 * wall clock. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tillit/scenario.h"
#include "tillit/scenario_yaml.h"
#include "tillit/sim.h"

static double clock_s(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    tl_sim *s = NULL;
    int point = argc > 2 ? atoi(argv[2]) : 0, rep = argc > 3 ? atoi(argv[3]) : 0;
    int bin = argc > 4 ? atoi(argv[4]) : 26, steps;
    double c0, w0, cpu = 0, wall = 0;
    if (argc < 2)
        return fprintf(stderr, "usage: %s SCENARIO.yaml [POINT [REPLICATE [BIN]]]\n", argv[0]), 2;
    tl_scenario_init(&sc);
    if (tl_scenario_load_yaml(argv[1], &sc, &err) != TL_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    if (point < 0 || point >= sc.npoints || bin < 1)
        return fprintf(stderr, "point 0..%d, bin >= 1\n", sc.npoints - 1), 2;
    steps = (int)sc.points[point].params.steps;
    tl_run_key key = {sc.seed, (uint32_t)point, (uint32_t)rep};
    c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    w0 = clock_s(CLOCK_MONOTONIC);
    if (tl_sim_new(&s, &sc.points[point].params, &sc.points[point].sched, key, &err) != TL_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    printf("# %s point %d replicate %d, %d steps\n# new: cpu %.3f ms, wall %.3f ms\n", argv[1],
           point, rep, steps, 1e3 * (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0),
           1e3 * (clock_s(CLOCK_MONOTONIC) - w0));
    printf("# steps  cpu_ms_per_step  wall_ms_per_step\n");
    for (int t = 0; t < steps; t++) {
        double c = clock_s(CLOCK_THREAD_CPUTIME_ID), w = clock_s(CLOCK_MONOTONIC);
        if (tl_sim_step(s, &err) != TL_OK)
            return fprintf(stderr, "%s\n", err.msg), 1;
        cpu += clock_s(CLOCK_THREAD_CPUTIME_ID) - c;
        wall += clock_s(CLOCK_MONOTONIC) - w;
        if ((t + 1) % bin == 0 || t + 1 == steps) {
            int n = (t + 1) % bin ? (t + 1) % bin : bin;
            printf("%d-%d  %.4f  %.4f\n", t + 1 - n, t, 1e3 * cpu / n, 1e3 * wall / n);
            cpu = wall = 0;
        }
    }
    tl_sim_free(s);
    tl_scenario_clear(&sc);
    return 0;
}
