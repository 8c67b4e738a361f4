/* test_serve.c — the classroom server's parts without HTTP: strict JSON, safe asset paths, lessons,
 * sessions and their export. */
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "assets.h"
#include "conns.h"
#include "guard.h"
#include "tl_test.h"
#include "json.h"
#include "lessons.h"
#include "session.h"
#include "worker.h"
#include "tillit/presets.h"
#include "tillit/scenario_yaml.h"

/* ---- JSON --------------------------------------------------------------------------- */
static srv_json *parse(const char *s)
{
    char msg[200];
    return srv_json_parse(s, strlen(s), msg, sizeof msg);
}

static void test_json__accepts_valid_documents(void **state)
{
    srv_json *v = parse(
        " {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e5\\ud83d\\ude00\\n\"], \"b\": {}} ");
    (void)state;
    assert_non_null(v);
    assert_int_equal(v->type, SRV_JOBJ);
    assert_int_equal(v->count, 2);
    {
        const srv_json *a = srv_json_get(v, "a");
        assert_non_null(a);
        assert_int_equal(a->count, 6);
        assert_true(a->child->num == 1.0);
        assert_true(a->child->next->num == -2500.0);
        assert_int_equal(a->child->next->next->boolean, 1);
        assert_int_equal(a->child->next->next->next->boolean, 0);
        assert_int_equal(a->child->next->next->next->next->type, SRV_JNULL);
        assert_string_equal(a->child->next->next->next->next->next->str,
                            "x\xc3\xa5\xf0\x9f\x98\x80\n");
    }
    assert_null(srv_json_get(v, "c"));
    srv_json_free(v);
    v = parse("0");
    assert_non_null(v);
    srv_json_free(v);
    v = parse("\"\xc3\xa5\"");
    assert_non_null(v);
    srv_json_free(v);
}

static void test_json__rejects_malformed_and_hostile_input(void **state)
{
    static const char *const bad[] = {
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "{\"a\":1,}",
        "{a:1}",
        "{'a':1}",
        "[01]",
        "[1.]",
        "[.5]",
        "[-]",
        "[+1]",
        "[NaN]",
        "[Infinity]",
        "[1e400]",
        "[tru]",
        "[nul]",
        "\"abc",
        "\"a\\x\"",
        "\"a\\u12\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\u0000\"",
        "\"a\tb\"",
        "{\"a\":1}x",
        "{\"a\":1} {}",
        "{\"a\":1,\"a\":2}",
        "\"\xff\"",
        "\"\xc0\xaf\"",
        "\"\xed\xa0\x80\"",
        "[1 2]",
        "{\"a\" 1}",
        "\"\\",
        "[\"\\u",
    };
    char msg[200];
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        srv_json *v = srv_json_parse(bad[i], strlen(bad[i]), msg, sizeof msg);
        if (v)
            fail_msg("accepted malformed JSON '%s'", bad[i]);
        assert_true(strlen(msg) > 0);
    }
    /* embedded NUL */
    assert_null(srv_json_parse("{\"a\":1}\0", 8, msg, sizeof msg));
}

static void test_json__bounds_depth_and_size(void **state)
{
    char deep[64], msg[200];
    char *many;
    size_t n = 0;
    (void)state;
    memset(deep, '[', SRV_JSON_MAX_DEPTH);
    memset(deep + SRV_JSON_MAX_DEPTH, ']', SRV_JSON_MAX_DEPTH);
    srv_json *v = srv_json_parse(deep, 2 * SRV_JSON_MAX_DEPTH, msg, sizeof msg);
    assert_non_null(v);
    srv_json_free(v);
    memset(deep, '[', SRV_JSON_MAX_DEPTH + 1);
    memset(deep + SRV_JSON_MAX_DEPTH + 1, ']', SRV_JSON_MAX_DEPTH + 1);
    assert_null(srv_json_parse(deep, 2 * SRV_JSON_MAX_DEPTH + 2, msg, sizeof msg));
    assert_non_null(strstr(msg, "deep"));
    /* more values than allowed */
    many = malloc(3 * SRV_JSON_MAX_NODES + 16);
    assert_non_null(many);
    many[n++] = '[';
    for (int i = 0; i < SRV_JSON_MAX_NODES + 1; i++) {
        if (i)
            many[n++] = ',';
        many[n++] = '1';
    }
    many[n++] = ']';
    assert_null(srv_json_parse(many, n, msg, sizeof msg));
    assert_non_null(strstr(msg, "too many"));
    free(many);
}

/* Random mutations of a valid body never crash the parser (ASan watches). */
static void test_json__survives_random_mutations(void **state)
{
    const char *seed =
        "{\"sides\":[{\"preset\":\"balanced\",\"set\":{\"mandate\":0.5}}],\"seed\":7,"
        "\"s\":\"\\u00e5\\n\",\"x\":[true,false,null,-1.5e-3]}";
    size_t n = strlen(seed);
    char buf[256], msg[200];
    unsigned r = 12345;
    (void)state;
    for (int it = 0; it < 20000; it++) {
        size_t len = n;
        memcpy(buf, seed, n);
        for (int k = 0; k < 1 + it % 4 && len > 0; k++) {
            r = r * 1103515245u + 12345u;
            size_t pos = (r >> 8) % len;
            r = r * 1103515245u + 12345u;
            switch ((r >> 16) % 3) {
            case 0: buf[pos] = (char)(r >> 3); break;
            case 1: len = pos; break; /* truncate */
            default: buf[pos] = "{}[]\",:\\u0e"[(r >> 5) % 11];
            }
        }
        srv_json_free(srv_json_parse(buf, len, msg, sizeof msg));
    }
}

