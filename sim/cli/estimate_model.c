/* estimate_model.c — the arithmetic of the pre-flight time estimate (see
 * estimate_model.h): no clocks, no files, so that tests can give it pilot
 * timings, work and load and check the result. */
#include "estimate_model.h"

double tl_step_cost_mean(int done, double first, double second, int steps)
{
    int h1 = done / 2, h2 = done - h1, rest = steps - done;
    double r1, r2, slope, rate, tmean;
    if (done < 1 || steps < 1)
        return 0;
    if (rest <= 0 || h1 < 1)
        return (first + second) / done;
    r1 = first / h1;
    r2 = second / h2;
    /* per step, between the halves' centres (h1 - 1)/2 and h1 + (h2 - 1)/2 */
    slope = r2 > r1 ? (r2 - r1) / ((double)h1 + (h2 - 1) / 2.0 - (h1 - 1) / 2.0) : 0;
    tmean = (done + steps - 1) / 2.0; /* the mean step not run */
    rate = r2 + slope * (tmean - (h1 + (h2 - 1) / 2.0));
    if (rate > TL_STEP_GROWTH_CAP * r2)
        rate = TL_STEP_GROWTH_CAP * r2;
    return (first + second + rest * rate) / steps;
}

void tl_time_model(const tl_time_inputs *in, tl_time_estimate *out)
{
    double par = (double)(in->threads > 0 ? in->threads : 1) * (in->ranks > 0 ? in->ranks : 1);
    double w = par < in->runs ? par : (in->runs >= 1 ? in->runs : 1);
    double C = (in->cpus >= 1 ? in->cpus : 1) * (in->ranks > 0 ? in->ranks : 1);
    double s = in->share > 0 && in->share < 1 ? in->share : 1;
    double W = in->runs * in->run_cpu + in->worker_cpu, X = in->writer_cpu;
    double A = s * (w + 1 < C ? w + 1 : C); /* cores with all the sweep's threads busy */
    double one = A < 1 ? A : 1;             /* a thread alone: them, at most one */
    out->run_seconds = W / (A < w ? A : w);
    out->write_seconds = X / one;
    out->cores = A;
    out->cpu_seconds = (W + X) / A;
    out->serial_seconds = in->serial_cpu / one;
    out->work_cpu = W + X + in->serial_cpu;
    out->seconds = out->run_seconds;
    if (out->write_seconds > out->seconds)
        out->seconds = out->write_seconds;
    if (out->cpu_seconds > out->seconds)
        out->seconds = out->cpu_seconds;
    out->seconds += out->serial_seconds;
}
