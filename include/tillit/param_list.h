/* tillit/param_list.h — THE table of model parameters (one row each).
 *
 * Everything about a parameter is written here once; the params struct, the
 * name lookup, validation, `tillit params`, docs/parameters.md, the HDF5
 * coordinates and the classroom sliders are all generated from it.
 *
 * X(name, type, default, min, max, unit, group, part, flags,
 *   principle, description, source)
 *   type      REAL or INT (INT values are whole numbers stored as double)
 *   group     where a user looks for it: run, organisation, citizens,
 *             employees, managers, errors, regime, chain, knowledge, economy
 *   part      for regime levers, the source's three parts of steering:
 *             governance, culture (culture and leadership), work (work
 *             organisation); "" otherwise
 *   flags     LEVER (a steering lever: schedulable, shown as a slider),
 *             SCHED (schedulable, not a lever), STRUCT (fixes sizes; cannot
 *             change during a run), 0
 *   principle the passage of the source it represents ("" if none)
 *   source    research source of the mechanism or rationale of the default
 */
#ifndef TILLIT_PARAM_LIST_H
#define TILLIT_PARAM_LIST_H

/* clang-format off */
#define TL_PARAM_LIST(X) \
/* ---- run ---------------------------------------------------------------- */ \
X(steps, INT, 520, 1, 100000, "week", run, "", STRUCT, "", \
  "Horizon: number of weekly steps simulated.", \
  "520 weeks = 10 years: long enough for turnover, learning and hysteresis (model brief s.2).") \
/* ---- organisation -------------------------------------------------------- */ \
X(units, INT, 8, 1, 100000, "1", organisation, "", STRUCT, "", \
  "Number of units; each has one manager and an even share of the employees.", \
  "25 employees per first-line manager: Swedish municipal care managers commonly lead 25-60 staff (assumption at the low end), so that manager time can bind.") \
X(employees, INT, 200, 1, 10000000, "1", organisation, "", STRUCT, "", \
  "Front-line employees (medarbetare) in all units together.", \
  "25 per unit by default (see units).") \
X(citizens, INT, 10000, 1, 100000000, "1", organisation, "", STRUCT, "", \
  "Citizens/users (medborgare, brukare); each belongs to one home unit.", \
  "50 citizens per employee gives about 5 cases per employee and week with need_rate 0.1.") \
X(hours_per_week, REAL, 40, 10, 60, "h", organisation, "", 0, "", \
  "Contracted working hours per employee and week.", \
  "Swedish full-time week (40 h).") \
X(manager_hours, REAL, 40, 10, 60, "h", organisation, "", 0, "", \
  "Working hours per manager and week (reporting, audits, escalations, support).", \
  "Swedish full-time week (40 h).") \
X(overtime_max, REAL, 0.1, 0, 0.5, "1", organisation, "", SCHED, "", \
  "Share of contracted hours an employee may work on top when cases are waiting.", \
  "Assumption: about half a day a week; overtime is paid at overtime_premium and adds strain.") \
X(rationing, REAL, 0, 0, 0.9, "1", organisation, "", SCHED, "", \
  "Share of a case's direct time staff cut when work outruns time: in full for cases served in overtime, in contracted time in proportion to the cases from earlier weeks waiting (in full from a week of expected arrivals); quality falls by half the share cut. 0 = off.", \
  "Lipsky 1980: street-level bureaucrats facing more demand than they can meet ration and routinise their service rather than work without limit. Off by default: the defaults were calibrated without it (docs/ODD.md 7.4.8, 13).") \
X(absence_rate, REAL, 0.07, 0, 0.5, "1", organisation, "", SCHED, "", \
  "Weekly probability that an employee is absent the whole week (sick leave, leave); rises with strain (x(1+2*max(0,strain-0.5))).", \
  "Sickness absence in Swedish municipal care is of the order of 7-8 % of hours (assumption of that order); absences make weekly capacity vary, so waits grow smoothly toward full utilisation.") \
X(unit_heterogeneity, REAL, 0, 0, 1, "1", organisation, "", STRUCT, "", \
  "How much units differ: spread of each manager's control intensity (log-normal factor, sd 0.5*h) and starting trust (sd 0.15*h).", \
  "Model brief s.2: units can be configured to differ; 0 makes all managers alike.") \
/* ---- citizens ------------------------------------------------------------ */ \
X(need_rate, REAL, 0.1, 0, 10, "1/week", citizens, "", SCHED, "Medborgarfokus", \
  "New needs (cases) per citizen and week.", \
  "Calibration: with 50 citizens per employee, utilisation is about 90 % under the balanced regime.") \
X(complexity_mean, REAL, 0.35, 0.01, 0.99, "1", citizens, "", SCHED, "", \
  "Mean complexity of a need in [0,1] (0 standard, 1 entirely individual); complexity is U^((1-m)/m).", \
  "Assumption: most needs are standard, a minority complex (model brief s.2, citizens).") \
X(severity_mean, REAL, 0.3, 0.01, 0.99, "1", citizens, "", SCHED, "", \
  "Mean severity of what is at stake in a case in [0,1]; sets the mean severity of errors made on it.", \
  "Assumption: most errors are minor, a few serious (Edmondson 1996; model brief mechanism 4).") \
X(weak_voice_share, REAL, 0.3, 0, 1, "1", citizens, "", STRUCT, "Likvärdighet (reservation 1)", \
  "Share of citizens in group 1, who are less able to voice their needs; group 0 are the rest.", \
  "Assumption, to measure equal treatment (likvärdighet) between groups.") \
X(voice_gap, REAL, 0.4, 0, 1, "1", citizens, "", SCHED, "Likvärdighet (reservation 1)", \
  "Share of tailored fit lost for a weak-voice citizen at full complexity (less of the need is heard); citizen focus halves it at most.", \
  "Assumption: discretion follows what citizens voice; the rule frame and citizen focus bound the gap (mechanism 8).") \