static void test_json__writes_escaped_strings_and_numbers(void **state)
{
    srv_buf b;
    char *s;
    (void)state;
    srv_buf_init(&b);
    srv_buf_puts(&b, "[");
    srv_buf_str(&b, "a\"b\\c\n</script>\x01");
    srv_buf_puts(&b, ",");
    srv_buf_num(&b, NAN);
    srv_buf_puts(&b, ",");
    srv_buf_num(&b, 3);
    srv_buf_puts(&b, ",");
    srv_buf_num(&b, 0.125);
    srv_buf_puts(&b, "]");
    s = srv_buf_take(&b, NULL);
    assert_string_equal(s, "[\"a\\\"b\\\\c\\n\\u003c/script>\\u0001\",null,3,0.125]");
    {
        srv_json *v = parse(s);
        assert_non_null(v);
        assert_string_equal(v->child->str, "a\"b\\c\n</script>\x01");
        srv_json_free(v);
    }
    free(s);
}

/* ---- asset paths ------------------------------------------------------------------------ */
static void test_assets__clean_paths_only(void **state)
{
    static const char *const ok[] = {"/", "/index.html", "/assets/app.js", "/favicon.svg",
                                     "/a-b_c.d/e"};
    static const char *const bad[] = {"",
                                      "index.html",
                                      "/../etc/passwd",
                                      "/assets/../../x",
                                      "/..",
                                      "/.",
                                      "/.git/config",
                                      "/assets/.hidden",
                                      "//etc/passwd",
                                      "/a//b",
                                      "/assets/",
                                      "/%2e%2e/x",
                                      "/a\\..\\b",
                                      "/a b",
                                      "/a?b",
                                      "/\xc3\xa5",
                                      "/a/./b"};
    char rel[SRV_ASSET_PATH_MAX + 1], longp[400];
    (void)state;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_int_equal(srv_asset_clean(ok[i], rel, sizeof rel), 0);
    assert_int_equal(srv_asset_clean("/", rel, sizeof rel), 0);
    assert_string_equal(rel, "index.html");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (srv_asset_clean(bad[i], rel, sizeof rel) == 0)
            fail_msg("accepted path '%s'", bad[i]);
    longp[0] = '/';
    memset(longp + 1, 'a', sizeof longp - 2);
    longp[sizeof longp - 1] = '\0';
    assert_int_equal(srv_asset_clean(longp, rel, sizeof rel), 400);
}

static void test_assets__symlinks_out_of_the_root_are_refused(void **state)
{
    char *root = tl_test_path("assets"), real[PATH_MAX], path[PATH_MAX + 64];
    long long size = 0;
    int fd;
    FILE *f;
    (void)state;
    mkdir(root, 0700);
    snprintf(path, sizeof path, "%s/index.html", root);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("<p>hi</p>", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/sub", root);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/out", root);
    unlink(path);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    snprintf(path, sizeof path, "%s/in", root);
    unlink(path);
    assert_int_equal(symlink("index.html", path), 0);
    assert_non_null(realpath(root, real));

    fd = srv_asset_open(real, "index.html", &size);
    assert_true(fd >= 0);
    assert_int_equal(size, 9);
    close(fd);
    fd = srv_asset_open(real, "in", &size); /* a link that stays inside */
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(srv_asset_open(real, "out", &size), -403);
    assert_int_equal(srv_asset_open(real, "sub", &size), -404); /* a directory */
    assert_int_equal(srv_asset_open(real, "missing.js", &size), -404);
    assert_string_equal(srv_asset_mime("a/app.js"), "text/javascript; charset=utf-8");
    assert_string_equal(srv_asset_mime("x.unknown"), "application/octet-stream");

    snprintf(path, sizeof path, "%s/out", root);
    unlink(path);
    snprintf(path, sizeof path, "%s/in", root);
    unlink(path);
    snprintf(path, sizeof path, "%s/index.html", root);
    unlink(path);
    snprintf(path, sizeof path, "%s/sub", root);
    rmdir(path);
    rmdir(root);
    free(root);
}

/* ---- lessons ------------------------------------------------------------------------------ */
static void test_lessons__the_shipped_lessons_load(void **state)
{
    const char *src = getenv("TL_SOURCE_DIR");
    char dir[PATH_MAX];
    srv_limits lim;
    srv_lessons *L = calloc(1, sizeof *L);
    (void)state;
    assert_non_null(L);
    srv_limits_default(&lim);
    snprintf(dir, sizeof dir, "%s/scenarios/lessons", src ? src : ".");
    assert_int_equal(srv_lessons_load(L, dir, &lim, stderr), 0);
    assert_true(L->n >= 5);
    {
        static const char *const wanted[] = {"hidden-cost-of-control", "naive-trust",
                                             "learning-from-errors", "targeted-vs-general-grants",
                                             "from-control-to-trust"};
        for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
            const srv_lesson *l = srv_lessons_find(L, wanted[i]);
            if (!l)
                fail_msg("lesson %s missing", wanted[i]);
            for (int k = 0; k < 2; k++) {
                assert_true(strlen(l->title[k]) > 3);
                assert_true(strlen(l->text[k]) > 40);
                assert_true(strlen(l->question[k]) > 20);
                /* every shipped lesson has its teacher notes in both languages */
                for (int n = 0; n < SRV_LESSON_NOTES; n++)
                    assert_true(l->notes[n][k] && strlen(l->notes[n][k]) > 20);
            }
            assert_int_equal(l->setup.nsides, 2);
        }
    }
    /* in `order` */
    for (int i = 1; i < L->n; i++)
        assert_true(L->v[i - 1].order <= L->v[i].order);
    srv_lessons_free(L);
    free(L);
}

