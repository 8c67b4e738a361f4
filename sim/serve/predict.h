/* predict.h — predict mode of a class: the students who joined (each with a secret token of its
 * own), the rounds in which the teacher asks which way a metric will go, the answers, the
 * teacher's pace (play/pause) and what the run showed when a round was revealed. Pure data,
 * no lock and no HTTP: the class's lock guards it (classes.c), api_predict.c routes to it. */
#ifndef TL_SERVE_PREDICT_H
#define TL_SERVE_PREDICT_H

#include "json.h"
#include "session.h"

#define SRV_MAX_STUDENTS 64  /* joined students per class; more get 429 */
#define SRV_JOINS_PER_ADDRESS 8 /* of which one address (one device) may hold; more get 429 */
#define SRV_MAX_ROUNDS 32    /* rounds per class; more get 409 */
#define SRV_TOKEN_LEN 32     /* hex digits of a student's token */
#define SRV_QUESTION_MAX 280 /* bytes of a round's question */
#define SRV_AMOUNT_MAX 1000  /* "by how much": 0..1000 percent */
/* a change within this share of the value at the question (or 1e-9) counts as "same" */
#define SRV_SAME_SHARE 0.02

enum { SRV_DIR_DOWN, SRV_DIR_SAME, SRV_DIR_UP, SRV_NDIRS };
enum { SRV_ROUND_OPEN, SRV_ROUND_REVEALED, SRV_ROUND_ENDED };

typedef struct srv_round {
    char metric[64];
    char question[SRV_QUESTION_MAX + 1];
    int side;          /* 0 = A, 1 = B */
    int state;         /* SRV_ROUND_* */
    int revealed;      /* the outcome is known (stays 1 after the round ends) */
    int week_open;     /* the week the question was put */
    double value_open; /* the metric then (NaN before week 1) */
    int week_reveal;
    double value_reveal;
    int actual; /* SRV_DIR_* the run took, when revealed */
    /* the metric on every replicate of the run (predict_reps.c): at the
     * question and at the reveal, replicate 0 being value_open/_reveal */
    int nrep_open, nrep_reveal;
    double rep_open[SRV_MAX_REPLICATES], rep_reveal[SRV_MAX_REPLICATES];
    signed char dir[SRV_MAX_STUDENTS]; /* each student's answer, -1 none */
    float amount[SRV_MAX_STUDENTS];    /* its "by how much" in percent, < 0 none */
} srv_round;

typedef struct srv_rounds {
    int playing; /* the teacher's pace: 1 play, 0 pause */
    int nstudents;
    char token[SRV_MAX_STUDENTS][SRV_TOKEN_LEN + 1];
    char addr[SRV_MAX_STUDENTS][SRV_OWNER_LEN]; /* where each joined from */
    int nrounds;
    srv_round round[SRV_MAX_ROUNDS];
} srv_rounds;

/* A new student from the client at address addr: writes a fresh random
 * token (never any other student's). 0, 429 (class full, or this address
 * has joined SRV_JOINS_PER_ADDRESS times) or 503 with e filled. */
int srv_rounds_join(srv_rounds *r, const char *addr, char *token, srv_err *e);
/* The student holding token, or -1 (forged, empty or another class's). */
int srv_rounds_student(const srv_rounds *r, const char *token);
/* "up", "down", "same" -> SRV_DIR_*, else -1. */
int srv_dir_parse(const char *s);
/* Put a question on metric (a name of the metric table) about side, at
 * week with the metric's value then; an open round ends first. Writes the
 * round's number (1-based). 0, 400 or 409. */
int srv_rounds_open(srv_rounds *r, const char *metric, const char *question, int side, int week,
                    double value, int *n, srv_err *e);
/* Student's answer to round n: dir, amount (< 0: none). One answer per
 * student and round: a later one replaces it while the round is open;
 * after reveal or end 409. 0, 404 or 409. */
int srv_rounds_answer(srv_rounds *r, int n, int student, int dir, double amount, srv_err *e);
/* Reveal round n with the metric's value at week: the class's answers
 * become visible and no more are taken. 0, 404 or 409 (already revealed). */
int srv_rounds_reveal(srv_rounds *r, int n, int week, double value, srv_err *e);
/* The direction a metric took from base to value: "same" within
 * SRV_SAME_SHARE of base (or when either is not finite). */
int srv_dir_of(double base, double value);
/* Record the metric's values on the run's nrep replicates (vals[0] the
 * seed's run) in round n: at the question (at_reveal 0) or at the reveal
 * (1). Out-of-range n or nrep are ignored. */
void srv_rounds_replicates(srv_rounds *r, int n, int at_reveal, const double *vals, int nrep);
/* With more than one replicate at the reveal, the "replicates" member of a
 * revealed round's outcome (a leading comma, then the key): what happened
 * over all of them, see predict_reps.c; nothing with one. */
void srv_round_replicates_json(const srv_round *rd, srv_buf *b);
/* End round n (no more answers; revealed or not). 0 or 404. */
int srv_rounds_end(srv_rounds *r, int n, srv_err *e);
/* The class view, the same for the teacher and the students: pace,
 * students joined and every round (question, how many answered; the
 * counts of each answer and the outcome only once revealed). The
 * debrief and the "round" events are this. */
void srv_rounds_json(const srv_rounds *r, srv_buf *b);

#endif
