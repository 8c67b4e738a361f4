/* sim.c — life cycle of one simulation: allocate once, initialise, step, snapshot, free. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "sim_internal.h"
#include "tillit/rng.h"

static const tl_agent_var_info agent_vars[TL_NAGENT_VARS] = {
#define TL_X_ROW(name, agent, unit, desc) {#name, #agent, unit, desc},
    TL_AGENT_VAR_LIST(TL_X_ROW)
#undef TL_X_ROW
};

const tl_agent_var_info *tl_agent_var_table(void) { return agent_vars; }

/* calloc with the element count checked; NULL on overflow or no memory */
static void *alloc_n(size_t n, size_t size) { return calloc(n ? n : 1, size); }

#define ALLOC(ptr, n)                                                                          \
    do {                                                                                       \
        (ptr) = alloc_n((size_t)(n), sizeof *(ptr));                                           \
        if (!(ptr))                                                                            \
            goto nomem;                                                                        \
    } while (0)

/* Highest need_rate the run can reach (base or any scheduled value): sizes the queues. */
static double max_need_rate(const tl_params *p, const tl_schedule *s)
{
    double m = p->need_rate;
    for (int k = 0; k < s->n; k++)
        if (s->c[k].param == TL_PARAM_IDX_need_rate && s->c[k].value > m)
            m = s->c[k].value;
    return m;
}

static void init_agents(tl_sim *s)
{
    gsl_rng *r = s->rng[TL_STREAM_INIT];
    const tl_params *p = &s->p;
    int32_t first = 0;
    tl_knowledge_init(s); /* reality first: hiring draws beliefs and scores them */
    for (int32_t u = 0; u < s->nu; u++) {
        s->ufirst[u] = first;
        s->usize[u] = s->ne / s->nu + (u < s->ne % s->nu ? 1 : 0);
        first += s->usize[u];
        /* always draw, so that unit_heterogeneity does not shift other draws */
        double zc = gsl_ran_gaussian_ziggurat(r, 1.0), zt = gsl_ran_gaussian_ziggurat(r, 1.0);
        /* log-normal with mean 1: units differ, the organisation's average does not */
        double sd = 0.5 * p->unit_heterogeneity;
        s->ctrl_factor[u] = (float)exp(sd * zc - 0.5 * sd * sd);
        s->trust_offset[u] = (float)(0.15 * p->unit_heterogeneity * zt);
        for (int32_t i = s->ufirst[u]; i < s->ufirst[u] + s->usize[u]; i++)
            s->unit[i] = u;
    }
    for (int32_t i = 0; i < s->ne; i++)
        tl_workforce_hire(s, i, 1);
    s->sat_sum = s->ctrust_sum = 0;
    for (int32_t c = 0; c < s->nc; c++) { /* drawn in citizen order, stored by unit */
        uint32_t k = tl_citizen_slot(s, (uint32_t)c);
        s->group[k] = tl_rng_uniform(r) < p->weak_voice_share ? 1 : 0;
        s->sat[k] = 0.6f;
        s->ctrust[k] = 0.6f;
        s->sat_sum += s->sat[k];
        s->ctrust_sum += s->ctrust[k];
    }
}

static void set_nan_metrics(tl_metrics *m)
{
    double *v = (double *)(void *)m;
    for (int i = 0; i < TL_NMETRICS; i++)
        v[i] = NAN;
}

/* Admission cap of every unit's queue: queue_weeks of arrivals at the
 * highest need_rate, plus 16 (a double: tl_sim_new checks it fits). */
static double queue_cap(const tl_params *p, const tl_schedule *sched)
{
    static const tl_schedule empty = TL_SCHEDULE_INIT;
    return ceil(p->queue_weeks * p->citizens * max_need_rate(p, sched ? sched : &empty) /
                p->units) + 16;
}

/* Bytes of everything but the queues' slots: per employee 20 float arrays,
 * 8 int32, 5 bytes, beliefs and actions; per unit 4 float and 8 int32
 * arrays and the queue's header; per citizen a byte and 2 floats. */
static size_t state_bytes(size_t ne, size_t nu, size_t nc, size_t nd)
{
    return sizeof(tl_sim) + ne * (20 * 4 + 8 * 4 + 5 + 2 * nd) + nu * (12 * 4 + sizeof(tl_queue)) +
           nc * (1 + 2 * 4) + nd * 6 + TL_NSTREAMS * 128;
}

static size_t params_state_bytes(const tl_params *p)
{
    return state_bytes((size_t)p->employees, (size_t)p->units, (size_t)p->citizens,
                       (size_t)p->knowledge_dims);
}

