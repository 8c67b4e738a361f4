/* mechanisms.h — the model's functional forms as pure functions (one per effect), unit-tested one by one. */
#ifndef TL_MODEL_MECHANISMS_H
#define TL_MODEL_MECHANISMS_H

#include "tillit/params.h"

/* Shape constants of the functional forms (documented in docs/ODD.md,
 * "Constants"). They fix the form of an effect, not its size; sizes are
 * parameters in param_list.h. */
#define TL_C_QUALITY_AT_ZERO_EFFORT 0.3 /* quality share delivered at effort 0 */
#define TL_C_STD_FIT_AT_FULL_COMPLEXITY 0.4 /* fit of the book procedure at complexity 1 */
#define TL_C_SPEED_AT_ZERO_EFFORT 0.5   /* work speed at effort 0 relative to effort 1 */
#define TL_C_HANDOFF_PENALTY 0.5        /* quality lost when a hand-off fails */
#define TL_C_HANDOFF_DELAY 1.0          /* weeks added when a hand-off fails */
#define TL_C_FOCUS_VOICE 0.5            /* share of the voice gap citizen focus can remove */
#define TL_C_RULE_VOICE 0.6             /* share of the voice gap a full rule frame removes (standard needs assessment) */
#define TL_C_RULE_LIMIT 0.3             /* share of the benefit of tailoring a full rule frame forgoes */
#define TL_C_BURNOUT_EFFORT 0.3         /* effort lost when burnt out */
#define TL_C_BURNOUT_ERRORS 0.5         /* relative rise in error probability when burnt out */
#define TL_C_ERROR_CAP 0.95             /* error probability never exceeds this */
#define TL_C_SANCTION_LEARNING 0.3      /* learning from a sanctioned error relative to a conversation */
#define TL_C_UNFAIR_MOTIVATION 0.05     /* motivation lost by an unfair (minor-error) sanction */
#define TL_C_UNFAIR_TRUST 0.1           /* trust in manager lost by an unfair sanction */
#define TL_C_FAIR_TRUST 0.01            /* trust in manager gained by a learning conversation */
#define TL_C_LEARNING_SAFETY 0.02       /* safety gained by a learning conversation */
#define TL_C_AUDIT_SALIENCE 1.5         /* how strongly audit exposure is felt as control */
#define TL_C_DIALOGUE_RELIEF 0.6        /* share of controlling perception removed by dialogue */
#define TL_C_COCREATION_RELIEF 0.5      /* share removed by co-created steering */
#define TL_C_DIALOGUE_DOC 0.5           /* share of control documentation dialogue removes */
#define TL_C_RATION_QUALITY 0.5         /* quality lost per share of a case's direct time cut (rationing) */
#define TL_C_WAIT_PENALTY 0.5           /* satisfaction lost at a wait of wait_tolerance or more */
#define TL_C_CITIZEN_RATE 0.5           /* weight of the latest case in a citizen's satisfaction */
#define TL_C_CITIZEN_TRUST_UP 0.1       /* citizen trust rise rate per case */
#define TL_C_CITIZEN_TRUST_DOWN 0.3     /* citizen trust fall rate per case */
#define TL_C_INCIDENT_TRUST 0.5         /* citizen trust and satisfaction lost in an incident */
#define TL_C_NEWCOMER_SD 0.1            /* spread of a recruit's skill */
#define TL_C_QUIT_STRAIN_FROM 0.3       /* strain above which quitting rises */
#define TL_C_STRIKE_DECAY 0.98          /* weekly fading of problems acted on (half-life ~34 weeks) */
#define TL_C_EV_CLEAN 0.1               /* log-odds a clean audit adds to a manager's trust */
#define TL_C_EV_MINOR 0.5               /* log-odds a minor error found by audit takes away */
#define TL_C_EV_SERIOUS 1.5             /* log-odds a serious error found by audit takes away */
#define TL_C_EV_SHIRK 2.0               /* log-odds shirking found takes away */
#define TL_C_TRUST_LO_MAX 8.0           /* a belief never goes beyond logit 8 (trust 0.9997) */
#define TL_C_ABSENCE_STRAIN 2.0         /* rise in absence per unit of strain above 0.5 */
#define TL_C_APTITUDE_MIN 0.2           /* aptitude is clamped to [this, 1] */
#define TL_C_COCREATION_STAFF 6.0       /* manager hours of co-creation per employee hour */
#define TL_C_OPENNESS_MANAGER 2.0       /* manager hours of openness per employee hour */
#define TL_C_TASK_REF 0.35              /* complexity at which crowding_out and the detection chances are calibrated (the default complexity_mean) */