X(complex_threshold, REAL, 0.6, 0, 1, "1", citizens, "", 0, "Helhetssyn", \
  "Complexity above which a need is complex: it may need another unit, and without mandate it is escalated or done by the book.", \
  "Assumption.") \
X(multi_unit_share, REAL, 0.5, 0, 1, "1", citizens, "", SCHED, "Helhetssyn", \
  "Share of complex needs that also need another unit (collaboration across boundaries).", \
  "Assumption: complex needs often span e.g. home care, health care and social services.") \
X(collab_hours, REAL, 2, 0, 40, "h", citizens, "", 0, "Helhetssyn", \
  "Employee hours spent collaborating on a case that needs another unit, at full holistic view.", \
  "Assumption: a joint planning meeting and follow-up.") \
X(silo_success, REAL, 0.5, 0, 1, "1", citizens, "", 0, "Helhetssyn", \
  "Chance that a hand-off to another unit works with no holistic view; rises linearly to 1 at full holistic view.", \
  "Assumption: silos cause hand-off failures (model brief mechanism 9).") \
X(adequate_quality, REAL, 0.6, 0, 1, "1", citizens, "", 0, "Medborgarfokus", \
  "Quality at or above which a need counts as met.", \
  "Assumption; used only for the metric needs_met.") \
X(wait_tolerance, REAL, 4, 0.1, 520, "week", citizens, "", 0, "Medborgarfokus", \
  "Waiting time at which a citizen's satisfaction with a case has lost its full waiting penalty.", \
  "Assumption: a month's wait is felt fully.") \
X(queue_weeks, REAL, 8, 1, 520, "week", citizens, "", STRUCT, "", \
  "Admission policy: a unit's waiting list holds at most this many weeks of expected arrivals; needs beyond it are turned away (referred elsewhere, unmet).", \
  "Assumption: waiting lists are closed or needs referred when waits pass about two months; also bounds memory.") \
X(abandon_rate, REAL, 0.1, 0, 1, "1/week", citizens, "", SCHED, "Medborgarfokus", \
  "Weekly chance that a need still waiting is withdrawn (resolved elsewhere, given up, referred): counts as unmet.", \
  "Queues with impatient customers (Erlang-A; Garnett, Mandelbaum & Reiman 2002): abandonment keeps an overloaded queue finite and lets waits grow smoothly with load (rate assumed).") \
X(case_hours_cv, REAL, 0.5, 0, 2, "1", citizens, "", 0, "", \
  "Coefficient of variation of a case's direct hours (factor 1-cv+cv*Exp(1), mean 1).", \
  "Queueing theory: service-time variability drives waits (Pollaczek-Khinchine); service times in care work vary widely (assumption 0.5).") \
/* ---- employees ----------------------------------------------------------- */ \
X(self_interested_share, REAL, 0.25, 0, 1, "1", employees, "", STRUCT, "", \
  "Share of employees whose effort follows the chance of detection, not motivation (the rest are reciprocal/intrinsic).", \
  "Experiments find a selfish minority beside a reciprocal majority (Fehr & Gaechter 2000; Falk & Kosfeld 2006): assumption 25 %.") \
X(motivation_baseline, REAL, 0.7, 0, 1, "1", employees, "", STRUCT, "Vill (can, want, dare)", \
  "Mean baseline intrinsic motivation ('want'), the level with neither crowding in nor out.", \
  "Assumption: welfare staff are mostly intrinsically motivated (public service motivation).") \
X(motivation_spread, REAL, 0.1, 0, 0.5, "1", employees, "", STRUCT, "", \
  "Spread of baseline motivation between employees.", \
  "Assumption.") \
X(skill_initial, REAL, 0.6, 0, 1, "1", employees, "", STRUCT, "Kan (can, want, dare)", \
  "Mean skill ('can') of the initial staff.", \
  "Assumption: an experienced staff at mid-level.") \
X(aptitude_mean, REAL, 0.8, 0, 1, "1", employees, "", STRUCT, "Kan (can, want, dare)", \
  "Mean of an employee's aptitude: the skill they approach with practice and learning (drawn at hiring, kept for life).", \
  "Assumption: skill differs between people and persists (ceiling set by aptitude, not 1).") \
X(aptitude_sd, REAL, 0.12, 0, 0.5, "1", employees, "", STRUCT, "Kan (can, want, dare)", \
  "Spread of aptitude between employees (normal, clamped to [0.2,1]).", \
  "Assumption.") \
X(skill_newcomer, REAL, 0.3, 0, 1, "1", employees, "", 0, "Kan (can, want, dare)", \
  "Mean skill of a newly recruited employee.", \
  "Model brief: newcomers start low (knowledge loss at turnover).") \
X(case_hours, REAL, 3, 0.1, 100, "h", employees, "", 0, "", \
  "Direct work with the citizen on a standard case at full effort.", \
  "Calibration with need_rate: about 5 cases per employee and week.") \
X(complexity_hours, REAL, 1.5, 0, 10, "1", employees, "", 0, "", \
  "Extra direct time of a complex case: a case takes case_hours*(1+complexity_hours*complexity) at full effort.", \
  "Assumption: a fully individual case takes two and a half times a standard one.") \
X(doc_base_hours, REAL, 0.75, 0, 20, "h", employees, "", 0, "", \
  "Documentation per case required whatever the regime (legal record keeping).", \
  "Assumption; with control on top it reproduces documentation shares of 15-45 % (Swedish time-use studies, model brief mechanism 2).") \
