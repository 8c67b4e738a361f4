/* service.c — needs arising, cases served by employees, errors, audits and their consequences (mechanisms 1, 4-6, 8, 9). */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "sim_internal.h"

static double draw_shape(gsl_rng *r, double mean)
{
    /* U^((1-m)/m) has mean m on [0,1]: most values small, a tail of large ones */
    return pow(tl_rng_uniform(r), (1 - mean) / mean);
}

/* A citizen's view of one case (or of a need turned away: value 0); c is
 * the citizen's storage slot. */
static void citizen_outcome(tl_sim *s, uint32_t c, double value)
{
    float old_s = s->sat[c], old_t = s->ctrust[c];
    float ns = (float)(old_s + TL_C_CITIZEN_RATE * (value - old_s));
    float nt = (float)tl_mech_approach(old_t, value, TL_C_CITIZEN_TRUST_UP, TL_C_CITIZEN_TRUST_DOWN);
    s->sat[c] = ns;
    s->ctrust[c] = nt;
    s->sat_sum += (double)ns - old_s;
    s->ctrust_sum += (double)nt - old_t;
}

tl_status tl_service_arrivals(tl_sim *s, tl_error *err)
{
    gsl_rng *r = s->rng[TL_STREAM_ARRIVALS];
    const tl_params *p = &s->p;
    unsigned n = gsl_ran_poisson(r, (double)s->nc * p->need_rate);
    for (unsigned k = 0; k < n; k++) {
        uint32_t c = (uint32_t)gsl_rng_uniform_int(r, (unsigned long)s->nc);
        int32_t u = (int32_t)(c % (uint32_t)s->nu);
        double x = draw_shape(r, p->complexity_mean);
        double v = draw_shape(r, p->severity_mean);
        tl_case cs = {tl_unit_citizen_slot(s, (uint32_t)u, c / (uint32_t)s->nu), s->t, (float)x,
                      (float)v};
        int rc = tl_queue_push(&s->queue[u], s->q_cap, &cs);
        if (rc < 0)
            return tl_error_set(err, TL_ERR_NOMEM,
                                "step %d: no memory to grow unit %d's case queue beyond %d cases",
                                s->t, (int)u, (int)s->queue[u].room);
        if (rc > 0) { /* the admission rule: a full queue turns the need away */
            s->k.turned_away++;
            citizen_outcome(s, cs.citizen, 0.0);
        }
    }
    s->k.arrived = n;
    return TL_OK;
}

/* Skill gap to the employee's aptitude (what learning can still add). */
static double skill_gap(const tl_sim *s, int32_t i)
{
    return s->aptitude[i] > s->skill[i] ? s->aptitude[i] - s->skill[i] : 0;
}

/* Does unit u's manager have the hours to act on a serious problem? Takes
 * them if so; otherwise the action is forgone (counted). A problem that an
 * audit found (not one the employee reported) is a consequence colleagues
 * see: it raises their perceived risk (visible). */
static int take_action_hours(tl_sim *s, int32_t u, int visible)
{
    const tl_params *p = &s->p;
    if (s->mgr_hours[u] >= p->action_hours) {
        s->mgr_hours[u] -= (float)p->action_hours;
        s->k.m_action += p->action_hours;
        if (visible)
            s->u_acted[u]++;
        return 1;
    }
    s->k.actions_forgone++;
    return 0;
}

/* A known error (reported or found): learning, sanction, or action on a
 * serious problem (mechanisms 4 and 5; reservation 2). Acting takes the
 * manager action_hours; without them the problem is left alone. A serious
 * error the employee hid and an audit found counts toward removal (a
 * strike); one the employee reported is corrected and retrained, not held
 * against them. */
