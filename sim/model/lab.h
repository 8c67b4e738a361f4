/* lab.h — the hidden-costs-of-control experiment (Falk & Kosfeld 2006) played by the model's employees. */
#ifndef TL_MODEL_LAB_H
#define TL_MODEL_LAB_H

#include <gsl/gsl_rng.h>

#include "tillit/params.h"

/* What a lab session gives: mean effort (0..120) when trusted and when a
 * minimum is imposed, and the shares of agents who choose less, the same or
 * more under control than when trusted. */
typedef struct tl_lab_result {
    double mean_trusted, mean_controlled;
    double share_lower, share_same, share_raise;
} tl_lab_result;

/* Falk & Kosfeld's (2006) principal-agent game with n agents drawn as the
 * model draws employees: self-interested with self_interested_share, the
 * others with baseline motivation m0 ~ N(motivation_baseline,
 * motivation_spread) clamped to [0,1]. Each agent chooses an effort in
 * 0..120 (whole numbers) twice: trusted (no minimum) and controlled (a
 * minimum `floor` imposed by the agent's own principal).
 *   self-interested: trusted 0, controlled `floor` (the model's effort_floor
 *     and effort_norm, on the lab's scale);
 *   reciprocal: round(120 * scale * m), with m = m0 when trusted and
 *     m0 - crowding_out * controlling under control, where controlling is
 *     tl_mech_controlling at certain control (exposure 1, measurement, no
 *     co-creation); at least `floor` under control.
 * scale maps motivation to voluntary effort in the lab (the one number the
 * lab needs that the model does not have). Draws from r; 0 on success. */
int tl_lab_falk_kosfeld(const tl_params *p, int n, double floor, double scale, gsl_rng *r,
                        tl_lab_result *out);

#endif