/* Effective regime of a step after the steering chain (mechanism 12). */
typedef struct tl_regime {
    double chain;           /* pressure from above in [0,1] */
    double control;         /* effective control intensity */
    double selectivity;     /* effective targeting of audits: control_selectivity on the own
                               part, times cascade_selectivity on the part the chain adds */
    double mandate;         /* effective mandate */
    double mode;            /* effective dialogue share of control */
    double doc_hours;       /* documentation per case, employee hours */
    double doc_base;        /* part of doc_hours independent of control */
    double report_hours;    /* manager hours reporting upward per week */
    double audit_hours;     /* manager hours per audit */
    double audit_emp_hours; /* employee hours per audit */
    double detect_error;    /* chance an audit finds an error on a case of complexity TL_C_TASK_REF */
    double detect_shirk;    /* chance an audit finds shirking, at complexity TL_C_TASK_REF */
    double detect_error_slope; /* fall of detect_error per unit of complexity (measurement's opacity) */
    double detect_shirk_slope; /* the same for detect_shirk */
    double crowding;        /* crowding-out strength for the task (crowding_out x task factor) */
    double learning_share;  /* share of hours for learning */
    double voice_gap;       /* effective voice gap */
    double stakes;          /* what rides on the indicators: control x upward focus x consequence */
    double detect_gaming;   /* share of gaming that follow-up sees through */
    double consequence;     /* what a self-interested employee fears if found: firmness + minor sanctions */
    double focus_hours;     /* employee hours per case listening to the citizen */
    double meet_emp_hours;  /* employee meeting hours per week (openness, co-creation) */
    double meet_mgr_hours;  /* manager meeting hours per week (openness, co-creation) */
    double collab_success;  /* chance a hand-off works */
    double collab_hours;    /* hours per cross-unit case */
    double p1, p2;          /* March's effective socialisation and code learning */
    double p1_fast;         /* March's p1 of the fast learners (fast_learner_share) */
} tl_regime;

/* Mechanism 12 and the direct effects of the levers on time and detection. */
void tl_mech_regime(const tl_params *p, tl_regime *r);

/* Mechanism 5: chance an audit sees what it looks for on a case of
 * complexity x: base - slope * (x - TL_C_TASK_REF), in [0,1] (opacity). */
double tl_mech_detect_at(double base, double slope, double x);

/* Mechanism 1: fit of the book procedure to a need of complexity x. */
double tl_mech_fit_standard(double x);
/* Mechanism 1/8: fit of a tailored service with effective skill s_eff;
 * voice is the effective voice gap for this citizen (0 for voiced). The
 * rule frame bounds discretion both ways: it forgoes TL_C_RULE_LIMIT of the
 * benefit of tailoring over the book and floors the fit at
 * rule_frame*standard fit. */
double tl_mech_fit_tailored(double x, double s_eff, double voice, double rule_frame);
/* Skill used for tailoring: skill weighted by knowledge of real needs. */
double tl_mech_skill_effective(double skill, double knowledge, double kq_weight);
/* Quality before errors: fit x effort x (1 - gaming cost). */
double tl_mech_quality(double fit, double effort, double gaming, double gaming_cost);
/* Rationing under more work than time (Lipsky 1980): the share of a case's
 * direct time cut. In contracted time it is rationing*min(1, waiting), with
 * `waiting` the cases from earlier weeks in weeks of expected arrivals; in
 * overtime (cases left when contracted time ran out) it is the full
 * `rationing`. In [0, 1]. */
double tl_mech_rationing(double rationing, double waiting, int overtime);
/* Mechanism 6: quality as measured by indicators. */
double tl_mech_quality_measured(double q_true, double gaming);
/* Mechanism 6: gaming intensity of an employee: what rides on the indicators
 * (stakes) times the share of gaming follow-up does not see through, for a
 * self-interested type (reciprocal types: gaming_reciprocal of it). */
double tl_mech_gaming(const tl_params *p, const tl_regime *r, int self_interested);
/* Direct hours a case takes at effort e; u in [0,1) draws its variability
 * (factor 1 - cv + cv*Exp(1), mean 1). */
double tl_mech_case_hours(const tl_params *p, double x, double effort, double u);

