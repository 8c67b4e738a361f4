/* mechanisms.c — the functional forms of the model (see docs/ODD.md, Submodels). */
#include "mechanisms.h"

#include <math.h>

double tl_mech_clamp01(double x) { return x < 0 ? 0 : (x > 1 ? 1 : x); }

double tl_mech_approach(double x, double target, double up, double down)
{
    double rate = target > x ? up : down;
    return tl_mech_clamp01(x + rate * (target - x));
}

void tl_mech_regime(const tl_params *p, tl_regime *r)
{
    double chain = tl_mech_clamp01(p->targeted_grants * p->grant_control +
                                   (1 - p->trust_from_above) * p->above_control);
    double push = p->cascade * chain;
    r->chain = chain;
    r->control = p->control_intensity + push * (1 - p->control_intensity);
    {
        /* the chain's part of the control is targeted only as far as
         * cascade_selectivity says */
        double added = r->control - p->control_intensity;
        double spread = r->control > 0 ? (1 - p->cascade_selectivity) * added / r->control : 0;
        r->selectivity = p->control_selectivity * (1 - spread);
    }
    r->mandate = p->mandate * (1 - push);
    r->mode = p->control_mode * (1 - push);
    r->doc_base = p->doc_base_hours * (1 - p->support_relief * p->support);
    r->doc_hours = (p->doc_base_hours + p->doc_control_hours * r->control * (1 - TL_C_DIALOGUE_DOC * r->mode) +
                    p->grant_doc_hours * p->targeted_grants + p->rule_doc_hours * p->rule_frame) *
                   (1 - p->support_relief * p->support);
    r->report_hours = p->report_base_hours + p->grant_report_hours * p->targeted_grants;
    r->audit_hours = p->audit_hours_measurement +
                     r->mode * (p->audit_hours_dialogue - p->audit_hours_measurement);
    r->audit_emp_hours = p->audit_employee_hours * r->mode;
    r->detect_error = p->detect_measurement + r->mode * (p->detect_dialogue - p->detect_measurement);
    r->detect_shirk = p->detect_shirk_measurement +
                      r->mode * (p->detect_shirk_dialogue - p->detect_shirk_measurement);
    /* measurement sees less the more individual the case (opacity); dialogue
     * does not depend on it */
    r->detect_error_slope = (1 - r->mode) * p->detect_measurement * p->opacity;
    r->detect_shirk_slope = (1 - r->mode) * p->detect_shirk_measurement * p->opacity;
    r->crowding = p->crowding_out * ((1 - p->crowding_task) +
                                     p->crowding_task * p->complexity_mean / TL_C_TASK_REF);
    r->learning_share = p->knowledge * p->learning_time_max;
    r->voice_gap = p->voice_gap * (1 - TL_C_FOCUS_VOICE * p->citizen_focus) *
                   (1 - TL_C_RULE_VOICE * p->rule_frame);
    r->consequence = tl_mech_clamp01(p->firmness + p->sanction_deterrence * (1 - p->error_tolerance));
    r->stakes = r->control * (1 - p->citizen_focus) * r->consequence;
    r->detect_gaming = p->detect_gaming * r->mode;
    r->focus_hours = p->focus_hours * p->citizen_focus;
    r->meet_emp_hours = p->openness_hours * p->openness +
                        p->cocreation_hours * p->co_creation / TL_C_COCREATION_STAFF;
    r->meet_mgr_hours = TL_C_OPENNESS_MANAGER * p->openness_hours * p->openness +
                        p->cocreation_hours * p->co_creation;
    r->collab_success = p->silo_success + (1 - p->silo_success) * p->holistic_view;
    r->collab_hours = p->collab_hours * p->holistic_view;
    r->p1 = p->socialisation_rate * (1 - p->openness_damping * p->openness);
    r->p1_fast = p->socialisation_rate_fast * (1 - p->openness_damping * p->openness);
    r->p2 = p->code_learning_rate *
            (1 - p->knowledge_code_weight + p->knowledge_code_weight * p->knowledge);
}

double tl_mech_detect_at(double base, double slope, double x)
{
    return tl_mech_clamp01(base - slope * (x - TL_C_TASK_REF));
}

