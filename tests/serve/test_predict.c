/* test_predict.c — predict mode's round logic without HTTP: students' tokens, one answer per
 * student and round, reveal against the run, the class view (counts only after the reveal),
 * limits, and the class's wake-ups. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "predict.h"
#include "tl_test.h"

static srv_rounds *fresh(void)
{
    srv_rounds *r = calloc(1, sizeof *r);
    assert_non_null(r);
    return r;
}

static char *view(const srv_rounds *r)
{
    srv_buf b;
    srv_buf_init(&b);
    srv_rounds_json(r, &b);
    return srv_buf_take(&b, NULL);
}

static void test_predict__tokens_are_each_students_own(void **state)
{
    srv_rounds *r = fresh(), *other = fresh();
    char tok[SRV_MAX_STUDENTS][SRV_TOKEN_LEN + 1], t[SRV_TOKEN_LEN + 1], forged[SRV_TOKEN_LEN + 1];
    srv_err e;
    (void)state;
    for (int i = 0; i < SRV_MAX_STUDENTS; i++) {
        char addr[16];
        snprintf(addr, sizeof addr, "10.0.0.%d", i % 16);
        assert_int_equal(srv_rounds_join(r, addr, tok[i], &e), 0);
        assert_int_equal(strlen(tok[i]), SRV_TOKEN_LEN);
        assert_int_equal(strspn(tok[i], "0123456789abcdef"), SRV_TOKEN_LEN);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(tok[i], tok[j]);
    }
    for (int i = 0; i < SRV_MAX_STUDENTS; i++)
        assert_int_equal(srv_rounds_student(r, tok[i]), i);
    assert_int_equal(srv_rounds_join(r, "10.0.0.99", t, &e), 429); /* the class is full */
    assert_int_equal(e.http, 429);
    /* forged, short, long, empty, upper case, another class's */
    memcpy(forged, tok[3], sizeof forged);
    forged[0] = forged[0] == 'a' ? 'b' : 'a';
    assert_int_equal(srv_rounds_student(r, forged), -1);
    assert_int_equal(srv_rounds_student(r, ""), -1);
    assert_int_equal(srv_rounds_student(r, NULL), -1);
    forged[SRV_TOKEN_LEN - 1] = '\0';
    assert_int_equal(srv_rounds_student(r, forged), -1);
    assert_int_equal(srv_rounds_join(other, "10.0.0.1", t, &e), 0);
    assert_int_equal(srv_rounds_student(r, t), -1);
    assert_int_equal(srv_rounds_student(other, tok[0]), -1);
    free(r);
    free(other);
}

/* one device cannot fill the class */
static void test_predict__joins_per_address_are_bounded(void **state)
{
    srv_rounds *r = fresh();
    char t[SRV_TOKEN_LEN + 1];
    srv_err e;
    (void)state;
    for (int i = 0; i < SRV_JOINS_PER_ADDRESS; i++)
        assert_int_equal(srv_rounds_join(r, "10.0.0.7", t, &e), 0);
    assert_int_equal(srv_rounds_join(r, "10.0.0.7", t, &e), 429);
    assert_int_equal(srv_rounds_join(r, "10.0.0.8", t, &e), 0);
    assert_int_equal(r->nstudents, SRV_JOINS_PER_ADDRESS + 1);
    free(r);
}