static void test_lessons__bad_lessons_are_refused_with_a_message(void **state)
{
    static const char head[] = "lesson:\n  title: {sv: T, en: T}\n  text: {sv: T, en: T}\n"
                               "  question: {sv: Q, en: Q}\n";
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"run: {steps: 10}\n", NULL},
        {"lesson:\n  title: {sv: T}\n  text: {sv: T, en: T}\n  question: {sv: Q, en: Q}\n",
         "title.en"},
        {"lesson:\n  title: {sv: T, en: T, de: T}\n  text: {sv: T, en: T}\n  question: {sv: Q, en: "
         "Q}\n",
         "language"},
        {"lesson:\n  titel: {sv: T, en: T}\n", "unknown key"},
        {"x", "mapping"},
        {"run: {steps: 10}\n", NULL},
    };
    char msg[1200], text[1024];
    srv_lesson L;
    srv_limits lim;
    (void)state;
    srv_limits_default(&lim);
    /* a good one, with a group below the lesson */
    snprintf(text, sizeof text, "name: ok\n%sregime: {mandate: 0.3}\nrun: {steps: 10}\n", head);
    assert_int_equal(srv_lesson_parse(&L, text, strlen(text), "ok.yaml", &lim, msg, sizeof msg), 0);
    assert_true(L.setup.side[0].params.mandate == 0.3);
    assert_int_equal(L.setup.nsides, 1);
    free(L.title[0]), free(L.title[1]), free(L.text[0]), free(L.text[1]);
    free(L.question[0]), free(L.question[1]);
    /* no lesson key */
    assert_int_equal(
        srv_lesson_parse(&L, cases[0].text, strlen(cases[0].text), "a.yaml", &lim, msg, sizeof msg),
        -1);
    assert_non_null(strstr(msg, "lesson"));
    for (size_t i = 1; i < 5; i++) {
        assert_int_equal(srv_lesson_parse(&L, cases[i].text, strlen(cases[i].text), "b.yaml", &lim,
                                          msg, sizeof msg),
                         -1);
        if (!strstr(msg, cases[i].expect))
            fail_msg("case %zu: '%s' lacks '%s'", i, msg, cases[i].expect);
    }
    /* the scenario part is checked by the engine's loader and the classroom limits */
    snprintf(text, sizeof text, "%srun: {steps: 10}\nregime: {mandate: 7}\n", head);
    assert_int_equal(srv_lesson_parse(&L, text, strlen(text), "c.yaml", &lim, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "mandate"));
    snprintf(text, sizeof text, "%sorganisation: {employees: 9000, citizens: 10000}\n", head);
    assert_int_equal(srv_lesson_parse(&L, text, strlen(text), "d.yaml", &lim, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "classroom limit"));
    snprintf(text, sizeof text, "%s  watch: [no_such_metric]\nrun: {steps: 10}\n", head);
    assert_int_equal(srv_lesson_parse(&L, text, strlen(text), "e.yaml", &lim, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "no_such_metric"));
    snprintf(text, sizeof text,
             "%srun: {steps: 10}\npoints:\n  - {label: a}\n  - {label: b}\n  - {label: c}\n", head);
    assert_int_equal(srv_lesson_parse(&L, text, strlen(text), "f.yaml", &lim, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "one point or two"));
}

/* Teacher notes: optional, each kind optional, in both languages; in the JSON of the lessons. */
static void test_lessons__teacher_notes(void **state)
{
    static const char head[] = "name: n\nlesson:\n  title: {sv: T, en: T}\n  text: {sv: T, en: T}\n"
                               "  question: {sv: Q, en: Q}\n";
    static const struct {
        const char *notes, *expect;
    } bad[] = {
        {"  notes: x\n", "lesson.notes: expected a mapping"},
        {"  notes: {expect: {sv: a, en: b}}\n", "unknown key 'expect'"},
        {"  notes: {timing: {sv: a}}\n", "lesson.notes.timing.en: missing"},
        {"  notes: {discuss: a}\n", "lesson.notes.discuss: expected a mapping"},
    };
    char msg[1200], text[1024];
    srv_limits lim;
    srv_lessons *L = calloc(1, sizeof *L);
    srv_buf b;
    char *j;
    (void)state;
    assert_non_null(L);
    srv_limits_default(&lim);
    snprintf(text, sizeof text,
             "%s  notes:\n    expected: {sv: Kvaliteten faller, en: Quality falls}\n"
             "    discuss: {sv: Varför?, en: Why?}\nrun: {steps: 10}\n",
             head);
    assert_int_equal(srv_lesson_parse(&L->v[0], text, strlen(text), "n.yaml", &lim, msg, sizeof msg),
                     0);
    L->n = 1;
    assert_string_equal(L->v[0].notes[0][0], "Kvaliteten faller");
    assert_string_equal(L->v[0].notes[2][1], "Why?");
    assert_null(L->v[0].notes[1][0]); /* no timing */
    srv_buf_init(&b);
    srv_lessons_json(L, &b);
    j = srv_buf_take(&b, NULL);
    assert_non_null(strstr(j, "\"notes\":{\"expected\":{\"sv\":\"Kvaliteten faller\",\"en\":\"Quality "
                              "falls\"},\"discuss\":"));
    free(j);
    srv_lessons_free(L);
    /* without notes: null */
    snprintf(text, sizeof text, "%srun: {steps: 10}\n", head);
    assert_int_equal(srv_lesson_parse(&L->v[0], text, strlen(text), "m.yaml", &lim, msg, sizeof msg),
                     0);
    L->n = 1;
    srv_buf_init(&b);
    srv_lessons_json(L, &b);
    j = srv_buf_take(&b, NULL);
    assert_non_null(strstr(j, "\"notes\":null"));
    free(j);
    srv_lessons_free(L);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "%s%srun: {steps: 10}\n", head, bad[i].notes);
        assert_int_equal(
            srv_lesson_parse(&L->v[0], text, strlen(text), "x.yaml", &lim, msg, sizeof msg), -1);
        if (!strstr(msg, bad[i].expect))
            fail_msg("case %zu: '%s' lacks '%s'", i, msg, bad[i].expect);
    }
    free(L);
}

