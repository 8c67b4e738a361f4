/* presets.c — the named regimes: each a list of lever settings over the table defaults. */
#include "tillit/presets.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

/* One row per preset: name, label_en, label_sv, summary, summary_sv,
 * represents, settings (include/tillit/presets.h). Regime presets set all
 * sixteen levers, so that a preset means the same whatever the table
 * defaults are. The principles (trust, mandate, support,
 * knowledge, openness, holistic view, citizen focus, co-creation) are the
 * same in balanced and trust-based, which differ only in the reservations
 * (control, firmness, rule frame), so a comparison of them isolates what the
 * source's reservations do; naive-trust also sets full trust as a starting
 * point and from above, and no targeted grants. Context presets set the task
 * environment only (no lever) and combine with a regime: "home-care+balanced". */
#define TL_PRINCIPLES "baseline_trust=0.7 mandate=0.7 support=0.6 knowledge=0.6 openness=0.7 " \
                      "holistic_view=0.7 citizen_focus=0.7 co_creation=0.7 "
static const tl_preset_info presets[] = {
    {"control-based", "Control-based", "Kontrollbaserad",
     "Steering by control: the left column of the source's table.",
     "Styrning genom kontroll: vänsterkolumnen i källans tabell.",
     "Table 'control-based': steering designed centrally from the need for control; narrow "
     "personal responsibility; focus upward; control, delimited responsibility and formalisation; "
     "follow-up at a distance by measurement with a focus on deviations; compliance with the line "
     "of decision. Many targeted grants and little trust from above.",
     "baseline_trust=0.3 mandate=0.2 control_intensity=0.3 control_selectivity=0 control_mode=0.1 "
     "error_tolerance=0.3 firmness=0.9 support=0.3 knowledge=0.2 openness=0.3 holistic_view=0.2 "
     "citizen_focus=0.2 rule_frame=0.9 co_creation=0.1 targeted_grants=0.6 trust_from_above=0.3"},
    {"trust-based", "Trust-based", "Tillitsbaserad",
     "The principles without the reservations: little control, moderate firmness, a loose rule frame.",
     "Principerna utan reservationerna: lite kontroll, måttlig handfasthet, en lös regelram.",
     "Table 'trust-based' (co-created steering, shared responsibility, focus on the core operation, "
     "learning, dialogue) taken without reservations 1-3: the same principles as balanced, but "
     "control nearly dropped ('trust means continuing to control' ignored), serious problems acted "
     "on only half the time, and a loose rule frame ('trust is not optional work' ignored).",
     TL_PRINCIPLES "control_intensity=0.05 control_selectivity=0.5 control_mode=0.9 "
     "error_tolerance=1 firmness=0.5 rule_frame=0.3 targeted_grants=0.2 trust_from_above=0.7"},
    {"balanced", "Balanced", "Balanserad",
     "The principles with all reservations: the source's recommendation (the table defaults).",
     "Principerna med alla reservationer: källans rekommendation (tabellens standardvärden).",
     "The seven principles with all five reservations: clear frames for equal treatment (1); "
     "minor errors used for learning, serious problems acted on (2); continued control, but "
     "selective, qualitative and in dialogue (3); trust along the whole chain (4); order in "
     "economy and quality alongside trust (5): 'both order ... control of economy and quality, "
     "and trust'.",
     TL_PRINCIPLES "control_intensity=0.15 control_selectivity=0.8 control_mode=0.8 "
     "error_tolerance=1 firmness=0.9 rule_frame=0.8 targeted_grants=0.2 trust_from_above=0.7"},
    {"naive-trust", "Naive trust", "Naiv tillit",
     "The principles with no control, no firmness and no rule frame: what the reservations warn against.",
     "Principerna utan kontroll, handfasthet eller regelram: det som reservationerna varnar för.",
     "Reservation 3 ('trust means continuing to control') and reservation 2 ('act on serious "
     "problems') ignored: no audits, every error tolerated, no rule frame (reservation 1); full "
     "trust as a starting point and from above, so no control cascades down either.",
     "baseline_trust=1 mandate=0.7 support=0.6 knowledge=0.6 openness=0.7 holistic_view=0.7 "
     "citizen_focus=0.7 co_creation=0.7 control_intensity=0 control_selectivity=0 control_mode=0.9 "
     "error_tolerance=1 firmness=0 rule_frame=0 targeted_grants=0 trust_from_above=1"},
    {"zero-tolerance", "Zero tolerance", "Nolltolerans",
     "Balanced, except that every known error is sanctioned.",
     "Balanserad, men varje känt fel bestraffas.",
     "The opposite of reservation 2's 'overlook minor mistakes': minor errors are punished "
     "instead of used for learning (serious problems are still acted on).",
     TL_PRINCIPLES "control_intensity=0.15 control_selectivity=0.8 control_mode=0.8 "
     "error_tolerance=0 firmness=0.9 rule_frame=0.8 targeted_grants=0.2 trust_from_above=0.7"},
    {"targeted-grants", "Targeted grants", "Riktade statsbidrag",
     "Balanced inside, but steered from above by targeted grants and little trust.",
     "Balanserad inifrån, men styrd uppifrån med riktade statsbidrag och låg tillit.",
     "The source's paragraph on state steering: more targeted state grants instead of general "
     "grants, with reporting, hamper local development; control cascades down the chain "
     "(reservation 4: trust is a responsibility of every part of the chain).",
     TL_PRINCIPLES "control_intensity=0.15 control_selectivity=0.8 control_mode=0.8 "
     "error_tolerance=1 firmness=0.9 rule_frame=0.8 targeted_grants=0.9 trust_from_above=0.3"},
    {"benefits", "Benefit decisions", "Förmånsbeslut",
     "Context: standardised, high-severity authority work (e.g. benefit decisions).",
     "Sammanhang: standardiserat myndighetsarbete där fel väger tungt (t.ex. beslut om förmåner).",
     "Not a regime: a task environment (combine with one, e.g. benefits+balanced). Mostly standard "
     "cases decided by rules, where an error wrongs a citizen's rights or money: low complexity, "
     "high severity, much legal record keeping, little collaboration. The literature on "
     "screen-level bureaucracy (Bovens & Zouridis 2002) and on targets (Bevan & Hood 2006) "
     "suggests control and rules pay most here.",
     "complexity_mean=0.15 severity_mean=0.55 multi_unit_share=0.1 case_hours=2 "
     "complexity_hours=1 doc_base_hours=1 need_rate=0.13 voice_gap=0.2"},
    {"home-care", "Home care", "Hemtjänst",
     "Context: complex relational care at home (e.g. municipal home care).",
     "Sammanhang: komplex, relationsnära omsorg i hemmet (t.ex. kommunal hemtjänst).",
     "Not a regime: a task environment (combine with one, e.g. home-care+trust-based). Needs vary "
     "from person to person and change; most errors are minor; care often spans health care and "
     "social services. The Swedish trust delegation's pilots in home care (SOU 2018:47) motivate "
     "trust and room for action here.",
     "complexity_mean=0.45 severity_mean=0.2 multi_unit_share=0.6 case_hours=3 "
     "complexity_hours=1.5 doc_base_hours=0.6 need_rate=0.085 voice_gap=0.4"},
    {"child-protection", "Child protection", "Barnavård",
     "Context: child-protection investigations (complex and severe).",
     "Sammanhang: barnavårdsutredningar (komplexa och allvarliga).",
     "Not a regime: a task environment (combine with one). Complex, individual cases where errors "
     "can be grave and several agencies are involved. The Munro review of child protection (2011) "
     "argues that a compliance culture crowds out professional judgement, yet errors here are "
     "severe: the case where the trade-off is hardest.",
     "complexity_mean=0.6 severity_mean=0.55 multi_unit_share=0.7 case_hours=6 "
     "complexity_hours=1.5 doc_base_hours=1.5 need_rate=0.035 voice_gap=0.4"},
    {"march1991", "March (1991)", "March (1991)",
     "March's (1991) mutual-learning set-up: one unit of 50, m = 30, no strain-driven turnover.",
     "Marchs (1991) modell för ömsesidigt lärande: en enhet med 50, m = 30, ingen personalomsättning av belastning.",
     "Not a regime: the docking set-up of the knowledge sub-model (mechanism 11). Openness and the "
     "knowledge lever do not damp or scale p1 and p2; only quit_base (March's p3) turns staff over.",
     "units=1 employees=50 citizens=50 knowledge_dims=30 socialisation_rate=0.1 "
     "code_learning_rate=0.5 turbulence=0 quit_base=0 quit_strain=0 openness_damping=0 "
     "knowledge_code_weight=0 firmness=0 steps=500"},
};

