/* progress.c — progress of long work: a bar with ETA on a terminal, JSON lines for batch systems. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"

int tl_progress_parse(const char *s, tl_progress_mode *out)
{
    if (strcmp(s, "auto") == 0)
        *out = TL_PROGRESS_AUTO;
    else if (strcmp(s, "none") == 0)
        *out = TL_PROGRESS_NONE;
    else if (strcmp(s, "bar") == 0)
        *out = TL_PROGRESS_BAR;
    else if (strcmp(s, "json") == 0)
        *out = TL_PROGRESS_JSON;
    else
        return -1;
    return 0;
}

void tl_json_str(FILE *out, const char *s)
{
    /* the classroom's JSON writer: one set of escaping rules */
    srv_buf b;
    char *t;
    srv_buf_init(&b);
    srv_buf_str(&b, s);
    t = srv_buf_take(&b, NULL);
    fputs(t ? t : "\"\"", out);
    free(t);
}

void tl_progress_init(tl_progress_state *ps, tl_progress_mode mode)
{
    ps->out = stderr;
    ps->drawn = 0;
    if (mode == TL_PROGRESS_AUTO)
        mode = isatty(fileno(stderr)) ? TL_PROGRESS_BAR : TL_PROGRESS_NONE;
    ps->mode = mode;
}

static void fmt_time(char *buf, size_t n, double s)
{
    if (s < 0 || s != s) {
        snprintf(buf, n, "--:--");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

void tl_progress_report(void *ctx, const tl_progress *p)
{
    tl_progress_state *ps = ctx;
    long todo = p->runs_total - p->runs_skipped;
    double frac = todo > 0 ? (double)p->runs_done / todo : 1;
    double eta = p->runs_done > 0 ? p->elapsed * (todo - p->runs_done) / p->runs_done : -1;
    if (ps->mode == TL_PROGRESS_JSON) {
        fprintf(ps->out,
                "{\"event\":\"progress\",\"runs_done\":%ld,\"runs_total\":%ld,\"runs_skipped\":%ld,"
                "\"runs_failed\":%ld,\"elapsed_s\":%.3f,\"eta_s\":%.3f,\"write_s\":%.3f,"
                "\"writer_wait_s\":%.3f}\n",
                p->runs_done, p->runs_total, p->runs_skipped, p->runs_failed, p->elapsed,
                eta < 0 ? -1.0 : eta, p->write_seconds, p->writer_wait_seconds);
        fflush(ps->out);
    } else if (ps->mode == TL_PROGRESS_BAR) {
        char el[32], et[32], bar[41];
        int w = (int)(frac * 40 + 0.5);
        for (int i = 0; i < 40; i++)
            bar[i] = i < w ? '#' : '.';
        bar[40] = 0;
        fmt_time(el, sizeof el, p->elapsed);
        fmt_time(et, sizeof et, eta);
        fprintf(ps->out, "\r[%s] %3.0f%%  %ld/%ld runs%s  %s elapsed, ETA %s  ", bar, 100 * frac,
                p->runs_done, todo, p->runs_failed ? " (some failed)" : "", el, et);
        fflush(ps->out);
        ps->drawn = 1;
    }
}

void tl_progress_finish(tl_progress_state *ps)
{
    if (ps->mode == TL_PROGRESS_BAR && ps->drawn) {
        fputc('\n', ps->out);
        ps->drawn = 0;
    }
}
