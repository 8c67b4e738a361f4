/* bench_memory.c — the memory of one simulation: tl_sim_memory, tl_sim_memory_max and what it
 * holds after a run (tl_sim_memory_now); run under `/usr/bin/time -v` for the peak RSS of the
 * simulation alone. Usage: bench_memory EMPLOYEES UNITS CITIZENS STEPS [NEED_RATE]
 * (balanced preset, seed 1). */
#include <stdio.h>
#include <stdlib.h>

#include "tillit/presets.h"
#include "tillit/sim.h"

int main(int argc, char **argv)
{
    tl_params p;
    tl_error err = TL_ERROR_INIT;
    tl_sim *s = NULL;
    tl_run_key key = {1, 0, 0};
    if (argc < 5)
        return fprintf(stderr, "usage: %s EMPLOYEES UNITS CITIZENS STEPS [NEED_RATE]\n", argv[0]), 2;
    tl_params_default(&p);
    if (tl_preset_apply("balanced", &p, &err) != TL_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    p.employees = atof(argv[1]);
    p.units = atof(argv[2]);
    p.citizens = atof(argv[3]);
    p.steps = atof(argv[4]);
    if (argc > 5)
        p.need_rate = atof(argv[5]);
    printf("tl_sim_memory %zu, tl_sim_memory_max %zu", tl_sim_memory(&p, NULL),
           tl_sim_memory_max(&p, NULL));
    if (tl_sim_new(&s, &p, NULL, key, &err) != TL_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    for (int t = 0; t < (int)p.steps; t++)
        if (tl_sim_step(s, &err) != TL_OK)
            return fprintf(stderr, "%s\n", err.msg), 1;
    printf(", after %d steps tl_sim_memory_now %zu\n", (int)p.steps, tl_sim_memory_now(s));
    tl_sim_free(s);
    return 0;
}
