/* serve.c — `tillit serve`: options, the HTTP daemon (libmicrohttpd, a thread per connection),
 * static files, request limits and a clean stop. */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

#define DEFAULT_PORT 8080
#define MAX_QUERY_ARGS 16
/* connections: enough for a class of 60 with a few browser connections
 * each; one address (a tab's or an attacker's) gets at most PER_ADDRESS */
#define MAX_CONNECTIONS 512
#define PER_ADDRESS 16
#define DEFAULT_REQUEST_SECONDS 15
/* a body beyond SRV_MAX_BODY sent without Content-Length is read and
 * dropped up to this much, then the connection is closed */
#define MAX_DISCARD ((size_t)16 << 20)

static const char usage[] =
    "usage: tillit serve [--host H] [--port P] [options]\n"
    "\n"
    "The classroom: a web page served by this program where a teacher moves the\n"
    "steering levers and the class watches citizens, staff and the budget respond,\n"
    "compares two regimes side by side and runs the guided lessons.\n"
    "\n"
    "  --host H          address to listen on (default 127.0.0.1: this computer only;\n"
    "                    0.0.0.0 shares the page on the classroom network)\n"
    "  --port P          port (default 8080; 0 picks a free one)\n"
    "  --assets DIR      the page (default: installed with the program, or web/page\n"
    "                    of the source tree)\n"
    "  --chartjs DIR     Chart.js 3 as ES modules, when the page has no copy (default:\n"
    "                    Debian's /usr/share/javascript/chart.js, package libjs-chart.js)\n"
    "  --lessons DIR     lesson files (default: scenarios/lessons)\n"
    "  --max-sessions N  browser tabs served at once (default 80, at most 256)\n"
    "  --sessions-per-address N\n"
    "                    of which one computer may hold (default 4)\n"
    "  --idle-minutes M  drop a session unused this long (default 30)\n"
    "  --request-timeout S\n"
    "                    a request must arrive whole within S seconds (default 15)\n"
    "  --allow-host NAME also answer to this host name (e.g. a school server's DNS\n"
    "                    name; IP addresses and this computer's name always work)\n"
    "  --check           load the page and the lessons, report, and exit\n"
    "  --verbose         log every request\n"
    "\n"
    "Stop with Ctrl-C. See docs/classroom.md.\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

/* ---- one request ------------------------------------------------------------------ */
typedef struct request {
    char *body;
    size_t len;
    int too_big;
    size_t discarded;
} request;

typedef struct query {
    int n, overflow;
    const char *key[MAX_QUERY_ARGS];
    const char *value[MAX_QUERY_ARGS];
} query;

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    query *q = cls;
    (void)kind;
    if (q->n >= MAX_QUERY_ARGS) {
        q->overflow = 1;
        return MHD_NO;
    }
    for (int i = 0; i < q->n; i++)
        if (strcmp(q->key[i], key) == 0) {
            q->overflow = 2; /* repeated */
            return MHD_NO;
        }
    q->key[q->n] = key;
    q->value[q->n++] = value ? value : "";
    return MHD_YES;
}

static const char *query_get(void *ctx, const char *key)
{
    query *q = ctx;
    for (int i = 0; i < q->n; i++)
        if (strcmp(q->key[i], key) == 0)
            return q->value[i];
    return NULL;
}

static void common_headers(struct MHD_Response *resp, const char *type)
{
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(
        resp, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'");
}

static enum MHD_Result send_reply(struct MHD_Connection *c, srv_reply *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    if (r->fd >= 0) {
        resp = MHD_create_response_from_fd((uint64_t)r->len, r->fd);
        if (!resp)
            close(r->fd);
        r->fd = -1;
    } else {
        resp = MHD_create_response_from_buffer(r->len, r->body ? r->body : (char *)"",
                                               r->body ? MHD_RESPMEM_MUST_FREE
                                                       : MHD_RESPMEM_PERSISTENT);
        r->body = NULL;
    }
    if (!resp)
        return MHD_NO;
    common_headers(resp, r->type ? r->type : "application/json");
    if (r->disposition[0])
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->status == 405)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST, DELETE");
    ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg)
{
    srv_reply r;
    memset(&r, 0, sizeof r);
    r.fd = -1;
    srv_reply_error(&r, status, msg);
    return send_reply(c, &r);
}

