/* workforce.c — employees week by week: effort, motivation, safety, trust, strain, skill, turnover (mechanisms 3, 7, 10). */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "sim_internal.h"

/* Prior mean of unit u's manager's trust: the lever plus the unit's style. */
static double prior_mean(const tl_sim *s, int32_t u)
{
    double m = s->p.baseline_trust + s->trust_offset[u];
    return m < 0.01 ? 0.01 : (m > 0.99 ? 0.99 : m);
}

void tl_workforce_hire(tl_sim *s, int32_t i, int initial)
{
    const tl_params *p = &s->p;
    gsl_rng *r = s->rng[initial ? TL_STREAM_INIT : TL_STREAM_WORKFORCE];
    gsl_rng *rk = s->rng[initial ? TL_STREAM_INIT : TL_STREAM_KNOWLEDGE];
    int32_t u = s->unit[i];
    double pm = prior_mean(s, u);
    double sel = gsl_rng_uniform(r), zs = gsl_ran_gaussian_ziggurat(r, 1.0),
           zm = gsl_ran_gaussian_ziggurat(r, 1.0), ut = gsl_rng_uniform(r);
    s->selfish[i] = sel < p->self_interested_share;
    s->skill[i] = initial ? (float)tl_mech_clamp01(p->skill_initial + 0.15 * zs)
                          : (float)tl_mech_clamp01(p->skill_newcomer + TL_C_NEWCOMER_SD * zs);
    s->motivation0[i] = (float)tl_mech_clamp01(p->motivation_baseline + p->motivation_spread * zm);
    s->motivation[i] = s->motivation0[i];
    s->safety[i] = 0.5f;
    s->strain[i] = 0.2f;
    s->trust_mgr[i] = 0.5f;
    s->alpha[i] = (float)(pm * p->trust_prior_strength);
    s->beta[i] = (float)((1 - pm) * p->trust_prior_strength);
    s->strikes[i] = 0;
    s->tenure[i] = initial ? (int32_t)(ut * 520) : 0;
    s->effort[i] = s->selfish[i] ? (float)p->effort_floor : s->motivation[i];
    tl_knowledge_random_beliefs(s, i, rk);
}

