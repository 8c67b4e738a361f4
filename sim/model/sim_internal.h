/* sim_internal.h — the state of one simulation (struct-of-arrays) shared by the model's modules. */
#ifndef TL_MODEL_SIM_INTERNAL_H
#define TL_MODEL_SIM_INTERNAL_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "mechanisms.h"
#include "queue.h"
#include "tillit/rng.h"
#include "tillit/sim.h"

/* Tenure (weeks) from which an employee counts as a stayer in the metrics. */
#define TL_STAYER_WEEKS 104

/* Per-step tallies, reset at the start of each step. */
typedef struct tl_tally {
    double arrived, completed, turned_away, abandoned, adequate;
    double q_sum, q_sq, qm_sum, qc_sum, qc_n;
    double q_g[2], n_g[2];
    double wait_sum, wait_q_sum, value_sum, rationed_sum;
    double errors_minor, errors_serious, reported, detected, hidden, serious_hidden;
    double shirk_detected, sanctions, learning, serious_acted, incidents, removals, leavers, hires;
    double audits, audits_forgone, actions_forgone, escalations, collaborations, handoff_failures;
    double h_direct, h_doc, h_doc_extra, h_collab, h_learning, h_audit, h_meet, h_overtime;
    double m_audit, m_report, m_escalation, m_meet, m_action, support_short;
    double absent;
} tl_tally;

struct tl_sim {
    tl_params base; /* as given (tl_sim_set changes it) */
    tl_params p;    /* in effect this step */
    tl_schedule sched;
    tl_regime r;
    tl_run_key key;
    int t, horizon;
    int32_t ne, nu, nc, nd; /* employees, units, citizens, knowledge dims */

    /* employees (index i) */
    float *skill, *motivation, *motivation0, *safety, *strain, *trust_mgr;
    float *trust_lo;     /* manager's log-odds belief that employee i is reliable */
    float *aptitude;     /* the skill i approaches with practice (drawn at hiring) */
    float *ccost;        /* compliance cost of a self-interested employee */
    float *aversion;     /* how strongly i's motivation responds to felt control (mean 1) */
    float *prisk;        /* perceived chance per case that shirking is found */
    float *effort, *exposure, *controlling, *support, *hours_left, *hours_worked;
    float *knowledge;    /* share of dims right (March) */
    float *strikes;      /* serious problems acted on, decaying */
    float *direct;       /* direct hours with citizens this step */
    int32_t *own_lessons; /* errors of one's own used for learning this step */
    int32_t *n_cases, *n_audits; /* cases served and audits undergone this step */
    int32_t *unit, *tenure, *score;
    uint8_t *selfish, *burnt, *shirk_seen; /* shirk_seen: found shirking this step */
    uint8_t *complies, *absent;           /* complies with the norm; absent this step */
    int32_t *sanctioned; /* sanctions received this step */
    int8_t *belief;      /* ne x nd */
    int8_t *act;         /* ne x nd scratch: actions of the period (March) */
    int32_t *active;     /* scratch: employees with hours left in the unit being served */

    /* units (index u); employees of unit u are [ufirst[u], ufirst[u]+usize[u]) */
    int32_t *ufirst, *usize;
    float *mgr_hours, *ctrl_factor, *trust_offset, *attention;
    int32_t *u_sanctions, *u_lessons, *hazards;
    int32_t *u_cases, *u_audits, *u_acted; /* this step: cases, audits, problems acted on */
    int32_t q_cap;   /* admission cap of every queue (queue_weeks of the highest need_rate) */
    tl_queue *queue; /* nu rings, each growing on demand up to q_cap */

    /* citizens (index c; home unit c % nu), stored unit by unit: citizen c's
     * state is at tl_citizen_slot(s, c), so that one unit's citizens are
     * contiguous in memory (the draws still pick c) */
    uint8_t *group;
    float *sat, *ctrust;
    uint32_t c_per_unit, c_extra; /* citizens / units, citizens % units */
    double sat_sum, ctrust_sum;

    /* knowledge (March 1991) */
    int8_t *reality, *code;
    int32_t *votes; /* scratch, nd */

    double mean_risk;
    gsl_rng *rng[TL_NSTREAMS];
    tl_tally k;
    tl_metrics m;
};

/* Storage slot of the k-th citizen of unit u (citizen u + k*nu): units
 * below c_extra have c_per_unit + 1 citizens, the others c_per_unit. */
static inline uint32_t tl_unit_citizen_slot(const tl_sim *s, uint32_t u, uint32_t k)
{
    return u * s->c_per_unit + (u < s->c_extra ? u : s->c_extra) + k;
}

/* Storage slot of citizen c in the citizen arrays. */
static inline uint32_t tl_citizen_slot(const tl_sim *s, uint32_t c)
{
    uint32_t nu = (uint32_t)s->nu;
    return tl_unit_citizen_slot(s, c % nu, c / nu);
}

/* service.c: arrivals and the case loop of one step */
/* Needs arising this step; TL_ERR_NOMEM if a queue cannot grow (the
 * simulation can then only be freed). */
tl_status tl_service_arrivals(tl_sim *s, tl_error *err);
void tl_service_units(tl_sim *s);
void tl_service_incidents(tl_sim *s);
void tl_service_abandon(tl_sim *s);
/* workforce.c: employees before and after the case loop, turnover */
void tl_workforce_prepare(tl_sim *s);
void tl_workforce_update(tl_sim *s);
void tl_workforce_turnover(tl_sim *s);
void tl_workforce_hire(tl_sim *s, int32_t i, int initial);
/* knowledge.c: March's mutual learning */
void tl_knowledge_init(tl_sim *s);
void tl_knowledge_random_beliefs(tl_sim *s, int32_t i, gsl_rng *rng);
void tl_knowledge_step(tl_sim *s);
/* 1 if employee position i is a fast learner (fast_learner_share), else 0. */
int tl_knowledge_is_fast(const tl_sim *s, int32_t i);
/* March's score of the code: sum over dimensions of code x reality (in [-nd, nd]). */
int32_t tl_knowledge_code_score(const tl_sim *s);
/* outcomes.c: costs and the step's metrics */
void tl_outcomes_collect(tl_sim *s);

#endif
