/* tillit/presets.h — named regimes from the source (control-based, trust-based, balanced, ...).
 *
 * The preset table (sim/core/presets.c) is the one place of their names,
 * labels and summaries in English and Swedish: the toolkit (labels.json,
 * written by scripts/gen-docs from `tillit presets --format json`) and the
 * classroom page (/api/presets) read them from there; there is no second copy. */
#ifndef TILLIT_PRESETS_H
#define TILLIT_PRESETS_H

#include "tillit/params.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_preset_info {
    const char *name;
    const char *label_en;   /* what a reader sees: a legend, a button, a table */
    const char *label_sv;
    const char *summary;    /* one line */
    const char *summary_sv; /* the line in Swedish */
    const char *represents; /* what it stands for in the source */
    const char *settings;   /* "key=value ..." applied over the table defaults */
} tl_preset_info;

/* Number of presets and row i (NULL when out of range). */
int tl_preset_count(void);
const tl_preset_info *tl_preset_at(int i);
const tl_preset_info *tl_preset_find(const char *name);

/* Set p to the table defaults with preset name applied.
 * Errors: TL_ERR_UNKNOWN_KEY (with a suggestion). */
tl_status tl_preset_apply(const char *name, tl_params *p, tl_error *err);

/* Apply a "key=value key=value" list over p. Errors as tl_params_set_str. */
tl_status tl_params_apply_settings(tl_params *p, const char *settings, tl_error *err);

#ifdef __cplusplus
}
#endif
#endif
