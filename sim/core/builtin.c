/* builtin.c — the scenarios built into the program. */
#include "tillit/builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tillit/presets.h"

static tl_status add_preset_point(tl_scenario *sc, const char *preset, const char *label,
                                  const char *extra, tl_error *err)
{
    tl_point pt;
    tl_status st;
    memset(&pt, 0, sizeof pt);
    snprintf(pt.label, sizeof pt.label, "%s", label ? label : preset);
    if ((st = tl_preset_apply(preset, &pt.params, err)) != TL_OK)
        return st;
    if (extra && (st = tl_params_apply_settings(&pt.params, extra, err)) != TL_OK)
        return st;
    return tl_scenario_add_point(sc, &pt, err);
}

static tl_status set_description(tl_scenario *sc, const char *text, tl_error *err)
{
    free(sc->description);
    sc->description = malloc(strlen(text) + 1);
    if (!sc->description)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    strcpy(sc->description, text);
    return TL_OK;
}

static tl_status build_default(tl_scenario *sc, tl_error *err)
{
    static const char *const p[] = {"control-based", "balanced", "trust-based"};
    tl_status st = TL_OK;
    sc->replicates = 10;
    for (int k = 0; k < 3 && st == TL_OK; k++)
        st = add_preset_point(sc, p[k], NULL, NULL, err);
    if (st == TL_OK)
        st = set_description(sc, "The source's two columns and its recommendation side by side: "
                                 "control-based, balanced and trust-based steering of a mid-sized "
                                 "organisation (8 units, 200 employees, 10,000 citizens) for ten "
                                 "years, 10 replicates each.",
                             err);
    return st;
}

static tl_status build_presets(tl_scenario *sc, tl_error *err)
{
    static const char *const p[] = {"control-based", "balanced", "trust-based",
                                    "naive-trust",   "zero-tolerance", "targeted-grants"};
    tl_status st = TL_OK;
    sc->replicates = 20;
    for (int k = 0; k < 6 && st == TL_OK; k++)
        st = add_preset_point(sc, p[k], NULL, NULL, err);
    if (st == TL_OK)
        st = set_description(sc, "Every regime preset, 20 replicates each.", err);
    return st;
}

/* the knowledge metrics the March docking scenarios record */
#define TL_MARCH_RECORD "code_knowledge code_knowledge_share staff_knowledge"

/* The end of a March scenario's build: its description and, unless NULL,
 * the metrics it records (after st, the status of the build so far). */
static tl_status finish_march(tl_scenario *sc, tl_status st, const char *text, const char *record,
                              tl_error *err)
{
    if (st == TL_OK)
        st = set_description(sc, text, err);
    if (st == TL_OK && record)
        st = tl_scenario_set_record(sc, record, err);
    return st;
}

static tl_status build_march(tl_scenario *sc, tl_error *err)
{
    static const double p2s[] = {0.1, 0.5, 0.9};
    tl_status st = TL_OK;
    /* March averaged 80 runs per point; at 80, noise alone puts about 7 % of
     * cells outside +-0.02 of a reference. 500 runs make +-0.02 a bound that
     * means something (standard error about 0.004 or less). */
    sc->replicates = 500;
    for (int a = 1; a <= 9 && st == TL_OK; a++)
        for (int b = 0; b < 3 && st == TL_OK; b++) {
            char label[64], extra[128];
            snprintf(label, sizeof label, "p1=%.1f p2=%.1f", a / 10.0, p2s[b]);
            snprintf(extra, sizeof extra, "socialisation_rate=%.1f code_learning_rate=%.1f", a / 10.0,
                     p2s[b]);
            st = add_preset_point(sc, "march1991", label, extra, err);
        }
    /* 13,500 runs of every metric would be gigabytes; the docking needs these */
    return finish_march(sc, st,
                        "March (1991), figure 1: equilibrium code knowledge for socialisation rate "
                        "p1 = 0.1..0.9 and code learning rate p2 = 0.1, 0.5, 0.9; m = 30, n = 50, no "
                        "turnover or turbulence, 500 runs per point (March used 80), 500 periods "
                        "(equilibrium is reached well before). Records the knowledge metrics only.",
                        TL_MARCH_RECORD, err);
}

static tl_status build_march_turnover(tl_scenario *sc, tl_error *err)
{
    static const double p3s[] = {0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0};
    tl_status st = TL_OK;
    sc->replicates = 80;
    for (int a = 0; a < 2 && st == TL_OK; a++)
        for (int b = 0; b < 9 && st == TL_OK; b++) {
            double p1 = a ? 0.9 : 0.1;
            char label[64], extra[160];
            snprintf(label, sizeof label, "p1=%.1f p3=%.2f", p1, p3s[b]);
            snprintf(extra, sizeof extra,
                     "socialisation_rate=%.1f code_learning_rate=0.5 quit_base=%.2f steps=20", p1,
                     p3s[b]);
            st = add_preset_point(sc, "march1991", label, extra, err);
        }
    return finish_march(sc, st,
                        "March (1991), turnover: code knowledge after 20 periods for slow (p1 = 0.1) "
                        "and fast (p1 = 0.9) socialisation, p2 = 0.5, turnover p3 = 0..1 per period.",
                        NULL, err);
}