X(experience_rate, REAL, 0.004, 0, 0.1, "1/week", employees, "", 0, "Kan (can, want, dare)", \
  "Skill gained per week of full-time direct work with citizens (documentation does not count), as a share of the remaining gap to the employee's aptitude.", \
  "Assumption: a newcomer closes half the gap in about 3-4 years of practice alone.") \
X(skill_decay, REAL, 0.002, 0, 0.1, "1/week", employees, "", 0, "", \
  "Weekly loss of skill (practice drifting from new knowledge) without learning.", \
  "Assumption; sets where skill settles without learning time.") \
X(learning_time_max, REAL, 0.1, 0, 0.5, "1", employees, "", 0, "Kunskap", \
  "Share of working time spent on learning when the knowledge lever is 1.", \
  "Assumption: half a day a week of collegial learning at most.") \
X(learning_rate, REAL, 0.05, 0, 1, "1/week", employees, "", 0, "Kunskap", \
  "Skill gained per week of full-time learning, as a share of the remaining gap.", \
  "Assumption: learning time is about ten times as effective per hour as routine practice.") \
X(error_rate, REAL, 0.06, 0, 1, "1", employees, "", 0, "", \
  "Base probability of an error on a case; scaled up by complexity, low skill, low effort and strain.", \
  "Assumption of order 1-10 % of cases with some error (Edmondson 1996: most errors minor).") \
X(learn_from_error, REAL, 0.05, 0, 1, "1", employees, "", 0, "Kunskap", \
  "Skill gained from one error used for learning, as a share of the remaining gap.", \
  "Edmondson 1999: reported and discussed errors drive learning.") \
X(team_learning, REAL, 0.5, 0, 1, "1", employees, "", 0, "Öppenhet", \
  "How much of a colleague's lesson reaches each employee at full openness, relative to the learner (divided by the unit's size).", \
  "Edmondson 1999: team learning behaviour needs psychological safety and openness.") \
X(report_base, REAL, 0.3, 0, 1, "1", employees, "", 0, "Öppenhet", \
  "Willingness to report an own error at zero openness (multiplied by psychological safety).", \
  "Edmondson 1996: better-led teams report more errors, not make more.") \
X(self_interested_report, REAL, 0.5, 0, 1, "1", employees, "", STRUCT, "", \
  "Reporting of self-interested types relative to the others.", \
  "Assumption: reporting is costly to the reporter.") \
X(effort_floor, REAL, 0.2, 0, 1, "1", employees, "", 0, "", \
  "Effort of a self-interested employee who expects no detection.", \
  "Falk & Kosfeld 2006: without control, selfish agents choose the minimum.") \
X(effort_norm, REAL, 0.55, 0, 1, "1", employees, "", 0, "", \
  "The standard that control can enforce at most (the enforced minimum at certain detection).", \
  "Falk & Kosfeld 2006: control imposes a minimum; it cannot enforce more.") \
X(compliance_cost, REAL, 0.08, 0.001, 10, "1", employees, "", STRUCT, "", \
  "Median of a self-interested employee's cost of complying with the norm, in units of expected consequence per case; they comply when perceived risk x consequence exceeds it.", \
  "Bevan & Hood 2006: staff differ in how they respond to targets and sanctions (saints, honest triers, reactive gamers, rational maniacs); size assumed so that weekly audits of a few % of cases deter a minority.") \
X(compliance_spread, REAL, 1, 0, 5, "1", employees, "", STRUCT, "", \
  "Log-normal sigma of the compliance cost between self-interested employees (0 = all alike).", \
  "Bevan & Hood 2006 (heterogeneous responses to control).") \
X(risk_learning, REAL, 0.1, 0, 1, "1/week", employees, "", 0, "", \
  "Rate at which an employee's perceived audit risk follows what they see (own and colleagues' audits, problems acted on).", \
  "Deterrence works through perceived, not actual, risk (Nagin 2013); perceptions lag behind enforcement (assumption: about ten weeks).") \
X(risk_own_weight, REAL, 0.5, 0, 1, "1", employees, "", 0, "", \
  "Weight of one's own audits (vs colleagues' in the unit) in the perceived audit risk.", \
  "Assumption; both own and vicarious experience shape perceived risk (Stafford & Warr 1993).") \
X(risk_salience, REAL, 3, 0, 20, "1", employees, "", 0, "", \
  "How much a colleague's problem acted on raises perceived risk (per action, divided by unit size).", \
  "Assumption: visible consequences are salient (Stafford & Warr 1993).") \
X(risk_prior, REAL, 0.05, 0, 1, "1", employees, "", 0, "", \
  "Perceived chance per case that shirking is found, held by a newcomer before seeing anything.", \
  "Assumption.") \
X(sanction_deterrence, REAL, 0.5, 0, 2, "1", employees, "", 0, "Överseende med mindre misstag (reservation 2)", \
  "Weight of sanctions for minor errors (1 - error_tolerance) in the consequence a self-interested employee fears, beside firmness.", \
  "Assumption: zero tolerance deters a little more, at the price of safety (the cost of tolerance).") \
X(gaming, REAL, 1.6, 0, 3, "1", employees, "", 0, "Fokus uppåt (table row)", \
  "Strength of effort displacement toward what indicators measure: gaming = gaming*stakes*type*(1-detect_gaming*mode), stakes = control*(1-citizen_focus)*(consequence).", \
  "Calibrated: under control-based steering the indicator overstates true quality by about 0.175 (Bevan & Hood 2006: reported vs true A&E waits 90 vs 69 %, 96 vs 77 %, a 15-20 point gap); Campbell 1979 (Campbell's law).") \
X(detect_gaming, REAL, 0.6, 0, 1, "1", employees, "", 0, "Uppföljning (table row)", \
  "Share of gaming that dialogue-based follow-up sees through (and so makes pointless) at control_mode 1.", \
  "Bevan & Hood 2006: measurement alone cannot tell hitting the target from missing the point; qualitative follow-up sees more (size assumed).") \
