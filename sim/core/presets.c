/* presets.c — the named regimes: each a list of lever settings over the table defaults. */
#include "tillit/presets.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

/* Every regime preset sets all sixteen levers, so that a preset means the
 * same whatever the table defaults are. */
static const tl_preset_info presets[] = {
    {"control-based", "Steering by control: the left column of the source's table.",
     "Table 'control-based': steering designed centrally from the need for control; narrow "
     "personal responsibility; focus upward; control, delimited responsibility and formalisation; "
     "follow-up at a distance by measurement with a focus on deviations; compliance with the line "
     "of decision. Many targeted grants and little trust from above.",
     "baseline_trust=0.3 mandate=0.2 control_intensity=0.5 control_selectivity=0 control_mode=0.1 "
     "error_tolerance=0.3 firmness=0.9 support=0.3 knowledge=0.2 openness=0.3 holistic_view=0.2 "
     "citizen_focus=0.2 rule_frame=0.9 co_creation=0.1 targeted_grants=0.6 trust_from_above=0.3"},
    {"trust-based", "Steering by trust: the right column of the source's table, without its reservations.",
     "Table 'trust-based': steering co-created in dialogue; broad shared responsibility; focus "
     "downward on the core operation; holistic view, learning and collaboration; close dialogue "
     "follow-up; collegial learning. Little control, a loose rule frame, moderate firmness.",
     "baseline_trust=0.85 mandate=0.85 control_intensity=0.05 control_selectivity=0.5 "
     "control_mode=0.9 error_tolerance=1 firmness=0.6 support=0.7 knowledge=0.7 openness=0.85 "
     "holistic_view=0.85 citizen_focus=0.85 rule_frame=0.4 co_creation=0.85 targeted_grants=0.1 "
     "trust_from_above=0.85"},
    {"balanced", "Trust with selective, dialogue-based control, firmness and a rule frame: the source's recommendation (the table defaults).",
     "The seven principles with all five reservations: clear frames for equal treatment (1); "
     "minor errors used for learning, serious problems acted on (2); continued control, but "
     "selective, qualitative and in dialogue (3); trust along the whole chain (4); order in "
     "economy and quality alongside trust (5).",
     "baseline_trust=0.7 mandate=0.7 control_intensity=0.15 control_selectivity=0.8 "
     "control_mode=0.8 error_tolerance=1 firmness=0.9 support=0.6 knowledge=0.6 openness=0.7 "
     "holistic_view=0.7 citizen_focus=0.7 rule_frame=0.8 co_creation=0.7 targeted_grants=0.2 "
     "trust_from_above=0.7"},
    {"naive-trust", "Trust without control, firmness or rule frame: what the reservations warn against.",
     "Reservation 3 ('trust means continuing to control') and reservation 2 ('act on serious "
     "problems') ignored: no audits, every error tolerated, no rule frame (reservation 1); full"
     " trust from above, so no control cascades down either.",
     "baseline_trust=1 mandate=0.9 control_intensity=0 control_selectivity=0 control_mode=0.9 "
     "error_tolerance=1 firmness=0 support=0.6 knowledge=0.6 openness=0.8 holistic_view=0.8 "
     "citizen_focus=0.8 rule_frame=0 co_creation=0.8 targeted_grants=0 trust_from_above=1"},
    {"zero-tolerance", "Balanced, except that every known error is sanctioned.",
     "The opposite of reservation 2's 'overlook minor mistakes': minor errors are punished "
     "instead of used for learning (serious problems are still acted on).",
     "baseline_trust=0.7 mandate=0.7 control_intensity=0.15 control_selectivity=0.8 "
     "control_mode=0.8 error_tolerance=0 firmness=0.9 support=0.6 knowledge=0.6 openness=0.7 "
     "holistic_view=0.7 citizen_focus=0.7 rule_frame=0.8 co_creation=0.7 targeted_grants=0.2 "
     "trust_from_above=0.7"},
    {"targeted-grants", "Balanced inside, but steered from above by targeted grants and little trust.",
     "The source's paragraph on state steering: more targeted state grants instead of general "
     "grants, with reporting, hamper local development; control cascades down the chain "
     "(reservation 4: trust is a responsibility of every part of the chain).",
     "baseline_trust=0.7 mandate=0.7 control_intensity=0.15 control_selectivity=0.8 "
     "control_mode=0.8 error_tolerance=1 firmness=0.9 support=0.6 knowledge=0.6 openness=0.7 "
     "holistic_view=0.7 citizen_focus=0.7 rule_frame=0.8 co_creation=0.7 targeted_grants=0.9 "
     "trust_from_above=0.3"},
    {"march1991", "March's (1991) mutual-learning set-up: one unit of 50, m = 30, no strain-driven turnover.",
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

tl_status tl_preset_apply(const char *name, tl_params *p, tl_error *err)
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
    tl_params_default(p);
    return tl_params_apply_settings(p, pr->settings, err);
}