/* ---- sessions ------------------------------------------------------------------------------ */
static void small_setup(srv_setup *su, int nsides, const char *p0, const char *p1, int steps)
{
    tl_error err = TL_ERROR_INIT;
    memset(su, 0, sizeof *su);
    su->nsides = nsides;
    su->seed = 99;
    for (int k = 0; k < nsides; k++) {
        assert_int_equal(tl_preset_apply(k ? p1 : p0, &su->side[k].params, &err), TL_OK);
        su->side[k].params.units = 5;
        su->side[k].params.employees = 50;
        su->side[k].params.citizens = 2500;
        su->side[k].params.steps = steps;
        snprintf(su->side[k].label, sizeof su->side[k].label, "%s", k ? p1 : p0);
    }
}

static void test_session__limits_are_enforced(void **state)
{
    srv_limits lim;
    srv_table tb;
    srv_setup su;
    srv_err e;
    srv_session *s[3] = {NULL, NULL, NULL};
    (void)state;
    srv_limits_default(&lim);
    lim.max_sessions = 2;
    small_setup(&su, 1, "balanced", NULL, 20);
    assert_int_equal(srv_setup_check(&lim, &su, &e), 0);
    su.side[0].params.employees = 6000;
    assert_int_equal(srv_setup_check(&lim, &su, &e), 400);
    assert_non_null(strstr(e.msg, "employees"));
    su.side[0].params.employees = 50;
    su.side[0].params.steps = 2001;
    assert_int_equal(srv_setup_check(&lim, &su, &e), 400);
    su.side[0].params.steps = 20;
    su.side[0].params.units = 60; /* more units than employees */
    assert_int_equal(srv_setup_check(&lim, &su, &e), 400);
    su.side[0].params.units = 5;

    assert_int_equal(srv_table_init(&tb, &lim), 0);
    assert_int_equal(srv_session_create(&tb, &su, "10.0.0.1", &s[0], &e), 0);
    assert_int_equal(srv_session_create(&tb, &su, "10.0.0.2", &s[1], &e), 0);
    assert_int_equal(srv_session_create(&tb, &su, "10.0.0.3", &s[2], &e), 429);
    assert_null(s[2]);
    assert_string_not_equal(s[0]->id, s[1]->id);
    assert_int_equal(strlen(s[0]->id), SRV_ID_LEN);
    /* a session in use does not expire; a released one does, when idle */
    {
        char id[SRV_ID_LEN + 1];
        memcpy(id, s[1]->id, sizeof id);
        srv_session_release(&tb, s[1]);
        assert_int_equal(srv_table_expire(&tb, srv_now() + lim.idle_seconds + 1), 1);
        assert_null(srv_session_find(&tb, id));
    }
    assert_int_equal(srv_session_create(&tb, &su, "10.0.0.3", &s[2], &e), 0);
    assert_int_equal(srv_session_delete(&tb, s[2]->id, &e), 0);
    srv_session_release(&tb, s[2]); /* freed now */
    assert_int_equal(srv_session_delete(&tb, "ffffffffffffffffffffffffffffffff", &e), 404);
    srv_session_release(&tb, s[0]);
    srv_table_clear(&tb);
}

/* One address gets lim.max_sessions_per_owner sessions; when the table is
 * full the session unused longest makes room once it has been unused for
 * lim.reclaim_seconds, not before and not while a request holds it. */
static void test_session__per_address_limit_and_reclaim(void **state)
{
    srv_limits lim;
    srv_table tb;
    srv_setup su;
    srv_err e;
    srv_session *a[3] = {NULL, NULL, NULL}, *b = NULL, *c = NULL;
    char old_id[SRV_ID_LEN + 1];
    (void)state;
    srv_limits_default(&lim);
    lim.max_sessions = 3;
    lim.max_sessions_per_owner = 2;
    small_setup(&su, 1, "balanced", NULL, 10);
    assert_int_equal(srv_table_init(&tb, &lim), 0);
    assert_int_equal(srv_session_create(&tb, &su, "10.1.1.1", &a[0], &e), 0);
    assert_int_equal(srv_session_create(&tb, &su, "10.1.1.1", &a[1], &e), 0);
    assert_int_equal(srv_session_create(&tb, &su, "10.1.1.1", &a[2], &e), 429);
    assert_non_null(strstr(e.msg, "your address"));
    assert_null(a[2]);
    assert_int_equal(srv_session_create(&tb, &su, "10.1.1.2", &b, &e), 0);
    /* full: nobody has been idle long enough */
    srv_session_release(&tb, a[0]);
    assert_int_equal(srv_session_create(&tb, &su, "10.1.1.3", &c, &e), 429);
    /* a[0] unused for longer than reclaim_seconds: it makes room */
    memcpy(old_id, a[0]->id, sizeof old_id);
    pthread_mutex_lock(&tb.lock);
    a[0]->last_used -= lim.reclaim_seconds + 1;
    pthread_mutex_unlock(&tb.lock);
    assert_int_equal(srv_session_create(&tb, &su, "10.1.1.3", &c, &e), 0);
    assert_null(srv_session_find(&tb, old_id));
    /* the one still held (a[1]) is never taken, however old */
    pthread_mutex_lock(&tb.lock);
    a[1]->last_used -= lim.reclaim_seconds + 1;
    pthread_mutex_unlock(&tb.lock);
    assert_int_equal(srv_session_create(&tb, &su, "10.1.1.4", &a[2], &e), 429);
    srv_session_release(&tb, a[1]);
    srv_session_release(&tb, b);
    srv_session_release(&tb, c);
    srv_table_clear(&tb);
}