#define NPRESETS ((int)(sizeof presets / sizeof presets[0]))

int tl_preset_count(void) { return NPRESETS; }

const tl_preset_info *tl_preset_at(int i) { return i >= 0 && i < NPRESETS ? &presets[i] : NULL; }

const tl_preset_info *tl_preset_find(const char *name)
{
    for (int i = 0; i < NPRESETS; i++)
        if (strcmp(presets[i].name, name) == 0)
            return &presets[i];
    return NULL;
}

tl_status tl_params_apply_settings(tl_params *p, const char *settings, tl_error *err)
{
    const char *s = settings;
    while (*s) {
        char key[128], val[128];
        int n = 0;
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        if (sscanf(s, "%127[^= ]=%127s%n", key, val, &n) != 2)
            return tl_error_set(err, TL_ERR_PARSE, "cannot read setting '%s' (expected key=value)", s);
        tl_status st = tl_params_set_str(p, key, val, err);
        if (st != TL_OK)
            return st;
        s += n;
    }
    return TL_OK;
}

/* One preset's settings over p (no reset). */
static tl_status apply_one(const char *name, tl_params *p, tl_error *err)
{
    const tl_preset_info *pr = tl_preset_find(name);
    if (!pr) {
        const char *names[NPRESETS];
        for (int i = 0; i < NPRESETS; i++)
            names[i] = presets[i].name;
        const char *sug = tl_text_suggest(name, names, NPRESETS);
        if (sug)
            return tl_error_set(err, TL_ERR_UNKNOWN_KEY, "unknown preset '%s' (did you mean '%s'?)",
                                name, sug);
        return tl_error_set(err, TL_ERR_UNKNOWN_KEY,
                            "unknown preset '%s' (`tillit presets` lists them)", name);
    }
    return tl_params_apply_settings(p, pr->settings, err);
}

tl_status tl_preset_apply(const char *name, tl_params *p, tl_error *err)
{
    /* "a+b": the table defaults, then a's settings, then b's (a context and
     * a regime); later names win where both set a parameter */
    char part[128];
    const char *s = name;
    tl_params_default(p);
    for (;;) {
        const char *plus = strchr(s, '+');
        size_t n = plus ? (size_t)(plus - s) : strlen(s);
        if (n == 0 || n >= sizeof part)
            return tl_error_set(err, TL_ERR_UNKNOWN_KEY,
                                "cannot read preset '%s' (names joined by '+', e.g. home-care+balanced)",
                                name);
        memcpy(part, s, n);
        part[n] = 0;
        tl_status st = apply_one(part, p, err);
        if (st != TL_OK)
            return st;
        if (!plus)
            return TL_OK;
        s = plus + 1;
    }
}
