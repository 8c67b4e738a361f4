/* tillit/scenario_yaml.h — scenario files: YAML in, one validated tl_scenario out, errors with file:line:column. */
#ifndef TILLIT_SCENARIO_YAML_H
#define TILLIT_SCENARIO_YAML_H

#include "tillit/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Load and validate the scenario file at path into sc (initialised by the
 * caller; finalised on success). Errors: TL_ERR_IO (missing/unreadable),
 * TL_ERR_PARSE (malformed YAML), TL_ERR_UNKNOWN_KEY (with "did you mean"),
 * TL_ERR_TYPE, TL_ERR_RANGE, TL_ERR_CONFLICT; the message starts with
 * "path:line:column: " and names the key, the value and what is allowed. */
tl_status tl_scenario_load_yaml(const char *path, tl_scenario *sc, tl_error *err);

/* The same from text in memory; name is used in messages in place of a path. */
tl_status tl_scenario_parse_yaml(const char *text, size_t len, const char *name, tl_scenario *sc,
                                 tl_error *err);

#ifdef __cplusplus
}
#endif
#endif