X(gaming_reciprocal, REAL, 0.3, 0, 1, "1", employees, "", 0, "", \
  "Gaming of reciprocal types relative to self-interested ones (honest triers game when much rides on the indicator).", \
  "Bevan & Hood 2006 (honest triers, reactive gamers).") \
X(gaming_cost, REAL, 0.3, 0, 1, "1", employees, "", 0, "Fokus uppåt (table row)", \
  "Share of true quality lost at full gaming (effort moved from the citizen to the indicator).", \
  "Bevan & Hood 2006: hitting the target and missing the point (size assumed).") \
X(shirk_threshold, REAL, 0.45, 0, 1, "1", employees, "", 0, "", \
  "Effort below which an employee counts as shirking (can be found by audits).", \
  "Assumption.") \
X(crowding_out, REAL, 0.13, 0, 2, "1", employees, "", 0, "Tillit", \
  "Strength with which control perceived as distrust lowers the motivation target.", \
  "Calibrated: uniform measurement-based audits of 40 % of cases lower reciprocal staff's motivation by about 0.35 SD of its spread between employees (Deci, Koestner & Ryan 1999: controlling interventions about -0.3 to -0.4 SD); Frey & Jegen 2001; Falk & Kosfeld 2006.") \
X(control_indifferent_share, REAL, 0.24, 0, 0.9, "1", employees, "", STRUCT, "Tillit", \
  "Share of reciprocal employees whose motivation does not respond to felt control; the others respond more strongly, by 1 / (1 - share), so the average crowding out (calibrated to Deci et al.) is unchanged. Drawn at hiring from its own random stream, so other draws do not move.", \
  "Falk & Kosfeld 2006: in the lab game with a minimum of 10, 18 % of agents chose the same effort under control as when trusted (57 % lower, 25 % raise); among reciprocal agents (about 75 %) that is 0.18 / 0.75 = 0.24 (calibrated: the lab module then gives 58 % lower, 18 % same, 25 % raise; test_calibration). 0 makes all respond alike, as before this parameter.") \
X(crowding_task, REAL, 0, 0, 1, "1", employees, "", 0, "Helhetssyn", \
  "Optional (0, the default, is off): how far crowding out depends on the task: the crowding-out strength is scaled by (1 - crowding_task) + crowding_task * complexity_mean / 0.35, so it is weaker in standard, routine work and stronger in complex work (1 at the default complexity 0.35, where crowding_out is calibrated).", \
  "Weibel, Rost & Osterloh 2010 (meta-analysis of pay for performance in the public sector: a positive effect on performance in uninteresting tasks, a negative one through crowding out in interesting tasks); Frey & Jegen 2001 (crowding out needs intrinsic motivation to act on). Size assumed; explored in scenarios/research/context-control.yaml, not calibrated.") \
X(crowding_in, REAL, 0.2, 0, 2, "1", employees, "", 0, "Tillit", \
  "Strength with which autonomy, support and trust raise the motivation target.", \
  "Calibrated: full support against none raises motivation by about 0.3 SD (Deci, Koestner & Ryan 1999: informational, supportive feedback about +0.3 SD); Frey & Jegen 2001 (crowding in).") \
X(motivation_rise, REAL, 0.02, 0, 1, "1/week", employees, "", 0, "Tillit", \
  "Rate at which motivation rises toward a higher target.", \
  "Trust asymmetry (Slovic 1993): slower to build than to lose; gives hysteresis (pattern 10).") \
X(motivation_fall, REAL, 0.06, 0, 1, "1/week", employees, "", 0, "Tillit", \
  "Rate at which motivation falls toward a lower target.", \
  "Trust asymmetry (Slovic 1993): three times as fast as the rise (assumption).") \
X(safety_rate, REAL, 0.05, 0, 1, "1/week", employees, "", 0, "Vågar (can, want, dare)", \
  "Rate at which psychological safety ('dare') moves toward its target.", \
  "Edmondson 1999: safety is a slowly changing team climate.") \
X(sanction_shock, REAL, 0.2, 0, 1, "1", employees, "", 0, "Vågar (can, want, dare)", \
  "Drop in an employee's safety when sanctioned for a minor error.", \
  "Edmondson 1996, 1999: punished errors get hidden.") \
X(witness_shock, REAL, 1, 0, 5, "1", employees, "", 0, "Vågar (can, want, dare)", \
  "Drop in colleagues' safety per sanction per unit member (colleagues see it).", \
  "Model brief mechanism 4: also when a colleague is punished.") \
X(trust_rise, REAL, 0.02, 0, 1, "1/week", employees, "", 0, "Tillit", \
  "Rate at which an employee's trust in the manager rises toward a higher target.", \
  "Trust asymmetry (Slovic 1993).") \
X(trust_fall, REAL, 0.08, 0, 1, "1/week", employees, "", 0, "Tillit", \
  "Rate at which an employee's trust in the manager falls toward a lower target.", \
  "Trust asymmetry (Slovic 1993).") \
X(strain_rate, REAL, 0.05, 0, 1, "1/week", employees, "", 0, "", \
  "Rate at which strain moves toward the level set by demands and resources.", \
  "Assumption: strain builds over months.") \
X(burnout_threshold, REAL, 0.75, 0, 1, "1", employees, "", 0, "", \
  "Strain at or above which an employee counts as burnt out (less effort, more errors, more quitting).", \
  "Assumption.") \
X(quit_base, REAL, 0.0025, 0, 1, "1/week", employees, "", SCHED, "", \
  "Weekly probability of leaving for reasons outside the model (also March's turnover p3).", \
  "About 12 %/year: order of staff turnover in Swedish municipal care (assumption).") \