static const char fallback_page[] =
    "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>tillit classroom</title>"
    "<body><h1>tillit classroom</h1><p>The server runs, but the page cannot be shown: its "
    "files or its charting library, Chart.js, were not found. On Debian, "
    "<code>apt-get install libjs-chart.js</code> (or <code>scripts/setup</code>) and restart; "
    "or start with <code>tillit serve --assets DIR --chartjs DIR</code>. The JSON API works: "
    "<a href=\"/api/info\">/api/info</a>.</p></body></html>";

static enum MHD_Result serve_static(srv_server *sv, struct MHD_Connection *c, const char *url)
{
    char rel[SRV_ASSET_PATH_MAX + 1];
    long long size = 0;
    int fd;
    srv_reply r;
    memset(&r, 0, sizeof r);
    r.fd = -1;
    if (srv_asset_clean(url, rel, sizeof rel) != 0)
        return send_error(c, 400, "bad path");
    if (!sv->page_ok && strcmp(rel, "index.html") == 0) {
        r.status = 200;
        r.len = sizeof fallback_page - 1;
        r.body = malloc(r.len + 1);
        if (!r.body)
            return MHD_NO;
        memcpy(r.body, fallback_page, r.len + 1);
        r.type = "text/html; charset=utf-8";
        return send_reply(c, &r);
    }
    if (sv->chartjs[0] && strncmp(rel, "vendor/chart.js/", 16) == 0)
        fd = srv_asset_open(sv->chartjs, rel + 16, &size);
    else if (sv->assets[0])
        fd = srv_asset_open(sv->assets, rel, &size);
    else
        fd = -404;
    if (fd < 0)
        return send_error(c, fd == -403 ? 403 : 404, fd == -403 ? "forbidden" : "not found");
    r.status = 200;
    r.fd = fd;
    r.len = (size_t)size;
    r.type = srv_asset_mime(rel);
    return send_reply(c, &r);
}

/* The Host header must name this server (no DNS rebinding): see guard.h. */
static int host_allowed(const srv_server *sv, struct MHD_Connection *c)
{
    return srv_host_allowed(&sv->hosts,
                            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST));
}

/* The connection's deadline record (NULL if none). */
static srv_conn *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* The client's address as text (IPv4-mapped IPv6 as IPv4): sessions are
 * counted per address. */
static void client_addr(struct MHD_Connection *c, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    snprintf(out, n, "?");
    if (!sa)
        return;
    if (sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)n);
    } else if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a))
            inet_ntop(AF_INET, &a->s6_addr[12], out, (socklen_t)n);
        else
            inet_ntop(AF_INET6, a, out, (socklen_t)n);
    }
}

/* --verbose: one line per request, session ids (the API's bearer tokens)
 * left out. */
static void log_request(const char *method, const char *url, int status)
{
    char safe[512];
    srv_redact(safe, sizeof safe, url);
    if (status)
        fprintf(stderr, "tillit serve: %s %s -> %d\n", method, safe, status);
    else
        fprintf(stderr, "tillit serve: %s %s\n", method, safe);
}

/* A request that changes something must come from this page: a JSON body
 * (a cross-site form cannot send one without asking first) and, when the
 * browser names an Origin, this server's. */
static const char *write_refused(struct MHD_Connection *c, const char *method)
{
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (origin && strcmp(origin, "null") != 0) {
        if (!host || strncmp(origin, "http://", 7) != 0 || strcasecmp(origin + 7, host) != 0)
            return "cross-origin request refused";
    } else if (origin) {
        return "cross-origin request refused";
    }
    if (strcmp(method, "POST") == 0) {
        const char *ct =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
            (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' '))
            return "send the body as application/json";
    }
    return NULL;
}