/* The Host check (DNS rebinding), URL decoding and log redaction. */
static void test_guard__host_check(void **state)
{
    srv_hosts lo, any;
    (void)state;
    srv_hosts_init(&lo, "127.0.0.1", 8080, 1);
    assert_true(srv_host_allowed(&lo, "127.0.0.1:8080"));
    assert_true(srv_host_allowed(&lo, "localhost:8080"));
    assert_true(srv_host_allowed(&lo, "LOCALHOST:8080"));
    assert_true(srv_host_allowed(&lo, "[::1]:8080"));
    assert_false(srv_host_allowed(&lo, NULL));
    assert_false(srv_host_allowed(&lo, ""));
    assert_false(srv_host_allowed(&lo, "127.0.0.1"));      /* port 80 implied */
    assert_false(srv_host_allowed(&lo, "127.0.0.1:8081"));
    assert_false(srv_host_allowed(&lo, "127.0.0.1:08080x"));
    assert_false(srv_host_allowed(&lo, "192.168.1.2:8080")); /* loopback: own names only */
    assert_false(srv_host_allowed(&lo, "evil.example:8080"));
    assert_false(srv_host_allowed(&lo, "::1:8080"));
    srv_hosts_init(&any, "0.0.0.0", 80, 0);
    assert_true(srv_host_allowed(&any, "192.168.1.2"));
    assert_true(srv_host_allowed(&any, "192.168.1.2:80"));
    assert_true(srv_host_allowed(&any, "[fe80::1]:80"));
    assert_false(srv_host_allowed(&any, "[fe80::1"));
    assert_false(srv_host_allowed(&any, "[evil.example]:80"));
    assert_false(srv_host_allowed(&any, "evil.example"));
    assert_false(srv_host_allowed(&any, "evil.example."));
    assert_false(srv_host_allowed(&any, "192.168.1.2.nip.io"));
    assert_false(srv_host_allowed(&any, "klassrum.example"));
    assert_int_equal(srv_hosts_add(&any, "klassrum.example"), 0);
    assert_true(srv_host_allowed(&any, "Klassrum.Example:80"));
    assert_true(srv_host_allowed(&any, "klassrum.example."));
    assert_int_equal(srv_hosts_add(&any, "bad/name"), -1);
    assert_int_equal(srv_hosts_add(&any, ""), -1);
}

static void test_guard__unescape_and_redact(void **state)
{
    char u[64], r[64];
    (void)state;
    snprintf(u, sizeof u, "/a%%2Fb%%00c%%zz%%4");
    assert_int_equal(srv_url_unescape(u), strlen("/a/b%00c%zz%4"));
    assert_string_equal(u, "/a/b%00c%zz%4");
    srv_redact(r, sizeof r, "/api/sessions/0123456789abcdef0123456789abcdef/step");
    assert_string_equal(r, "/api/sessions/<id>/step");
    srv_redact(r, sizeof r, "week 12 of 520, cafe");
    assert_string_equal(r, "week 12 of 520, cafe");
    srv_redact(r, 8, "0123456789abcdef0123");
    assert_string_equal(r, "<id>");
    srv_redact(r, 3, "abcdef");
    assert_string_equal(r, "ab");
}

/* A connection receiving for longer than the limit is shut down once; one
 * being answered is not. */
static void test_conns__slow_requests_are_cut_off(void **state)
{
    srv_conns cs;
    int sv[2], sv2[2];
    char buf[4];
    srv_conn *slow, *busy;
    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv2), 0);
    assert_int_equal(srv_conns_init(&cs, 5.0), 0);
    slow = srv_conns_open(&cs, sv[0], 100.0);
    busy = srv_conns_open(&cs, sv2[0], 100.0);
    srv_conns_mark(&cs, busy, 0, 101.0);
    assert_int_equal(srv_conns_sweep(&cs, 104.0), 0);
    assert_int_equal(srv_conns_sweep(&cs, 106.0), 1);
    assert_int_equal(srv_conns_sweep(&cs, 107.0), 0); /* once */
    assert_int_equal(read(sv[0], buf, sizeof buf), 0);  /* shut down */
    assert_int_equal(write(sv2[1], "x", 1), 1);
    assert_int_equal(read(sv2[0], buf, 1), 1); /* still open */
    srv_conns_mark(&cs, busy, 1, 110.0);       /* waits for its next request */
    assert_int_equal(srv_conns_sweep(&cs, 116.0), 1);
    srv_conns_close(&cs, slow);
    srv_conns_close(&cs, busy);
    assert_int_equal(cs.n, 0);
    assert_int_equal(cs.dropped, 2);
    srv_conns_free(&cs);
    close(sv[0]);
    close(sv[1]);
    close(sv2[0]);
    close(sv2[1]);
}

