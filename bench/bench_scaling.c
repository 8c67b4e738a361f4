/* bench_scaling.c — how the cost of one simulation grows with the organisation (issue 14,
 * item 4): EMPLOYEES employees in EMPLOYEES/50 units (as the large municipality: 10,000 in 200),
 * 50 citizens per employee, STEPS weekly steps (default 104), the balanced preset, seed 1. Prints
 * the simulation's wall and CPU seconds, agent-steps per second ((employees + citizens) x steps
 * per CPU second), nanoseconds of CPU per case completed, the cases, tl_sim_memory and peak RSS.
 * One size per process, so that the peak RSS is that size's; run it pinned to one core:
 *   taskset -c 0 build/bench/bench_scaling 10000 [STEPS] [REPEATS]
 * (bench/run.sh runs 1,000, 10,000 and 100,000 employees). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "tillit/metrics.h"
#include "tillit/presets.h"
#include "tillit/sim.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    tl_params p;
    tl_error err = TL_ERROR_INIT;
    long employees = argc > 1 ? atol(argv[1]) : 0;
    int steps = argc > 2 ? atoi(argv[2]) : 104, repeats = argc > 3 ? atoi(argv[3]) : 1;
    double best_wall = 1e30, best_cpu = 1e30, cases = 0;
    if (employees < 50 || steps < 1 || repeats < 1)
        return fprintf(stderr, "usage: %s EMPLOYEES (>= 50) [STEPS (104)] [REPEATS (1)]\n",
                       argv[0]),
               2;
    gsl_set_error_handler_off();
    tl_params_default(&p);
    if (tl_preset_apply("balanced", &p, &err) != TL_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    p.employees = (double)employees;
    p.units = (double)(employees / 50);
    p.citizens = 50.0 * (double)employees;
    p.steps = steps;
    if (tl_params_validate(&p, &err) != TL_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    double *data = malloc(sizeof(double) * (size_t)steps * TL_NMETRICS);
    if (!data)
        return fprintf(stderr, "out of memory\n"), 1;
    for (int k = 0; k < repeats; k++) {
        tl_run_key key = {1, 0, (uint32_t)k};
        double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        if (tl_run(&p, NULL, key, data, NULL, 0, NULL, &err) != TL_OK)
            return fprintf(stderr, "%s\n", err.msg), 1;
        double wall = clock_s(CLOCK_MONOTONIC) - w0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        double done = 0;
        for (int t = 0; t < steps; t++)
            done += data[(size_t)t * TL_NMETRICS + TL_METRIC_IDX_cases_completed];
        if (cpu < best_cpu) {
            best_cpu = cpu;
            best_wall = wall;
            cases = done;
        }
        fprintf(stderr, "repeat %d: %.3f s wall, %.3f s CPU\n", k + 1, wall, cpu);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double agent_steps = (p.employees + p.citizens) * steps;
    printf("employees %ld units %ld citizens %.0f steps %d: wall %.3f s, cpu %.3f s, "
           "%.1f M agent-steps/s, %.1f ns per case (%.0f cases), tl_sim_memory %.1f MiB, "
           "peak RSS %.1f MiB\n",
           employees, employees / 50, p.citizens, steps, best_wall, best_cpu,
           agent_steps / best_cpu / 1e6, best_cpu * 1e9 / (cases > 0 ? cases : 1), cases,
           tl_sim_memory(&p, NULL) / 1048576.0, ru.ru_maxrss / 1024.0);
    free(data);
    return 0;
}