/* ---- following a class: server-sent events ------------------------------------------ */
/* A follower's stream: the teacher's session as JSON events (the whole of it
 * first, then what is new at each change), a comment every 10 s so that
 * nothing between closes an idle stream, "event: end" when the class ends.
 * The reader runs on the connection's own thread and may wait there. */
typedef struct follow {
    srv_server *sv;
    char code[SRV_CODE_LEN + 1];
    unsigned long version;
    int last_t;
    unsigned long last_gen;
    unsigned long rounds_seen; /* the class view last sent ("event: round") */
    unsigned long steer_seen;  /* the teams' state last sent ("event: steer") */
    unsigned long votes_seen;  /* the votes last sent ("event: vote") */
    int first, ending, done;
    char *pending;
    size_t len, off;
} follow;

static void follow_queue(follow *f, srv_buf *b)
{
    free(f->pending);
    f->pending = srv_buf_take(b, &f->len);
    f->off = 0;
    if (!f->pending)
        f->len = 0;
}

/* Append "event: NAME" with what get gives when it changed since *seen. */
typedef int (*class_json_fn)(srv_classes *cs, const char *code, unsigned long *seen, srv_buf *b);
static void follow_event(follow *f, const char *name, class_json_fn get, unsigned long *seen,
                         srv_buf *b)
{
    srv_buf eb;
    char *ej;
    srv_buf_init(&eb);
    get(&f->sv->classes, f->code, seen, &eb);
    if ((ej = srv_buf_take(&eb, NULL)) != NULL && *ej)
        srv_buf_printf(b, "event: %s\ndata: %s\n\n", name, ej);
    free(ej);
}

static ssize_t follow_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    follow *f = cls;
    (void)pos;
    for (;;) {
        if (f->off < f->len) {
            size_t n = f->len - f->off < max ? f->len - f->off : max;
            memcpy(buf, f->pending + f->off, n);
            f->off += n;
            return (ssize_t)n;
        }
        if (f->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        {
            srv_buf b;
            char sid[SRV_ID_LEN + 1];
            srv_session *s = NULL;
            int w = f->first ? 1 : srv_classes_wait(&f->sv->classes, f->code, &f->version, 10.0);
            f->first = 0;
            srv_buf_init(&b);
            if (w < 0 || srv_class_lookup(&f->sv->classes, f->code, sid, NULL) != 0 ||
                !(s = srv_session_find(&f->sv->table, sid))) {
                srv_buf_puts(&b, "event: end\ndata: {}\n\n");
                f->done = 1;
            } else if (w == 0) {
                srv_buf_puts(&b, ": still here\n\n");
            } else {
                srv_buf_puts(&b, "data: ");
                srv_session_json_follow(s, &f->last_t, &f->last_gen, &b);
                srv_buf_puts(&b, "\n\n");
                /* predict mode: the class view when it changed (after the
                 * first event, only once a student joined or a round began);
                 * steer mode: the teams' state, once the teacher started it */
                follow_event(f, "round", srv_class_rounds_json, &f->rounds_seen, &b);
                follow_event(f, "steer", srv_class_steer_json, &f->steer_seen, &b);
                follow_event(f, "vote", srv_class_votes_json, &f->votes_seen, &b);
            }
            if (s)
                srv_session_release(&f->sv->table, s);
            follow_queue(f, &b);
            if (!f->pending)
                return MHD_CONTENT_READER_END_WITH_ERROR;
        }
    }
}

static void follow_free(void *cls)
{
    follow *f = cls;
    free(f->pending);
    free(f);
}

