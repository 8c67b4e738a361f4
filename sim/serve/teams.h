/* teams.h — steer mode of a class: teams of students, each steering an organisation of its own
 * (a session of the server, created by the teacher's request, all on one seed). Pure data, no
 * lock and no HTTP: the class's lock guards it (classes.c), api_steer.c routes to it and runs
 * the teams' sessions. */
#ifndef TL_SERVE_TEAMS_H
#define TL_SERVE_TEAMS_H

#include "json.h"
#include "predict.h"
#include "session.h"

#define SRV_MAX_TEAMS 8     /* teams of a class; more get 400 */
#define SRV_TEAM_LABEL 16   /* "team-8" and its end */
#define SRV_STEER_STEPS 52  /* weeks one step request of the teacher moves every team */

typedef struct srv_teams {
    int n;         /* teams; 0: the class is not in steer mode */
    int week;      /* the week every team has reached (the teacher's pace) */
    int revealed;  /* students may see every team (the debrief) */
    int ended;     /* no more steps or lever changes; dashboard and export stay */
    char preset[32]; /* the regime every team started from ("" the teacher's own levers) */
    tl_params start; /* the set-up every team started from: a team's choices differ from it */
    char sid[SRV_MAX_TEAMS][SRV_ID_LEN + 1];  /* each team's session: never sent to anyone */
    char label[SRV_MAX_TEAMS][SRV_TEAM_LABEL]; /* "team-1" .. : the point's label in exports */
    signed char team_of[SRV_MAX_STUDENTS];     /* each student's team (0-based), -1 none */
} srv_teams;

/* Enter steer mode with n teams (2..SRV_MAX_TEAMS) running sessions sid[0..n-1],
 * all started from `start` (may be NULL) with regime `preset` (may be NULL);
 * every student is teamless again. 0 or 400. */
int srv_teams_start(srv_teams *t, int n, const char (*sid)[SRV_ID_LEN + 1], const char *preset,
                    const tl_params *start, srv_err *e);
/* Student `student` joins team `want` (0-based), or the smallest team (the
 * first of the smallest) when want < 0. Joining one's own team again is
 * fine; another is 409 (a student steers one organisation). Writes the
 * team; 0, 400 (no such team) or 409 (not in steer mode, or in another team). */
int srv_teams_join(srv_teams *t, int student, int want, int *team, srv_err *e);
/* Students in team k. */
int srv_teams_members(const srv_teams *t, int k);
/* May `student` act on team k (0-based)? 0, 403 (not a member), 404 (no
 * such team) or 409 (steer mode has ended or was never started). */
int srv_teams_may_act(const srv_teams *t, int student, int k, srv_err *e);
/* The public state, for the class's stream ("event: steer") and the page:
 * teams, labels and members, week, revealed, ended. No session ids. */
void srv_teams_json(const srv_teams *t, int playing, srv_buf *b);

#endif