size_t tl_sim_memory(const tl_params *p, const tl_schedule *sched)
{
    double cap = queue_cap(p, sched), room = cap < TL_QUEUE_START ? cap : TL_QUEUE_START;
    return params_state_bytes(p) + (size_t)p->units * (size_t)room * sizeof(tl_case);
}

size_t tl_sim_memory_max(const tl_params *p, const tl_schedule *sched)
{
    return params_state_bytes(p) + (size_t)p->units * (size_t)queue_cap(p, sched) * sizeof(tl_case);
}

size_t tl_sim_memory_now(const tl_sim *s)
{
    size_t slots = 0;
    for (int32_t u = 0; u < s->nu; u++)
        slots += (size_t)s->queue[u].room;
    return state_bytes((size_t)s->ne, (size_t)s->nu, (size_t)s->nc, (size_t)s->nd) +
           slots * sizeof(tl_case);
}

tl_status tl_sim_new(tl_sim **out, const tl_params *params, const tl_schedule *sched,
                     tl_run_key key, tl_error *err)
{
    static const tl_schedule empty = TL_SCHEDULE_INIT;
    tl_sim *s = NULL;
    tl_status st;
    *out = NULL;
    if (!sched)
        sched = &empty;
    if ((st = tl_params_validate(params, err)) != TL_OK)
        return st;
    if ((st = tl_schedule_validate(sched, params, err)) != TL_OK)
        return st;
    s = calloc(1, sizeof *s);
    if (!s)
        return tl_error_set(err, TL_ERR_NOMEM, "cannot allocate a simulation");
    s->base = *params;
    s->sched = *sched;
    s->key = key;
    tl_schedule_apply(&s->sched, &s->base, 1, &s->p);
    s->horizon = (int)params->steps;
    s->ne = (int32_t)params->employees;
    s->nu = (int32_t)params->units;
    s->nc = (int32_t)params->citizens;
    s->nd = (int32_t)params->knowledge_dims;
    s->c_per_unit = (uint32_t)s->nc / (uint32_t)s->nu;
    s->c_extra = (uint32_t)s->nc % (uint32_t)s->nu;
    {
        double cap = queue_cap(params, sched);
        if (cap * s->nu > 2e9 || cap > 2e9)
            return tl_sim_free(s),
                   tl_error_set(err, TL_ERR_CONFLICT,
                                "queue_weeks * citizens * need_rate = %.3g queued cases is too "
                                "many to hold (at most 2e9)",
                                cap * s->nu);
        s->q_cap = (int32_t)cap;
    }
    ALLOC(s->skill, s->ne);
    ALLOC(s->motivation, s->ne);
    ALLOC(s->motivation0, s->ne);
    ALLOC(s->safety, s->ne);
    ALLOC(s->strain, s->ne);
    ALLOC(s->trust_mgr, s->ne);
    ALLOC(s->trust_lo, s->ne);
    ALLOC(s->aptitude, s->ne);
    ALLOC(s->ccost, s->ne);
    ALLOC(s->aversion, s->ne);
    ALLOC(s->prisk, s->ne);
    ALLOC(s->effort, s->ne);
    ALLOC(s->exposure, s->ne);
    ALLOC(s->controlling, s->ne);
    ALLOC(s->support, s->ne);
    ALLOC(s->hours_left, s->ne);
    ALLOC(s->hours_worked, s->ne);
    ALLOC(s->knowledge, s->ne);
    ALLOC(s->strikes, s->ne);
    ALLOC(s->direct, s->ne);
    ALLOC(s->own_lessons, s->ne);
    ALLOC(s->n_cases, s->ne);
    ALLOC(s->n_audits, s->ne);
    ALLOC(s->complies, s->ne);
    ALLOC(s->absent, s->ne);
    ALLOC(s->unit, s->ne);
    ALLOC(s->tenure, s->ne);
    ALLOC(s->score, s->ne);
    ALLOC(s->selfish, s->ne);
    ALLOC(s->sanctioned, s->ne);
    ALLOC(s->burnt, s->ne);
    ALLOC(s->shirk_seen, s->ne);
    ALLOC(s->active, s->ne);
    ALLOC(s->belief, (size_t)s->ne * (size_t)s->nd);
    ALLOC(s->act, (size_t)s->ne * (size_t)s->nd);
    ALLOC(s->ufirst, s->nu);
    ALLOC(s->usize, s->nu);
    ALLOC(s->mgr_hours, s->nu);
    ALLOC(s->ctrl_factor, s->nu);
    ALLOC(s->trust_offset, s->nu);
    ALLOC(s->attention, s->nu);
    ALLOC(s->u_cases, s->nu);
    ALLOC(s->u_audits, s->nu);
    ALLOC(s->u_acted, s->nu);
    ALLOC(s->u_sanctions, s->nu);
    ALLOC(s->u_lessons, s->nu);
    ALLOC(s->hazards, s->nu);
    ALLOC(s->queue, s->nu);
    for (int32_t u = 0; u < s->nu; u++)
        if (tl_queue_init(&s->queue[u], tl_queue_start_room(s->q_cap)) != 0)
            goto nomem;
    ALLOC(s->group, s->nc);
    ALLOC(s->sat, s->nc);
    ALLOC(s->ctrust, s->nc);
    ALLOC(s->reality, s->nd);
    ALLOC(s->code, s->nd);
    ALLOC(s->votes, s->nd);
    for (int k = 0; k < TL_NSTREAMS; k++)
        if ((st = tl_rng_new(&s->rng[k], key.seed, key.point, key.replicate, (tl_stream)k, err)) !=
            TL_OK) {
            tl_sim_free(s);
            return st;
        }
    init_agents(s);
    set_nan_metrics(&s->m);
    *out = s;
    return TL_OK;
nomem:
    tl_sim_free(s);
    return tl_error_set(err, TL_ERR_NOMEM,
                        "cannot allocate the agents (%.0f employees, %.0f citizens, %.0f units)",
                        params->employees, params->citizens, params->units);
}

