/* votes.h — lever votes in a class: the teacher puts one lever of the followed run to the vote
 * (lower / keep / raise, or values of the teacher's choosing), each student who joined votes
 * once, the teacher sees the distribution as it comes and applies the winning value (or the one
 * they choose) to the run. Pure data, no lock and no HTTP: the class's lock guards it
 * (classes.c), api_votes.c routes to it. */
#ifndef TL_SERVE_VOTES_H
#define TL_SERVE_VOTES_H

#include "json.h"
#include "predict.h"
#include "session.h"

#define SRV_MAX_VOTES 32     /* votes per class; more get 409 */
#define SRV_VOTE_CHOICES 5   /* choices of one vote (at least 2) */
#define SRV_VOTE_STEP 0.1    /* lower / raise: a tenth of the lever's range */

enum { SRV_VOTE_OPEN, SRV_VOTE_CLOSED, SRV_VOTE_APPLIED };

typedef struct srv_vote {
    int param;        /* the lever: its index in the parameter table */
    int side;         /* 0 = A, 1 = B */
    int state;        /* SRV_VOTE_* */
    int week;         /* the run's week when the vote opened */
    double current;   /* the lever's value then */
    int nchoices;
    double value[SRV_VOTE_CHOICES]; /* what each choice sets the lever to, ascending */
    signed char choice[SRV_MAX_STUDENTS]; /* each student's vote, -1 none */
    int applied;      /* the choice applied, -1 none */
    int week_applied; /* the week after which it applies */
} srv_vote;

typedef struct srv_votes {
    int nvotes;
    srv_vote vote[SRV_MAX_VOTES];
} srv_votes;

/* The choices of a vote on lever `param` whose value is now `current`:
 * values[0..nvalues-1] (2..SRV_VOTE_CHOICES distinct values in the lever's
 * range, sorted here) or, with nvalues 0, lower / keep / raise by a tenth
 * of the range (rounded for whole-number levers; a bound drops a choice).
 * Writes out[] (which may be values itself) and *nout. 0 or 400. */
int srv_vote_choices(int param, double current, const double *values, int nvalues, double *out,
                     int *nout, srv_err *e);
/* Open a vote on lever param (a lever of the table) of side, now at
 * `current`, at week, with choices values[0..n-1] (from srv_vote_choices);
 * an open vote closes first. Writes its number (1-based). 0, 400 or 409. */
int srv_votes_open(srv_votes *v, int param, int side, double current, int week,
                   const double *values, int n, int *num, srv_err *e);
/* Student's vote in vote num: choice 0..nchoices-1. One vote per student
 * and vote: a second is refused (409), as is a vote once it is closed. 0,
 * 400, 404 or 409. */
int srv_votes_cast(srv_votes *v, int num, int student, int choice, srv_err *e);
/* No more votes in vote num (already closed: no change). 0 or 404. */
int srv_votes_close(srv_votes *v, int num, srv_err *e);
/* Vote num's winning choice: the one most voted for; -1 when nobody voted
 * or when two or more tie (the teacher chooses). */
int srv_votes_winner(const srv_vote *vt);
/* How many voted for each choice (counts[SRV_VOTE_CHOICES]); returns the
 * number of votes. */
int srv_votes_counts(const srv_vote *vt, int *counts);
/* The choice to apply in vote num: `choice` (>= 0, the teacher's), or the
 * winner (-1); 0, 404, 409 (a tie or no votes without a choice, or applied
 * already) or 400 (no such choice). Writes it to *out. */
int srv_votes_pick(const srv_votes *v, int num, int choice, int *out, srv_err *e);
/* Vote num's choice was applied to the run after week: closes it. */
void srv_votes_mark_applied(srv_votes *v, int num, int choice, int week);
/* The votes as JSON: {"votes": [{"n", "param", "side", "state", "week",
 * "current", "choices": [values], "voted", and for the teacher (teacher 1)
 * always, for the class once closed: "counts", "winner"; once applied
 * "applied": {"choice", "value", "week"}}]}. The class's view (teacher 0)
 * never holds a count while the vote is open. */
void srv_votes_json(const srv_votes *v, int teacher, srv_buf *b);

#endif
