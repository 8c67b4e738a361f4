/* record.c — which metrics a scenario's output file stores (`output: {metrics: [...]}`,
 * `--record`): validated against the metric table, kept in table order; and which
 * steps of the time series (`output: {every: K}`, `--record-every`). */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tillit/metrics.h"
#include "tillit/scenario.h"

tl_status tl_scenario_set_record(tl_scenario *sc, const char *names, tl_error *err)
{
    unsigned char *want = calloc(TL_NMETRICS, 1);
    const char *cands[TL_NMETRICS];
    char *copy = NULL, *save = NULL, *out = NULL;
    size_t len = 0;
    int n = 0;
    tl_status st = TL_OK;
    if (!want || !names || !(copy = strdup(names))) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (int m = 0; m < TL_NMETRICS; m++)
        cands[m] = tl_metric_info_at(m)->name;
    for (char *tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
        int m = tl_metric_index(tok);
        if (m < 0) {
            const char *s = tl_text_suggest(tok, cands, TL_NMETRICS);
            st = tl_error_set(err, TL_ERR_UNKNOWN_KEY,
                              "no metric '%s' to record%s%s%s (`tillit metrics` lists them)", tok,
                              s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
            goto out;
        }
        n += !want[m];
        want[m] = 1;
    }
    if (n == 0) {
        st = tl_error_set(err, TL_ERR_RANGE, "no metrics to record: name at least one");
        goto out;
    }
    for (int m = 0; m < TL_NMETRICS; m++)
        if (want[m])
            len += strlen(cands[m]) + 1;
    if (!(out = malloc(len + 1))) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    out[0] = 0;
    for (int m = 0, k = 0; m < TL_NMETRICS; m++)
        if (want[m]) {
            if (k++)
                strcat(out, " ");
            strcat(out, cands[m]);
        }
    free(sc->record_metrics);
    sc->record_metrics = n == TL_NMETRICS ? NULL : out; /* all of them: the default */
    if (n == TL_NMETRICS)
        free(out);
out:
    free(want);
    free(copy);
    return st;
}

int tl_scenario_records(const tl_scenario *sc, int m)
{
    const char *s, *name;
    size_t n;
    if (!sc->record_metrics)
        return 1;
    if (m < 0 || m >= TL_NMETRICS)
        return 0;
    name = tl_metric_info_at(m)->name;
    n = strlen(name);
    for (s = sc->record_metrics; (s = strstr(s, name)); s += n)
        if ((s == sc->record_metrics || s[-1] == ' ') && (s[n] == ' ' || s[n] == 0))
            return 1;
    return 0;
}

int tl_scenario_nrecorded(const tl_scenario *sc)
{
    int n = 0;
    for (int m = 0; m < TL_NMETRICS; m++)
        n += tl_scenario_records(sc, m);
    return n;
}

int tl_record_nsteps(int T, int K)
{
    if (K < 1)
        K = 1;
    return T < 1 ? 0 : (T - 1) / K + 1;
}

int tl_record_step(int T, int K, int i)
{
    long s;
    if (K < 1)
        K = 1;
    s = ((long)i + 1) * K;
    return s < T ? (int)s : T;
}