static enum MHD_Result serve_follow(srv_server *sv, struct MHD_Connection *c, const char *code)
{
    char sid[SRV_ID_LEN + 1];
    struct MHD_Response *resp;
    enum MHD_Result ret;
    follow *f;
    unsigned long version = 0;
    if (strlen(code) != SRV_CODE_LEN || srv_class_lookup(&sv->classes, code, sid, &version) != 0)
        return send_error(c, 404, "no class with this code (check it, or ask the teacher)");
    if (!(f = calloc(1, sizeof *f)))
        return MHD_NO;
    f->version = version; /* the first event is the whole session as it is now */
    f->sv = sv;
    memcpy(f->code, code, SRV_CODE_LEN + 1);
    f->last_t = -1;
    f->first = 1;
    resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, follow_read, f,
                                             follow_free);
    if (!resp) {
        free(f);
        return MHD_NO;
    }
    common_headers(resp, "text/event-stream; charset=utf-8");
    ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    srv_server *sv = cls;
    request *rq = *con_cls;
    (void)version;

    if (!rq) {
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (!(rq = calloc(1, sizeof *rq)))
            return MHD_NO;
        *con_cls = rq;
        if (cl) {
            char *end;
            unsigned long long n;
            errno = 0;
            n = strtoull(cl, &end, 10);
            if (errno || *end || n > SRV_MAX_BODY)
                return send_error(c, 413, "request body too large (at most 64 KiB)");
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (rq->too_big || rq->len + n > SRV_MAX_BODY) {
            rq->too_big = 1;
            rq->discarded += n;
            return rq->discarded > MAX_DISCARD ? MHD_NO : MHD_YES;
        }
        {
            char *nb = realloc(rq->body, rq->len + n + 1);
            if (!nb)
                return MHD_NO;
            rq->body = nb;
        }
        memcpy(rq->body + rq->len, upload, n);
        rq->len += n;
        rq->body[rq->len] = '\0';
        return MHD_YES;
    }
    /* the request has arrived whole: its deadline is over until the reply is sent */
    srv_conns_mark(&sv->conns, conn_of(c), 0, srv_now());
    if (rq->too_big)
        return send_error(c, 413, "request body too large (at most 64 KiB)");

    {
        enum MHD_Result ret;
        int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
        int is_write = strcmp(method, "POST") == 0 || strcmp(method, "DELETE") == 0;
        const char *refused;
        if (!is_get && !is_write)
            ret = send_error(c, 405, "method not allowed");
        else if (!host_allowed(sv, c))
            ret = send_error(c, 403, "this server answers to its own address only (Host header)");
        else if (is_write && (refused = write_refused(c, method)) != NULL)
            ret = send_error(c, strstr(refused, "json") ? 415 : 403, refused);
        else if (strncmp(url, "/api/classes/", 13) == 0 && strlen(url) == 13 + SRV_CODE_LEN + 7 &&
                 strcmp(url + 13 + SRV_CODE_LEN, "/events") == 0) {
            char code[SRV_CODE_LEN + 1];
            memcpy(code, url + 13, SRV_CODE_LEN);
            code[SRV_CODE_LEN] = '\0';
            ret = strcmp(method, "GET") != 0 ? send_error(c, 405, "use GET for the events")
                                             : serve_follow(sv, c, code);
            if (sv->verbose)
                log_request(method, url, 200);
        } else if (strncmp(url, "/api/", 5) == 0) {
            query q;
            srv_reply r;
            memset(&q, 0, sizeof q);
            memset(&r, 0, sizeof r);
            r.fd = -1;
            MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, &q);
            if (q.overflow)
                ret = send_error(c, 400,
                                 q.overflow == 1 ? "too many query parameters"
                                                 : "a query parameter is repeated");
            else {
                char client[SRV_OWNER_LEN];
                client_addr(c, client, sizeof client);
                srv_api_handle(sv, client, method, url + 5, query_get, &q, q.key, q.n, rq->body,
                               rq->len, &r);
                ret = send_reply(c, &r);
            }
            if (sv->verbose)
                log_request(method, url, r.status);
        } else if (!is_get) {
            ret = send_error(c, 405, "the page's files are read-only");
        } else {
            if (rq->len > 0)
                ret = send_error(c, 400, "this request takes no body");
            else
                ret = serve_static(sv, c, url);
            if (sv->verbose)
                log_request(method, url, 0);
        }
        return ret;
    }
}

