/* design_out.c — a scenario's design as text before anything runs: each point's values printed by
 * `tillit check` and `sweep --dry-run`, and written as CSV (--design-csv FILE). The columns are the
 * design variables when the scenario recorded a design, else the parameters that vary. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tillit/params.h"

void tl_fmt_num(char *buf, size_t n, double v)
{
    /* the shortest of %.15g .. %.17g that reads back as v: 0.6, not 0.59999999999999998 */
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

int tl_design_ncols(const tl_scenario *sc)
{
    return sc->ndesign > 0 ? sc->ndesign : sc->nvaried;
}

const char *tl_design_col_name(const tl_scenario *sc, int j)
{
    return sc->ndesign > 0 ? sc->design_names[j] : tl_param_info_at(sc->varied[j])->name;
}

double tl_design_col_value(const tl_scenario *sc, int point, int j)
{
    if (sc->ndesign > 0)
        return sc->design_values[(size_t)point * (size_t)sc->ndesign + (size_t)j];
    tl_point buf;
    return tl_params_get(&tl_scenario_point(sc, point, &buf)->params, sc->varied[j]);
}

void tl_design_print(FILE *out, const tl_scenario *sc, int max_rows)
{
    int nc = tl_design_ncols(sc);
    for (int k = 0; k < sc->npoints && k < max_rows; k++) {
        tl_point buf;
        const tl_point *pt = tl_scenario_point(sc, k, &buf);
        fprintf(out, "  point %-4d %s", k, pt->label);
        for (int j = 0; j < nc; j++) {
            char b[40];
            tl_fmt_num(b, sizeof b, tl_design_col_value(sc, k, j));
            fprintf(out, "%s%s=%s", j ? ", " : "  ", tl_design_col_name(sc, j), b);
        }
        fprintf(out, " (%d steps%s)\n", (int)pt->params.steps,
                pt->sched.n ? ", scheduled changes" : "");
    }
    if (sc->npoints > max_rows)
        fprintf(out, "  ... and %d more points (all of them: --design-csv FILE)\n",
                sc->npoints - max_rows);
}

void tl_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int tl_design_write_csv(const char *path, const tl_scenario *sc, int force)
{
    FILE *f = NULL;
    int nc = tl_design_ncols(sc), rc = TL_EXIT_IO, to_stdout = !strcmp(path, "-");
    if (to_stdout) {
        f = stdout;
    } else {
        if (!force && (f = fopen(path, "rb"))) {
            fclose(f);
            tl_cli_error("--design-csv %s: the file exists; use --force to replace it", path);
            return TL_EXIT_USAGE;
        }
        errno = 0;
        if (!(f = fopen(path, "w"))) {
            tl_cli_error("--design-csv %s: cannot write: %s", path, strerror(errno));
            return TL_EXIT_IO;
        }
    }
    fputs("point,label", f);
    if (sc->design_block)
        fputs(",design_block,design_row", f);
    for (int j = 0; j < nc; j++) {
        fputc(',', f);
        tl_csv_field(f, tl_design_col_name(sc, j));
    }
    fputs(",steps\n", f);
    for (int k = 0; k < sc->npoints; k++) {
        tl_point buf;
        const tl_point *pt = tl_scenario_point(sc, k, &buf);
        fprintf(f, "%d,", k);
        tl_csv_field(f, pt->label);
        if (sc->design_block)
            fprintf(f, ",%d,%d", sc->design_block[k], sc->design_row ? sc->design_row[k] : 0);
        for (int j = 0; j < nc; j++) {
            char b[40];
            tl_fmt_num(b, sizeof b, tl_design_col_value(sc, k, j));
            fprintf(f, ",%s", b);
        }
        fprintf(f, ",%d\n", (int)pt->params.steps);
    }
    if (fflush(f) != 0 || ferror(f)) {
        tl_cli_error("--design-csv %s: write error", path);
        goto out;
    }
    rc = TL_EXIT_OK;
out:
    if (!to_stdout && fclose(f) != 0 && rc == TL_EXIT_OK) {
        tl_cli_error("--design-csv %s: write error", path);
        rc = TL_EXIT_IO;
    }
    return rc;
}
