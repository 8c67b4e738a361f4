/* workforce.c — employees week by week: absence, compliance, effort, motivation, safety, trust, strain, skill, turnover (mechanisms 3, 7, 10). */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "sim_internal.h"

/* Prior mean of unit u's manager's trust: the lever plus the unit's style. */
static double prior_mean(const tl_sim *s, int32_t u)
{
    double m = s->p.baseline_trust + s->trust_offset[u];
    return m < 0.01 ? 0.01 : (m > 0.99 ? 0.99 : m);
}

static double logit(double x) { return log(x / (1 - x)); }

void tl_workforce_hire(tl_sim *s, int32_t i, int initial)
{
    const tl_params *p = &s->p;
    gsl_rng *r = s->rng[initial ? TL_STREAM_INIT : TL_STREAM_WORKFORCE];
    gsl_rng *rk = s->rng[initial ? TL_STREAM_INIT : TL_STREAM_KNOWLEDGE];
    int32_t u = s->unit[i];
    double sel = tl_rng_uniform(r), zs = gsl_ran_gaussian_ziggurat(r, 1.0),
           zm = gsl_ran_gaussian_ziggurat(r, 1.0), ut = tl_rng_uniform(r),
           za = gsl_ran_gaussian_ziggurat(r, 1.0), zc = gsl_ran_gaussian_ziggurat(r, 1.0);
    double apt = p->aptitude_mean + p->aptitude_sd * za;
    s->selfish[i] = sel < p->self_interested_share;
    s->aptitude[i] = (float)(apt < TL_C_APTITUDE_MIN ? TL_C_APTITUDE_MIN : (apt > 1 ? 1 : apt));
    s->skill[i] = initial ? (float)tl_mech_clamp01(p->skill_initial + 0.15 * zs)
                          : (float)tl_mech_clamp01(p->skill_newcomer + TL_C_NEWCOMER_SD * zs);
    s->motivation0[i] = (float)tl_mech_clamp01(p->motivation_baseline + p->motivation_spread * zm);
    s->motivation[i] = s->motivation0[i];
    s->safety[i] = 0.5f;
    s->strain[i] = 0.2f;
    s->trust_mgr[i] = 0.5f;
    s->trust_lo[i] = (float)logit(prior_mean(s, u));
    s->ccost[i] = (float)(p->compliance_cost * exp(p->compliance_spread * zc));
    s->aversion[i] = (float)tl_mech_control_aversion(p->control_indifferent_share,
                                                     tl_rng_uniform(s->rng[TL_STREAM_TRAITS]));
    s->prisk[i] = (float)p->risk_prior;
    s->complies[i] = 0;
    s->strikes[i] = 0;
    s->tenure[i] = initial ? (int32_t)(ut * 520) : 0;
    /* a recruit's effort is only a placeholder until their first week: the
     * effort metrics leave out employees with tenure 0 */
    s->effort[i] = s->selfish[i] ? (float)p->effort_floor : s->motivation[i];
    tl_knowledge_random_beliefs(s, i, rk);
}

void tl_workforce_prepare(tl_sim *s)
{
    const tl_params *p = &s->p;
    const tl_regime *R = &s->r;
    gsl_rng *rw = s->rng[TL_STREAM_WORKFORCE];
    double risk_sum = 0;
    for (int32_t i = 0; i < s->ne; i++)
        risk_sum += 1 - tl_mech_trust_from_logodds(s->trust_lo[i]);
    s->mean_risk = risk_sum / s->ne;
    if (s->mean_risk < 1e-9)
        s->mean_risk = 1e-9;
    for (int32_t u = 0; u < s->nu; u++) {
        /* reporting upward first, then the week's meetings; audits,
         * escalations and actions take what is left as cases come, and
         * support gets the rest */
        double left = fmax(0.0, p->manager_hours - R->report_hours);
        double meet = fmin(fmax(left, 0.0), R->meet_mgr_hours);
        s->mgr_hours[u] = (float)(left - meet);
        s->k.m_report += R->report_hours < p->manager_hours ? R->report_hours : p->manager_hours;
        s->k.m_meet += meet;
        s->u_sanctions[u] = s->u_lessons[u] = 0;
        s->u_cases[u] = s->u_audits[u] = s->u_acted[u] = 0;
        double mt = 0;
        for (int32_t i = s->ufirst[u]; i < s->ufirst[u] + s->usize[u]; i++)
            mt += tl_mech_trust_from_logodds(s->trust_lo[i]);
        s->attention[u] = (float)tl_mech_attention(p, s->usize[u] > 0 ? mt / s->usize[u] : 0);
    }
    /* documentation for control, as a share of a week, felt as control */
    double cases_per_emp = (double)s->nc * p->need_rate / s->ne;
    double doc_ctrl = tl_mech_clamp01((R->doc_hours - R->doc_base) * cases_per_emp / p->hours_per_week);
    double learn_h = p->hours_per_week * R->learning_share;
    double fixed_h = learn_h + R->meet_emp_hours;
    for (int32_t i = 0; i < s->ne; i++) {
        int32_t u = s->unit[i];
        double risk_rel = (1 - tl_mech_trust_from_logodds(s->trust_lo[i])) / s->mean_risk;
        double expo = tl_mech_audit_exposure(R, risk_rel, s->ctrl_factor[u] * s->attention[u]);
        double u_abs = tl_rng_uniform(rw);
        double strain_over = s->strain[i] > 0.5 ? s->strain[i] - 0.5 : 0;
        s->exposure[i] = (float)expo;
        s->controlling[i] = (float)tl_mech_controlling(p, R, expo, doc_ctrl);
        s->burnt[i] = s->strain[i] >= p->burnout_threshold;
        s->complies[i] = s->selfish[i] && tl_mech_complies(R, s->prisk[i], s->ccost[i]);
        s->effort[i] =
            (float)tl_mech_effort(p, s->selfish[i], s->motivation[i], s->complies[i], s->burnt[i]);
        s->absent[i] = u_abs < p->absence_rate * (1 + TL_C_ABSENCE_STRAIN * strain_over);
        if (s->absent[i]) {
            s->k.absent++;
            s->hours_left[i] = 0;
            s->hours_worked[i] = 0;
        } else {
            s->hours_left[i] = (float)(p->hours_per_week - fixed_h);
            s->hours_worked[i] = (float)fixed_h;
            s->k.h_learning += learn_h;
            s->k.h_meet += R->meet_emp_hours;
        }
        s->sanctioned[i] = 0;
        s->shirk_seen[i] = 0;
        s->own_lessons[i] = 0;
        s->n_cases[i] = s->n_audits[i] = 0;
        s->direct[i] = 0;
    }
}