double tl_mech_fit_standard(double x) { return 1 - x * (1 - TL_C_STD_FIT_AT_FULL_COMPLEXITY); }

double tl_mech_fit_tailored(double x, double s_eff, double voice, double rule_frame)
{
    double std = tl_mech_fit_standard(x);
    double raw = 1 - x * (1 - s_eff);
    if (raw > std)
        raw = std + (raw - std) * (1 - TL_C_RULE_LIMIT * rule_frame);
    double f = raw * (1 - voice * x);
    double floor = rule_frame * std;
    return f > floor ? f : floor;
}

double tl_mech_skill_effective(double skill, double knowledge, double kq_weight)
{
    return skill * (1 - kq_weight + kq_weight * knowledge);
}

double tl_mech_quality(double fit, double effort, double gaming, double gaming_cost)
{
    return fit * (TL_C_QUALITY_AT_ZERO_EFFORT + (1 - TL_C_QUALITY_AT_ZERO_EFFORT) * effort) *
           (1 - gaming_cost * gaming);
}

double tl_mech_rationing(double rationing, double waiting, int overtime)
{
    double pressure = overtime ? 1 : waiting < 1 ? (waiting > 0 ? waiting : 0) : 1;
    return tl_mech_clamp01(rationing * pressure);
}

double tl_mech_quality_measured(double q_true, double gaming)
{
    return q_true + gaming * (1 - q_true);
}

double tl_mech_gaming(const tl_params *p, const tl_regime *r, int self_interested)
{
    double g = p->gaming * r->stakes * (1 - r->detect_gaming);
    return tl_mech_clamp01(self_interested ? g : p->gaming_reciprocal * g);
}

double tl_mech_case_hours(const tl_params *p, double x, double effort, double u)
{
    double speed = TL_C_SPEED_AT_ZERO_EFFORT + (1 - TL_C_SPEED_AT_ZERO_EFFORT) * effort;
    double var = 1 - p->case_hours_cv - p->case_hours_cv * log1p(-u);
    if (var < 0.05)
        var = 0.05; /* cv above 0.95 can push the factor toward 0 */
    return p->case_hours * (1 + p->complexity_hours * x) * var / speed;
}

double tl_mech_error_prob(double base, double x, double skill, double effort, int burnt_out,
                          double discretion)
{
    double pr = base * (0.5 + x) * (1.5 - skill) * (1.5 - effort) *
                (burnt_out ? 1 + TL_C_BURNOUT_ERRORS : 1.0) * discretion;
    return pr > TL_C_ERROR_CAP ? TL_C_ERROR_CAP : pr;
}

double tl_mech_discretion_risk(const tl_params *p, double s_eff)
{
    return 1 + p->discretion_error * (1 - p->rule_frame) * (1 - tl_mech_clamp01(s_eff));
}

double tl_mech_voice_gap(const tl_regime *r, double s_eff)
{
    return tl_mech_clamp01(r->voice_gap * (1.5 - tl_mech_clamp01(s_eff)));
}

double tl_mech_error_severity(double u, double v)
{
    /* u^k has mean 1/(k+1) = v for k = (1-v)/v: most errors minor, a few serious */
    return pow(u, (1 - v) / v);
}

double tl_mech_report_prob(const tl_params *p, double safety, int self_interested)
{
    double pr = safety * (p->report_base + (1 - p->report_base) * p->openness);
    return self_interested ? pr * p->self_interested_report : pr;
}

double tl_mech_audit_exposure(const tl_regime *r, double risk_rel, double unit)
{
    double a = unit * r->control * ((1 - r->selectivity) + r->selectivity * risk_rel);
    return tl_mech_clamp01(a);
}

double tl_mech_audit_prob(const tl_params *p, const tl_regime *r, double risk_rel, double v,
                          double unit)
{
    double stakes = (0.5 + v) / (0.5 + p->severity_mean);
    double a = unit * r->control *
               ((1 - r->selectivity) + r->selectivity * risk_rel * stakes);
    return tl_mech_clamp01(a);
}

