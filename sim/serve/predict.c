/* predict.c — the rounds of predict mode: students' tokens, answers (one per student and round),
 * reveal against what the run showed, and the class view shared by the events and the debrief. */
#include "predict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "tillit/metrics.h"

static const char *const DIR_NAME[SRV_NDIRS] = {"down", "same", "up"};
static const char *const STATE_NAME[] = {"open", "revealed", "ended"};

int srv_rounds_join(srv_rounds *r, const char *addr, char *token, srv_err *e)
{
    unsigned char raw[SRV_TOKEN_LEN / 2];
    char t[SRV_TOKEN_LEN + 1];
    int same = 0;
    if (!addr)
        addr = "";
    if (r->nstudents >= SRV_MAX_STUDENTS)
        return srv_fail(e, 429, "the class is full (%d students)", SRV_MAX_STUDENTS);
    for (int i = 0; i < r->nstudents; i++)
        same += strcmp(r->addr[i], addr) == 0;
    if (same >= SRV_JOINS_PER_ADDRESS)
        return srv_fail(e, 429, "this device has joined %d times: reload the page you have",
                        SRV_JOINS_PER_ADDRESS);
    do {
        if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
            return srv_fail(e, 503, "no random numbers for a student's token");
        for (size_t i = 0; i < sizeof raw; i++)
            snprintf(t + 2 * i, 3, "%02x", raw[i]);
    } while (srv_rounds_student(r, t) >= 0); /* 128 bits: never in practice */
    snprintf(r->addr[r->nstudents], sizeof r->addr[0], "%s", addr);
    memcpy(r->token[r->nstudents++], t, sizeof t);
    memcpy(token, t, sizeof t);
    return 0;
}

int srv_rounds_student(const srv_rounds *r, const char *token)
{
    if (!token || strlen(token) != SRV_TOKEN_LEN)
        return -1;
    for (int i = 0; i < r->nstudents; i++) {
        unsigned char d = 0; /* compare every byte: no timing hint of a near miss */
        for (int j = 0; j < SRV_TOKEN_LEN; j++)
            d |= (unsigned char)(r->token[i][j] ^ token[j]);
        if (d == 0)
            return i;
    }
    return -1;
}

int srv_dir_parse(const char *s)
{
    for (int d = 0; s && d < SRV_NDIRS; d++)
        if (strcmp(s, DIR_NAME[d]) == 0)
            return d;
    return -1;
}

static srv_round *round_at(srv_rounds *r, int n, srv_err *e)
{
    if (n < 1 || n > r->nrounds) {
        srv_fail(e, 404, "no round %d (this class has %d)", n, r->nrounds);
        return NULL;
    }
    return &r->round[n - 1];
}

int srv_rounds_open(srv_rounds *r, const char *metric, const char *question, int side, int week,
                    double value, int *n, srv_err *e)
{
    srv_round *rd;
    size_t ql = question ? strlen(question) : 0;
    if (tl_metric_index(metric) < 0)
        return srv_fail(e, 400, "metric: no metric '%.64s' (GET /api/metrics lists them)", metric);
    if (ql > SRV_QUESTION_MAX)
        return srv_fail(e, 400, "question: at most %d bytes", SRV_QUESTION_MAX);
    for (size_t i = 0; i < ql; i++)
        if ((unsigned char)question[i] < 0x20 || question[i] == 0x7f)
            return srv_fail(e, 400, "question: no control characters");
    if (side < 0 || side >= SRV_MAX_SIDES)
        return srv_fail(e, 400, "side: expected A or B");
    if (r->nrounds >= SRV_MAX_ROUNDS)
        return srv_fail(e, 409, "a class has at most %d rounds", SRV_MAX_ROUNDS);
    if (r->nrounds > 0 && r->round[r->nrounds - 1].state == SRV_ROUND_OPEN)
        r->round[r->nrounds - 1].state = SRV_ROUND_ENDED;
    rd = &r->round[r->nrounds++];
    memset(rd, 0, sizeof *rd);
    snprintf(rd->metric, sizeof rd->metric, "%s", metric);
    if (question)
        memcpy(rd->question, question, ql + 1);
    rd->side = side;
    rd->state = SRV_ROUND_OPEN;
    rd->week_open = week;
    rd->value_open = value;
    rd->value_reveal = NAN;
    memset(rd->dir, -1, sizeof rd->dir);
    for (int i = 0; i < SRV_MAX_STUDENTS; i++)
        rd->amount[i] = -1.0f;
    *n = r->nrounds;
    return 0;
}

