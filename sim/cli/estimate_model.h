/* estimate_model.h — the arithmetic of the pre-flight time estimate, apart from
 * measuring: a run's mean cost per step from a pilot's two halves, and the wall
 * time of a sweep from its CPU work, its threads, the cores it may use and the
 * load beside it. Pure functions (tests/unit/test_estimate_model.c). */
#ifndef TILLIT_ESTIMATE_MODEL_H
#define TILLIT_ESTIMATE_MODEL_H

/* A step's cost may grow over a run (queues filling); extrapolated growth is
 * capped at this many times the pilot's later rate. */
#define TL_STEP_GROWTH_CAP 4.0

/* The mean CPU seconds per step over a run of `steps` steps, when a pilot ran
 * its first `done` steps (1 <= done <= steps) and spent `first` seconds on
 * the first done/2 of them and `second` on the rest. All steps done: their
 * mean. Otherwise the steps not run cost the later half's rate, plus, when
 * that rate is above the earlier half's, the growth between the halves
 * continued linearly (a cheaper later half, warm-up, is not extrapolated
 * downwards), at most TL_STEP_GROWTH_CAP times the later rate. */
double tl_step_cost_mean(int done, double first, double second, int steps);

/* What the time estimate is made of. CPU seconds are of one core, as a
 * thread's CPU clock measures them, so load does not inflate them. */
typedef struct tl_time_inputs {
    double runs;       /* runs to do */
    double run_cpu;    /* one run: its simulation made and all its steps */
    double worker_cpu; /* the workers' output work, all blocks (summaries, compression) */
    double writer_cpu; /* the writing thread's work while runs go on (storing blocks) */
    double serial_cpu; /* work before and after the runs, on one thread (layouts, start, end) */
    int threads;       /* worker threads per process */
    int ranks;         /* processes (MPI ranks), each with its own cores */
    double cpus;       /* cores one process may use (affinity mask, CPU quota) */
    double share;      /* the share of a core each thread gets beside the other work on the
                          machine, in (0, 1]: 1 on an idle machine (measured by the pilot) */
} tl_time_inputs;

typedef struct tl_time_estimate {
    double seconds;       /* wall time: the larger of the three bounds below, plus serial */
    double run_seconds;   /* the workers' work shared among them */
    double write_seconds; /* the writer's work on its share of a core */
    double cpu_seconds;   /* both, over the cores this sweep gets when all its threads are busy */
    double serial_seconds;
    double work_cpu;      /* all of it in CPU seconds: W + X + serial_cpu */
    double cores;         /* A: cores this sweep gets with all its threads busy */
} tl_time_estimate;

/* The wall time. With w = min(threads x ranks, runs) workers, the writer,
 * C = cpus x ranks and s = share, the sweep's threads get A = s x min(w + 1,
 * C) cores when all are busy (the pilot measured s with that many threads
 * at once), and fewer threads get them too, at most a core each (a
 * scheduler that shares the machine between sessions, as Linux's
 * autogroup does, gives a session's threads its share whatever their
 * number; one that shares it between threads gives a lone thread less,
 * and then writer-bound estimates come out short):
 *   workers alone      W / min(w, A)                W = runs x run_cpu + worker_cpu
 *   writer alone       X / min(1, A)                X = writer_cpu
 *   all busy           (W + X) / A
 *   seconds = the largest + serial_cpu / min(1, A). */
void tl_time_model(const tl_time_inputs *in, tl_time_estimate *out);

#endif