void tl_workforce_update(tl_sim *s)
{
    const tl_params *p = &s->p;
    const tl_regime *R = &s->r;
    double arrivals_per_unit = (double)s->nc * p->need_rate / s->nu;
    double skill_gain_learn = p->learning_rate * R->learning_share;
    for (int32_t u = 0; u < s->nu; u++) {
        int32_t n = s->usize[u];
        double left = s->mgr_hours[u] > 0 ? s->mgr_hours[u] : 0;
        double need = n * p->support_need_hours;
        double lead = fmin(1.0, left / need);
        double team_per_lesson = p->team_learning * p->learn_from_error * p->openness / n;
        double backlog = arrivals_per_unit > 0 ? fmin(1.0, s->queue[u].len / arrivals_per_unit) : 0;
        double lo0 = logit(prior_mean(s, u));
        double unit_rate = s->u_cases[u] > 0 ? (double)s->u_audits[u] / s->u_cases[u] : 0;
        double acted_share = (double)s->u_acted[u] / n;
        if (need > left)
            s->k.support_short += need - left;
        for (int32_t i = s->ufirst[u]; i < s->ufirst[u] + n; i++) {
            double sup = 0.5 * p->support + 0.5 * lead;
            double ctl = s->controlling[i];
            double sk = s->skill[i];
            double gap = s->aptitude[i] > sk ? s->aptitude[i] - sk : 0;
            double witnessed = (double)(s->u_sanctions[u] - s->sanctioned[i]) / n;
            double demand = s->hours_worked[i] / p->hours_per_week + 0.5 * backlog;
            double overtime = s->hours_worked[i] - p->hours_per_week;
            double own_rate = s->n_cases[i] > 0 ? (double)s->n_audits[i] / s->n_cases[i] : NAN;
            if (overtime > 0)
                s->k.h_overtime += overtime;
            s->support[i] = (float)sup;
            /* skill approaches the employee's aptitude through practice,
             * learning time and colleagues' lessons (one's own were learnt in
             * full), and decays */
            double team = team_per_lesson * (s->u_lessons[u] - s->own_lessons[i]);
            double learn = s->absent[i] ? 0 : skill_gain_learn;
            sk += (p->experience_rate * fmin(1.0, s->direct[i] / p->hours_per_week) + learn + team) * gap -
                  p->skill_decay * sk;
            s->skill[i] = (float)tl_mech_clamp01(sk);
            s->safety[i] = (float)tl_mech_clamp01(
                tl_mech_approach(s->safety[i], tl_mech_safety_target(p, s->trust_mgr[i]),
                                 p->safety_rate, p->safety_rate) -
                p->witness_shock * witnessed);
            s->motivation[i] = (float)tl_mech_approach(
                s->motivation[i],
                tl_mech_motivation_target(p, R, s->motivation0[i], ctl * s->aversion[i], sup,
                                          s->trust_mgr[i],
                                          s->strain[i]),
                p->motivation_rise, p->motivation_fall);
            s->trust_mgr[i] = (float)tl_mech_approach(
                s->trust_mgr[i], tl_mech_trust_target(p, sup, ctl), p->trust_rise, p->trust_fall);
            s->strain[i] = (float)tl_mech_approach(s->strain[i],
                                                   tl_mech_strain_target(R, demand, ctl, sup),
                                                   p->strain_rate, p->strain_rate);
            s->prisk[i] = (float)tl_mech_perceived_risk(p, R, s->prisk[i], own_rate, unit_rate,
                                                        acted_share);
            /* the manager's belief fades toward the starting expectation */
            s->trust_lo[i] = (float)tl_mech_trust_forget(p, s->trust_lo[i], lo0);
            s->tenure[i]++;
        }
    }
}

void tl_workforce_turnover(tl_sim *s)
{
    const tl_params *p = &s->p;
    gsl_rng *r = s->rng[TL_STREAM_WORKFORCE];
    for (int32_t i = 0; i < s->ne; i++) {
        double uq = tl_rng_uniform(r);
        if (s->strikes[i] >= p->strikes_to_remove) {
            s->k.removals++;
        } else {
            /* problems acted on fade after the removal check, so that
             * strikes_to_remove strikes in one week do remove */
            s->strikes[i] *= (float)TL_C_STRIKE_DECAY;
            if (uq >= tl_mech_quit_prob(p, s->strain[i], s->burnt[i]))
                continue;
        }
        s->k.leavers++;
        s->k.hires++;
        tl_workforce_hire(s, i, 0);
    }
}
