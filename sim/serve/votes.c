/* votes.c — lever votes in a class: the choices of a vote, one vote per student, the winner,
 * and the views for the teacher (counts as they come) and for the class (counts once closed). */
#include "votes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "replicates.h"
#include "tillit/params.h"

/* lower / keep / raise around current, within the lever's range */
static void default_choices(const tl_param_info *p, double current, double *out, int *nout)
{
    double step = SRV_VOTE_STEP * (p->max - p->min), lo, hi;
    if (p->type == TL_PTYPE_INT && step < 1)
        step = 1;
    if (p->type == TL_PTYPE_INT)
        step = round(step);
    /* 0.15 - 0.1 is 0.04999...: the choices are shown and set, so round them */
    lo = fmax(p->min, round((current - step) * 1e6) / 1e6);
    hi = fmin(p->max, round((current + step) * 1e6) / 1e6);
    *nout = 0;
    if (lo < current)
        out[(*nout)++] = lo;
    out[(*nout)++] = current;
    if (hi > current)
        out[(*nout)++] = hi;
}

int srv_vote_choices(int param, double current, const double *values, int nvalues, double *out,
                     int *nout, srv_err *e)
{
    const tl_param_info *p;
    tl_error err = TL_ERROR_INIT;
    if (param < 0 || param >= TL_NPARAMS || !(tl_param_table()[param].flags & TL_PF_LEVER))
        return srv_fail(e, 400, "param: a vote is on a lever (GET /api/params lists them)");
    p = &tl_param_table()[param];
    if (nvalues == 0) {
        default_choices(p, current, out, nout);
        if (*nout < 2)
            return srv_fail(e, 400, "%s has no other value to vote on", p->name);
        return 0;
    }
    if (nvalues < 2 || nvalues > SRV_VOTE_CHOICES)
        return srv_fail(e, 400, "values: 2 to %d values of the lever", SRV_VOTE_CHOICES);
    for (int i = 0; i < nvalues; i++) {
        if (tl_param_check(param, values[i], &err) != TL_OK)
            return srv_fail(e, 400, "values: %s", err.msg);
        out[i] = values[i];
    }
    srv_sort_small(out, nvalues);
    for (int i = 1; i < nvalues; i++)
        if (out[i] == out[i - 1])
            return srv_fail(e, 400, "values: each value once");
    *nout = nvalues;
    return 0;
}

static srv_vote *vote_at(srv_votes *v, int num, srv_err *e)
{
    if (num < 1 || num > v->nvotes) {
        srv_fail(e, 404, "no vote %d (this class has %d)", num, v->nvotes);
        return NULL;
    }
    return &v->vote[num - 1];
}

int srv_votes_open(srv_votes *v, int param, int side, double current, int week,
                   const double *values, int n, int *num, srv_err *e)
{
    srv_vote *vt;
    if (param < 0 || param >= TL_NPARAMS || !(tl_param_table()[param].flags & TL_PF_LEVER))
        return srv_fail(e, 400, "param: a vote is on a lever (GET /api/params lists them)");
    if (side < 0 || side >= SRV_MAX_SIDES)
        return srv_fail(e, 400, "side: expected A or B");
    if (n < 2 || n > SRV_VOTE_CHOICES)
        return srv_fail(e, 400, "a vote has 2 to %d choices", SRV_VOTE_CHOICES);
    if (v->nvotes >= SRV_MAX_VOTES)
        return srv_fail(e, 409, "a class has at most %d votes", SRV_MAX_VOTES);
    if (v->nvotes > 0 && v->vote[v->nvotes - 1].state == SRV_VOTE_OPEN)
        v->vote[v->nvotes - 1].state = SRV_VOTE_CLOSED;
    vt = &v->vote[v->nvotes++];
    memset(vt, 0, sizeof *vt);
    vt->param = param;
    vt->side = side;
    vt->state = SRV_VOTE_OPEN;
    vt->week = week;
    vt->current = current;
    vt->nchoices = n;
    memcpy(vt->value, values, (size_t)n * sizeof *values);
    memset(vt->choice, -1, sizeof vt->choice);
    vt->applied = -1;
    *num = v->nvotes;
    return 0;
}

int srv_votes_cast(srv_votes *v, int num, int student, int choice, srv_err *e)
{
    srv_vote *vt = vote_at(v, num, e);
    if (!vt)
        return e ? e->http : 404;
    if (student < 0 || student >= SRV_MAX_STUDENTS)
        return srv_fail(e, 403, "not a student of this class");
    if (vt->state != SRV_VOTE_OPEN)
        return srv_fail(e, 409, "vote %d is closed", num);
    if (choice < 0 || choice >= vt->nchoices)
        return srv_fail(e, 400, "choice: 0 to %d", vt->nchoices - 1);
    if (vt->choice[student] >= 0)
        return srv_fail(e, 409, "you have voted in vote %d already (one vote each)", num);
    vt->choice[student] = (signed char)choice;
    return 0;
}

