/* lab.c — the hidden-costs-of-control experiment (Falk & Kosfeld 2006) played by the model's employees (a calibration module, not part of a run). */
#include "lab.h"

#include <math.h>

#include <gsl/gsl_randist.h>

#include "mechanisms.h"

static double choose(double m, double scale, double floor)
{
    double x = round(120 * scale * tl_mech_clamp01(m));
    if (x > 120)
        x = 120;
    return x < floor ? floor : x;
}

int tl_lab_falk_kosfeld(const tl_params *p, int n, double floor, double scale, gsl_rng *r,
                        tl_lab_result *out)
{
    if (n <= 0 || !(floor >= 0 && floor <= 120) || !(scale >= 0))
        return -1;
    /* the lab's principal imposes the minimum itself: certain, by
     * measurement, not co-created */
    tl_params lab = *p;
    lab.control_mode = 0;
    lab.co_creation = 0;
    tl_regime reg;
    tl_mech_regime(&lab, &reg);
    reg.mode = 0;
    double controlling = tl_mech_controlling(&lab, &reg, 1.0, 0.0);
    double st = 0, sc = 0, lower = 0, same = 0, raise = 0;
    for (int k = 0; k < n; k++) {
        int selfish = gsl_rng_uniform(r) < p->self_interested_share;
        double z = gsl_ran_gaussian_ziggurat(r, 1.0);
        double a = tl_mech_control_aversion(p->control_indifferent_share, gsl_rng_uniform(r));
        double m0 = tl_mech_clamp01(p->motivation_baseline + p->motivation_spread * z);
        double xt = selfish ? 0 : choose(m0, scale, 0);
        double xc = selfish ? floor : choose(m0 - p->crowding_out * a * controlling, scale, floor);
        st += xt;
        sc += xc;
        lower += xc < xt;
        same += xc == xt;
        raise += xc > xt;
    }
    out->mean_trusted = st / n;
    out->mean_controlled = sc / n;
    out->share_lower = lower / n;
    out->share_same = same / n;
    out->share_raise = raise / n;
    return 0;
}