static void respond(tl_sim *s, int32_t i, int32_t u, double sev, int serious, int found,
                    double u_firm)
{
    const tl_params *p = &s->p;
    if (!serious) {
        if (sev < p->error_tolerance * p->serious_threshold) {
            s->k.learning++;
            s->u_lessons[u]++;
            s->own_lessons[i]++;
            s->skill[i] += (float)(p->learn_from_error * skill_gap(s, i));
            s->safety[i] = (float)tl_mech_clamp01(s->safety[i] + TL_C_LEARNING_SAFETY);
            s->trust_mgr[i] = (float)tl_mech_clamp01(s->trust_mgr[i] + TL_C_FAIR_TRUST);
        } else {
            s->k.sanctions++;
            s->u_sanctions[u]++;
            s->sanctioned[i]++;
            s->skill[i] += (float)(TL_C_SANCTION_LEARNING * p->learn_from_error * skill_gap(s, i));
            s->safety[i] = (float)tl_mech_clamp01(s->safety[i] - p->sanction_shock);
            s->motivation[i] = (float)tl_mech_clamp01(s->motivation[i] - TL_C_UNFAIR_MOTIVATION);
            s->trust_mgr[i] = (float)tl_mech_clamp01(s->trust_mgr[i] - TL_C_UNFAIR_TRUST);
        }
    } else if (u_firm < p->firmness && take_action_hours(s, u, found)) {
        s->k.serious_acted++;
        s->k.learning++;
        s->u_lessons[u]++;
        s->own_lessons[i]++;
        s->skill[i] += (float)(p->retrain_gain * skill_gap(s, i));
        if (found)
            s->strikes[i] += 1;
    } else {
        s->hazards[u]++; /* known but left alone: may still cause harm */
    }
}