double tl_mech_perceived_risk(const tl_params *p, const tl_regime *r, double risk,
                              double own_rate, double unit_rate, double acted_share)
{
    double rate = isnan(own_rate) ? unit_rate
                                  : p->risk_own_weight * own_rate + (1 - p->risk_own_weight) * unit_rate;
    double detect = tl_mech_detect_at(r->detect_shirk, r->detect_shirk_slope, p->complexity_mean);
    double seen = tl_mech_clamp01(rate * detect + p->risk_salience * acted_share);
    return tl_mech_clamp01(risk + p->risk_learning * (seen - risk));
}

int tl_mech_complies(const tl_regime *r, double risk, double cost)
{
    return risk * r->consequence >= cost;
}

double tl_mech_trust_from_logodds(double lo) { return 1 / (1 + exp(-lo)); }

double tl_mech_trust_forget(const tl_params *p, double lo, double lo0)
{
    return lo0 + (1 - p->trust_forgetting) * (lo - lo0);
}

double tl_mech_attention(const tl_params *p, double mean_trust)
{
    double over = mean_trust > 0.5 ? (mean_trust - 0.5) / 0.5 : 0;
    return 1 - p->complacency * over;
}

double tl_mech_effort(const tl_params *p, int self_interested, double motivation, int complies,
                      int burnt_out)
{
    double e = self_interested ? p->effort_floor : motivation;
    if (complies && e < p->effort_norm)
        e = p->effort_norm;
    return burnt_out ? e * (1 - TL_C_BURNOUT_EFFORT) : e;
}

double tl_mech_controlling(const tl_params *p, const tl_regime *r, double exposure,
                           double doc_control_share)
{
    double felt = tl_mech_clamp01(TL_C_AUDIT_SALIENCE * exposure + doc_control_share);
    return felt * (1 - TL_C_DIALOGUE_RELIEF * r->mode) * (1 - TL_C_COCREATION_RELIEF * p->co_creation);
}

double tl_mech_motivation_target(const tl_params *p, const tl_regime *r, double m0,
                                 double controlling, double support, double trust_mgr,
                                 double strain)
{
    /* crowding in only adds: what takes motivation away is control felt as
     * distrust (crowding out), counted once */
    double in = 0.4 * (r->mandate - 0.5) + 0.3 * (support - 0.5) + 0.3 * (trust_mgr - 0.5);
    if (in < 0)
        in = 0;
    double burn = strain > 0.5 ? strain - 0.5 : 0;
    return tl_mech_clamp01(m0 + p->crowding_in * in - r->crowding * controlling - 0.5 * burn);
}

double tl_mech_control_aversion(double indifferent_share, double u)
{
    return u < indifferent_share ? 0 : 1 / (1 - indifferent_share);
}

double tl_mech_safety_target(const tl_params *p, double trust_mgr)
{
    return tl_mech_clamp01(0.2 + 0.4 * p->openness + 0.4 * trust_mgr);
}

double tl_mech_trust_target(const tl_params *p, double support, double controlling)
{
    return tl_mech_clamp01(0.2 + 0.2 * support + 0.2 * p->openness + 0.2 * p->co_creation +
                           0.2 * p->baseline_trust - 0.3 * controlling);
}

double tl_mech_strain_target(const tl_regime *r, double demand, double controlling, double support)
{
    double over = demand - 0.85;
    return tl_mech_clamp01(0.15 + 0.8 * (over > 0 ? over : 0) + 0.3 * controlling +
                           0.2 * (0.5 - r->mandate) + 0.2 * (0.5 - support));
}

double tl_mech_quit_prob(const tl_params *p, double strain, int burnt_out)
{
    double s = strain > TL_C_QUIT_STRAIN_FROM
                   ? (strain - TL_C_QUIT_STRAIN_FROM) / (1 - TL_C_QUIT_STRAIN_FROM)
                   : 0;
    double q = p->quit_base + p->quit_strain * s * (burnt_out ? 1.5 : 1.0);
    return q > 1 ? 1 : q;
}

double tl_mech_code_adopt_prob(double p2, int k)
{
    return k <= 0 ? 0 : 1 - pow(1 - p2, k);
}