X(quit_strain, REAL, 0.02, 0, 1, "1/week", employees, "", 0, "", \
  "Extra weekly quitting probability at full strain (grows with strain above 0.3).", \
  "Karasek 1979; strain raises intention to leave (assumption for the size).") \
X(strikes_to_remove, INT, 5, 1, 100, "1", employees, "", 0, "Agera vid allvarliga problem (reservation 2)", \
  "Serious problems acted on (serious errors or shirking found) before an employee is removed and replaced.", \
  "Assumption: consistent mismanagement, not a single event, leads to removal.") \
X(burnout_recognised, INT, 0, 0, 1, "1", employees, "", 0, "Agera vid allvarliga problem (reservation 2)", \
  "Optional (0, the default, is off): 1 = an audit that meets a burnt-out employee's low effort recognises burnout and does not treat it as shirking (no strike toward removal, no manager hours, no change of the manager's trust).", \
  "Probe of an uncalibrated chain: at 0 audits cannot tell burnout from shirking, and under control-based steering burnt-out staff are removed (docs/ODD.md, section 13, turnover). Swedish employment protection (LAS) and work-environment rules (AFS 2015:4) expect strain to be handled as a work-environment problem, not as misconduct.") \
X(retrain_gain, REAL, 0.1, 0, 1, "1", employees, "", 0, "Agera vid allvarliga problem (reservation 2)", \
  "Skill gained from retraining after a serious problem is acted on (share of remaining gap).", \
  "Assumption.") \
/* ---- managers ------------------------------------------------------------ */ \
X(manager_skill, REAL, 0.75, 0, 1, "1", managers, "", 0, "", \
  "Skill a manager brings to an escalated case.", \
  "Assumption.") \
X(trust_evidence, REAL, 1, 0, 10, "1", managers, "", 0, "Tillit", \
  "Weight of one observation in a manager's log-odds belief that an employee is reliable (clean audit +0.1, minor error found -0.5, serious -1.5, shirking found -2, times this).", \
  "Bayesian updating of trustworthiness from observed behaviour (Mayer, Davis & Schoorman 1995: trust follows perceived ability and integrity); sizes assumed.") \
X(trust_forgetting, REAL, 0.01, 0, 1, "1/week", managers, "", 0, "Tillit", \
  "Weekly pull of a manager's belief back toward the baseline (old observations fade).", \
  "Assumption: half-life of about 70 weeks.") \
X(complacency, REAL, 0.5, 0, 1, "1", managers, "", 0, "Tillit", \
  "How much a manager's trust lowers attention: the unit's audit rate is multiplied by 1 - complacency*max(0, mean trust - 0.5)/0.5.", \
  "Langfred 2004: high trust lowers monitoring, which harms when autonomy is high (misplaced trust is exploited).") \
X(action_hours, REAL, 2, 0, 40, "h", managers, "", 0, "Agera vid allvarliga problem (reservation 2)", \
  "Manager hours to act on one known serious problem (correction, retraining talk, documentation).", \
  "Assumption: acting on problems is not free.") \
X(cocreation_hours, REAL, 3, 0, 40, "h", managers, "", 0, "Utformning av styrningen (table row)", \
  "Manager hours per week in co-creating steering with the operation at co_creation 1 (employees spend a sixth of it each).", \
  "Assumption: dialogue about steering takes meeting time.") \
X(openness_hours, REAL, 1, 0, 40, "h", managers, "", 0, "Öppenhet", \
  "Hours per week at openness 1 that each employee spends sharing information and discussing errors (the manager twice that).", \
  "Assumption: team meetings and information sharing take time (Edmondson 1999: team learning behaviour).") \
X(focus_hours, REAL, 0.2, 0, 10, "h", managers, "", 0, "Medborgarfokus", \
  "Employee hours per case at citizen_focus 1 for asking and listening to the citizen.", \
  "Assumption: finding out what the citizen values takes time.") \
X(audit_hours_measurement, REAL, 0.25, 0, 20, "h", managers, "", 0, "Uppföljning (table row)", \
  "Manager time for one audit by measurement (indicators, deviations).", \
  "Assumption: a check of records at a distance is quick.") \
X(audit_hours_dialogue, REAL, 1, 0, 20, "h", managers, "", 0, "Uppföljning (table row)", \
  "Manager time for one audit by dialogue (qualitative, with the employee).", \
  "Assumption: a follow-up conversation takes about an hour (model brief: dialogue costs more manager time).") \
X(audit_employee_hours, REAL, 0.5, 0, 20, "h", managers, "", 0, "Uppföljning (table row)", \
  "Employee time taken by one dialogue audit (scaled by control_mode).", \
  "Assumption.") \
X(audit_correction, REAL, 0, 0, 1, "1", managers, "", 0, "Kontroll på ekonomi och kvalitet (reservation 5)", \
  "Optional (0, the default, is off): share of an error's harm to the citizen undone when an audit finds it before the decision takes effect (review as quality assurance: the case is corrected). The employee spends rework_hours on it.", \
  "Four-eyes review and quality sampling in case work (e.g. the Swedish Social Insurance Agency's quality reviews); what control buys citizens directly, beside deterrence. Size assumed.") \
X(rework_hours, REAL, 0, 0, 40, "h", managers, "", 0, "", \
  "Employee hours to correct a case whose error an audit found (0, the default: none).", \
  "Assumption.") \
X(detect_measurement, REAL, 0.5, 0, 1, "1", managers, "", 0, "Uppföljning (table row)", \
  "Probability that an audit by measurement finds an error on the case.", \
  "Model brief mechanism 5: measurement sees counted deviations only.") \
X(detect_dialogue, REAL, 0.85, 0, 1, "1", managers, "", 0, "Uppföljning (table row)", \
  "Probability that an audit by dialogue finds an error on the case.", \
  "Model brief mechanism 5: dialogue sees quality.") \