/* Decode %HH like MHD does, except %00 (guard.c). */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return srv_url_unescape(s);
}

static void notify_conn(void *cls, struct MHD_Connection *c, void **socket_context,
                        enum MHD_ConnectionNotificationCode toe)
{
    srv_server *sv = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = srv_conns_open(&sv->conns, ci ? ci->connect_fd : -1, srv_now());
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        srv_conns_close(&sv->conns, *socket_context);
        *socket_context = NULL;
    }
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    srv_server *sv = cls;
    request *rq = *con_cls;
    (void)toe;
    /* the reply is done: the next request on this connection must arrive in time */
    srv_conns_mark(&sv->conns, conn_of(c), 1, srv_now());
    if (rq) {
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    srv_server *sv = cls;
    char msg[1024], safe[1024];
    if (!sv->verbose)
        return;
    vsnprintf(msg, sizeof msg, fmt, ap);
    srv_redact(safe, sizeof safe, msg);
    fprintf(stderr, "tillit serve: %s", safe);
}

/* ---- start-up ---------------------------------------------------------------------- */
static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) ==
               127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return 0;
}

static void print_urls(srv_server *sv, const char *host, const struct sockaddr *sa)
{
    int any = 0;
    if (sa->sa_family == AF_INET &&
        ((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr == htonl(INADDR_ANY))
        any = 1;
    if (sa->sa_family == AF_INET6 &&
        IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr))
        any = 2;
    if (!any) {
        int v6 = strchr(host, ':') != NULL;
        printf("tillit serve: open http://%s%s%s:%u/ in a browser\n", v6 ? "[" : "", host,
               v6 ? "]" : "", sv->port);
        if (!sv->loopback)
            snprintf(sv->urls[sv->nurls++], sizeof sv->urls[0], "http://%s%.46s%s:%u",
                     v6 ? "[" : "", host, v6 ? "]" : "", sv->port);
    } else {
        struct ifaddrs *ifa = NULL;
        printf("tillit serve: open http://127.0.0.1:%u/ on this computer", sv->port);
        if (getifaddrs(&ifa) == 0) {
            printf("; on the classroom network:\n");
            for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
                char buf[INET6_ADDRSTRLEN];
                if (!i->ifa_addr || is_loopback(i->ifa_addr))
                    continue;
                if (i->ifa_addr->sa_family == AF_INET &&
                    inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr, buf,
                              sizeof buf)) {
                    printf("  http://%s:%u/  (%s)\n", buf, sv->port, i->ifa_name);
                    if (sv->nurls < (int)(sizeof sv->urls / sizeof sv->urls[0]))
                        snprintf(sv->urls[sv->nurls++], sizeof sv->urls[0], "http://%s:%u", buf,
                                 sv->port);
                }
            }
            freeifaddrs(ifa);
        } else {
            printf("\n");
        }
        printf("tillit serve: anyone who can reach this computer can use the page; stop with "
               "Ctrl-C after the lesson\n");
    }
    printf("tillit serve: Ctrl-C stops the server\n");
    fflush(stdout);
}

static int has_chart(const char *dir)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/chart.mjs", dir);
    return access(p, R_OK) == 0;
}

/* Chart.js: the page's own copy (an installed page has one), else --chartjs
 * or Debian's. Sets sv->chartjs and sv->page_ok; -1 when --chartjs is bad. */
