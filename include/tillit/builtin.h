/* tillit/builtin.h — scenarios built into the program (the default comparison, March 1991 docking runs). */
#ifndef TILLIT_BUILTIN_H
#define TILLIT_BUILTIN_H

#include "tillit/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_builtin_info {
    const char *name;
    const char *summary;
} tl_builtin_info;

int tl_builtin_count(void);
const tl_builtin_info *tl_builtin_at(int i);

/* Fill sc (initialised by the caller) with built-in scenario name, finalised.
 * Errors: TL_ERR_UNKNOWN_KEY (with a suggestion), TL_ERR_NOMEM. */
tl_status tl_builtin_load(const char *name, tl_scenario *sc, tl_error *err);

/* A one-point scenario of preset name (R replicates, seed). */
tl_status tl_scenario_from_preset(const char *preset, tl_scenario *sc, tl_error *err);

#ifdef __cplusplus
}
#endif
#endif