void tl_sim_free(tl_sim *s)
{
    if (!s)
        return;
    void *arrays[] = {s->skill,   s->motivation, s->motivation0, s->safety,     s->strain,
                      s->trust_mgr, s->trust_lo, s->aptitude, s->ccost, s->aversion, s->prisk,
                      s->n_cases, s->n_audits, s->complies, s->absent, s->attention,
                      s->u_cases, s->u_audits, s->u_acted, s->effort,     s->exposure,
                      s->controlling, s->support, s->hours_left, s->hours_worked, s->knowledge,
                      s->strikes, s->direct, s->own_lessons, s->unit,       s->tenure,      s->score,      s->selfish,
                      s->sanctioned, s->burnt, s->shirk_seen,   s->active,      s->belief, s->act,     s->ufirst,
                      s->usize,   s->mgr_hours,  s->ctrl_factor, s->trust_offset,
                      s->u_sanctions, s->u_lessons,  s->hazards,    s->queue,
                      s->group,   s->sat,        s->ctrust,      s->reality,    s->code,
                      s->votes};
    for (int32_t u = 0; s->queue && u < s->nu; u++)
        tl_queue_free(&s->queue[u]);
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        free(arrays[k]);
    for (int k = 0; k < TL_NSTREAMS; k++)
        if (s->rng[k])
            gsl_rng_free(s->rng[k]);
    free(s);
}

tl_status tl_sim_step(tl_sim *s, tl_error *err)
{
    tl_status st;
    if (s->t >= s->horizon)
        return tl_error_set(err, TL_ERR_INVALID, "the run is over: all %d steps are done",
                            s->horizon);
    s->t++;
    tl_schedule_apply(&s->sched, &s->base, s->t, &s->p);
    tl_mech_regime(&s->p, &s->r);
    memset(&s->k, 0, sizeof s->k);
    tl_workforce_prepare(s);
    if ((st = tl_service_arrivals(s, err)) != TL_OK)
        return st;
    tl_service_units(s);
    tl_service_abandon(s);
    tl_service_incidents(s);
    tl_workforce_update(s);
    tl_workforce_turnover(s);
    tl_knowledge_step(s);
    tl_outcomes_collect(s);
    /* cheap invariants, always: every metric finite unless it is a mean
     * over an empty set (NaN), never infinite */
    for (int i = 0; i < TL_NMETRICS; i++) {
        double v = tl_metrics_get(&s->m, i);
        const char *agg = tl_metric_info_at(i)->agg;
        if (isinf(v) || (isnan(v) && strcmp(agg, "cases") != 0 && strcmp(agg, "group") != 0))
            return tl_error_set(err, TL_ERR_NUMERIC,
                                "step %d: metric %s is %g (point %u, replicate %u, seed %llu)",
                                s->t, tl_metric_info_at(i)->name, v, s->key.point,
                                s->key.replicate, (unsigned long long)s->key.seed);
    }
    return TL_OK;
}

int tl_sim_time(const tl_sim *s) { return s->t; }
int tl_sim_horizon(const tl_sim *s) { return s->horizon; }
const tl_metrics *tl_sim_metrics(const tl_sim *s) { return &s->m; }
const tl_params *tl_sim_params(const tl_sim *s) { return &s->p; }