static int find_chartjs(srv_server *sv, const char *given)
{
    char own[PATH_MAX + 32];
    sv->chartjs[0] = '\0';
    sv->page_ok = 0;
    if (given) {
        if (!realpath(given, sv->chartjs) || !has_chart(sv->chartjs)) {
            sv->chartjs[0] = '\0';
            return -1;
        }
        sv->page_ok = sv->assets[0] != '\0';
        return 0;
    }
    if (sv->assets[0]) {
        snprintf(own, sizeof own, "%s/vendor/chart.js", sv->assets);
        if (has_chart(own)) {
            sv->page_ok = 1;
            return 0;
        }
    }
    {
        const char *cands[] = {TL_SERVE_CHARTJS_DIR, "/usr/share/javascript/chart.js"};
        for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++)
            if (cands[i][0] && realpath(cands[i], sv->chartjs) && has_chart(sv->chartjs)) {
                sv->page_ok = sv->assets[0] != '\0';
                return 0;
            }
    }
    sv->chartjs[0] = '\0';
    return 0;
}

static void report_dirs(const srv_server *sv, FILE *out)
{
    if (sv->assets[0])
        fprintf(out, "tillit serve: page from %s\n", sv->assets);
    else
        fprintf(out, "tillit serve: the page's files were not found (give --assets DIR)\n");
    if (sv->chartjs[0])
        fprintf(out, "tillit serve: Chart.js from %s\n", sv->chartjs);
    else if (sv->assets[0] && !sv->page_ok)
        fprintf(out, "tillit serve: Chart.js not found (apt-get install libjs-chart.js, or give "
                     "--chartjs DIR)\n");
    if (!sv->page_ok)
        fprintf(out, "tillit serve: serving the API and a notice instead of the page\n");
    if (sv->lessons_dir[0])
        fprintf(out, "tillit serve: %d lesson%s from %s\n", sv->lessons.n,
                sv->lessons.n == 1 ? "" : "s", sv->lessons_dir);
    else
        fprintf(out, "tillit serve: no lesson directory found\n");
}

