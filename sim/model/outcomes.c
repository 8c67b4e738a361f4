/* outcomes.c — the step's metrics from the tallies and the agents: citizens, staff, control, errors, economy (mechanism 13). */
#include <math.h>

#include "sim_internal.h"

static double ratio(double a, double b) { return b > 0 ? a / b : NAN; }

/* mean and standard deviation of a float array */
static void mean_sd(const float *x, int32_t n, double *mean, double *sd)
{
    double s = 0, ss = 0;
    for (int32_t i = 0; i < n; i++) {
        s += x[i];
        ss += (double)x[i] * x[i];
    }
    *mean = s / n;
    double var = ss / n - *mean * *mean;
    *sd = var > 0 ? sqrt(var) : 0;
}

void tl_outcomes_collect(tl_sim *s)
{
    const tl_params *p = &s->p;
    const tl_regime *R = &s->r;
    const tl_tally *k = &s->k;
    tl_metrics *m = &s->m;
    double ne = s->ne, nu = s->nu;

    /* citizens */
    m->quality_true = ratio(k->q_sum, k->completed);
    m->quality_measured = ratio(k->qm_sum, k->completed);
    m->quality_gap = m->quality_measured - m->quality_true;
    m->quality_complex = ratio(k->qc_sum, k->qc_n);
    {
        double var = k->completed > 0 ? k->q_sq / k->completed - m->quality_true * m->quality_true : NAN;
        m->quality_sd = k->completed > 0 ? sqrt(var > 0 ? var : 0) : NAN;
    }
    m->equal_gap = ratio(k->q_g[0], k->n_g[0]) - ratio(k->q_g[1], k->n_g[1]);
    m->needs_met = ratio(k->adequate, k->completed + k->turned_away + k->abandoned);
    m->cases_arrived = k->arrived;
    m->cases_completed = k->completed;
    m->cases_turned_away = k->turned_away;
    m->cases_abandoned = k->abandoned;
    {
        double b = 0;
        for (int32_t u = 0; u < s->nu; u++)
            b += s->queue[u].len;
        m->backlog = b;
    }
    m->wait_mean = ratio(k->wait_sum, k->completed);
    m->wait_queue = ratio(k->wait_q_sum, k->completed);
    m->rationed = ratio(k->rationed_sum, k->completed);
    m->satisfaction = s->sat_sum / s->nc;
    m->citizen_trust = s->ctrust_sum / s->nc;
    m->service_value = ratio(k->value_sum, k->completed + k->turned_away + k->abandoned);

    /* employees */
    mean_sd(s->skill, s->ne, &m->skill_mean, &m->skill_sd);
    mean_sd(s->motivation, s->ne, &m->motivation_mean, &m->motivation_sd);
    mean_sd(s->safety, s->ne, &m->safety_mean, &m->safety_sd);
    mean_sd(s->strain, s->ne, &m->strain_mean, &m->strain_sd);
    {
        /* effort and shirking over those who worked this step: a recruit
         * hired at its end (tenure 0) has only a placeholder effort */
        double burnt = 0, tm = 0, e = 0, nw = 0, e_si = 0, n_si = 0, e_r = 0, n_r = 0, mot_r = 0,
               nm_r = 0, shirk = 0, mt = 0, comp = 0, risk = 0, nm_si = 0, absent = 0;
        double n_st = 0, sk_st = 0, mo_st = 0, ef_st = 0, sr_st = 0;
        for (int32_t i = 0; i < s->ne; i++) {
            int worked = s->tenure[i] > 0;
            burnt += s->strain[i] >= p->burnout_threshold;
            tm += s->trust_mgr[i];
            mt += tl_mech_trust_from_logodds(s->trust_lo[i]);
            absent += s->absent[i];
            if (s->selfish[i] && worked) {
                nm_si++;
                risk += s->prisk[i];
                comp += s->complies[i];
            } else if (!s->selfish[i]) {
                nm_r++;
                mot_r += s->motivation[i];
            }
            if (s->tenure[i] >= TL_STAYER_WEEKS) {
                n_st++;
                sk_st += s->skill[i];
                mo_st += s->motivation[i];
                ef_st += s->effort[i];
                sr_st += s->strain[i];
            }
            if (!worked)
                continue;
            nw++;
            e += s->effort[i];
            shirk += s->effort[i] < p->shirk_threshold;
            if (s->selfish[i]) {
                e_si += s->effort[i];
                n_si++;
            } else {
                e_r += s->effort[i];
                n_r++;
            }
        }
        m->burnout_share = burnt / ne;
        m->trust_in_manager = tm / ne;
        m->manager_trust = mt / ne;
        m->effort_mean = ratio(e, nw);
        m->effort_self_interested = ratio(e_si, n_si);
        m->effort_reciprocal = ratio(e_r, n_r);
        m->motivation_reciprocal = ratio(mot_r, nm_r);
        m->shirking_share = nw > 0 ? shirk / nw : 0;
        m->compliance_share = ratio(comp, nm_si);
        m->perceived_risk = ratio(risk, nm_si);
        m->stayers_share = n_st / ne;
        m->self_interested_staff = (ne - nm_r) / ne; /* nm_r counts every reciprocal employee */
        m->skill_stayers = ratio(sk_st, n_st);
        m->motivation_stayers = ratio(mo_st, n_st);
        m->effort_stayers = ratio(ef_st, n_st);
        m->strain_stayers = ratio(sr_st, n_st);
        m->absence_share = absent / ne;
    }
    m->turnover = k->leavers / ne;
    m->removals = k->removals;
    {
        /* shares of the hours actually worked (idle time when the queue is
         * empty is not work); utilisation relates them to contracted hours */
        double worked = k->h_direct + k->h_doc + k->h_collab + k->h_learning + k->h_audit + k->h_meet;
        double hw = worked > 0 ? worked : 1;
        m->utilisation = worked / (ne * p->hours_per_week);
        m->time_citizen = k->h_direct / hw;
        m->time_documentation = k->h_doc / hw;
        m->time_collaboration = k->h_collab / hw;
        m->time_learning = k->h_learning / hw;
        m->time_audit = k->h_audit / hw;
        m->time_meetings = k->h_meet / hw;
        m->overtime_share = k->h_overtime / (ne * p->hours_per_week);
    }

    /* managers and control */
    m->audits = k->audits;
    m->audit_rate = k->completed > 0 ? k->audits / k->completed : 0;
    m->audits_forgone = k->audits_forgone;
    m->actions_forgone = k->actions_forgone;
    {
        double mh = nu * p->manager_hours;
        m->manager_time_control = k->m_audit / mh;
        m->manager_time_reporting = k->m_report / mh;
        m->manager_time_meetings = k->m_meet / mh;
        m->manager_time_action = k->m_action / mh;
        m->manager_time_support =
            fmax(0.0, 1 - (k->m_audit + k->m_report + k->m_escalation + k->m_meet + k->m_action) / mh);
        m->support_shortfall = k->support_short / (ne * p->support_need_hours);
    }
    m->control_effective = R->control;
    m->mandate_effective = R->mandate;
    m->chain_pressure = R->chain;
    m->escalations = k->escalations;

    /* errors */
    m->errors_minor = k->errors_minor;
    m->errors_serious = k->errors_serious;
    m->errors_reported = k->reported;
    m->errors_detected = k->detected;
    m->errors_hidden = k->hidden;
    m->serious_hidden = k->serious_hidden;
    m->serious_error_rate = ratio(k->errors_serious, k->completed);
    m->shirking_detected = k->shirk_detected;
    m->sanctions = k->sanctions;
    m->learning_events = k->learning;
    m->serious_acted = k->serious_acted;
    {
        double h = 0;
        for (int32_t u = 0; u < s->nu; u++)
            h += s->hazards[u];
        m->hazards = h;
    }
    m->incidents = k->incidents;

    /* knowledge */
    {
        double right = 0, kn = 0, kg[2] = {0, 0}, ng[2] = {0, 0};
        for (int32_t d = 0; d < s->nd; d++)
            right += s->code[d] == s->reality[d];
        for (int32_t i = 0; i < s->ne; i++) {
            int g = tl_knowledge_is_fast(s, i);
            kn += s->knowledge[i];
            kg[g] += s->knowledge[i];
            ng[g] += 1;
        }
        m->code_knowledge = (double)tl_knowledge_code_score(s) / s->nd;
        m->code_knowledge_share = right / s->nd;
        m->staff_knowledge = kn / ne;
        m->knowledge_slow = ratio(kg[0], ng[0]);
        m->knowledge_fast = ratio(kg[1], ng[1]);
    }
    m->collaborations = k->collaborations;
    m->handoff_failures = k->handoff_failures;

    /* economy */
    {
        double contracted = ne * p->hours_per_week * p->wage;
        double managers = nu * p->manager_hours * p->manager_wage;
        double support = p->support * p->support_cost * contracted;
        double overtime = k->h_overtime * p->wage * p->overtime_premium;
        /* the budget pays for funded_employees (0: all of them); staff above
         * it cost what the budget does not cover */
        double funded = p->funded_employees > 0 ? p->funded_employees * p->hours_per_week * p->wage
                                                : contracted;
        double budget = (funded + managers) * (1 + p->budget_margin);
        m->cost = contracted + managers + support + overtime + k->hires * p->recruitment_cost +
                  k->incidents * p->incident_cost;
        m->cost_per_case = ratio(m->cost, k->completed);
        m->control_cost = (k->h_doc_extra + k->h_audit) * p->wage +
                          (k->m_audit + k->m_report) * p->manager_wage;
        m->budget_deviation = (m->cost - budget) / budget;
        double inc100 = k->completed > 0 ? 100 * k->incidents / k->completed : 0;
        double sv = isnan(m->service_value) ? 0 : m->service_value;
        double eq = isnan(m->equal_gap) ? 0 : fabs(m->equal_gap);
        m->outcome_index = p->outcome_service_weight * sv -
                           p->outcome_cost_weight * fmax(0.0, m->budget_deviation) -
                           p->outcome_incident_weight * inc100 - p->outcome_equal_weight * eq -
                           p->outcome_staff_weight * m->strain_mean;
    }
}