static void test_session__set_checks_every_value(void **state)
{
    srv_limits lim;
    srv_table tb;
    srv_setup su;
    srv_err e;
    srv_session *s = NULL;
    int from;
    const char *n1[] = {"mandate"}, *n2[] = {"units"}, *n3[] = {"mandat"}, *n4[] = {"need_rate"};
    double v1[] = {0.4}, bad[] = {1.5}, v3[] = {0.2};
    (void)state;
    srv_limits_default(&lim);
    small_setup(&su, 2, "control-based", "trust-based", 10);
    assert_int_equal(srv_table_init(&tb, &lim), 0);
    assert_int_equal(srv_session_create(&tb, &su, "10.0.0.1", &s, &e), 0);
    assert_int_equal(srv_session_set(&tb, s, 3, n1, bad, 1, NULL, &e), 400);
    assert_non_null(strstr(e.msg, "mandate"));
    assert_int_equal(srv_session_set(&tb, s, 3, n2, v1, 1, NULL, &e), 400);
    assert_non_null(strstr(e.msg, "cannot change during a run"));
    assert_int_equal(srv_session_set(&tb, s, 3, n3, v1, 1, NULL, &e), 400);
    assert_non_null(strstr(e.msg, "did you mean 'mandate'"));
    /* before the first step a change is part of the set-up, and the
     * simulation starts from it as if created with it */
    assert_int_equal(srv_session_set(&tb, s, 1, n1, v1, 1, "custom", &e), 0);
    assert_true(s->setup.side[0].params.mandate == 0.4);
    assert_string_equal(s->setup.side[0].label, "custom");
    assert_int_equal(s->side[0].nchanges, 0);
    {
        const char *bt[] = {"baseline_trust"};
        double v[] = {0.95};
        srv_setup fresh;
        srv_session *s2 = NULL;
        assert_int_equal(srv_session_set(&tb, s, 1, bt, v, 1, NULL, &e), 0);
        fresh = s->setup;
        assert_int_equal(srv_session_create(&tb, &fresh, "10.0.0.1", &s2, &e), 0);
        assert_int_equal(srv_session_step(&tb, s, 3, &from, &e), 0);
        assert_int_equal(srv_session_step(&tb, s2, 3, &from, &e), 0);
        assert_memory_equal(s->side[0].hist, s2->side[0].hist, 3 * TL_NMETRICS * sizeof(double));
        srv_session_release(&tb, s2);
        assert_int_equal(srv_session_reset(&tb, s, NULL, &e), 0);
    }
    assert_int_equal(srv_session_step(&tb, s, 4, &from, &e), 0);
    assert_int_equal(from, 0);
    assert_int_equal(s->t, 4);
    /* later, a change; two at the same week merge; schedulable non-levers too */
    assert_int_equal(srv_session_set(&tb, s, 2, n1, v3, 1, NULL, &e), 0);
    assert_int_equal(srv_session_set(&tb, s, 2, n1, v1, 1, NULL, &e), 0);
    assert_int_equal(srv_session_set(&tb, s, 2, n4, v3, 1, NULL, &e), 0);
    assert_int_equal(s->side[1].nchanges, 2);
    assert_int_equal(s->side[0].nchanges, 0);
    assert_true(s->side[1].changes[0].value == 0.4);
    assert_int_equal(srv_session_step(&tb, s, 100, &from, &e), 0);
    assert_int_equal(s->t, 10); /* the horizon */
    assert_int_equal(srv_session_set(&tb, s, 1, n1, v3, 1, NULL, &e), 409);
    srv_session_release(&tb, s);
    srv_table_clear(&tb);
}

/* The exported file's scenario, run again by the engine, gives the very
 * numbers the classroom showed: mid-run changes are recorded truly. */
static void test_session__export_reproduces_the_run(void **state)
{
    srv_limits lim;
    srv_table tb;
    srv_setup su;
    srv_err e;
    srv_session *s = NULL;
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("export.h5"), *yaml = NULL;
    hid_t f;
    int from;
    const char *names[] = {"control_intensity", "mandate"};
    double vals[] = {0.6, 0.3}, vals2[] = {0.1, 0.9};
    const int T = 40, ran = 30;
    double *again;
    (void)state;
    srv_limits_default(&lim);
    small_setup(&su, 1, "balanced", NULL, T);
    /* a scheduled change of its own, as lessons have, at the step of a lever change */
    assert_int_equal(tl_schedule_add(&su.side[0].sched, "mandate", 21, 0, 0.5, &err), TL_OK);
    assert_int_equal(srv_table_init(&tb, &lim), 0);
    assert_int_equal(srv_session_create(&tb, &su, "10.0.0.1", &s, &e), 0);
    assert_int_equal(srv_session_step(&tb, s, 10, &from, &e), 0);
    assert_int_equal(srv_session_set(&tb, s, 1, names, vals, 2, NULL, &e), 0);
    assert_int_equal(srv_session_step(&tb, s, 10, &from, &e), 0);
    assert_int_equal(srv_session_set(&tb, s, 1, names, vals2, 2, NULL, &e), 0);
    assert_int_equal(srv_session_step(&tb, s, ran - 20, &from, &e), 0);
    unlink(path);
    assert_int_equal(srv_session_export(s, 0, path, &e), 0);
    assert_int_equal(srv_session_export(s, 1, path, &e), 400);

    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    {
        hsize_t dims[3];
        H5T_class_t cls;
        size_t tsize;
        hid_t a = H5Aopen(f, "scenario", H5P_DEFAULT), ty = H5Aget_type(a);
        tsize = H5Tget_size(ty);
        yaml = calloc(1, tsize + 1);
        assert_int_equal(H5Aread(a, ty, yaml) >= 0, 1);
        H5Tclose(ty);
        H5Aclose(a);
        assert_true(H5LTget_dataset_info(f, "/quality_true", dims, &cls, &tsize) >= 0);
        assert_int_equal(dims[2], T);
    }
    tl_scenario_init(&sc);
    assert_int_equal(tl_scenario_parse_yaml(yaml, strlen(yaml), "export", &sc, &err), TL_OK);
    assert_int_equal(sc.npoints, 1);
    assert_int_equal(sc.seed, 99);
    again = malloc((size_t)T * TL_NMETRICS * sizeof *again);
    assert_non_null(again);
    {
        tl_run_key key = {sc.seed, 0, 0};
        assert_int_equal(
            tl_run(&sc.points[0].params, &sc.points[0].sched, key, again, NULL, 0, NULL, &err),
            TL_OK);
    }
    for (int i = 0; i < ran * TL_NMETRICS; i++) {
        double a = again[i], b = s->side[0].hist[i];
        if (!(a == b || (isnan(a) && isnan(b))))
            fail_msg("step %d metric %d: classroom %.17g, re-run %.17g", i / TL_NMETRICS + 1,
                     i % TL_NMETRICS, b, a);
    }
    /* what was not run is missing, not made up */
    {
        double *col = malloc((size_t)T * sizeof *col);
        assert_true(H5LTread_dataset_double(f, "/quality_true", col) >= 0);
        assert_true(col[ran - 1] == s->side[0].hist[(size_t)(ran - 1) * TL_NMETRICS]);
        assert_true(isnan(col[ran]));
        free(col);
    }
    H5Fclose(f);
    free(again);
    free(yaml);
    tl_scenario_clear(&sc);
    unlink(path);
    free(path);
    srv_session_release(&tb, s);
    srv_table_clear(&tb);
}

