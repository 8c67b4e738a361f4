/* teams.c — steer mode's teams: who is in which team, who may act on which organisation, and the
 * public state of the teams (never their sessions' ids). */
#include "teams.h"

#include <stdio.h>
#include <string.h>

int srv_teams_start(srv_teams *t, int n, const char (*sid)[SRV_ID_LEN + 1], const char *preset,
                    const tl_params *start, srv_err *e)
{
    if (n < 2 || n > SRV_MAX_TEAMS)
        return srv_fail(e, 400, "teams: 2 to %d", SRV_MAX_TEAMS);
    memset(t, 0, sizeof *t);
    t->n = n;
    snprintf(t->preset, sizeof t->preset, "%s", preset ? preset : "");
    if (start)
        t->start = *start;
    for (int k = 0; k < n; k++) {
        memcpy(t->sid[k], sid[k], SRV_ID_LEN + 1);
        snprintf(t->label[k], sizeof t->label[k], "team-%d", k + 1);
    }
    memset(t->team_of, -1, sizeof t->team_of);
    return 0;
}

int srv_teams_members(const srv_teams *t, int k)
{
    int m = 0;
    for (int i = 0; i < SRV_MAX_STUDENTS; i++)
        m += t->team_of[i] == k;
    return m;
}

int srv_teams_join(srv_teams *t, int student, int want, int *team, srv_err *e)
{
    int k = want;
    if (t->n == 0)
        return srv_fail(e, 409, "the class is not in steer mode (the teacher starts it)");
    if (student < 0 || student >= SRV_MAX_STUDENTS)
        return srv_fail(e, 403, "not a student of this class (join first)");
    if (want >= t->n)
        return srv_fail(e, 400, "team: 1 to %d", t->n);
    if (t->team_of[student] >= 0 && want >= 0 && t->team_of[student] != want)
        return srv_fail(e, 409, "you are in team %d: a student steers one organisation",
                        t->team_of[student] + 1);
    if (t->team_of[student] >= 0) {
        *team = t->team_of[student];
        return 0;
    }
    if (k < 0) {
        k = 0;
        for (int j = 1; j < t->n; j++)
            if (srv_teams_members(t, j) < srv_teams_members(t, k))
                k = j;
    }
    t->team_of[student] = (signed char)k;
    *team = k;
    return 0;
}

int srv_teams_may_act(const srv_teams *t, int student, int k, srv_err *e)
{
    if (t->n == 0)
        return srv_fail(e, 409, "the class is not in steer mode");
    if (k < 0 || k >= t->n)
        return srv_fail(e, 404, "no team %d (this class has %d)", k + 1, t->n);
    if (student < 0 || student >= SRV_MAX_STUDENTS || t->team_of[student] != k)
        return srv_fail(e, 403, "you are not in team %d: a student acts in their own team only",
                        k + 1);
    if (t->ended)
        return srv_fail(e, 409, "the teacher has ended the run: no more changes");
    return 0;
}

void srv_teams_json(const srv_teams *t, int playing, srv_buf *b)
{
    srv_buf_printf(b,
                   "{\"teams\":%d,\"week\":%d,\"playing\":%s,\"revealed\":%s,\"ended\":%s,"
                   "\"preset\":",
                   t->n, t->week, playing ? "true" : "false", t->revealed ? "true" : "false",
                   t->ended ? "true" : "false");
    srv_buf_str(b, t->preset);
    srv_buf_puts(b, ",\"labels\":[");
    for (int k = 0; k < t->n; k++) {
        if (k)
            srv_buf_puts(b, ",");
        srv_buf_str(b, t->label[k]);
    }
    srv_buf_puts(b, "],\"members\":[");
    for (int k = 0; k < t->n; k++)
        srv_buf_printf(b, "%s%d", k ? "," : "", srv_teams_members(t, k));
    srv_buf_puts(b, "]}");
}