X(detect_shirk_measurement, REAL, 0.6, 0, 1, "1", managers, "", 0, "Uppföljning (table row)", \
  "Probability that an audit by measurement finds shirking (low output is counted).", \
  "Assumption.") \
X(detect_shirk_dialogue, REAL, 0.7, 0, 1, "1", managers, "", 0, "Uppföljning (table row)", \
  "Probability that an audit by dialogue finds shirking.", \
  "Assumption.") \
X(opacity, REAL, 0, 0, 1, "1", managers, "", 0, "Uppföljning (table row)", \
  "Optional (0, the default, is off): how much a case's complexity hides an error or shirking from an audit by measurement: the measurement part of the detection chances is scaled by 1 - opacity * (x - 0.35) for a case of complexity x (dialogue's is not), so it is unchanged on average at the default complexity 0.35, higher in standard work, lower in complex work. Perceived risk uses complexity_mean.", \
  "Ouchi 1979 and Wilson 1989: output measurement (bureaucratic control) works where outputs are measurable and the task programmable (production agencies); in complex, individual work (coping agencies) measurement sees little and control has to rest on professional judgement and dialogue. Size assumed.") \
X(escalation_share, REAL, 0.5, 0, 1, "1", managers, "", SCHED, "Följsamhet mot beslutslinje (table row)", \
  "Share of complex cases without mandate escalated to the manager (the rest are done by the book).", \
  "Model brief mechanism 1.") \
X(escalation_hours, REAL, 0.5, 0, 20, "h", managers, "", 0, "", \
  "Manager time to decide one escalated case.", \
  "Assumption.") \
X(escalation_delay, REAL, 1, 0, 52, "week", managers, "", 0, "", \
  "Extra waiting for an escalated case (doubled when the manager has no time left).", \
  "Assumption: one weekly decision meeting.") \
X(report_base_hours, REAL, 2, 0, 40, "h", managers, "", 0, "Fokus uppåt (table row)", \
  "Manager hours per week reporting upward, whatever the grants.", \
  "Assumption.") \
X(support_need_hours, REAL, 1, 0.01, 40, "h", managers, "", 0, "Stöd", \
  "Manager hours per employee and week that give full leadership support (support gets what audits, escalations, actions, meetings and reporting leave).", \
  "Assumption.") \
/* ---- errors -------------------------------------------------------------- */ \
X(serious_threshold, REAL, 0.85, 0.01, 1, "1", errors, "", 0, "Agera vid allvarliga problem (reservation 2)", \
  "Error severity at or above which an error is serious (acted on by firmness, can become an incident).", \
  "Assumption: about one error in seven is serious (6.7 % of errors on a case of mean severity, about 14 % over all cases).") \
X(discretion_error, REAL, 1.5, 0, 10, "1", errors, "", 0, "Tillit innebär inte valfritt arbete (reservation 1)", \
  "Extra error risk of a tailored decision: error probability x (1 + discretion_error*(1-rule_frame)*(1-effective skill)).", \
  "Lipsky 1980: discretion lets outcomes depend on the worker; the rule frame bounds it (size assumed).") \
X(incident_rate, REAL, 0.1, 0, 1, "1/week", errors, "", 0, "", \
  "Weekly probability that an uncorrected serious error surfaces as an incident (harm).", \
  "Model brief mechanism 4: hidden errors may surface later as incidents.") \
X(hazard_resolve, REAL, 0.2, 0, 1, "1/week", errors, "", 0, "", \
  "Weekly probability that an uncorrected serious error resolves without harm.", \
  "Assumption: about a third of uncorrected serious errors become incidents.") \
/* ---- regime levers ------------------------------------------------------- */ \
X(baseline_trust, REAL, 0.7, 0, 1, "1", regime, "culture", LEVER, "Tillit", \
  "Managers' starting expectation that an employee is reliable: the prior of the log-odds belief (logit(baseline_trust), plus the unit's offset), to which it forgets back; expressed trust.", \
  "Principle Tillit: choose to trust as a starting point; positive expectations.") \
X(mandate, REAL, 0.7, 0, 1, "1", regime, "work", LEVER, "Handlingsutrymme", \
  "Share of case decisions an employee may take without approval.", \
  "Principle Handlingsutrymme: delegate authority and mandate.") \
X(control_intensity, REAL, 0.15, 0, 1, "1", regime, "governance", LEVER, "Tillit innebär att fortsätta kontrollera (reservation 3)", \
  "Share of cases audited on average, and the weight of reporting demanded per case.", \
  "Reservation 3: trust means continuing to control.") \
X(control_selectivity, REAL, 0.8, 0, 1, "1", regime, "governance", LEVER, "Selektivt (reservation 3)", \
  "0 audits everyone alike; 1 targets audits at low-trust employees and high-stakes cases (same average rate).", \
  "Reservation 3: control more selectively.") \
X(control_mode, REAL, 0.8, 0, 1, "1", regime, "governance", LEVER, "Uppföljning (table row); kvalitativt, i dialog (reservation 3)", \
  "0 measurement at a distance (indicators, deviations); 1 close dialogue (qualitative, costs more manager time).", \
  "Table row 'follow-up'; reservation 3: qualitatively and in dialogue.") \
X(error_tolerance, REAL, 1, 0, 1, "1", regime, "culture", LEVER, "Överseende med mindre misstag (reservation 2)", \
  "Share of the minor range used for learning: a known minor error of severity below error_tolerance*serious_threshold is a learning opportunity, above it is sanctioned (0 = zero tolerance).", \
  "Reservation 2: overlook minor mistakes and use them for learning.") \