/* Mechanism 4: probability of an error; discretion is the factor of a
 * tailored decision (tl_mech_discretion_risk; 1 by the book). */
double tl_mech_error_prob(double base, double x, double skill, double effort, int burnt_out,
                          double discretion);
/* Mechanism 8: error-risk factor of a tailored decision by an employee of
 * effective skill s_eff: 1 + discretion_error*(1-rule_frame)*(1-s_eff). */
double tl_mech_discretion_risk(const tl_params *p, double s_eff);
/* Mechanism 8: voice gap as it reaches a weak-voice citizen through an
 * employee of effective skill s_eff: the less skilled follow what is voiced
 * more (factor 1.5 - s_eff). */
double tl_mech_voice_gap(const tl_regime *r, double s_eff);
/* Error severity from a uniform u in [0,1) on a case of severity v (mean v). */
double tl_mech_error_severity(double u, double v);
/* Probability the employee reports the own error. */
double tl_mech_report_prob(const tl_params *p, double safety, int self_interested);

/* Mechanism 5: audit probability of a case; risk_rel is the employee's risk
 * relative to the mean (1 = average), v the case severity, unit the unit
 * manager's control factor (1 without unit_heterogeneity). */
double tl_mech_audit_prob(const tl_params *p, const tl_regime *r, double risk_rel, double v,
                          double unit);
/* Expected audit probability per case for an employee (exposure). */
double tl_mech_audit_exposure(const tl_regime *r, double risk_rel, double unit);

/* Mechanism 3: perceived chance per case that shirking is found, one week
 * on: risk moves at risk_learning toward what the employee saw: own audits
 * per own case (own_rate, weight risk_own_weight; NaN when absent) and the
 * unit's (unit_rate), times the chance an audit finds shirking, plus the
 * salience of colleagues' problems acted on (acted_share per member). */
double tl_mech_perceived_risk(const tl_params *p, const tl_regime *r, double risk,
                              double own_rate, double unit_rate, double acted_share);
/* Mechanism 3: does a self-interested employee with compliance cost c comply
 * with the norm? Yes when perceived risk x consequence >= c. */
int tl_mech_complies(const tl_regime *r, double risk, double cost);
/* Mechanism 7: manager's trust from the log-odds belief. */
double tl_mech_trust_from_logodds(double lo);
/* Mechanism 7: log-odds belief after a week's forgetting toward prior lo0. */
double tl_mech_trust_forget(const tl_params *p, double lo, double lo0);
/* Complacency: factor on a unit's audit rate from its manager's mean trust. */
double tl_mech_attention(const tl_params *p, double mean_trust);
/* Effort of an employee: motivation (reciprocal) or effort_floor
 * (self-interested), raised to effort_norm when complying. */
double tl_mech_effort(const tl_params *p, int self_interested, double motivation, int complies,
                      int burnt_out);
/* Control as perceived (controlling, distrust) in [0,1]. */
double tl_mech_controlling(const tl_params *p, const tl_regime *r, double exposure,
                           double doc_control_share);
/* An employee's response to felt control, drawn at hiring from a uniform u:
 * 0 for the indifferent share, else 1 / (1 - share), so the mean is 1 and
 * the average crowding out stays as calibrated (Falk & Kosfeld 2006: some
 * agents do not respond to control at all). */
double tl_mech_control_aversion(double indifferent_share, double u);
/* Motivation target (crowding out and in); controlling is the felt control
 * times the employee's aversion. */
double tl_mech_motivation_target(const tl_params *p, const tl_regime *r, double m0,
                                 double controlling, double support, double trust_mgr,
                                 double strain);
/* Psychological safety target. */
double tl_mech_safety_target(const tl_params *p, double trust_mgr);
/* Employee trust in manager target (mechanism 7). */
double tl_mech_trust_target(const tl_params *p, double support, double controlling);
/* Mechanism 10: strain target (demand-control-support, additive). */
double tl_mech_strain_target(const tl_regime *r, double demand, double controlling, double support);
/* Weekly probability of quitting. */
double tl_mech_quit_prob(const tl_params *p, double strain, int burnt_out);

/* Move x toward target at rate up (rising) or down (falling); clamps to [0,1]. */
double tl_mech_approach(double x, double target, double up, double down);
double tl_mech_clamp01(double x);

/* Mechanism 11 (March 1991): probability that the code changes on a
 * dimension where k more of the superior group hold the majority view. */
double tl_mech_code_adopt_prob(double p2, int k);

#endif