/* Exports from the fork server while other threads allocate: a child
 * forked from a threaded process may inherit a lock another thread holds
 * (the allocator's lock for large blocks under AddressSanitizer with GCC 12:
 * with a direct fork this test hung on its first export) and hang; the fork
 * server's children, forked from a process of one thread, may not. Each
 * export must finish within its limit and give the run's file. */
static struct churn {
    volatile int stop;
    unsigned long rounds;
} churn[2];

static void *churn_allocator(void *arg)
{
    struct churn *c = arg;
    while (!c->stop) {
        /* small blocks and large ones (a session's history is ~100 KB-1 MB:
         * allocators serve those under a global lock), without a pause (with
         * one, a direct fork no longer hangs here: the test would lose its
         * point; under valgrind, which runs one thread at a time, run it
         * with --fair-sched=yes) */
        void *p[16];
        for (int i = 0; i < 16; i++)
            p[i] = malloc(i < 12 ? 64 + (size_t)i * 512 : ((size_t)256 << 10) * (size_t)(i - 11));
        for (int i = 0; i < 16; i++)
            free(p[i]);
        c->rounds++;
    }
    return NULL;
}

static void test_worker__exports_while_other_threads_allocate(void **state)
{
    srv_limits lim;
    srv_table tb;
    srv_setup su;
    srv_err e;
    srv_workers w;
    srv_session *s = NULL;
    srv_export_snap snap;
    pthread_t th[2];
    int from, failed = -1;
    char *dir = tl_test_path("exports"), msg[sizeof e.msg] = "";
    (void)state;
    /* first, while this process has one thread */
    assert_int_equal(srv_workers_init(&w, 2), 0);
    srv_limits_default(&lim);
    small_setup(&su, 1, "balanced", NULL, 30);
    assert_int_equal(srv_table_init(&tb, &lim), 0);
    assert_int_equal(srv_session_create(&tb, &su, "10.0.0.1", &s, &e), 0);
    assert_int_equal(srv_session_step(&tb, s, 20, &from, &e), 0);
    memset(&snap, 0, sizeof snap);
    assert_int_equal(srv_session_snapshot(s, 0, &snap, &e), 0);
    mkdir(dir, 0700);
    memset(churn, 0, sizeof churn);
    for (int k = 0; k < 2; k++)
        assert_int_equal(pthread_create(&th[k], NULL, churn_allocator, &churn[k]), 0);
    for (int i = 0; i < 5 && failed < 0; i++) {
        char path[PATH_MAX];
        hid_t f;
        hsize_t dims[3] = {0, 0, 0};
        H5T_class_t cls;
        size_t tsize;
        snprintf(path, sizeof path, "%s/run-%d.h5", dir, i);
        unlink(path);
        memset(&e, 0, sizeof e);
        if (srv_workers_export(&w, &snap, 1, path, 60, &e) != 0) {
            failed = i;
            snprintf(msg, sizeof msg, "%s", e.msg);
            break;
        }
        f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (f < 0 || H5LTget_dataset_info(f, "/quality_true", dims, &cls, &tsize) < 0 ||
            dims[2] != 30) {
            failed = i;
            snprintf(msg, sizeof msg, "the file is not the run's (%llu steps)",
                     (unsigned long long)dims[2]);
        }
        if (f >= 0)
            H5Fclose(f);
        unlink(path);
    }
    /* the threads stop before any assertion can leave this frame */
    for (int k = 0; k < 2; k++) {
        churn[k].stop = 1;
        pthread_join(th[k], NULL);
    }
    if (failed >= 0)
        fail_msg("export %d: %s", failed, msg);
    assert_true(churn[0].rounds > 0 && churn[1].rounds > 0);
    /* a path the child cannot write: its error comes back, the server stays */
    memset(&e, 0, sizeof e);
    assert_int_not_equal(srv_workers_export(&w, &snap, 1, "/nonexistent-dir/x.h5", 60, &e), 0);
    assert_true(e.msg[0] != '\0');
    srv_export_snap_free(&snap);
    srv_workers_free(&w);
    rmdir(dir);
    free(dir);
    srv_session_release(&tb, s);
    srv_table_clear(&tb);
}