X(firmness, REAL, 0.9, 0, 1, "1", regime, "culture", LEVER, "Agera vid allvarliga problem (reservation 2)", \
  "Probability that a known serious problem (serious error, shirking) is acted on: corrected, retrained, eventually removed.", \
  "Reservation 2: act on serious problems such as consistent mismanagement.") \
X(support, REAL, 0.6, 0, 1, "1", regime, "work", LEVER, "Stöd", \
  "Administrative and professional support: takes documentation load off staff, lowers strain; costs support staff.", \
  "Principle Stöd: close, qualified professional, administrative and psychosocial support.") \
X(knowledge, REAL, 0.6, 0, 1, "1", regime, "work", LEVER, "Kunskap", \
  "Time and structure for learning: share of learning_time_max used, and how fast the shared practice learns.", \
  "Principle Kunskap: reward knowledge development and continuous learning.") \
X(openness, REAL, 0.7, 0, 1, "1", regime, "culture", LEVER, "Öppenhet", \
  "Information sharing; dissent and error reports welcomed: raises reporting, team learning and safety; slows socialisation.", \
  "Principle Öppenhet: share information, welcome dissent, respect criticism.") \
X(holistic_view, REAL, 0.7, 0, 1, "1", regime, "work", LEVER, "Helhetssyn; rows 'responsibility' and 'instruments'", \
  "Shared responsibility and time to collaborate across units: fewer hand-off failures, more collaboration time.", \
  "Principle Helhetssyn; table: broad shared responsibility, collaboration.") \
X(citizen_focus, REAL, 0.7, 0, 1, "1", regime, "governance", LEVER, "Medborgarfokus; row 'focus'", \
  "Weight of citizen feedback (1) versus upward indicators (0) in how work is judged.", \
  "Principle Medborgarfokus; table row 'focus': downward on the core operation vs upward.") \
X(rule_frame, REAL, 0.8, 0, 1, "1", regime, "governance", LEVER, "Tillit innebär inte valfritt arbete (reservation 1)", \
  "Minimum standards bounding discretion: a tailored decision's fit never falls below rule_frame x the book's fit, its gain over the book is cut by 0.3 x rule_frame, and its extra error risk and the voice gap shrink; costs documentation.", \
  "Reservation 1: laws and rules always apply, to secure equal treatment (likvärdighet).") \
X(co_creation, REAL, 0.7, 0, 1, "1", regime, "governance", LEVER, "Utformning av styrningen (table row)", \
  "How far steering is co-created in dialogue with the operation (1) rather than designed centrally (0).", \
  "Table row 'design of steering'; controls seen as legitimate crowd out less (Frey & Jegen 2001).") \
/* ---- steering chain ------------------------------------------------------ */ \
X(targeted_grants, REAL, 0.2, 0, 1, "1", chain, "governance", LEVER, "Riktade statsbidrag", \
  "Share of funding from above that is targeted (earmarked, with reporting) rather than general.", \
  "Source: state steering has become more controlling with more targeted grants.") \
X(trust_from_above, REAL, 0.7, 0, 1, "1", chain, "governance", LEVER, "Tillit är ett ansvar för alla delar i styrkedjan (reservation 4)", \
  "Trust of the level above (politicians, state) in the organisation.", \
  "Reservation 4: trust is a responsibility of every part of the chain.") \
X(grant_control, REAL, 0.6, 0, 1, "1", chain, "", 0, "Riktade statsbidrag", \
  "Pressure from above per unit of targeted-grant share.", \
  "Assumption.") \
X(above_control, REAL, 0.4, 0, 1, "1", chain, "", 0, "Styrkedjan", \
  "Pressure from above per unit of missing trust from above.", \
  "Assumption.") \
X(cascade, REAL, 0.6, 0, 1, "1", chain, "", 0, "Styrkedjan", \
  "How much pressure from above becomes control, lost mandate and measurement below.", \
  "Model brief mechanism 12: controlled managers control more below.") \
X(cascade_selectivity, REAL, 1, 0, 1, "1", chain, "", 0, "Styrkedjan", \
  "How far the control that pressure from above adds (cascade) is targeted like the organisation's own (control_selectivity; 1) or applied to every employee and case alike (0).", \
  "Power 1997 (The Audit Society): control demanded from above verifies procedures across the board rather than following risk; the source's criticism of detailed steering from above.") \
X(grant_report_hours, REAL, 6, 0, 40, "h", chain, "", 0, "Riktade statsbidrag", \
  "Manager hours per week reporting on targeted grants when all funding is targeted.", \
  "Assumption.") \
X(grant_doc_hours, REAL, 0.5, 0, 20, "h", chain, "", 0, "Riktade statsbidrag", \
  "Employee documentation per case for targeted-grant reporting when all funding is targeted.", \
  "Assumption.") \
X(doc_control_hours, REAL, 3, 0, 20, "h", chain, "", 0, "Uppföljning (table row)", \
  "Employee documentation per case at full control intensity by measurement (dialogue halves it).", \
  "Assumption; gives documentation shares up to about 45 % under control (model brief mechanism 2).") \
X(rule_doc_hours, REAL, 0.2, 0, 20, "h", chain, "", 0, "Tillit innebär inte valfritt arbete (reservation 1)", \
  "Employee documentation per case at full rule frame.", \
  "Assumption: frames cost some formalisation.") \
X(support_relief, REAL, 0.4, 0, 1, "1", chain, "", 0, "Stöd", \
  "Share of documentation taken over by support staff at full support.", \
  "Assumption.") \
/* ---- organisational knowledge (March 1991) ------------------------------- */ \
X(knowledge_dims, INT, 30, 1, 1000, "1", knowledge, "", STRUCT, "Kunskap", \
  "Dimensions m of reality, the organisational code and each employee's beliefs.", \
  "March 1991: m = 30.") \
