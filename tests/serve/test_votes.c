/* test_votes.c — lever votes without HTTP: the choices (lower / keep / raise within the lever's
 * range, or the teacher's values), one vote per student, refused when closed, the winner and ties,
 * what the class sees (no counts while open) and the class's vote events. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "tl_test.h"
#include "votes.h"

static int lever(const char *name)
{
    int i = tl_param_index(name);
    assert_true(i >= 0);
    return i;
}

static void test_votes__choices(void **state)
{
    double out[SRV_VOTE_CHOICES], vals[6] = {0.9, 0.1, 0.5, 0.3, 0.7, 0.2};
    int n = 0;
    srv_err e;
    const int ci = lever("control_intensity");
    (void)state;
    assert_int_equal(srv_vote_choices(ci, 0.15, NULL, 0, out, &n, &e), 0);
    assert_int_equal(n, 3);
    assert_true(out[0] == 0.05 && out[1] == 0.15 && out[2] == 0.25);
    /* at a bound one choice drops */
    assert_int_equal(srv_vote_choices(ci, 0.0, NULL, 0, out, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_true(out[0] == 0.0 && out[1] > 0.0);
    /* the teacher's values, sorted; too many, too few, repeated, out of range: refused */
    assert_int_equal(srv_vote_choices(ci, 0.15, vals, 3, out, &n, &e), 0);
    assert_true(n == 3 && out[0] == 0.1 && out[1] == 0.5 && out[2] == 0.9);
    assert_int_equal(srv_vote_choices(ci, 0.15, vals, 6, out, &n, &e), 400);
    assert_int_equal(srv_vote_choices(ci, 0.15, vals, 1, out, &n, &e), 400);
    vals[1] = 0.9;
    assert_int_equal(srv_vote_choices(ci, 0.15, vals, 2, out, &n, &e), 400);
    vals[1] = 7;
    assert_int_equal(srv_vote_choices(ci, 0.15, vals, 2, out, &n, &e), 400);
    /* not a lever: sizes and the seed cannot be voted on */
    assert_int_equal(srv_vote_choices(tl_param_index("employees"), 100, NULL, 0, out, &n, &e),
                     400);
    assert_int_equal(srv_vote_choices(-1, 0, NULL, 0, out, &n, &e), 400);
}

static void test_votes__one_vote_each_and_only_while_open(void **state)
{
    static srv_votes v;
    double ch[3] = {0.05, 0.15, 0.25};
    int num = 0;
    srv_err e;
    (void)state;
    memset(&v, 0, sizeof v);
    assert_int_equal(srv_votes_cast(&v, 1, 0, 0, &e), 404); /* no vote yet */
    assert_int_equal(srv_votes_open(&v, lever("control_intensity"), 0, 0.15, 12, ch, 3, &num, &e),
                     0);
    assert_int_equal(num, 1);
    assert_int_equal(srv_votes_cast(&v, 1, 0, 2, &e), 0);
    assert_int_equal(srv_votes_cast(&v, 1, 0, 1, &e), 409); /* twice */
    assert_int_equal(v.vote[0].choice[0], 2);               /* the first stands */
    assert_int_equal(srv_votes_cast(&v, 1, 1, 3, &e), 400); /* no choice 3 */
    assert_int_equal(srv_votes_cast(&v, 1, -1, 0, &e), 403);
    assert_int_equal(srv_votes_cast(&v, 1, SRV_MAX_STUDENTS, 0, &e), 403);
    assert_int_equal(srv_votes_cast(&v, 2, 1, 0, &e), 404);
    assert_int_equal(srv_votes_cast(&v, 1, 1, 0, &e), 0);
    assert_int_equal(srv_votes_close(&v, 1, &e), 0);
    assert_int_equal(srv_votes_cast(&v, 1, 2, 0, &e), 409); /* closed */
    assert_int_equal(srv_votes_close(&v, 1, &e), 0);        /* again: no change */
    assert_int_equal(srv_votes_close(&v, 9, &e), 404);
    /* a new vote closes the open one */
    assert_int_equal(srv_votes_open(&v, lever("control_intensity"), 1, 0.15, 13, ch, 3, &num, &e),
                     0);
    assert_int_equal(srv_votes_open(&v, lever("control_intensity"), 0, 0.15, 14, ch, 3, &num, &e),
                     0);
    assert_int_equal(v.vote[1].state, SRV_VOTE_CLOSED);
    assert_int_equal(srv_votes_open(&v, lever("control_intensity"), 2, 0.15, 14, ch, 3, &num, &e),
                     400);
    for (int i = v.nvotes; i < SRV_MAX_VOTES; i++)
        assert_int_equal(srv_votes_open(&v, lever("control_intensity"), 0, 0.15, 14, ch, 3, &num, &e),
                         0);
    assert_int_equal(srv_votes_open(&v, lever("control_intensity"), 0, 0.15, 14, ch, 3, &num, &e),
                     409);
}

static void test_votes__winner_ties_and_apply(void **state)
{
    static srv_votes v;
    double ch[3] = {0.05, 0.15, 0.25};
    int num = 0, pick = -1;
    srv_err e;
    (void)state;
    memset(&v, 0, sizeof v);
    assert_int_equal(srv_votes_open(&v, lever("control_intensity"), 0, 0.15, 3, ch, 3, &num, &e),
                     0);
    assert_int_equal(srv_votes_winner(&v.vote[0]), -1); /* nobody voted */
    assert_int_equal(srv_votes_pick(&v, 1, -1, &pick, &e), 409);
    assert_int_equal(srv_votes_cast(&v, 1, 0, 0, &e), 0);
    assert_int_equal(srv_votes_cast(&v, 1, 1, 2, &e), 0);
    assert_int_equal(srv_votes_winner(&v.vote[0]), -1); /* a tie */
    assert_int_equal(srv_votes_pick(&v, 1, -1, &pick, &e), 409);
    assert_non_null(strstr(e.msg, "tie"));
    assert_int_equal(srv_votes_pick(&v, 1, 1, &pick, &e), 0); /* the teacher chooses */
    assert_int_equal(pick, 1);
    assert_int_equal(srv_votes_cast(&v, 1, 2, 2, &e), 0);
    assert_int_equal(srv_votes_winner(&v.vote[0]), 2);
    assert_int_equal(srv_votes_pick(&v, 1, -1, &pick, &e), 0);
    assert_int_equal(pick, 2);
    assert_int_equal(srv_votes_pick(&v, 1, 3, &pick, &e), 400);
    srv_votes_mark_applied(&v, 1, 2, 3);
    assert_int_equal(v.vote[0].state, SRV_VOTE_APPLIED);
    assert_int_equal(srv_votes_pick(&v, 1, -1, &pick, &e), 409); /* once */
    assert_int_equal(srv_votes_cast(&v, 1, 3, 0, &e), 409);
    assert_int_equal(srv_votes_pick(&v, 2, -1, &pick, &e), 404);
}

static void test_votes__class_sees_no_counts_while_open(void **state)
{
    static srv_votes v;
    double ch[2] = {0.1, 0.9};
    int num = 0;
    srv_err e;
    srv_buf b;
    char *j;
    (void)state;
    memset(&v, 0, sizeof v);
    assert_int_equal(srv_votes_open(&v, lever("control_intensity"), 1, 0.5, 7, ch, 2, &num, &e), 0);
    assert_int_equal(srv_votes_cast(&v, 1, 4, 1, &e), 0);
    srv_buf_init(&b);
    srv_votes_json(&v, 0, &b);
    j = srv_buf_take(&b, NULL);
    assert_non_null(strstr(j, "\"voted\":1"));
    assert_non_null(strstr(j, "\"side\":\"B\""));
    assert_null(strstr(j, "counts"));
    assert_null(strstr(j, "winner"));
    free(j);
    srv_buf_init(&b);
    srv_votes_json(&v, 1, &b); /* the teacher's view */
    j = srv_buf_take(&b, NULL);
    assert_non_null(strstr(j, "\"counts\":[0,1],\"winner\":1"));
    free(j);
    assert_int_equal(srv_votes_close(&v, 1, &e), 0);
    srv_buf_init(&b);
    srv_votes_json(&v, 0, &b);
    j = srv_buf_take(&b, NULL);
    assert_non_null(strstr(j, "\"state\":\"closed\""));
    assert_non_null(strstr(j, "\"counts\":[0,1]"));
    free(j);
}

static int open_vote(srv_class *c, void *arg, srv_err *e)
{
    double ch[2] = {0.1, 0.9};
    int num;
    (void)arg;
    return srv_votes_open(&c->votes, tl_param_index("control_intensity"), 0, 0.5, 0, ch, 2, &num,
                          e);
}

static void test_votes__class_pushes_vote_changes(void **state)
{
    srv_classes *cs = calloc(1, sizeof *cs);
    char code[SRV_CODE_LEN + 1];
    unsigned long seen = 0;
    srv_err e;
    srv_buf b;
    char *j;
    (void)state;
    assert_non_null(cs);
    assert_int_equal(srv_classes_init(cs), 0);
    assert_int_equal(srv_class_open(cs, "00000000000000000000000000000001", code, &e), 0);
    srv_buf_init(&b);
    assert_int_equal(srv_class_votes_json(cs, code, &seen, &b), 0); /* nothing until a vote */
    assert_int_equal(srv_class_do(cs, code, SRV_CHANGED_VOTES, open_vote, NULL, &e), 0);
    assert_int_equal(srv_class_votes_json(cs, code, &seen, &b), 1);
    assert_int_equal(srv_class_votes_json(cs, code, &seen, &b), 0); /* no change since */
    j = srv_buf_take(&b, NULL);
    assert_non_null(strstr(j, "\"state\":\"open\""));
    assert_null(strstr(j, "0000000000000000000000000000000")); /* no session id */
    free(j);
    srv_classes_free(cs);
    free(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_votes__choices),
        cmocka_unit_test(test_votes__one_vote_each_and_only_while_open),
        cmocka_unit_test(test_votes__winner_ties_and_apply),
        cmocka_unit_test(test_votes__class_sees_no_counts_while_open),
        cmocka_unit_test(test_votes__class_pushes_vote_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