/* steer mode's export: several sessions on one seed as one file, a point
 * each with its label; a class's sessions are not counted per address */
static void test_session__export_of_several_runs(void **state)
{
    srv_limits lim;
    srv_table tb;
    srv_setup su;
    srv_err e;
    srv_session *s[6] = {0};
    srv_export_snap snap[3];
    char *path = tl_test_path("teams.h5");
    const char *names[] = {"control_intensity"};
    double vals[] = {0.9};
    hid_t f;
    hsize_t dims[3];
    H5T_class_t cls;
    size_t tsize;
    double q[3][25];
    int from;
    (void)state;
    srv_limits_default(&lim);
    small_setup(&su, 1, "balanced", NULL, 25);
    assert_int_equal(srv_table_init(&tb, &lim), 0);
    for (int k = 0; k < 6; k++) /* more than an address may hold */
        assert_int_equal(srv_session_create(&tb, &su, "@ABCDEF", &s[k], &e), 0);
    assert_int_equal(srv_session_set(&tb, s[1], 1, names, vals, 1, NULL, &e), 0);
    memset(snap, 0, sizeof snap);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(srv_session_step(&tb, s[k], k == 2 ? 10 : 12, &from, &e), 0);
        assert_int_equal(srv_session_snapshot(s[k], 0, &snap[k], &e), 0);
        snprintf(snap[k].label, sizeof snap[k].label, "team-%d", k + 1);
    }
    unlink(path);
    assert_int_equal(srv_export_write(snap, 3, path, &e), 409); /* not at one week */
    srv_export_snap_free(&snap[2]);
    assert_int_equal(srv_session_step(&tb, s[2], 2, &from, &e), 0);
    assert_int_equal(srv_session_snapshot(s[2], 0, &snap[2], &e), 0);
    snprintf(snap[2].label, sizeof snap[2].label, "team-3");
    assert_int_equal(srv_export_write(snap, 3, path, &e), 0);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5LTget_dataset_info(f, "/quality_true", dims, &cls, &tsize) >= 0);
    assert_int_equal((int)dims[0], 3);
    assert_int_equal((int)dims[2], 25);
    assert_true(H5LTread_dataset_double(f, "/quality_true", &q[0][0]) >= 0);
    H5Fclose(f);
    /* the same seed: teams 1 and 3 steered alike ran alike, team 2 differs */
    for (int t = 0; t < 12; t++)
        assert_true(q[0][t] == q[2][t]);
    assert_true(memcmp(q[0], q[1], 12 * sizeof(double)) != 0);
    assert_true(isnan(q[0][12]));
    for (int k = 0; k < 3; k++)
        srv_export_snap_free(&snap[k]);
    for (int k = 0; k < 6; k++)
        srv_session_release(&tb, s[k]);
    unlink(path);
    free(path);
    srv_table_clear(&tb);
}

static void test_session__json_has_rows_from_a_step(void **state)
{
    srv_limits lim;
    srv_table tb;
    srv_setup su;
    srv_err e;
    srv_session *s = NULL;
    srv_buf b;
    char *text, msg[200];
    int from;
    srv_json *v;
    (void)state;
    srv_limits_default(&lim);
    small_setup(&su, 2, "balanced", "zero-tolerance", 12);
    assert_int_equal(srv_table_init(&tb, &lim), 0);
    assert_int_equal(srv_session_create(&tb, &su, "10.0.0.1", &s, &e), 0);
    assert_int_equal(srv_session_step(&tb, s, 5, &from, &e), 0);
    srv_buf_init(&b);
    srv_session_json(s, 3, &b);
    text = srv_buf_take(&b, NULL);
    v = srv_json_parse(text, strlen(text), msg, sizeof msg);
    if (!v)
        fail_msg("%s", msg);
    assert_int_equal((int)srv_json_get(v, "t")->num, 5);
    assert_int_equal(srv_json_get(v, "rows")->count, 2);
    assert_int_equal(srv_json_get(v, "rows")->child->count, 2); /* steps 4 and 5 */
    assert_int_equal(srv_json_get(v, "rows")->child->child->count, TL_NMETRICS);
    assert_int_equal(srv_json_get(v, "sides")->count, 2);
    srv_json_free(v);
    free(text);
    srv_session_release(&tb, s);
    srv_table_clear(&tb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json__accepts_valid_documents),
        cmocka_unit_test(test_json__rejects_malformed_and_hostile_input),
        cmocka_unit_test(test_json__bounds_depth_and_size),
        cmocka_unit_test(test_json__survives_random_mutations),
        cmocka_unit_test(test_json__writes_escaped_strings_and_numbers),
        cmocka_unit_test(test_assets__clean_paths_only),
        cmocka_unit_test(test_assets__symlinks_out_of_the_root_are_refused),
        cmocka_unit_test(test_lessons__the_shipped_lessons_load),
        cmocka_unit_test(test_lessons__bad_lessons_are_refused_with_a_message),
        cmocka_unit_test(test_lessons__teacher_notes),
        cmocka_unit_test(test_session__limits_are_enforced),
        cmocka_unit_test(test_session__per_address_limit_and_reclaim),
        cmocka_unit_test(test_guard__host_check),
        cmocka_unit_test(test_guard__unescape_and_redact),
        cmocka_unit_test(test_conns__slow_requests_are_cut_off),
        cmocka_unit_test(test_session__set_checks_every_value),
        cmocka_unit_test(test_session__export_reproduces_the_run),
        cmocka_unit_test(test_session__export_of_several_runs),
        cmocka_unit_test(test_session__json_has_rows_from_a_step),
        cmocka_unit_test(test_worker__exports_while_other_threads_allocate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