X(socialisation_rate, REAL, 0.1, 0, 1, "1/week", knowledge, "", 0, "Kunskap", \
  "March's p1: chance per week and dimension that an employee adopts the code where they differ (before openness).", \
  "March 1991.") \
X(fast_learner_share, REAL, 0, 0, 1, "1", knowledge, "", STRUCT, "", \
  "Share of employees who are fast learners, socialised at socialisation_rate_fast instead of socialisation_rate (0 = all alike).", \
  "March 1991, figures 2 and 3: an organisation of fast (p1 = 0.9) and slow (p1 = 0.1) learners. The trait belongs to the position: a newcomer who takes a fast learner's place is one.") \
X(socialisation_rate_fast, REAL, 0.9, 0, 1, "1/week", knowledge, "", 0, "Kunskap", \
  "March's p1 of the fast learners (before openness); used only when fast_learner_share > 0.", \
  "March 1991: fast learners p1 = 0.9.") \
X(code_learning_rate, REAL, 0.5, 0, 1, "1/week", knowledge, "", 0, "Kunskap", \
  "March's p2: rate at which the code learns from employees who know more than it (before the knowledge lever).", \
  "March 1991.") \
X(turbulence, REAL, 0.002, 0, 1, "1/week", knowledge, "", SCHED, "", \
  "March's p4: weekly chance that each dimension of citizens' real needs flips.", \
  "March 1991 (turbulence); about one dimension in ten shifts per year (assumption).") \
X(openness_damping, REAL, 0.7, 0, 1, "1", knowledge, "", 0, "Öppenhet", \
  "How much openness slows socialisation: p1 = socialisation_rate*(1 - openness_damping*openness).", \
  "March 1991: slow socialisation keeps diversity; welcoming dissent slows it.") \
X(knowledge_code_weight, REAL, 0.5, 0, 1, "1", knowledge, "", 0, "Kunskap", \
  "How much the knowledge lever scales code learning: p2 = code_learning_rate*(1 - w + w*knowledge).", \
  "Assumption: collegial learning is how the code learns.") \
X(knowledge_quality_weight, REAL, 0.3, 0, 1, "1", knowledge, "", 0, "Kunskap", \
  "Weight of an employee's knowledge of real needs in the skill used for tailoring.", \
  "Assumption.") \
/* ---- economy ------------------------------------------------------------- */ \
X(wage, REAL, 450, 0, 100000, "SEK/h", economy, "", 0, "", \
  "Employer's cost per employee hour (salary and payroll charges).", \
  "Assumption: order of a Swedish welfare worker's hourly cost.") \
X(manager_wage, REAL, 650, 0, 100000, "SEK/h", economy, "", 0, "", \
  "Employer's cost per manager hour.", \
  "Assumption.") \
X(overtime_premium, REAL, 1.5, 1, 3, "1", economy, "", 0, "", \
  "Cost of an overtime hour relative to a normal hour.", \
  "Swedish collective agreements: 50-100 % premium (lower end).") \
X(support_cost, REAL, 0.15, 0, 1, "1", economy, "", 0, "Stöd", \
  "Cost of support staff at full support, as a share of the employees' contracted wage bill.", \
  "Assumption.") \
X(recruitment_cost, REAL, 100000, 0, 10000000, "SEK", economy, "", 0, "", \
  "Cost of recruiting and introducing one replacement.", \
  "Assumption: a few months' salary.") \
X(incident_cost, REAL, 150000, 0, 100000000, "SEK", economy, "", 0, "", \
  "Cost of one serious incident (remedy, investigation, liability).", \
  "Assumption.") \
X(budget_margin, REAL, 0.15, -0.5, 1, "1", economy, "", 0, "Ordning och reda (reservation 5)", \
  "Budget per week = (contracted wage bill of the funded employees (funded_employees, or all employees) + managers' wages) * (1 + budget_margin).", \
  "Assumption: room for support, recruitment and incidents at normal levels.") \
X(funded_employees, INT, 0, 0, 10000000, "1", economy, "", 0, "Ordning och reda (reservation 5)", \
  "Employees the budget pays for (0: as many as there are): staff above it are a cost the budget does not cover, so regimes staffed differently can be compared at one budget.", \
  "Assumption: a municipality funds a unit for its expected demand, not for the regime's documentation (lets a sweep staff a regime for its workload and see the price).") \
X(outcome_service_weight, REAL, 1, 0, 10, "1", economy, "", 0, "Medborgarfokus", \
  "Weight of service_value (what citizens got) in outcome_index (a value judgement the user may change).", \
  "Value judgement, not a finding.") \
X(outcome_cost_weight, REAL, 0.5, 0, 10, "1", economy, "", 0, "Ordning och reda (reservation 5)", \
  "Weight of relative budget overrun in outcome_index (a value judgement the user may change).", \
  "Value judgement, not a finding.") \
X(outcome_incident_weight, REAL, 0.5, 0, 100, "1", economy, "", 0, "Agera vid allvarliga problem (reservation 2)", \
  "Weight of incidents per 100 cases in outcome_index (a value judgement the user may change).", \
  "Value judgement, not a finding: 0.5 keeps the term smaller than the spread of service value between regimes.") \
X(outcome_equal_weight, REAL, 1, 0, 10, "1", economy, "", 0, "Likvärdighet (reservation 1)", \
  "Weight of the equal-treatment gap |equal_gap| in outcome_index (a value judgement the user may change).", \
  "Value judgement, not a finding: reservation 1 puts equal treatment beside quality.") \
X(outcome_staff_weight, REAL, 0.25, 0, 10, "1", economy, "", 0, "Vill (can, want, dare)", \
  "Weight of staff strain (strain_mean) in outcome_index (a value judgement the user may change).", \
  "Value judgement, not a finding: the employees' working life counts too.")
/* clang-format on */

#endif
