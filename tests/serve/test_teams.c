/* test_teams.c — steer mode's teams without HTTP: joining (the smallest team, or the one asked
 * for, and only one), who may act on which team, the public state (no session ids), the class's
 * steer events, and the sessions of a class's teams counted apart from any address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "teams.h"
#include "tl_test.h"

static const char SIDS[SRV_MAX_TEAMS + 1][SRV_ID_LEN + 1] = {
    "a0000000000000000000000000000001", "a0000000000000000000000000000002",
    "a0000000000000000000000000000003", "a0000000000000000000000000000004",
    "a0000000000000000000000000000005", "a0000000000000000000000000000006",
    "a0000000000000000000000000000007", "a0000000000000000000000000000008",
    "a0000000000000000000000000000009"};

static void test_teams__start_checks_the_count(void **state)
{
    srv_teams t;
    srv_err e;
    (void)state;
    assert_int_equal(srv_teams_start(&t, 1, SIDS, "balanced", NULL, &e), 400);
    assert_int_equal(srv_teams_start(&t, SRV_MAX_TEAMS + 1, SIDS, NULL, NULL, &e), 400);
    assert_int_equal(srv_teams_start(&t, SRV_MAX_TEAMS, SIDS, NULL, NULL, &e), 0);
    assert_string_equal(t.label[7], "team-8");
    assert_int_equal(srv_teams_members(&t, 0), 0);
}

static void test_teams__join_smallest_or_chosen_and_only_one(void **state)
{
    srv_teams t;
    srv_err e;
    int k = -1;
    (void)state;
    memset(&t, 0, sizeof t);
    memset(t.team_of, -1, sizeof t.team_of);
    assert_int_equal(srv_teams_join(&t, 0, -1, &k, &e), 409); /* not in steer mode */
    assert_int_equal(srv_teams_start(&t, 3, SIDS, NULL, NULL, &e), 0);
    assert_int_equal(srv_teams_join(&t, 0, -1, &k, &e), 0);
    assert_int_equal(k, 0);
    assert_int_equal(srv_teams_join(&t, 1, 2, &k, &e), 0);
    assert_int_equal(k, 2);
    assert_int_equal(srv_teams_join(&t, 2, -1, &k, &e), 0);
    assert_int_equal(k, 1); /* the smallest */
    assert_int_equal(srv_teams_join(&t, 3, 3, &k, &e), 400); /* no team 4 */
    assert_int_equal(srv_teams_join(&t, 0, 1, &k, &e), 409); /* in team 1 already */
    assert_int_equal(srv_teams_join(&t, 0, 0, &k, &e), 0);   /* the own team again */
    assert_int_equal(srv_teams_join(&t, 0, -1, &k, &e), 0);
    assert_int_equal(k, 0);
    assert_int_equal(srv_teams_join(&t, -1, -1, &k, &e), 403);
    assert_int_equal(srv_teams_join(&t, SRV_MAX_STUDENTS, -1, &k, &e), 403);
    assert_int_equal(srv_teams_members(&t, 0) + srv_teams_members(&t, 1) +
                         srv_teams_members(&t, 2),
                     3);
}

static void test_teams__act_only_in_the_own_team(void **state)
{
    srv_teams t;
    srv_err e;
    int k;
    (void)state;
    assert_int_equal(srv_teams_start(&t, 2, SIDS, NULL, NULL, &e), 0);
    assert_int_equal(srv_teams_join(&t, 5, 1, &k, &e), 0);
    assert_int_equal(srv_teams_may_act(&t, 5, 1, &e), 0);
    assert_int_equal(srv_teams_may_act(&t, 5, 0, &e), 403);
    assert_int_equal(srv_teams_may_act(&t, 6, 1, &e), 403); /* in no team */
    assert_int_equal(srv_teams_may_act(&t, -1, 1, &e), 403);
    assert_int_equal(srv_teams_may_act(&t, 5, 2, &e), 404);
    assert_int_equal(srv_teams_may_act(&t, 5, -1, &e), 404);
    t.ended = 1;
    assert_int_equal(srv_teams_may_act(&t, 5, 1, &e), 409);
    /* starting again: everyone is teamless */
    assert_int_equal(srv_teams_start(&t, 2, SIDS, NULL, NULL, &e), 0);
    assert_int_equal(srv_teams_may_act(&t, 5, 1, &e), 403);
}

static void test_teams__public_state_has_no_session_ids(void **state)
{
    srv_teams t;
    srv_err e;
    srv_buf b;
    char *j;
    int k;
    (void)state;
    assert_int_equal(srv_teams_start(&t, 3, SIDS, "trust-based", NULL, &e), 0);
    assert_int_equal(srv_teams_join(&t, 0, 1, &k, &e), 0);
    t.week = 12;
    srv_buf_init(&b);
    srv_teams_json(&t, 1, &b);
    j = srv_buf_take(&b, NULL);
    assert_non_null(j);
    assert_string_equal(j, "{\"teams\":3,\"week\":12,\"playing\":true,\"revealed\":false,"
                           "\"ended\":false,\"preset\":\"trust-based\",\"labels\":[\"team-1\","
                           "\"team-2\",\"team-3\"],\"members\":[0,1,0]}");
    assert_null(strstr(j, "a000000"));
    free(j);
}

static int start_two(srv_class *c, void *arg, srv_err *e)
{
    (void)arg;
    return srv_teams_start(&c->teams, 2, SIDS, NULL, NULL, e);
}

/* steer changes wake the followers and are seen once; nothing before */
static void test_teams__class_pushes_steer_changes(void **state)
{
    srv_classes *cs = calloc(1, sizeof *cs);
    char code[SRV_CODE_LEN + 1];
    unsigned long version, seen = 0, rseen = 0;
    srv_err e;
    srv_buf b;
    char *j;
    (void)state;
    assert_non_null(cs);
    assert_int_equal(srv_classes_init(cs), 0);
    assert_int_equal(srv_class_open(cs, "00000000000000000000000000000001", code, &e), 0);
    srv_class_lookup(cs, code, (char[SRV_ID_LEN + 1]){0}, &version);
    srv_buf_init(&b);
    assert_int_equal(srv_class_steer_json(cs, code, &seen, &b), 0);
    assert_int_equal(srv_class_do(cs, "ZZZZZZ", SRV_CHANGED_STEER, start_two, NULL, &e), 404);
    assert_int_equal(srv_class_do(cs, code, SRV_CHANGED_STEER, start_two, NULL, &e), 0);
    assert_int_equal(srv_classes_wait(cs, code, &version, 0.01), 1);
    assert_int_equal(srv_class_steer_json(cs, code, &seen, &b), 1);
    assert_int_equal(srv_class_steer_json(cs, code, &seen, &b), 0);
    assert_int_equal(srv_class_rounds_json(cs, code, &rseen, &b), 0); /* no round pushed */
    j = srv_buf_take(&b, NULL);
    assert_non_null(strstr(j, "\"teams\":2"));
    free(j);
    assert_int_equal(srv_class_end(cs, code, "00000000000000000000000000000001", &e), 0);
    assert_int_equal(srv_class_steer_json(cs, code, &seen, &b), 0);
    srv_classes_free(cs);
    free(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_teams__start_checks_the_count),
        cmocka_unit_test(test_teams__join_smallest_or_chosen_and_only_one),
        cmocka_unit_test(test_teams__act_only_in_the_own_team),
        cmocka_unit_test(test_teams__public_state_has_no_session_ids),
        cmocka_unit_test(test_teams__class_pushes_steer_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