int srv_votes_close(srv_votes *v, int num, srv_err *e)
{
    srv_vote *vt = vote_at(v, num, e);
    if (!vt)
        return e ? e->http : 404;
    if (vt->state == SRV_VOTE_OPEN)
        vt->state = SRV_VOTE_CLOSED;
    return 0;
}

int srv_votes_counts(const srv_vote *vt, int *counts)
{
    int total = 0;
    memset(counts, 0, SRV_VOTE_CHOICES * sizeof *counts);
    for (int s = 0; s < SRV_MAX_STUDENTS; s++)
        if (vt->choice[s] >= 0 && vt->choice[s] < vt->nchoices) {
            counts[vt->choice[s]]++;
            total++;
        }
    return total;
}

int srv_votes_winner(const srv_vote *vt)
{
    int counts[SRV_VOTE_CHOICES], best = -1, tie = 0;
    if (srv_votes_counts(vt, counts) == 0)
        return -1;
    for (int c = 0; c < vt->nchoices; c++) {
        if (best < 0 || counts[c] > counts[best]) {
            best = c;
            tie = 0;
        } else if (counts[c] == counts[best]) {
            tie = 1;
        }
    }
    return tie ? -1 : best;
}

int srv_votes_pick(const srv_votes *v, int num, int choice, int *out, srv_err *e)
{
    const srv_vote *vt;
    if (num < 1 || num > v->nvotes)
        return srv_fail(e, 404, "no vote %d (this class has %d)", num, v->nvotes);
    vt = &v->vote[num - 1];
    if (vt->state == SRV_VOTE_APPLIED)
        return srv_fail(e, 409, "vote %d has been applied already", num);
    if (choice >= vt->nchoices)
        return srv_fail(e, 400, "choice: 0 to %d", vt->nchoices - 1);
    if (choice < 0 && (choice = srv_votes_winner(vt)) < 0)
        return srv_fail(e, 409,
                        "vote %d has no single winner (a tie, or no votes): give the choice to "
                        "apply",
                        num);
    *out = choice;
    return 0;
}

void srv_votes_mark_applied(srv_votes *v, int num, int choice, int week)
{
    srv_vote *vt = &v->vote[num - 1];
    vt->state = SRV_VOTE_APPLIED;
    vt->applied = choice;
    vt->week_applied = week;
}

static const char *state_name(int state)
{
    return state == SRV_VOTE_OPEN ? "open" : state == SRV_VOTE_CLOSED ? "closed" : "applied";
}

static void vote_json(const srv_vote *vt, int n, int teacher, srv_buf *b)
{
    int counts[SRV_VOTE_CHOICES];
    int voted = srv_votes_counts(vt, counts);
    srv_buf_printf(b, "{\"n\":%d,\"param\":", n);
    srv_buf_str(b, tl_param_table()[vt->param].name);
    srv_buf_printf(b, ",\"side\":\"%c\",\"state\":\"%s\",\"week\":%d,\"current\":", 'A' + vt->side,
                   state_name(vt->state), vt->week);
    srv_buf_num(b, vt->current);
    srv_buf_puts(b, ",\"choices\":[");
    for (int c = 0; c < vt->nchoices; c++) {
        if (c)
            srv_buf_puts(b, ",");
        srv_buf_num(b, vt->value[c]);
    }
    srv_buf_printf(b, "],\"voted\":%d", voted);
    if (teacher || vt->state != SRV_VOTE_OPEN) {
        int w = srv_votes_winner(vt);
        srv_buf_puts(b, ",\"counts\":[");
        for (int c = 0; c < vt->nchoices; c++)
            srv_buf_printf(b, "%s%d", c ? "," : "", counts[c]);
        srv_buf_puts(b, "],\"winner\":");
        if (w >= 0)
            srv_buf_printf(b, "%d", w);
        else
            srv_buf_puts(b, "null");
    }
    if (vt->state == SRV_VOTE_APPLIED) {
        srv_buf_printf(b, ",\"applied\":{\"choice\":%d,\"value\":", vt->applied);
        srv_buf_num(b, vt->value[vt->applied]);
        srv_buf_printf(b, ",\"week\":%d}", vt->week_applied);
    }
    srv_buf_puts(b, "}");
}

void srv_votes_json(const srv_votes *v, int teacher, srv_buf *b)
{
    srv_buf_puts(b, "{\"votes\":[");
    for (int i = 0; i < v->nvotes; i++) {
        if (i)
            srv_buf_puts(b, ",");
        vote_json(&v->vote[i], i + 1, teacher, b);
    }
    srv_buf_puts(b, "]}");
}