int tl_cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {{"host", required_argument, 0, 'H'},
                                         {"port", required_argument, 0, 'p'},
                                         {"assets", required_argument, 0, 'a'},
                                         {"chartjs", required_argument, 0, 'C'},
                                         {"lessons", required_argument, 0, 'l'},
                                         {"max-sessions", required_argument, 0, 's'},
                                         {"idle-minutes", required_argument, 0, 'i'},
                                         {"sessions-per-address", required_argument, 0, 'P'},
                                         {"request-timeout", required_argument, 0, 'T'},
                                         {"allow-host", required_argument, 0, 'A'},
                                         {"check", no_argument, 0, 'c'},
                                         {"verbose", no_argument, 0, 'v'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *host = "127.0.0.1", *assets = NULL, *lessons = NULL, *chartjs = NULL, *tmp;
    long port = DEFAULT_PORT, v, request_seconds = DEFAULT_REQUEST_SECONDS;
    const char *allow[SRV_MAX_ALLOW_HOSTS];
    int nallow = 0, conns_ok = 0, workers_ok = 0, classes_ok = 0;
    int opt, check = 0, verbose = 0, rc = 0, bad_lessons = 0;
    srv_limits lim;
    srv_server *sv = NULL;
    struct addrinfo hints, *ai = NULL;
    struct sockaddr_storage ss;
    struct MHD_Daemon *d = NULL;
    struct sigaction sa;
    char portstr[16];
    int table_ok = 0;

    srv_limits_default(&lim);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "H:p:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'H': host = optarg; break;
        case 'p':
            if (parse_int(optarg, 0, 65535, &port) != 0) {
                fprintf(stderr, "tillit: serve: --port %s: expected 0-65535\n", optarg);
                return 2;
            }
            break;
        case 'a': assets = optarg; break;
        case 'C': chartjs = optarg; break;
        case 'l': lessons = optarg; break;
        case 's':
            if (parse_int(optarg, 1, SRV_MAX_SESSIONS, &v) != 0) {
                fprintf(stderr, "tillit: serve: --max-sessions %s: expected 1-%d\n", optarg,
                        SRV_MAX_SESSIONS);
                return 2;
            }
            lim.max_sessions = (int)v;
            break;
        case 'i':
            if (parse_int(optarg, 1, 24 * 60, &v) != 0) {
                fprintf(stderr, "tillit: serve: --idle-minutes %s: expected 1-1440\n", optarg);
                return 2;
            }
            lim.idle_seconds = (int)v * 60;
            break;
        case 'P':
            if (parse_int(optarg, 1, SRV_MAX_SESSIONS, &v) != 0) {
                fprintf(stderr, "tillit: serve: --sessions-per-address %s: expected 1-%d\n",
                        optarg, SRV_MAX_SESSIONS);
                return 2;
            }
            lim.max_sessions_per_owner = (int)v;
            break;
        case 'T':
            if (parse_int(optarg, 1, 300, &request_seconds) != 0) {
                fprintf(stderr, "tillit: serve: --request-timeout %s: expected 1-300 seconds\n",
                        optarg);
                return 2;
            }
            break;
        case 'A': {
            srv_hosts probe;
            srv_hosts_init(&probe, NULL, 0, 1);
            if (nallow >= SRV_MAX_ALLOW_HOSTS || srv_hosts_add(&probe, optarg) != 0) {
                fprintf(stderr,
                        "tillit: serve: --allow-host %s: expected a host name (letters, digits, "
                        "'-' and '.'; at most %d of them)\n",
                        optarg, SRV_MAX_ALLOW_HOSTS);
                return 2;
            }
            allow[nallow++] = optarg;
            break;
        }
        case 'c': check = 1; break;
        case 'v': verbose = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        default: fprintf(stderr, "tillit: serve: see `tillit serve --help`\n"); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "tillit: serve: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!(sv = calloc(1, sizeof *sv))) {
        fprintf(stderr, "tillit: serve: out of memory\n");
        return 1;
    }
    sv->verbose = verbose;
    if (srv_conns_init(&sv->conns, (double)request_seconds) != 0 ||
        !(conns_ok = 1) || srv_classes_init(&sv->classes) != 0 || !(classes_ok = 1) ||
        srv_workers_init(&sv->workers, 0) != 0) {
        fprintf(stderr, "tillit: serve: cannot create locks\n");
        rc = 1;
        goto out;
    }
    workers_ok = 1;

    if (srv_find_dir(assets, "web", "web/page", sv->assets, sizeof sv->assets) != 0) {
        sv->assets[0] = '\0';
        if (assets) {
            fprintf(stderr, "tillit: serve: --assets %s: not a directory\n", assets);
            rc = 2;
            goto out;
        }
    } else if (access(sv->assets, R_OK | X_OK) != 0) {
        fprintf(stderr, "tillit: serve: %s: cannot read\n", sv->assets);
        rc = 2;
        goto out;
    }
    {
        /* a build directory without index.html is not the page */
        char idx[PATH_MAX + 16];
        snprintf(idx, sizeof idx, "%s/index.html", sv->assets);
        if (sv->assets[0] && access(idx, R_OK) != 0) {
            if (assets) {
                fprintf(stderr, "tillit: serve: --assets %s: no index.html\n", assets);
                rc = 2;
                goto out;
            }
            sv->assets[0] = '\0';
        }
    }
    if (find_chartjs(sv, chartjs) != 0) {
        fprintf(stderr, "tillit: serve: --chartjs %s: no chart.mjs there\n", chartjs);
        rc = 2;
        goto out;
    }
    if (srv_find_dir(lessons, "lessons", "scenarios/lessons", sv->lessons_dir,
                     sizeof sv->lessons_dir) != 0) {
        sv->lessons_dir[0] = '\0';
        if (lessons) {
            fprintf(stderr, "tillit: serve: --lessons %s: not a directory\n", lessons);
            rc = 2;
            goto out;
        }
    } else {
        bad_lessons = srv_lessons_load(&sv->lessons, sv->lessons_dir, &lim, stderr);
        if (bad_lessons < 0) {
            fprintf(stderr, "tillit: serve: %s: cannot read\n", sv->lessons_dir);
            rc = 2;
            goto out;
        }
    }
    if (srv_table_init(&sv->table, &lim) != 0) {
        fprintf(stderr, "tillit: serve: out of memory\n");
        rc = 1;
        goto out;
    }
    table_ok = 1;
    if (srv_api_init(sv) != 0) {
        fprintf(stderr, "tillit: serve: out of memory\n");
        rc = 1;
        goto out;
    }
    if (check) {
        report_dirs(sv, stdout);
        rc = sv->page_ok && sv->lessons_dir[0] && bad_lessons == 0 ? 0 : 2;
        goto out;
    }
    tmp = getenv("TMPDIR");
    snprintf(sv->tmpdir, sizeof sv->tmpdir, "%s", tmp && *tmp ? tmp : "/tmp");

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(portstr, sizeof portstr, "%ld", port);
    if ((v = getaddrinfo(host, portstr, &hints, &ai)) != 0 || !ai) {
        fprintf(stderr, "tillit: serve: --host %s: %s\n", host, gai_strerror((int)v));
        rc = 2;
        goto out;
    }
    memset(&ss, 0, sizeof ss);
    memcpy(&ss, ai->ai_addr, ai->ai_addrlen < sizeof ss ? ai->ai_addrlen : sizeof ss);
    sv->loopback = is_loopback((struct sockaddr *)&ss);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);

    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                             MHD_USE_ERROR_LOG | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
                         (uint16_t)port, NULL, NULL, handle, sv, MHD_OPTION_SOCK_ADDR,
                         (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)MAX_CONNECTIONS, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                         (unsigned)PER_ADDRESS, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)20,
                         MHD_OPTION_NOTIFY_CONNECTION, notify_conn, sv,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
                         MHD_OPTION_NOTIFY_COMPLETED, completed, sv, MHD_OPTION_UNESCAPE_CALLBACK,
                         unescape, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, sv, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "tillit: serve: cannot listen on %s port %ld (%s); try another --port\n",
                host, port, errno ? strerror(errno) : "in use?");
        rc = 3;
        goto out;
    }
    {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        sv->port = info && info->port ? info->port : (unsigned)port;
    }
    srv_hosts_init(&sv->hosts, host, sv->port, sv->loopback);
    for (int i = 0; i < nallow; i++)
        srv_hosts_add(&sv->hosts, allow[i]);
    report_dirs(sv, stderr);
    print_urls(sv, host, (struct sockaddr *)&ss);

    {
        double last = srv_now();
        while (!stop_flag) {
            struct timespec ts = {0, 200 * 1000 * 1000};
            nanosleep(&ts, NULL);
            {
                int n = srv_conns_sweep(&sv->conns, srv_now());
                if (n && sv->verbose)
                    fprintf(stderr, "tillit serve: %d slow connection%s closed\n", n,
                            n == 1 ? "" : "s");
            }
            if (srv_now() - last > 10) {
                int n = srv_table_expire(&sv->table, srv_now());
                if (n && sv->verbose)
                    fprintf(stderr, "tillit serve: %d idle session%s dropped\n", n,
                            n == 1 ? "" : "s");
                last = srv_now();
            }
        }
    }
    fprintf(stderr, "tillit serve: stopping\n");
    srv_classes_stop(&sv->classes); /* the followers' streams end */
    MHD_stop_daemon(d);
    d = NULL;
out:
    if (ai)
        freeaddrinfo(ai);
    if (d)
        MHD_stop_daemon(d);
    if (sv) {
        if (table_ok)
            srv_table_clear(&sv->table);
        srv_lessons_free(&sv->lessons);
        srv_api_free(sv);
        if (workers_ok)
            srv_workers_free(&sv->workers);
        if (conns_ok)
            srv_conns_free(&sv->conns);
        if (classes_ok)
            srv_classes_free(&sv->classes);
        free(sv);
    }
    return rc;
}
