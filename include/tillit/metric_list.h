/* tillit/metric_list.h — THE table of per-step outputs (one row each).
 *
 * X(name, unit, group, aggregation, description)
 *   aggregation says over what the step's value is taken:
 *     cases     mean over cases completed in the step (NaN when none)
 *     count     number of events in the step
 *     share     a share in [0,1] over the population named
 *     staff     over employees at the end of the step (effort, shirking,
 *               compliance, perceived risk: not over recruits hired at its end)
 *     group     over a group of employees at the end of the step (NaN when
 *               the group is empty)
 *     citizens  over all citizens at the end of the step
 *     level     a level at the end of the step
 */
#ifndef TILLIT_METRIC_LIST_H
#define TILLIT_METRIC_LIST_H

/* clang-format off */
#define TL_METRIC_LIST(X) \
/* ---- citizens ------------------------------------------------------------ */ \
X(quality_true, "1", citizens, "cases", "Mean true quality of the service a case received (fit x effort x knowledge, less errors and gaming).") \
X(quality_measured, "1", citizens, "cases", "Mean quality as the indicators show it (true quality plus gaming).") \
X(quality_gap, "1", citizens, "cases", "quality_measured - quality_true: what the indicators overstate (goal displacement).") \
X(quality_complex, "1", citizens, "cases", "Mean true quality of complex cases (complexity above complex_threshold).") \
X(quality_sd, "1", citizens, "cases", "Standard deviation of true quality between cases (dispersion of outcomes).") \
X(equal_gap, "1", citizens, "cases", "Mean true quality for voiced citizens (group 0) minus weak-voice citizens (group 1): unequal treatment.") \
X(needs_met, "1", citizens, "cases", "Share of the needs handled in the step (completed, turned away or abandoned) that were met at adequate_quality or better.") \
X(cases_arrived, "1", citizens, "count", "New needs (cases) arising in the step.") \
X(cases_completed, "1", citizens, "count", "Cases completed in the step.") \
X(cases_turned_away, "1", citizens, "count", "Needs turned away because the unit's queue was full.") \
X(cases_abandoned, "1", citizens, "count", "Waiting needs withdrawn in the step (abandon_rate): unmet.") \
X(backlog, "1", citizens, "level", "Cases waiting at the end of the step.") \
X(wait_mean, "week", citizens, "cases", "Mean waiting time of cases completed in the step (including escalation and hand-off delays).") \
X(rationed, "1", citizens, "cases", "Mean share of direct time cut from the cases completed in the step because the unit's queue was long (rationing).") \
X(wait_queue, "week", citizens, "cases", "Mean time cases completed in the step spent in the queue (whole weeks; without escalation and hand-off delays): Little's law gives backlog = admitted arrivals x wait_queue.") \
X(satisfaction, "1", citizens, "citizens", "Mean citizen satisfaction with the service.") \
X(citizen_trust, "1", citizens, "citizens", "Mean citizen trust in the public service (falls fast after incidents).") \
/* ---- employees ----------------------------------------------------------- */ \
X(skill_mean, "1", employees, "staff", "Mean skill ('can').") \
X(skill_sd, "1", employees, "staff", "Standard deviation of skill.") \
X(motivation_mean, "1", employees, "staff", "Mean intrinsic motivation ('want').") \
X(motivation_sd, "1", employees, "staff", "Standard deviation of motivation.") \
X(safety_mean, "1", employees, "staff", "Mean psychological safety ('dare').") \
X(safety_sd, "1", employees, "staff", "Standard deviation of psychological safety.") \
X(strain_mean, "1", employees, "staff", "Mean strain.") \
X(strain_sd, "1", employees, "staff", "Standard deviation of strain.") \
X(burnout_share, "1", employees, "share", "Share of employees with strain at or above burnout_threshold.") \
X(turnover, "1", employees, "share", "Share of employees who left (quit or removed) in the step.") \
X(removals, "1", employees, "count", "Employees removed for consistent mismanagement in the step.") \
X(trust_in_manager, "1", employees, "staff", "Mean employee trust in their manager.") \
X(effort_mean, "1", employees, "group", "Mean effort of the employees employed through the step, absent ones included (not recruits hired at its end; NaN when there are none).") \
X(effort_reciprocal, "1", employees, "group", "Mean effort of reciprocal/intrinsic types (NaN when there are none).") \
X(effort_self_interested, "1", employees, "group", "Mean effort of self-interested types (NaN when there are none).") \
X(motivation_reciprocal, "1", employees, "group", "Mean motivation of reciprocal/intrinsic types, their voluntary effort (NaN when there are none).") \
X(compliance_share, "1", employees, "group", "Share of self-interested employees (not recruits hired at the step's end) who comply with the norm because they fear detection (NaN when there are none).") \
X(perceived_risk, "1", employees, "group", "Mean perceived chance per case that shirking is found, among self-interested employees (NaN when there are none).") \
X(stayers_share, "1", employees, "share", "Share of employees with at least two years' tenure (stayers).") \
X(self_interested_staff, "1", employees, "share", "Share of employees who are self-interested now: the hiring draw (self_interested_share) after quitting and removal have selected.") \
X(skill_stayers, "1", employees, "group", "Mean skill of stayers (tenure >= 104 weeks; NaN when there are none): without the composition effect of turnover.") \
X(motivation_stayers, "1", employees, "group", "Mean motivation of stayers (NaN when there are none).") \
X(effort_stayers, "1", employees, "group", "Mean effort of stayers (NaN when there are none).") \
X(strain_stayers, "1", employees, "group", "Mean strain of stayers (NaN when there are none).") \
X(absence_share, "1", employees, "share", "Share of employees absent in the step.") \
X(shirking_share, "1", employees, "share", "Share of employees whose effort is below shirk_threshold.") \
X(time_citizen, "1", employees, "share", "Share of employees' hours worked spent in direct work with citizens.") \
X(time_documentation, "1", employees, "share", "Share of employees' hours worked spent on documentation and reporting.") \
X(time_collaboration, "1", employees, "share", "Share of employees' hours worked spent collaborating across units.") \
X(time_learning, "1", employees, "share", "Share of employees' hours worked spent on learning.") \
X(time_audit, "1", employees, "share", "Share of employees' hours worked spent in dialogue audits.") \
X(time_meetings, "1", employees, "share", "Share of employees' hours worked spent in meetings for openness and co-created steering.") \
X(utilisation, "1", employees, "level", "Hours worked (all activities, overtime included) relative to contracted hours; below 1 means idle time.") \
X(overtime_share, "1", employees, "level", "Overtime hours as a share of contracted hours (above overtime_max only when a case begun in time runs over).") \
/* ---- managers and control ------------------------------------------------ */ \
X(manager_trust, "1", managers, "staff", "Mean of managers' trust in their employees (the log-odds beliefs as probabilities).") \
X(audits, "1", managers, "count", "Audits carried out in the step.") \
X(audit_rate, "1", managers, "share", "Audits per completed case.") \
X(audits_forgone, "1", managers, "count", "Audits called for but not done for lack of manager time.") \
X(actions_forgone, "1", managers, "count", "Known serious problems (errors, shirking) that firmness would act on but the manager had no time left for.") \
X(manager_time_control, "1", managers, "share", "Share of managers' hours spent on audits.") \
X(manager_time_reporting, "1", managers, "share", "Share of managers' hours spent reporting upward.") \
X(manager_time_meetings, "1", managers, "share", "Share of managers' hours spent in meetings for co-created steering and openness.") \
X(manager_time_action, "1", managers, "share", "Share of managers' hours spent acting on serious problems.") \
X(manager_time_support, "1", managers, "share", "Share of managers' hours left for support and leadership.") \
X(support_shortfall, "1", managers, "share", "Share of employees' leadership support need (support_need_hours each) that managers had no time left for.") \
X(control_effective, "1", managers, "level", "Effective control intensity after the cascade from above.") \
X(mandate_effective, "1", managers, "level", "Effective mandate after the cascade from above.") \
X(chain_pressure, "1", managers, "level", "Pressure from above (targeted grants, missing trust from above).") \
X(escalations, "1", managers, "count", "Complex cases escalated to managers in the step.") \
/* ---- errors -------------------------------------------------------------- */ \
X(errors_minor, "1", errors, "count", "Minor errors made in the step.") \
X(errors_serious, "1", errors, "count", "Serious errors made in the step.") \
X(errors_reported, "1", errors, "count", "Errors reported by the employee who made them.") \
X(errors_detected, "1", errors, "count", "Errors found by audits (and not reported).") \
X(errors_hidden, "1", errors, "count", "Errors neither reported nor found.") \
X(serious_hidden, "1", errors, "count", "Serious errors neither reported nor found.") \
X(serious_error_rate, "1", errors, "cases", "Serious errors per completed case.") \
X(shirking_detected, "1", errors, "count", "Cases of shirking found by audits.") \
X(sanctions, "1", errors, "count", "Known minor errors sanctioned (error tolerance below their severity).") \
X(learning_events, "1", errors, "count", "Known errors used for learning (learning conversations and acted-on serious errors).") \
X(serious_acted, "1", errors, "count", "Known serious problems acted on (firmness).") \
X(hazards, "1", errors, "level", "Uncorrected serious errors that may still surface as incidents.") \
X(incidents, "1", errors, "count", "Serious incidents (uncorrected serious errors that caused harm) in the step.") \
/* ---- organisation and knowledge ------------------------------------------ */ \
X(code_knowledge, "1", knowledge, "level", "March's (1991) knowledge score of the organisational code: (right - wrong)/m dimensions of citizens' real needs, in [-1,1] (0 = chance).") \
X(code_knowledge_share, "1", knowledge, "level", "Share of the m dimensions of citizens' real needs the organisational code gets right.") \
X(staff_knowledge, "1", knowledge, "staff", "Mean share of dimensions employees get right.") \
X(knowledge_fast, "1", knowledge, "group", "Mean share of dimensions the fast learners (fast_learner_share) get right (NaN when there are none).") \
X(knowledge_slow, "1", knowledge, "group", "Mean share of dimensions the other employees, the slow learners, get right (NaN when there are none).") \
X(collaborations, "1", knowledge, "count", "Cases that needed another unit.") \
X(handoff_failures, "1", knowledge, "count", "Cases needing another unit where the hand-off failed.") \
/* ---- economy ------------------------------------------------------------- */ \
X(cost, "SEK", economy, "count", "Total cost of the step: wages and overtime, managers, support staff, recruitment, incidents.") \
X(cost_per_case, "SEK", economy, "cases", "Cost of the step per completed case.") \
X(control_cost, "SEK", economy, "count", "Part of the wage cost spent on control: documentation above the base, audits, reporting upward.") \
X(budget_deviation, "1", economy, "level", "(cost - budget)/budget for the step; positive is overspending.") \
X(service_value, "1", citizens, "cases", "Mean over needs completed, turned away or abandoned of quality x waiting discount (turned away or abandoned = 0): what citizens got.") \
X(outcome_index, "1", economy, "level", "outcome_service_weight*service_value - outcome_cost_weight*max(0,budget_deviation) - outcome_incident_weight*incidents per 100 cases - outcome_equal_weight*|equal_gap| - outcome_staff_weight*strain_mean (a composite; its weights are value judgements: compare the dimensions too).")
/* clang-format on */

#endif