static tl_status build_march_turbulence(tl_scenario *sc, tl_error *err)
{
    tl_status st = TL_OK;
    sc->replicates = 80;
    for (int b = 0; b < 2 && st == TL_OK; b++) {
        char label[64], extra[160];
        snprintf(label, sizeof label, "p3=%.1f", b ? 0.1 : 0.0);
        snprintf(extra, sizeof extra,
                 "socialisation_rate=0.5 code_learning_rate=0.5 turbulence=0.02 quit_base=%.1f "
                 "steps=200",
                 b ? 0.1 : 0.0);
        st = add_preset_point(sc, "march1991", label, extra, err);
    }
    return finish_march(sc, st,
                        "March (1991), turbulence: code knowledge over 200 periods with p1 = p2 = 0.5 "
                        "and turbulence p4 = 0.02, without and with turnover (p3 = 0.1).",
                        NULL, err);
}

static tl_status build_march_mixed(tl_scenario *sc, tl_error *err)
{
    tl_status st = TL_OK;
    sc->replicates = 500;
    for (int f = 0; f <= 50 && st == TL_OK; f += 5) {
        char label[64], extra[160];
        snprintf(label, sizeof label, "fast=%d", f);
        snprintf(extra, sizeof extra,
                 "fast_learner_share=%.2f socialisation_rate=0.1 socialisation_rate_fast=0.9 "
                 "code_learning_rate=0.5",
                 f / 50.0);
        st = add_preset_point(sc, "march1991", label, extra, err);
    }
    return finish_march(sc, st,
                        "March (1991), figures 2 and 3: 0, 5, ..., 50 fast learners (p1 = 0.9) among "
                        "50, the others slow (p1 = 0.1), p2 = 0.5; m = 30, 500 runs per point, 500 "
                        "periods. Figure 2 is code knowledge at the end (equilibrium), figure 3 the "
                        "fast and slow learners' knowledge at period 20. Records the knowledge "
                        "metrics only.",
                        TL_MARCH_RECORD " knowledge_fast knowledge_slow", err);
}

typedef struct {
    tl_builtin_info info;
    tl_status (*build)(tl_scenario *, tl_error *);
} builtin;

static const builtin builtins[] = {
    {{"default", "control-based vs balanced vs trust-based, 10 replicates (what `tillit run` runs)"},
     build_default},
    {{"presets", "every regime preset, 20 replicates"}, build_presets},
    {{"march1991", "March (1991) figure 1: p1 x p2 grid to equilibrium, 500 runs per point"},
     build_march},
    {{"march1991-turnover", "March (1991): turnover p3 at slow and fast socialisation, period 20"},
     build_march_turnover},
    {{"march1991-turbulence", "March (1991): turbulence p4 = 0.02 with and without turnover"},
     build_march_turbulence},
    {{"march1991-mixed", "March (1991) figures 2 and 3: 0..50 fast learners (p1 0.9) among slow (0.1)"},
     build_march_mixed},
};

#define NBUILTIN ((int)(sizeof builtins / sizeof builtins[0]))

int tl_builtin_count(void) { return NBUILTIN; }

const tl_builtin_info *tl_builtin_at(int i) { return i >= 0 && i < NBUILTIN ? &builtins[i].info : NULL; }

tl_status tl_builtin_load(const char *name, tl_scenario *sc, tl_error *err)
{
    tl_status st;
    for (int i = 0; i < NBUILTIN; i++)
        if (strcmp(builtins[i].info.name, name) == 0) {
            snprintf(sc->name, sizeof sc->name, "%s", name);
            if ((st = builtins[i].build(sc, err)) != TL_OK)
                return st;
            return tl_scenario_finalise(sc, err);
        }
    const char *names[NBUILTIN];
    for (int i = 0; i < NBUILTIN; i++)
        names[i] = builtins[i].info.name;
    const char *sug = tl_text_suggest(name, names, NBUILTIN);
    if (sug)
        return tl_error_set(err, TL_ERR_UNKNOWN_KEY,
                            "unknown scenario '%s' (did you mean '%s'?)", name, sug);
    return tl_error_set(err, TL_ERR_UNKNOWN_KEY,
                        "'%s' is neither a scenario file nor a built-in scenario "
                        "(`tillit scenarios` lists those)",
                        name);
}

tl_status tl_scenario_from_preset(const char *preset, tl_scenario *sc, tl_error *err)
{
    const tl_preset_info *pr = tl_preset_find(preset);
    tl_status st;
    snprintf(sc->name, sizeof sc->name, "%s", preset);
    if ((st = add_preset_point(sc, preset, NULL, NULL, err)) != TL_OK)
        return st;
    return set_description(sc, pr ? pr->summary : preset, err);
}