/* Serve one case by employee i of unit u. */
static void serve(tl_sim *s, int32_t u, int32_t i, const tl_case *cs, double cut)
{
    const tl_params *p = &s->p;
    const tl_regime *R = &s->r;
    gsl_rng *rs = s->rng[TL_STREAM_SERVICE], *re = s->rng[TL_STREAM_ERRORS],
            *rc = s->rng[TL_STREAM_CONTROL];
    /* a fixed number of draws per case from each stream: regimes compared
     * with one seed see the same chances (common random numbers) */
    double u_mandate = tl_rng_uniform(rs), u_escalate = tl_rng_uniform(rs),
           u_multi = tl_rng_uniform(rs), u_collab = tl_rng_uniform(rs);
    double u_err = tl_rng_uniform(re), u_sev = tl_rng_uniform(re), u_rep = tl_rng_uniform(re);
    double u_hours = tl_rng_uniform(rs);
    double u_aud = tl_rng_uniform(rc), u_det = tl_rng_uniform(rc), u_shirk = tl_rng_uniform(rc),
           u_firm = tl_rng_uniform(rc), u_firm2 = tl_rng_uniform(rc);

    double x = cs->complexity, v = cs->severity;
    int g = s->group[cs->citizen];
    int complex = x > p->complex_threshold;
    int si = s->selfish[i];
    double e = s->effort[i], sk = s->skill[i];
    double delay = 0, fit, hours, discretion = 1;

    /* decision: tailored with mandate (its quality, errors and equality
     * depend on the employee); otherwise escalated or by the book */
    if (u_mandate < R->mandate) {
        double s_eff = tl_mech_skill_effective(sk, s->knowledge[i], p->knowledge_quality_weight);
        fit = tl_mech_fit_tailored(x, s_eff, g ? tl_mech_voice_gap(R, s_eff) : 0.0, p->rule_frame);
        discretion = tl_mech_discretion_risk(p, s_eff);
    } else if (complex && u_escalate < p->escalation_share) {
        s->k.escalations++;
        if (s->mgr_hours[u] >= p->escalation_hours) {
            s->mgr_hours[u] -= (float)p->escalation_hours;
            s->k.m_escalation += p->escalation_hours;
            delay += p->escalation_delay;
            fit = tl_mech_fit_tailored(x, p->manager_skill,
                                       g ? tl_mech_voice_gap(R, p->manager_skill) : 0.0, p->rule_frame);
        } else {
            delay += 2 * p->escalation_delay;
            fit = tl_mech_fit_standard(x);
        }
    } else {
        fit = tl_mech_fit_standard(x);
    }

    /* collaboration across units (mechanism 9) */
    double h_collab = 0;
    if (complex && u_multi < p->multi_unit_share) {
        s->k.collaborations++;
        h_collab = R->collab_hours;
        if (u_collab >= R->collab_success) {
            s->k.handoff_failures++;
            fit *= 1 - TL_C_HANDOFF_PENALTY;
            delay += TL_C_HANDOFF_DELAY;
        }
    }

    double gam = tl_mech_gaming(p, R, si);
    double q = tl_mech_quality(fit, e, gam, p->gaming_cost) * (1 - TL_C_RATION_QUALITY * cut);

    /* errors (mechanism 4) */
    int err = u_err < tl_mech_error_prob(p->error_rate, x, sk, e, s->burnt[i], discretion);
    double sev = 0;
    int serious = 0;
    double q_clean = q;
    if (err) {
        sev = tl_mech_error_severity(u_sev, v);
        serious = sev >= p->serious_threshold;
        q *= 1 - sev;
        if (serious)
            s->k.errors_serious++;
        else
            s->k.errors_minor++;
    }

    /* audit (mechanism 5): targeted at low trust when selective, thinned by
     * the manager's complacency */
    double risk = 1 - tl_mech_trust_from_logodds(s->trust_lo[i]);
    double pa = tl_mech_audit_prob(p, R, risk / s->mean_risk, v, s->ctrl_factor[u] * s->attention[u]);
    int audited = 0;
    s->n_cases[i]++;
    s->u_cases[u]++;
    if (u_aud < pa) {
        if (s->mgr_hours[u] >= R->audit_hours) {
            audited = 1;
            s->n_audits[i]++;
            s->u_audits[u]++;
            s->mgr_hours[u] -= (float)R->audit_hours;
            s->k.m_audit += R->audit_hours;
            s->k.audits++;
            s->hours_left[i] -= (float)R->audit_emp_hours;
            s->hours_worked[i] += (float)R->audit_emp_hours;
            s->k.h_audit += R->audit_emp_hours;
        } else {
            s->k.audits_forgone++;
        }
    }
    int error_known = 0;
    float *lo = &s->trust_lo[i];
    if (err) {
        int reported = u_rep < tl_mech_report_prob(p, s->safety[i], si);
        int detected = !reported && audited &&
                       u_det < tl_mech_detect_at(R->detect_error, R->detect_error_slope, x);
        error_known = reported || detected;
        if (reported) {
            s->k.reported++; /* an error reported is no evidence of unreliability */
        } else if (detected) {
            s->k.detected++;
            /* found in review before the decision takes effect: corrected */
            q = q_clean * (1 - sev * (1 - p->audit_correction));
            s->hours_left[i] -= (float)p->rework_hours;
            s->hours_worked[i] += (float)p->rework_hours;
            s->k.h_audit += p->rework_hours;
            *lo -= (float)(p->trust_evidence * (serious ? TL_C_EV_SERIOUS : TL_C_EV_MINOR));
        } else {
            s->k.hidden++;
            if (serious) {
                s->k.serious_hidden++;
                s->hazards[u]++;
            }
        }
        if (reported || detected)
            respond(s, i, u, sev, serious, detected, u_firm);
    }
    if (audited) {
        /* the manager updates on what the audit shows: shirking found (a
         * pattern noticed at most once a week; acting on it takes manager
         * time and counts toward removal), or a case that looks clean (also
         * when an error went unseen; a known error is no clean case) */
        int shirk_known = s->shirk_seen[i];
        /* optionally, low effort from burnout is recognised as such: not
         * shirking, and no evidence either way */
        int burnout_seen = p->burnout_recognised > 0 && s->burnt[i];
        if (burnout_seen) {
            /* neither shirking found nor a clean case */
        } else if (e < p->shirk_threshold && !shirk_known && u_shirk < tl_mech_detect_at(R->detect_shirk, R->detect_shirk_slope, x)) {
            s->shirk_seen[i] = 1;
            shirk_known = 1;
            s->k.shirk_detected++;
            *lo -= (float)(p->trust_evidence * TL_C_EV_SHIRK);
            if (u_firm2 < p->firmness && take_action_hours(s, u, 1)) {
                s->k.serious_acted++;
                s->strikes[i] += 1;
            }
        } else if (!shirk_known && !error_known) {
            *lo += (float)(p->trust_evidence * TL_C_EV_CLEAN);
        }
    }
    if (*lo > TL_C_TRUST_LO_MAX)
        *lo = (float)TL_C_TRUST_LO_MAX;
    else if (*lo < -TL_C_TRUST_LO_MAX)
        *lo = (float)-TL_C_TRUST_LO_MAX;

    /* time */
    hours = (tl_mech_case_hours(p, x, e, u_hours) + R->focus_hours) * (1 - cut);
    s->k.rationed_sum += cut;
    s->k.h_direct += hours;
    s->direct[i] += (float)hours;
    s->k.h_doc += R->doc_hours;
    s->k.h_doc_extra += R->doc_hours - R->doc_base;
    s->k.h_collab += h_collab;
    hours += R->doc_hours + h_collab;
    s->hours_left[i] -= (float)hours;
    s->hours_worked[i] += (float)hours;

    /* outcome for the citizen */
    double queued = (double)(s->t - cs->arrival);
    double wait = queued + delay;
    double value = q * (1 - TL_C_WAIT_PENALTY * fmin(1.0, wait / p->wait_tolerance));
    s->k.completed++;
    s->k.q_sum += q;
    s->k.q_sq += q * q;
    s->k.qm_sum += tl_mech_quality_measured(q, gam);
    if (complex) {
        s->k.qc_sum += q;
        s->k.qc_n++;
    }
    s->k.q_g[g] += q;
    s->k.n_g[g]++;
    s->k.wait_sum += wait;
    s->k.wait_q_sum += queued;
    s->k.value_sum += value;
    if (q >= p->adequate_quality)
        s->k.adequate++;
    citizen_outcome(s, cs->citizen, value);
}

