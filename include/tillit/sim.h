/* tillit/sim.h — one simulation: create, step week by week, read metrics and agents, free. */
#ifndef TILLIT_SIM_H
#define TILLIT_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "tillit/metrics.h"
#include "tillit/params.h"
#include "tillit/schedule.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_sim tl_sim;

/* What identifies a run's random streams: the master seed and the run's
 * position in the design. */
typedef struct tl_run_key {
    uint64_t seed;
    uint32_t point;
    uint32_t replicate;
} tl_run_key;

/* Create a simulation at step 0 with its agents initialised. params and
 * sched are copied. All memory is allocated here, none while stepping.
 * Errors: TL_ERR_RANGE/TL_ERR_CONFLICT (invalid parameters or schedule),
 * TL_ERR_NOMEM. On failure *out is NULL. */
tl_status tl_sim_new(tl_sim **out, const tl_params *params, const tl_schedule *sched,
                     tl_run_key key, tl_error *err);

/* Free everything; accepts NULL. */
void tl_sim_free(tl_sim *sim);

/* Advance one week. Errors: TL_ERR_NUMERIC when a state leaves its range
 * or a metric is not finite where it must be; TL_ERR_INVALID past the
 * horizon; TL_ERR_NOMEM when a unit's case queue cannot grow (the
 * simulation can then only be freed). */
tl_status tl_sim_step(tl_sim *sim, tl_error *err);

/* Steps done so far (0 after tl_sim_new). */
int tl_sim_time(const tl_sim *sim);
/* Horizon (params->steps). */
int tl_sim_horizon(const tl_sim *sim);
/* Outputs of the last step (all NaN before the first). */
const tl_metrics *tl_sim_metrics(const tl_sim *sim);
/* Parameters in effect in the last step (after the schedule). */
const tl_params *tl_sim_params(const tl_sim *sim);

/* Change a schedulable parameter from the next step on (the classroom's
 * mid-run lever). Later schedule changes of it still apply.
 * Errors: TL_ERR_UNKNOWN_KEY, TL_ERR_INVALID (not schedulable), TL_ERR_RANGE. */
tl_status tl_sim_set(tl_sim *sim, const char *name, double value, tl_error *err);

/* ---- agent-level snapshots ------------------------------------------------ */
/* X(name, agent, unit, description); agent is employee or citizen. */
#define TL_AGENT_VAR_LIST(X)                                                              \
    X(skill, employee, "1", "Skill ('can').")                                             \
    X(motivation, employee, "1", "Intrinsic motivation ('want').")                        \
    X(safety, employee, "1", "Psychological safety ('dare').")                            \
    X(strain, employee, "1", "Strain.")                                                   \
    X(effort, employee, "1", "Effort in the step.")                                       \
    X(trust_in_manager, employee, "1", "Employee's trust in the manager.")                \
    X(manager_trust, employee, "1", "Manager's trust in the employee (from the log-odds belief).") \
    X(aptitude, employee, "1", "Aptitude: the skill approached with practice.")          \
    X(perceived_risk, employee, "1", "Perceived chance per case that shirking is found.")  \
    X(knowledge, employee, "1", "Share of dimensions of real needs known (March).")       \
    X(self_interested, employee, "1", "1 for a self-interested type, 0 otherwise.")       \
    X(unit, employee, "1", "Unit index.")                                                 \
    X(tenure, employee, "week", "Weeks since hired.")                                     \
    X(citizen_satisfaction, citizen, "1", "Satisfaction with the service.")               \
    X(citizen_trust_level, citizen, "1", "Trust in the public service.")                  \
    X(voice_group, citizen, "1", "0 voiced, 1 weak voice.")

typedef enum {
#define TL_X_ENUM(name, agent, unit, desc) TL_AGENT_##name,
    TL_AGENT_VAR_LIST(TL_X_ENUM)
#undef TL_X_ENUM
        TL_NAGENT_VARS
} tl_agent_var;

typedef struct tl_agent_var_info {
    const char *name;
    const char *agent; /* "employee" or "citizen" */
    const char *unit;
    const char *desc;
} tl_agent_var_info;

const tl_agent_var_info *tl_agent_var_table(void);
/* Number of agents of the kind var belongs to. */
size_t tl_sim_agent_count(const tl_sim *sim, tl_agent_var var);
/* Copy variable var of every agent into out[0..n-1]; n must equal
 * tl_sim_agent_count. Errors: TL_ERR_INVALID. */
tl_status tl_sim_snapshot(const tl_sim *sim, tl_agent_var var, float *out, size_t n,
                          tl_error *err);

/* ---- a whole run ---------------------------------------------------------- */
/* Run from step 0 to the horizon and store step-major outputs:
 * out[(t-1)*TL_NMETRICS + m] for t = 1..steps. out holds
 * steps*TL_NMETRICS doubles. When snap_steps (sorted, 1-based) is given,
 * snap_out receives for each of its n_snap steps the employee variables then
 * the citizen variables, each agent-count floats, in TL_AGENT_VAR_LIST
 * order; size with tl_snapshot_size. */
tl_status tl_run(const tl_params *params, const tl_schedule *sched, tl_run_key key, double *out,
                 const int *snap_steps, int n_snap, float *snap_out, tl_error *err);

/* Memory of one simulation, in bytes of the arrays it allocates (not
 * counting the allocator's own overhead per block). Each unit's case queue
 * starts with room for TL_QUEUE_START cases (16; fewer if its cap is
 * smaller) and doubles when a need arrives to a full ring, up to its cap
 * of queue_weeks x citizens x need_rate / units + 16 cases (the highest
 * need_rate of the schedule when sched is given); a need arriving to a
 * queue at the cap is turned away. Hence:
 *   tl_sim_memory      exactly what tl_sim_new allocates (memory at start);
 *   tl_sim_memory_max  the most a run can hold: every queue at its cap
 *                      (what the queues took before they grew on demand);
 *                      use it for pre-flight estimates and limits. Growing
 *                      a queue by realloc may briefly need its old room
 *                      again, at most cap/2 cases of one unit more.
 *   tl_sim_memory_now  exactly what the simulation holds now
 *                      (tl_sim_memory <= now <= tl_sim_memory_max). */
size_t tl_sim_memory(const tl_params *params, const tl_schedule *sched);
size_t tl_sim_memory_max(const tl_params *params, const tl_schedule *sched);
size_t tl_sim_memory_now(const tl_sim *s);

/* Floats one snapshot takes for these parameters. */
size_t tl_snapshot_size(const tl_params *params);

#ifdef __cplusplus
}
#endif
#endif
