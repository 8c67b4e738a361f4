/* fuzz_api.c — libFuzzer target: any bytes as a request to the classroom's HTTP API must give a
 * reply with a status and a JSON body (never a crash, leak, hang or a 5xx other than 503), and
 * the Host check, URL decoding and log redaction must hold on any input. Build with
 * -DTILLIT_FUZZ=ON and CC=clang; see docs/testing.md.
 *
 * Input: "METHOD URL\n" "HOST\n" BODY. Before each input a small session is created and given
 * the id 000...0 (32 zeros), so that URLs naming it reach the step, set, reset and session
 * handlers (and a class may be opened on it: class ABCDEF, with a student holding the token
 * 111...1, round 1 open for predict mode's routes and vote 1 open for the votes'); exports
 * (written by a child process) are left out. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 16
#define ZERO_ID "00000000000000000000000000000000"
#define ONE_TOKEN "11111111111111111111111111111111"

typedef struct fq {
    int n;
    const char *key[MAX_ARGS];
    const char *value[MAX_ARGS];
} fq;

static const char *fq_get(void *ctx, const char *key)
{
    fq *q = ctx;
    for (int i = 0; i < q->n; i++)
        if (strcmp(q->key[i], key) == 0)
            return q->value[i];
    return NULL;
}

static srv_limits lim; /* srv_table_clear forgets them */

static srv_server *server(void)
{
    static srv_server *sv;
    if (!sv) {
        srv_limits lessons_lim;
        const char *src = getenv("TL_SOURCE_DIR");
        sv = calloc(1, sizeof *sv);
        if (!sv)
            abort();
        srv_limits_default(&lessons_lim);
        if (src) {
            char dir[PATH_MAX];
            snprintf(dir, sizeof dir, "%s/scenarios/lessons", src);
            srv_lessons_load(&sv->lessons, dir, &lessons_lim, NULL);
        }
        srv_limits_default(&lim);
        lim.max_sessions = 4;
        lim.max_sessions_per_owner = 3;
        lim.max_steps = 40;
        lim.max_citizens = 3000;
        lim.max_employees = 200;
        lim.max_units = 20;
        lim.max_sim_bytes = (size_t)32 << 20;
        lim.max_total_bytes = (size_t)96 << 20;
        lim.max_steps_per_request = 40;
        lim.max_request_seconds = 0.5;
        sv->table.lim = lim;
        if (srv_api_init(sv) != 0)
            abort();
        sv->nurls = 1; /* as if bound beyond loopback: class replies name it, QR codes draw it */
        snprintf(sv->urls[0], sizeof sv->urls[0], "http://192.0.2.1:8080");
    }
    return sv;
}

static void call(srv_server *sv, const char *method, const char *path, fq *q, const char *body,
                 size_t len)
{
    srv_reply r;
    memset(&r, 0, sizeof r);
    r.fd = -1;
    srv_api_handle(sv, "fuzz", method, path, fq_get, q, q->key, q->n, body, len, &r);
    if (r.status < 200 || r.status > 599 || (r.status >= 500 && r.status != 503) || !r.body)
        __builtin_trap();
    free(r.body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    srv_server *sv = server();
    char *text = malloc(size + 1), *line, *host, *body, *url, *query, *qcopy = NULL;
    char method[16], redacted[512];
    size_t blen;
    srv_hosts lo, any;
    fq q;
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* "METHOD URL\n" "HOST\n" BODY (the body may hold NULs: its length counts) */
    line = text;
    host = memchr(text, '\n', size);
    if (!host)
        goto out;
    *host++ = '\0';
    body = memchr(host, '\n', size - (size_t)(host - text));
    if (!body)
        goto out;
    *body++ = '\0';
    blen = size - (size_t)(body - text);
    url = strchr(line, ' ');
    if (!url || (size_t)(url - line) >= sizeof method)
        goto out;
    memcpy(method, line, (size_t)(url - line));
    method[url - line] = '\0';
    url++;

    /* the checks that run before any handler */
    srv_hosts_init(&lo, "127.0.0.1", 8080, 1);
    srv_hosts_init(&any, "0.0.0.0", 8080, 0);
    srv_hosts_add(&any, "klassrum.example");
    if (srv_host_allowed(&lo, host) && !srv_host_allowed(&any, host))
        __builtin_trap(); /* what loopback accepts, the wider server accepts too */
    srv_redact(redacted, sizeof redacted, url);
    if (strlen(redacted) >= sizeof redacted)
        __builtin_trap();

    /* the query string, split and decoded as MHD would hand it over */
    memset(&q, 0, sizeof q);
    if ((query = strchr(url, '?')) != NULL) {
        *query++ = '\0';
        qcopy = query;
        for (char *tok = strtok(qcopy, "&"); tok && q.n < MAX_ARGS; tok = strtok(NULL, "&")) {
            char *eq = strchr(tok, '=');
            if (eq)
                *eq++ = '\0';
            srv_url_unescape(tok);
            if (eq)
                srv_url_unescape(eq);
            q.key[q.n] = tok;
            q.value[q.n++] = eq ? eq : "";
        }
    }
    srv_url_unescape(url);
    if (strncmp(url, "/api/", 5) != 0 || strstr(url, "export") || strstr(url, "/events"))
        goto out;
    if (strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "POST") &&
        strcmp(method, "DELETE"))
        goto out;

    /* a fresh table with one session of a known id, and a class on it with the
     * code ABCDEF */
    if (srv_table_init(&sv->table, &lim) != 0 || srv_classes_init(&sv->classes) != 0)
        abort();
    {
        static const char setup[] =
            "{\"steps\":30,\"set\":{\"employees\":40,\"units\":4,\"citizens\":800},"
            "\"sides\":[{\"preset\":\"balanced\"},{\"preset\":\"control-based\"}]}";
        fq none;
        memset(&none, 0, sizeof none);
        call(sv, "POST", "sessions", &none, setup, sizeof setup - 1);
        pthread_mutex_lock(&sv->table.lock);
        for (int i = 0; i < sv->table.lim.max_sessions; i++)
            if (sv->table.s[i])
                memcpy(sv->table.s[i]->id, ZERO_ID, sizeof ZERO_ID);
        pthread_mutex_unlock(&sv->table.lock);
        {
            char code[SRV_CODE_LEN + 1];
            srv_err e;
            if (srv_class_open(&sv->classes, ZERO_ID, code, &e) == 0) {
                srv_rounds *r = &sv->classes.c[0].rounds;
                char tok[SRV_TOKEN_LEN + 1];
                int n;
                memcpy(sv->classes.c[0].code, "ABCDEF", SRV_CODE_LEN + 1);
                /* predict mode: a student with the token 111...1 and round 1 open */
                if (srv_rounds_join(r, "fuzz", tok, &e) == 0)
                    memcpy(r->token[0], ONE_TOKEN, sizeof ONE_TOKEN);
                srv_rounds_open(r, "quality_true", "?", 0, 0, 0.5, &n, &e);
                /* votes: vote 1 open on control_intensity, lower/keep/raise */
                {
                    const double ch[3] = {0.05, 0.15, 0.25};
                    srv_votes_open(&sv->classes.c[0].votes, tl_param_index("control_intensity"), 0,
                                   0.15, 0, ch, 3, &n, &e);
                }
            }
        }
    }
    call(sv, method, url + 5, &q, body, blen);
    srv_table_clear(&sv->table);
    srv_classes_free(&sv->classes);
out:
    free(text);
    return 0;
}