tl_status tl_sim_set(tl_sim *s, const char *name, double value, tl_error *err)
{
    int i = tl_param_index(name);
    tl_status st;
    if (i < 0)
        return tl_params_set(&s->base, name, value, err); /* reports unknown key */
    if (!tl_param_schedulable(i))
        return tl_error_set(err, TL_ERR_INVALID, "'%s' cannot change during a run", name);
    if ((st = tl_param_check(i, value, err)) != TL_OK)
        return st;
    tl_params_set_raw(&s->base, i, value);
    /* changes scheduled before now would override the new value: keep only
     * those still to come */
    for (int k = 0; k < s->sched.n; k++)
        if (s->sched.c[k].param == i && s->sched.c[k].at <= s->t) {
            s->sched.c[k] = s->sched.c[--s->sched.n];
            k--;
        }
    return TL_OK;
}

size_t tl_sim_agent_count(const tl_sim *s, tl_agent_var var)
{
    if ((int)var < 0 || var >= TL_NAGENT_VARS)
        return 0;
    return strcmp(agent_vars[var].agent, "employee") == 0 ? (size_t)s->ne : (size_t)s->nc;
}

tl_status tl_sim_snapshot(const tl_sim *s, tl_agent_var var, float *out, size_t n, tl_error *err)
{
    size_t cnt = tl_sim_agent_count(s, var);
    if (cnt == 0 || n != cnt)
        return tl_error_set(err, TL_ERR_INVALID, "snapshot: variable %d needs %zu values, got %zu",
                            (int)var, cnt, n);
    int citizen = strcmp(agent_vars[var].agent, "citizen") == 0;
    for (size_t i = 0; i < n; i++) {
        double v = 0;
        size_t c = citizen ? tl_citizen_slot(s, (uint32_t)i) : i; /* citizens in index order */
        switch (var) {
        case TL_AGENT_skill: v = s->skill[i]; break;
        case TL_AGENT_motivation: v = s->motivation[i]; break;
        case TL_AGENT_safety: v = s->safety[i]; break;
        case TL_AGENT_strain: v = s->strain[i]; break;
        case TL_AGENT_effort: v = s->effort[i]; break;
        case TL_AGENT_trust_in_manager: v = s->trust_mgr[i]; break;
        case TL_AGENT_manager_trust: v = tl_mech_trust_from_logodds(s->trust_lo[i]); break;
        case TL_AGENT_knowledge: v = s->knowledge[i]; break;
        case TL_AGENT_aptitude: v = s->aptitude[i]; break;
        case TL_AGENT_perceived_risk: v = s->prisk[i]; break;
        case TL_AGENT_self_interested: v = s->selfish[i]; break;
        case TL_AGENT_unit: v = s->unit[i]; break;
        case TL_AGENT_tenure: v = s->tenure[i]; break;
        case TL_AGENT_citizen_satisfaction: v = s->sat[c]; break;
        case TL_AGENT_citizen_trust_level: v = s->ctrust[c]; break;
        case TL_AGENT_voice_group: v = s->group[c]; break;
        default: break;
        }
        out[i] = (float)v;
    }
    return TL_OK;
}

size_t tl_snapshot_size(const tl_params *p)
{
    size_t n = 0;
    for (int v = 0; v < TL_NAGENT_VARS; v++)
        n += strcmp(agent_vars[v].agent, "employee") == 0 ? (size_t)p->employees
                                                           : (size_t)p->citizens;
    return n;
}

static tl_status take_snapshot(const tl_sim *s, float *dst, tl_error *err)
{
    for (int v = 0; v < TL_NAGENT_VARS; v++) {
        size_t cnt = tl_sim_agent_count(s, (tl_agent_var)v);
        tl_status st = tl_sim_snapshot(s, (tl_agent_var)v, dst, cnt, err);
        if (st != TL_OK)
            return st;
        dst += cnt;
    }
    return TL_OK;
}

tl_status tl_run(const tl_params *params, const tl_schedule *sched, tl_run_key key, double *out,
                 const int *snap_steps, int n_snap, float *snap_out, tl_error *err)
{
    tl_sim *s = NULL;
    tl_status st = tl_sim_new(&s, params, sched, key, err);
    size_t snap_size = tl_snapshot_size(params);
    int next = 0;
    if (st != TL_OK)
        return st;
    /* snapshots are taken after step t; step 0 is the initial state */
    for (int t = 0; t <= s->horizon; t++) {
        if (t > 0) {
            if ((st = tl_sim_step(s, err)) != TL_OK)
                goto out;
            tl_metrics_to_array(&s->m, out + (size_t)(t - 1) * TL_NMETRICS);
        }
        while (next < n_snap && snap_steps[next] <= t) {
            if (snap_steps[next] == t &&
                (st = take_snapshot(s, snap_out + (size_t)next * snap_size, err)) != TL_OK)
                goto out;
            next++;
        }
    }
out:
    tl_sim_free(s);
    return st;
}