static void test_predict__open_checks_and_limits(void **state)
{
    srv_rounds *r = fresh();
    char q[SRV_QUESTION_MAX + 2];
    srv_err e;
    int n = 0;
    (void)state;
    assert_int_equal(srv_rounds_open(r, "no_such_metric", "?", 0, 5, 1.0, &n, &e), 400);
    memset(q, 'x', sizeof q - 1);
    q[sizeof q - 1] = '\0';
    assert_int_equal(srv_rounds_open(r, "quality_true", q, 0, 5, 1.0, &n, &e), 400);
    assert_int_equal(srv_rounds_open(r, "quality_true", "a\nb", 0, 5, 1.0, &n, &e), 400);
    assert_int_equal(srv_rounds_open(r, "quality_true", "?", 2, 5, 1.0, &n, &e), 400);
    assert_int_equal(srv_rounds_open(r, "quality_true", "?", -1, 5, 1.0, &n, &e), 400);
    assert_int_equal(r->nrounds, 0);
    assert_int_equal(srv_rounds_open(r, "quality_true", NULL, 1, 5, 1.0, &n, &e), 0);
    assert_int_equal(n, 1);
    /* a new round ends the open one */
    assert_int_equal(srv_rounds_open(r, "quality_true", "Vad händer?", 0, 6, 1.0, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_int_equal(r->round[0].state, SRV_ROUND_ENDED);
    assert_int_equal(r->round[1].state, SRV_ROUND_OPEN);
    for (int i = 2; i < SRV_MAX_ROUNDS; i++)
        assert_int_equal(srv_rounds_open(r, "quality_true", "?", 0, 6, 1.0, &n, &e), 0);
    assert_int_equal(srv_rounds_open(r, "quality_true", "?", 0, 6, 1.0, &n, &e), 409);
    assert_int_equal(r->nrounds, SRV_MAX_ROUNDS);
    free(r);
}

static void test_predict__one_answer_per_student_and_round(void **state)
{
    srv_rounds *r = fresh();
    char t[SRV_TOKEN_LEN + 1];
    srv_err e;
    int n;
    (void)state;
    for (int i = 0; i < 3; i++)
        assert_int_equal(srv_rounds_join(r, "10.0.0.1", t, &e), 0);
    assert_int_equal(srv_rounds_answer(r, 1, 0, SRV_DIR_UP, -1, &e), 404); /* no round yet */
    assert_int_equal(srv_rounds_open(r, "motivation_mean", "?", 0, 10, 0.5, &n, &e), 0);
    assert_int_equal(srv_rounds_answer(r, 0, 0, SRV_DIR_UP, -1, &e), 404);
    assert_int_equal(srv_rounds_answer(r, 2, 0, SRV_DIR_UP, -1, &e), 404);
    assert_int_equal(srv_rounds_answer(r, 1, 3, SRV_DIR_UP, -1, &e), 403);  /* not joined */
    assert_int_equal(srv_rounds_answer(r, 1, -1, SRV_DIR_UP, -1, &e), 403);
    assert_int_equal(srv_rounds_answer(r, 1, 0, 3, -1, &e), 400);
    assert_int_equal(srv_rounds_answer(r, 1, 0, SRV_DIR_UP, NAN, &e), 400);
    assert_int_equal(srv_rounds_answer(r, 1, 0, SRV_DIR_UP, 1001, &e), 400);
    assert_int_equal(srv_rounds_answer(r, 1, 0, SRV_DIR_UP, 10, &e), 0);
    assert_int_equal(srv_rounds_answer(r, 1, 0, SRV_DIR_DOWN, 20, &e), 0); /* replaces */
    assert_int_equal(srv_rounds_answer(r, 1, 1, SRV_DIR_DOWN, -1, &e), 0);
    assert_int_equal(r->round[0].dir[0], SRV_DIR_DOWN);
    {
        char *j = view(r);
        assert_non_null(strstr(j, "\"answered\":2"));
        assert_null(strstr(j, "\"answers\"")); /* nobody sees the distribution before */
        assert_null(strstr(j, "\"outcome\""));
        free(j);
    }
    assert_int_equal(srv_rounds_reveal(r, 1, 20, 0.4, &e), 0);
    assert_int_equal(srv_rounds_answer(r, 1, 2, SRV_DIR_UP, -1, &e), 409); /* too late */
    assert_int_equal(srv_rounds_reveal(r, 1, 21, 0.4, &e), 409);
    {
        char *j = view(r);
        assert_non_null(strstr(j, "\"answers\":{\"down\":2,\"same\":0,\"up\":0}"));
        assert_non_null(strstr(j, "\"mean_amount\":{\"down\":20,\"same\":null,\"up\":null}"));
        assert_non_null(strstr(j, "\"direction\":\"down\",\"right\":2"));
        assert_non_null(strstr(j, "\"change_percent\":-20"));
        free(j);
    }
    assert_int_equal(srv_rounds_end(r, 1, &e), 0);
    assert_int_equal(r->round[0].revealed, 1);
    assert_int_equal(srv_rounds_answer(r, 1, 2, SRV_DIR_UP, -1, &e), 409);
    assert_int_equal(srv_rounds_end(r, 5, &e), 404);
    /* ended unrevealed: no reveal afterwards */
    assert_int_equal(srv_rounds_open(r, "motivation_mean", "?", 0, 21, 0.4, &n, &e), 0);
    assert_int_equal(srv_rounds_end(r, 2, &e), 0);
    assert_int_equal(srv_rounds_reveal(r, 2, 22, 0.5, &e), 409);
    free(r);
}

static void test_predict__outcome_direction_with_a_tolerance(void **state)
{
    static const struct {
        double from, to;
        int dir;
    } cases[] = {{1.0, 1.5, SRV_DIR_UP},   {1.0, 0.5, SRV_DIR_DOWN}, {1.0, 1.01, SRV_DIR_SAME},
                 {1.0, 0.99, SRV_DIR_SAME}, {0.0, 0.0, SRV_DIR_SAME}, {0.0, 0.1, SRV_DIR_UP},
                 {-2.0, -3.0, SRV_DIR_DOWN}, {NAN, 1.0, SRV_DIR_SAME}, {1.0, NAN, SRV_DIR_SAME}};
    srv_err e;
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        srv_rounds *r = fresh();
        int n;
        assert_int_equal(srv_rounds_open(r, "cost_per_case", "?", 0, 1, cases[i].from, &n, &e), 0);
        assert_int_equal(srv_rounds_reveal(r, 1, 2, cases[i].to, &e), 0);
        assert_int_equal(r->round[0].actual, cases[i].dir);
        free(r);
    }
    assert_int_equal(srv_dir_parse("up"), SRV_DIR_UP);
    assert_int_equal(srv_dir_parse("same"), SRV_DIR_SAME);
    assert_int_equal(srv_dir_parse("down"), SRV_DIR_DOWN);
    assert_int_equal(srv_dir_parse("UP"), -1);
    assert_int_equal(srv_dir_parse(""), -1);
    assert_int_equal(srv_dir_parse(NULL), -1);
}

/* The reveal over replicates: the median and the range of the value and of
 * each replicate's change from its own value at the question, and how many
 * went each way; nothing of it with one replicate. */
static void test_predict__reveal_over_replicates(void **state)
{
    const double open[4] = {1.0, 2.0, 4.0, 1.0}, reveal[4] = {1.5, 1.0, 4.04, 0.5};
    srv_rounds *r = fresh();
    srv_err e;
    srv_json *v;
    const srv_json *rep, *to, *ch, *dirs;
    char *text, msg[200];
    int n;
    (void)state;
    assert_int_equal(srv_rounds_open(r, "quality_true", "?", 0, 3, open[0], &n, &e), 0);
    srv_rounds_replicates(r, n, 0, open, 4);
    /* one replicate: as before */
    assert_int_equal(srv_rounds_open(r, "quality_true", "?", 0, 3, open[0], &n, &e), 0);
    srv_rounds_replicates(r, n, 0, open, 1);
    assert_int_equal(srv_rounds_reveal(r, 2, 9, reveal[0], &e), 0);
    srv_rounds_replicates(r, 2, 1, reveal, 1);
    text = view(r);
    assert_null(strstr(text, "\"replicates\""));
    free(text);
    r->round[0].state = SRV_ROUND_OPEN; /* the first round again */
    assert_int_equal(srv_rounds_reveal(r, 1, 9, reveal[0], &e), 0);
    srv_rounds_replicates(r, 1, 1, reveal, 4);
    srv_rounds_replicates(r, 1, 1, reveal, SRV_MAX_REPLICATES + 1); /* ignored */
    srv_rounds_replicates(r, 7, 1, reveal, 4);                      /* no round 7: ignored */
    text = view(r);
    v = srv_json_parse(text, strlen(text), msg, sizeof msg);
    if (!v)
        fail_msg("%s: %s", msg, text);
    rep = srv_json_get(srv_json_get(srv_json_get(v, "rounds")->child, "outcome"), "replicates");
    assert_non_null(rep);
    assert_int_equal((int)srv_json_get(rep, "n")->num, 4);
    assert_int_equal(srv_json_get(rep, "values")->count, 4);
    to = srv_json_get(rep, "to");
    assert_true(srv_json_get(to, "lo")->num == 0.5 && srv_json_get(to, "hi")->num == 4.04);
    assert_true(fabs(srv_json_get(to, "median")->num - 1.25) < 1e-12);
    /* changes: +50 %, -50 %, +1 %, -50 % */
    ch = srv_json_get(rep, "change_percent");
    assert_true(fabs(srv_json_get(ch, "lo")->num + 50) < 1e-9);
    assert_true(fabs(srv_json_get(ch, "hi")->num - 50) < 1e-9);
    assert_true(fabs(srv_json_get(ch, "median")->num + 24.5) < 1e-9);
    dirs = srv_json_get(rep, "directions");
    assert_int_equal((int)srv_json_get(dirs, "up")->num, 1);
    assert_int_equal((int)srv_json_get(dirs, "down")->num, 2);
    assert_int_equal((int)srv_json_get(dirs, "same")->num, 1); /* +1 % is within 2 % */
    srv_json_free(v);
    free(text);
    free(r);
}

typedef struct pace_arg {
    int playing;
} pace_arg;

static int set_pace(srv_rounds *r, const char *sid, void *arg, srv_err *e)
{
    (void)e;
    if (strcmp(sid, "00000000000000000000000000000001") != 0)
        return 403;
    r->playing = ((pace_arg *)arg)->playing;
    return 0;
}

/* changes wake the followers and are seen once; unknown classes are 404 */
static void test_predict__class_wakes_followers_on_change(void **state)
{
    srv_classes *cs = calloc(1, sizeof *cs);
    char code[SRV_CODE_LEN + 1];
    unsigned long version, seen = 0;
    pace_arg a = {1};
    srv_err e;
    srv_buf b;
    char *j;
    (void)state;
    assert_non_null(cs);
    assert_int_equal(srv_classes_init(cs), 0);
    assert_int_equal(srv_class_open(cs, "00000000000000000000000000000001", code, &e), 0);
    assert_int_equal(srv_class_rounds(cs, "ZZZZZZ", 1, set_pace, &a, &e), 404);
    srv_class_lookup(cs, code, (char[SRV_ID_LEN + 1]){0}, &version);
    srv_buf_init(&b);
    /* a class nobody joined pushes no round events (follow mode as before) */
    assert_int_equal(srv_class_rounds_json(cs, code, &seen, &b), 0);
    assert_int_equal(srv_class_rounds(cs, code, 1, set_pace, &a, &e), 0);
    assert_int_equal(srv_classes_wait(cs, code, &version, 0.01), 1);
    assert_int_equal(srv_class_rounds_json(cs, code, &seen, &b), 1);
    assert_int_equal(srv_class_rounds_json(cs, code, &seen, &b), 0); /* seen already */
    j = srv_buf_take(&b, NULL);
    assert_non_null(strstr(j, "\"playing\":true"));
    free(j);
    assert_int_equal(srv_class_end(cs, code, "00000000000000000000000000000001", &e), 0);
    assert_int_equal(srv_class_rounds(cs, code, 1, set_pace, &a, &e), 404);
    srv_classes_free(cs);
    free(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_predict__tokens_are_each_students_own),
        cmocka_unit_test(test_predict__joins_per_address_are_bounded),
        cmocka_unit_test(test_predict__open_checks_and_limits),
        cmocka_unit_test(test_predict__one_answer_per_student_and_round),
        cmocka_unit_test(test_predict__outcome_direction_with_a_tolerance),
        cmocka_unit_test(test_predict__reveal_over_replicates),
        cmocka_unit_test(test_predict__class_wakes_followers_on_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
