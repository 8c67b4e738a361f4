/* tillit/presets.h — named regimes from the source (control-based, trust-based, balanced, ...). */
#ifndef TILLIT_PRESETS_H
#define TILLIT_PRESETS_H

#include "tillit/params.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_preset_info {
    const char *name;
    const char *summary;    /* one line */
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