int srv_rounds_answer(srv_rounds *r, int n, int student, int dir, double amount, srv_err *e)
{
    srv_round *rd = round_at(r, n, e);
    if (!rd)
        return e->http;
    if (student < 0 || student >= r->nstudents)
        return srv_fail(e, 403, "not a student of this class (join first)");
    if (dir < 0 || dir >= SRV_NDIRS)
        return srv_fail(e, 400, "direction: expected up, down or same");
    if (!(amount < 0) && !(amount <= SRV_AMOUNT_MAX)) /* NaN is refused too */
        return srv_fail(e, 400, "amount: a percentage in [0, %d]", SRV_AMOUNT_MAX);
    if (rd->state != SRV_ROUND_OPEN)
        return srv_fail(e, 409, "round %d is closed: answers are taken until the reveal", n);
    rd->dir[student] = (signed char)dir;
    rd->amount[student] = amount < 0 ? -1.0f : (float)amount;
    return 0;
}

int srv_rounds_reveal(srv_rounds *r, int n, int week, double value, srv_err *e)
{
    srv_round *rd = round_at(r, n, e);
    if (!rd)
        return e->http;
    if (rd->revealed)
        return srv_fail(e, 409, "round %d is already revealed", n);
    if (rd->state == SRV_ROUND_ENDED)
        return srv_fail(e, 409, "round %d has ended unrevealed", n);
    rd->revealed = 1;
    rd->state = SRV_ROUND_REVEALED;
    rd->week_reveal = week;
    rd->value_reveal = value;
    rd->actual = srv_dir_of(rd->value_open, value);
    return 0;
}

int srv_dir_of(double base, double value)
{
    double tol = isfinite(base) ? SRV_SAME_SHARE * fabs(base) + 1e-9 : 1e-9;
    if (!isfinite(base) || !isfinite(value) || fabs(value - base) <= tol)
        return SRV_DIR_SAME;
    return value > base ? SRV_DIR_UP : SRV_DIR_DOWN;
}

int srv_rounds_end(srv_rounds *r, int n, srv_err *e)
{
    srv_round *rd = round_at(r, n, e);
    if (!rd)
        return e->http;
    rd->state = SRV_ROUND_ENDED;
    return 0;
}

static void round_json(const srv_round *rd, int n, int nstudents, srv_buf *b)
{
    int count[SRV_NDIRS] = {0}, answered = 0, namount[SRV_NDIRS] = {0};
    double sum[SRV_NDIRS] = {0};
    for (int i = 0; i < nstudents; i++)
        if (rd->dir[i] >= 0) {
            answered++;
            count[rd->dir[i]]++;
            if (rd->amount[i] >= 0) {
                namount[rd->dir[i]]++;
                sum[rd->dir[i]] += rd->amount[i];
            }
        }
    srv_buf_printf(b, "{\"n\":%d,\"metric\":", n);
    srv_buf_str(b, rd->metric);
    srv_buf_puts(b, ",\"question\":");
    srv_buf_str(b, rd->question);
    srv_buf_printf(b, ",\"side\":\"%c\",\"state\":\"%s\",\"week\":%d,\"answered\":%d", 'A' + rd->side,
                   STATE_NAME[rd->state], rd->week_open, answered);
    if (rd->revealed) {
        double base = rd->value_open, change = NAN;
        srv_buf_puts(b, ",\"answers\":{");
        for (int d = 0; d < SRV_NDIRS; d++)
            srv_buf_printf(b, "%s\"%s\":%d", d ? "," : "", DIR_NAME[d], count[d]);
        srv_buf_puts(b, "},\"mean_amount\":{");
        for (int d = 0; d < SRV_NDIRS; d++) {
            srv_buf_printf(b, "%s\"%s\":", d ? "," : "", DIR_NAME[d]);
            srv_buf_num(b, namount[d] ? sum[d] / namount[d] : NAN);
        }
        if (isfinite(base) && base != 0)
            change = 100.0 * (rd->value_reveal - base) / fabs(base);
        srv_buf_printf(b, "},\"outcome\":{\"week\":%d,\"from\":", rd->week_reveal);
        srv_buf_num(b, base);
        srv_buf_puts(b, ",\"to\":");
        srv_buf_num(b, rd->value_reveal);
        srv_buf_puts(b, ",\"change_percent\":");
        srv_buf_num(b, change);
        srv_buf_printf(b, ",\"direction\":\"%s\",\"right\":%d", DIR_NAME[rd->actual],
                       count[rd->actual]);
        srv_round_replicates_json(rd, b);
        srv_buf_puts(b, "}");
    }
    srv_buf_puts(b, "}");
}

void srv_rounds_json(const srv_rounds *r, srv_buf *b)
{
    srv_buf_printf(b, "{\"playing\":%s,\"students\":%d,\"rounds\":[", r->playing ? "true" : "false",
                   r->nstudents);
    for (int i = 0; i < r->nrounds; i++) {
        if (i)
            srv_buf_puts(b, ",");
        round_json(&r->round[i], i + 1, r->nstudents, b);
    }
    srv_buf_puts(b, "]}");
}