/* Serve the queue of unit u: employees take cases in turn while they have
 * hours (first contracted, then overtime up to overtime_max). */
static void serve_unit(tl_sim *s, int32_t u)
{
    const tl_params *p = &s->p;
    int32_t *act = s->active;
    tl_queue *q = &s->queue[u];
    /* rationing (Lipsky 1980): direct time is cut when cases from earlier
     * weeks wait, and fully in overtime */
    double arrivals = (double)s->nc * p->need_rate / s->nu;
    double waiting = arrivals > 0 ? tl_queue_older_than(q, s->t) / arrivals : 0;
    for (int pass = 0; pass < 2 && q->len > 0; pass++) {
        float limit = pass == 0 ? 0.0f : (float)(-p->overtime_max * p->hours_per_week);
        double cut = p->rationing > 0 ? tl_mech_rationing(p->rationing, waiting, pass) : 0;
        int32_t n = 0, idx = 0;
        for (int32_t i = s->ufirst[u]; i < s->ufirst[u] + s->usize[u]; i++)
            if (!s->absent[i] && s->hours_left[i] > limit)
                act[n++] = i;
        while (q->len > 0 && n > 0) {
            if (idx >= n)
                idx = 0;
            int32_t i = act[idx];
            tl_case cs = *tl_queue_front(q);
            tl_queue_pop(q);
            serve(s, u, i, &cs, cut);
            if (s->hours_left[i] <= limit)
                act[idx] = act[--n];
            else
                idx++;
        }
    }
}

void tl_service_units(tl_sim *s)
{
    for (int32_t u = 0; u < s->nu; u++)
        serve_unit(s, u);
}

/* Needs still waiting at the end of the step are withdrawn at abandon_rate
 * (Erlang-A impatience); the longest-waiting go first (FIFO order). */
void tl_service_abandon(tl_sim *s)
{
    gsl_rng *r = s->rng[TL_STREAM_ABANDON]; /* its own stream: arrivals stay paired */
    const tl_params *p = &s->p;
    if (p->abandon_rate <= 0)
        return;
    for (int32_t u = 0; u < s->nu; u++) {
        tl_queue *q = &s->queue[u];
        if (q->len == 0)
            continue;
        unsigned k = gsl_ran_binomial(r, p->abandon_rate, (unsigned)q->len);
        for (unsigned j = 0; j < k; j++) {
            citizen_outcome(s, tl_queue_front(q)->citizen, 0.0);
            tl_queue_pop(q);
        }
        s->k.abandoned += k;
    }
}

void tl_service_incidents(tl_sim *s)
{
    gsl_rng *r = s->rng[TL_STREAM_INCIDENTS];
    const tl_params *p = &s->p;
    for (int32_t u = 0; u < s->nu; u++) {
        unsigned h = (unsigned)s->hazards[u];
        if (h == 0)
            continue;
        unsigned inc = gsl_ran_binomial(r, p->incident_rate, h);
        unsigned res = gsl_ran_binomial(r, p->hazard_resolve, h - inc);
        s->hazards[u] = (int32_t)(h - inc - res);
        s->k.incidents += inc;
        /* citizens of unit u are u, u+nu, u+2nu, ...: the k-th of them */
        unsigned long in_unit = (unsigned long)((s->nc - u + s->nu - 1) / s->nu);
        for (unsigned j = 0; j < inc; j++) {
            uint32_t c = tl_unit_citizen_slot(s, (uint32_t)u,
                                              (uint32_t)gsl_rng_uniform_int(r, in_unit));
            float old_s = s->sat[c], old_t = s->ctrust[c];
            s->sat[c] = (float)tl_mech_clamp01(old_s - TL_C_INCIDENT_TRUST);
            s->ctrust[c] = (float)tl_mech_clamp01(old_t - TL_C_INCIDENT_TRUST);
            s->sat_sum += (double)s->sat[c] - old_s;
            s->ctrust_sum += (double)s->ctrust[c] - old_t;
        }
    }
}
