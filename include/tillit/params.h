/* tillit/params.h — the parameter set of one simulation, generated from param_list.h. */
#ifndef TILLIT_PARAMS_H
#define TILLIT_PARAMS_H

#include "tillit/param_list.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* All parameters of one run, one double each (INT ones hold whole numbers).
 * Fields are named as in the table: p->control_intensity. */
typedef struct tl_params {
#define TL_X_FIELD(name, ...) double name;
    TL_PARAM_LIST(TL_X_FIELD)
#undef TL_X_FIELD
} tl_params;

/* Index of every parameter: TL_PARAM_IDX_<name>. */
enum {
#define TL_X_IDX(name, ...) TL_PARAM_IDX_##name,
    TL_PARAM_LIST(TL_X_IDX)
#undef TL_X_IDX
        TL_NPARAMS
};

typedef enum { TL_PTYPE_REAL, TL_PTYPE_INT } tl_ptype;

enum {
    TL_PF_LEVER = 1u << 0,  /* a steering lever: schedulable, a slider */
    TL_PF_SCHED = 1u << 1,  /* schedulable, not a lever */
    TL_PF_STRUCT = 1u << 2, /* sizes the model: fixed during a run */
};

typedef struct tl_param_info {
    const char *name;
    tl_ptype type;
    double def, min, max;
    const char *unit;
    const char *group;
    const char *part; /* governance | culture | work | "" */
    unsigned flags;
    const char *principle;
    const char *desc;
    const char *source;
    size_t offset; /* of the field in tl_params */
} tl_param_info;

/* The labels of a parameter (param_labels.h): English and Swedish labels and
 * the Swedish description (the English one is tl_param_info.desc). */
typedef struct tl_param_label {
    const char *en, *sv, *desc_sv;
} tl_param_label;

/* The table, TL_NPARAMS rows, in declaration order. */
const tl_param_info *tl_param_table(void);
/* Labels of row i, or NULL when out of range. */
const tl_param_label *tl_param_label_at(int i);
/* Row i, or NULL when out of range. */
const tl_param_info *tl_param_info_at(int i);
/* Index of the parameter called name, or -1. */
int tl_param_index(const char *name);
/* The known parameter name closest to name (for "did you mean"), or NULL
 * when nothing is close. */
const char *tl_param_suggest(const char *name);
/* True when parameter i may change during a run (LEVER or SCHED). */
int tl_param_schedulable(int i);

/* Fill p with the table defaults. */
void tl_params_default(tl_params *p);
double tl_params_get(const tl_params *p, int i);
void tl_params_set_raw(tl_params *p, int i, double v);

/* Check value v for parameter i (type, range). On failure writes a message
 * naming the parameter, the value and what is allowed. */
tl_status tl_param_check(int i, double v, tl_error *err);
/* Set parameter name to v after checking it. */
tl_status tl_params_set(tl_params *p, const char *name, double v, tl_error *err);
/* Parse text (a number; INT parameters need a whole number) and set. */
tl_status tl_params_set_str(tl_params *p, const char *name, const char *text, tl_error *err);
/* Check every parameter and the relations between them (e.g. no more
 * units than employees). */
tl_status tl_params_validate(const tl_params *p, tl_error *err);

#ifdef __cplusplus
}
#endif
#endif