void tl_workforce_prepare(tl_sim *s)
{
    const tl_params *p = &s->p;
    const tl_regime *R = &s->r;
    double risk_sum = 0;
    for (int32_t i = 0; i < s->ne; i++)
        risk_sum += s->beta[i] / (s->alpha[i] + s->beta[i]);
    s->mean_risk = risk_sum / s->ne;
    if (s->mean_risk < 1e-9)
        s->mean_risk = 1e-9;
    for (int32_t u = 0; u < s->nu; u++) {
        s->mgr_hours[u] = (float)(p->manager_hours - R->report_hours);
        s->k.m_report += R->report_hours < p->manager_hours ? R->report_hours : p->manager_hours;
        s->u_sanctions[u] = 0;
        s->u_lessons[u] = 0;
    }
    /* documentation for control, as a share of a week, felt as control */
    double cases_per_emp = (double)s->nc * p->need_rate / s->ne;
    double doc_ctrl = tl_mech_clamp01((R->doc_hours - R->doc_base) * cases_per_emp / p->hours_per_week);
    double learn_h = p->hours_per_week * R->learning_share;
    for (int32_t i = 0; i < s->ne; i++) {
        double risk_rel = s->beta[i] / (s->alpha[i] + s->beta[i]) / s->mean_risk;
        double expo = tl_mech_audit_exposure(p, R, risk_rel, s->ctrl_factor[s->unit[i]]);
        double enforced = tl_mech_enforced_effort(p, R, expo);
        s->exposure[i] = (float)expo;
        s->controlling[i] = (float)tl_mech_controlling(p, R, expo, doc_ctrl);
        s->burnt[i] = s->strain[i] >= p->burnout_threshold;
        s->effort[i] = (float)tl_mech_effort(p, s->selfish[i], s->motivation[i], enforced, s->burnt[i]);
        s->hours_left[i] = (float)(p->hours_per_week - learn_h);
        s->hours_worked[i] = (float)learn_h;
        s->sanctioned[i] = 0;
        s->shirk_seen[i] = 0;
        s->own_lessons[i] = 0;
        s->direct[i] = 0;
    }
    s->k.h_learning = learn_h * s->ne;
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
        double lead = fmin(1.0, left / (n * p->support_need_hours));
        double team_per_lesson = p->team_learning * p->learn_from_error * p->openness / n;
        double backlog = arrivals_per_unit > 0 ? fmin(1.0, s->q_len[u] / arrivals_per_unit) : 0;
        double pm = prior_mean(s, u);
        double a0 = pm * p->trust_prior_strength, b0 = (1 - pm) * p->trust_prior_strength;
        for (int32_t i = s->ufirst[u]; i < s->ufirst[u] + n; i++) {
            double sup = 0.5 * p->support + 0.5 * lead;
            double ctl = s->controlling[i];
            double sk = s->skill[i];
            double witnessed = (double)(s->u_sanctions[u] - s->sanctioned[i]) / n;
            double demand = s->hours_worked[i] / p->hours_per_week + 0.5 * backlog;
            double overtime = s->hours_worked[i] - p->hours_per_week;
            if (overtime > 0)
                s->k.h_overtime += overtime;
            s->support[i] = (float)sup;
            /* skill: practice, learning time, the team's lessons, decay */
            /* colleagues' lessons, shared in the team (one's own were learnt in full) */
            double team = team_per_lesson * (s->u_lessons[u] - s->own_lessons[i]);
            sk += p->experience_rate * fmin(1.0, s->direct[i] / p->hours_per_week) * (1 - sk) +
                  skill_gain_learn * (1 - sk) + team * (1 - sk) - p->skill_decay * sk;
            s->skill[i] = (float)tl_mech_clamp01(sk);
            s->safety[i] = (float)tl_mech_clamp01(
                tl_mech_approach(s->safety[i], tl_mech_safety_target(p, s->trust_mgr[i]),
                                 p->safety_rate, p->safety_rate) -
                p->witness_shock * witnessed);
            s->motivation[i] = (float)tl_mech_approach(
                s->motivation[i],
                tl_mech_motivation_target(p, R, s->motivation0[i], ctl, sup, s->trust_mgr[i],
                                          s->strain[i]),
                p->motivation_rise, p->motivation_fall);
            s->trust_mgr[i] = (float)tl_mech_approach(
                s->trust_mgr[i], tl_mech_trust_target(p, sup, ctl), p->trust_rise, p->trust_fall);
            s->strain[i] = (float)tl_mech_approach(s->strain[i],
                                                   tl_mech_strain_target(R, demand, ctl, sup),
                                                   p->strain_rate, p->strain_rate);
            /* the manager's belief fades toward the starting expectation */
            s->alpha[i] = (float)(a0 + (1 - p->trust_forgetting) * (s->alpha[i] - a0));
            s->beta[i] = (float)(b0 + (1 - p->trust_forgetting) * (s->beta[i] - b0));
            s->strikes[i] *= (float)TL_C_STRIKE_DECAY;
            s->tenure[i]++;
        }
    }
}

void tl_workforce_turnover(tl_sim *s)
{
    const tl_params *p = &s->p;
    gsl_rng *r = s->rng[TL_STREAM_WORKFORCE];
    for (int32_t i = 0; i < s->ne; i++) {
        double uq = gsl_rng_uniform(r);
        if (s->strikes[i] >= p->strikes_to_remove) {
            s->k.removals++;
        } else if (uq >= tl_mech_quit_prob(p, s->strain[i], s->burnt[i])) {
            continue;
        }
        s->k.leavers++;
        s->k.hires++;
        tl_workforce_hire(s, i, 0);
    }
}
