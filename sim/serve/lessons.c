/* lessons.c — read lesson files: the engine's scenario format (one or two points) plus a `lesson:`
 * mapping with the texts. */
#include "lessons.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "tillit/metrics.h"
#include "tillit/scenario_yaml.h"

#define LESSON_FILE_MAX (256 * 1024)

static const char *const langs[2] = {"sv", "en"};
static const char *const note_kinds[SRV_LESSON_NOTES] = {"expected", "timing", "discuss"};

static void lesson_free(srv_lesson *L)
{
    for (int l = 0; l < 2; l++) {
        free(L->title[l]);
        free(L->text[l]);
        free(L->question[l]);
        for (int k = 0; k < SRV_LESSON_NOTES; k++)
            free(L->notes[k][l]);
        for (int k = 0; k < SRV_MAX_SIDES; k++)
            free(L->side_title[k][l]);
    }
    memset(L, 0, sizeof *L);
}

static const char *scalar(yaml_document_t *doc, yaml_node_t *n)
{
    (void)doc;
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(doc, yaml_document_get_node(doc, p->key));
        if (k && strcmp(k, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

/* A {sv: ..., en: ...} text into out[0..1]. */
static int texts(yaml_document_t *doc, yaml_node_t *lesson, const char *key, char **out, char *msg,
                 size_t msgsize)
{
    yaml_node_t *m = map_get(doc, lesson, key);
    if (!m || m->type != YAML_MAPPING_NODE) {
        snprintf(msg, msgsize, "lesson.%s: expected a mapping {sv: ..., en: ...}", key);
        return -1;
    }
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        const char *k = scalar(doc, yaml_document_get_node(doc, p->key));
        if (!k || (strcmp(k, "sv") != 0 && strcmp(k, "en") != 0)) {
            snprintf(msg, msgsize, "lesson.%s: unknown language '%s' (sv, en)", key, k ? k : "?");
            return -1;
        }
    }
    for (int l = 0; l < 2; l++) {
        const char *v = scalar(doc, map_get(doc, m, langs[l]));
        if (!v || !*v) {
            snprintf(msg, msgsize, "lesson.%s.%s: missing text", key, langs[l]);
            return -1;
        }
        if (!(out[l] = strdup(v))) {
            snprintf(msg, msgsize, "out of memory");
            return -1;
        }
    }
    return 0;
}

/* The optional notes: {expected: {sv, en}, timing: {sv, en}, discuss: {sv, en}}, each optional. */
static int read_notes(srv_lesson *L, yaml_document_t *doc, yaml_node_t *notes, char *msg,
                      size_t msgsize)
{
    if (!notes)
        return 0;
    if (notes->type != YAML_MAPPING_NODE) {
        snprintf(msg, msgsize, "lesson.notes: expected a mapping (expected, timing, discuss)");
        return -1;
    }
    for (yaml_node_pair_t *p = notes->data.mapping.pairs.start; p < notes->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(doc, yaml_document_get_node(doc, p->key));
        int i;
        for (i = 0; k && i < SRV_LESSON_NOTES; i++)
            if (strcmp(k, note_kinds[i]) == 0)
                break;
        if (!k || i == SRV_LESSON_NOTES) {
            snprintf(msg, msgsize, "lesson.notes: unknown key '%s' (expected, timing, discuss)",
                     k ? k : "?");
            return -1;
        }
        if (texts(doc, notes, k, L->notes[i], msg, msgsize) != 0) {
            char inner[256];
            snprintf(inner, sizeof inner, "%s", msg);
            /* "lesson.KEY..." from texts: say where it is */
            snprintf(msg, msgsize, "lesson.notes.%s", strncmp(inner, "lesson.", 7) == 0 ? inner + 7
                                                                                       : inner);
            return -1;
        }
    }
    return 0;
}

static int whole(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    if (!s || !*s)
        return -1;
    v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int read_lesson_map(srv_lesson *L, yaml_document_t *doc, yaml_node_t *lesson, char *msg,
                           size_t msgsize)
{
    static const char *const known[] = {"order", "title",    "text", "question",
                                        "watch", "pause_at", "sides", "notes"};
    yaml_node_t *n;
    long v;
    if (lesson->type != YAML_MAPPING_NODE) {
        snprintf(msg, msgsize, "lesson: expected a mapping");
        return -1;
    }
    for (yaml_node_pair_t *p = lesson->data.mapping.pairs.start; p < lesson->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(doc, yaml_document_get_node(doc, p->key));
        size_t i;
        for (i = 0; k && i < sizeof known / sizeof known[0]; i++)
            if (strcmp(k, known[i]) == 0)
                break;
        if (!k || i == sizeof known / sizeof known[0]) {
            snprintf(msg, msgsize,
                     "lesson: unknown key '%s' (order, title, text, question, watch, pause_at, "
                     "sides, notes)",
                     k ? k : "?");
            return -1;
        }
    }
    if ((n = map_get(doc, lesson, "order")) != NULL) {
        if (whole(scalar(doc, n), 0, 1000, &v) != 0) {
            snprintf(msg, msgsize, "lesson.order: expected a whole number in [0, 1000]");
            return -1;
        }
        L->order = (int)v;
    } else {
        L->order = 1000;
    }
    if (texts(doc, lesson, "title", L->title, msg, msgsize) ||
        texts(doc, lesson, "text", L->text, msg, msgsize) ||
        texts(doc, lesson, "question", L->question, msg, msgsize) ||
        read_notes(L, doc, map_get(doc, lesson, "notes"), msg, msgsize))
        return -1;
    if ((n = map_get(doc, lesson, "sides")) != NULL) {
        if (n->type != YAML_SEQUENCE_NODE) {
            snprintf(msg, msgsize, "lesson.sides: expected a list of {sv: ..., en: ...}");
            return -1;
        }
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            yaml_node_t *m = yaml_document_get_node(doc, *it);
            int k = L->nside_titles;
            if (k >= SRV_MAX_SIDES) {
                snprintf(msg, msgsize, "lesson.sides: at most %d sides", SRV_MAX_SIDES);
                return -1;
            }
            for (int l = 0; l < 2; l++) {
                const char *txt = scalar(doc, map_get(doc, m, langs[l]));
                if (!txt || !*txt || strlen(txt) > 80) {
                    snprintf(msg, msgsize, "lesson.sides[%d].%s: missing (or over 80 characters)",
                             k, langs[l]);
                    return -1;
                }
                if (!(L->side_title[k][l] = strdup(txt))) {
                    snprintf(msg, msgsize, "out of memory");
                    return -1;
                }
            }
            L->nside_titles++;
        }
    }
    if ((n = map_get(doc, lesson, "watch")) != NULL) {
        if (n->type != YAML_SEQUENCE_NODE) {
            snprintf(msg, msgsize, "lesson.watch: expected a list of metric names");
            return -1;
        }
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            const char *m = scalar(doc, yaml_document_get_node(doc, *it));
            if (!m || tl_metric_index(m) < 0) {
                snprintf(msg, msgsize, "lesson.watch: '%s' is not a metric (`tillit metrics`)",
                         m ? m : "?");
                return -1;
            }
            if (L->nwatch >= SRV_LESSON_WATCH) {
                snprintf(msg, msgsize, "lesson.watch: at most %d metrics", SRV_LESSON_WATCH);
                return -1;
            }
            snprintf(L->watch[L->nwatch++], sizeof L->watch[0], "%s", m);
        }
    }
    if ((n = map_get(doc, lesson, "pause_at")) != NULL) {
        if (n->type != YAML_SEQUENCE_NODE) {
            snprintf(msg, msgsize, "lesson.pause_at: expected a list of weeks");
            return -1;
        }
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            if (L->npause >= SRV_LESSON_PAUSES ||
                whole(scalar(doc, yaml_document_get_node(doc, *it)), 1, 100000, &v) != 0) {
                snprintf(msg, msgsize, "lesson.pause_at: at most %d whole weeks >= 1",
                         SRV_LESSON_PAUSES);
                return -1;
            }
            L->pause_at[L->npause++] = (int)v;
        }
    }
    return 0;
}

int srv_lesson_parse(srv_lesson *L, const char *text, size_t len, const char *name,
                     const srv_limits *lim, char *msg, size_t msgsize)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root, *lesson = NULL;
    char *rest = NULL;
    int rc = -1, have_doc = 0;
    size_t lesson_line = 0;
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    srv_err se;

    memset(L, 0, sizeof *L);
    tl_scenario_init(&sc);
    msg[0] = '\0';
    if (!yaml_parser_initialize(&parser)) {
        snprintf(msg, msgsize, "out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        snprintf(msg, msgsize, "%s:%zu:%zu: %s", name, parser.problem_mark.line + 1,
                 parser.problem_mark.column + 1,
                 parser.problem ? parser.problem : "malformed YAML");
        goto out;
    }
    have_doc = 1;
    root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        snprintf(msg, msgsize, "%s: expected a mapping at the top", name);
        goto out;
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&doc, p->key);
        const char *ks = scalar(&doc, k);
        if (ks && strcmp(ks, "lesson") == 0) {
            if (k->start_mark.column != 0) {
                snprintf(msg, msgsize, "%s: the lesson key must start a line", name);
                goto out;
            }
            lesson = yaml_document_get_node(&doc, p->value);
            lesson_line = k->start_mark.line;
        }
    }
    if (!lesson) {
        snprintf(msg, msgsize, "%s: no 'lesson:' mapping (title, text, question)", name);
        goto out;
    }
    if (read_lesson_map(L, &doc, lesson, msg, msgsize) != 0) {
        char tmp[1024];
        snprintf(tmp, sizeof tmp, "%s: %s", name, msg);
        snprintf(msg, msgsize, "%s", tmp);
        goto out;
    }
    /* The rest is a scenario for the engine's loader: blank the lesson's
     * lines (from its key to the next line that starts at column 0), so
     * that line numbers in the loader's messages stay right. */
    if (!(rest = malloc(len + 1))) {
        snprintf(msg, msgsize, "out of memory");
        goto out;
    }
    memcpy(rest, text, len);
    rest[len] = '\0';
    {
        size_t line = 0, i = 0;
        int blanking = 0;
        while (i < len) {
            size_t eol = i;
            while (eol < len && rest[eol] != '\n')
                eol++;
            if (line == lesson_line)
                blanking = 1;
            else if (blanking && eol > i && rest[i] != ' ' && rest[i] != '\t' && rest[i] != '#' &&
                     rest[i] != '\r')
                blanking = 0;
            if (blanking)
                memset(rest + i, ' ', eol - i);
            i = eol + 1;
            line++;
        }
    }
    if (tl_scenario_parse_yaml(rest, len, name, &sc, &err) != TL_OK) {
        snprintf(msg, msgsize, "%s", err.msg);
        goto out;
    }
    if (sc.npoints < 1 || sc.npoints > SRV_MAX_SIDES) {
        snprintf(msg, msgsize, "%s: a lesson has one point or two (side by side), not %d", name,
                 sc.npoints);
        goto out;
    }
    snprintf(L->name, sizeof L->name, "%s", sc.name);
    L->setup.nsides = sc.npoints;
    L->setup.seed = sc.seed;
    snprintf(L->setup.lesson, sizeof L->setup.lesson, "%s", sc.name);
    for (int k = 0; k < sc.npoints; k++) {
        tl_point buf;
        const tl_point *pt = tl_scenario_point(&sc, k, &buf);
        snprintf(L->setup.side[k].label, sizeof L->setup.side[k].label, "%s", pt->label);
        L->setup.side[k].params = pt->params;
        L->setup.side[k].sched = pt->sched;
    }
    if (L->nside_titles && L->nside_titles != sc.npoints) {
        snprintf(msg, msgsize, "%s: lesson.sides names %d sides but the scenario has %d points",
                 name, L->nside_titles, sc.npoints);
        goto out;
    }
    if (srv_setup_check(lim, &L->setup, &se) != 0) {
        snprintf(msg, msgsize, "%s: %s", name, se.msg);
        goto out;
    }
    for (int i = 0; i < L->npause; i++)
        if (L->pause_at[i] > (int)L->setup.side[0].params.steps) {
            snprintf(msg, msgsize, "%s: lesson.pause_at: week %d is after the last step (%.0f)",
                     name, L->pause_at[i], L->setup.side[0].params.steps);
            goto out;
        }
    rc = 0;
out:
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    tl_scenario_clear(&sc);
    free(rest);
    if (rc != 0)
        lesson_free(L);
    return rc;
}

static char *slurp(const char *path, size_t *len, char *msg, size_t msgsize)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n;
    if (!f) {
        snprintf(msg, msgsize, "%.900s: cannot open", path);
        return NULL;
    }
    if (!(buf = malloc(LESSON_FILE_MAX + 1))) {
        fclose(f);
        snprintf(msg, msgsize, "out of memory");
        return NULL;
    }
    n = fread(buf, 1, LESSON_FILE_MAX + 1, f);
    fclose(f);
    if (n > LESSON_FILE_MAX) {
        snprintf(msg, msgsize, "%.900s: larger than %d KiB", path, LESSON_FILE_MAX / 1024);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int by_order(const void *a, const void *b)
{
    const srv_lesson *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->name, y->name);
}

int srv_lessons_load(srv_lessons *L, const char *dir, const srv_limits *lim, FILE *log)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int bad = 0;
    memset(L, 0, sizeof *L);
    if (!d)
        return -1;
    while ((de = readdir(d)) != NULL) {
        char path[4096], msg[1200];
        size_t nlen = strlen(de->d_name), len = 0;
        char *text;
        if (de->d_name[0] == '.' || nlen < 6 || strcmp(de->d_name + nlen - 5, ".yaml") != 0)
            continue;
        if (L->n >= SRV_MAX_LESSONS) {
            if (log)
                fprintf(log, "tillit serve: lessons: more than %d files, %s skipped\n",
                        SRV_MAX_LESSONS, de->d_name);
            bad++;
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (!(text = slurp(path, &len, msg, sizeof msg)) ||
            srv_lesson_parse(&L->v[L->n], text, len, path, lim, msg, sizeof msg) != 0) {
            if (log)
                fprintf(log, "tillit serve: lesson skipped: %s\n", msg);
            bad++;
        } else if (srv_lessons_find(L, L->v[L->n].name)) {
            if (log)
                fprintf(log, "tillit serve: lesson skipped: %s: a lesson named '%s' exists\n", path,
                        L->v[L->n].name);
            lesson_free(&L->v[L->n]);
            bad++;
        } else {
            L->n++;
        }
        free(text);
    }
    closedir(d);
    qsort(L->v, (size_t)L->n, sizeof L->v[0], by_order);
    return bad;
}

void srv_lessons_free(srv_lessons *L)
{
    for (int i = 0; i < L->n; i++)
        lesson_free(&L->v[i]);
    L->n = 0;
}

const srv_lesson *srv_lessons_find(const srv_lessons *L, const char *name)
{
    for (int i = 0; i < L->n; i++)
        if (strcmp(L->v[i].name, name) == 0)
            return &L->v[i];
    return NULL;
}

static void lang_json(srv_buf *b, const char *key, char *const *t)
{
    srv_buf_key(b, key);
    srv_buf_puts(b, "{\"sv\":");
    srv_buf_str(b, t[0]);
    srv_buf_puts(b, ",\"en\":");
    srv_buf_str(b, t[1]);
    srv_buf_puts(b, "}");
}

/* {"expected": {sv, en}, ...} with the kinds the lesson has, or null. */
static void notes_json(srv_buf *b, const srv_lesson *l)
{
    int any = 0;
    for (int k = 0; k < SRV_LESSON_NOTES; k++) {
        if (!l->notes[k][0])
            continue;
        srv_buf_puts(b, any ? "," : "{");
        lang_json(b, note_kinds[k], l->notes[k]);
        any = 1;
    }
    srv_buf_puts(b, any ? "}" : "null");
}

void srv_lessons_json(const srv_lessons *L, srv_buf *b)
{
    const tl_param_info *tab = tl_param_table();
    srv_buf_puts(b, "[");
    for (int i = 0; i < L->n; i++) {
        const srv_lesson *l = &L->v[i];
        srv_buf_puts(b, i ? ",{" : "{");
        srv_buf_key(b, "name");
        srv_buf_str(b, l->name);
        srv_buf_puts(b, ",");
        lang_json(b, "title", l->title);
        srv_buf_puts(b, ",");
        lang_json(b, "text", l->text);
        srv_buf_puts(b, ",");
        lang_json(b, "question", l->question);
        srv_buf_puts(b, ",\"notes\":");
        notes_json(b, l);
        srv_buf_puts(b, ",\"watch\":[");
        for (int w = 0; w < l->nwatch; w++) {
            if (w)
                srv_buf_puts(b, ",");
            srv_buf_str(b, l->watch[w]);
        }
        srv_buf_puts(b, "],\"pause_at\":[");
        for (int w = 0; w < l->npause; w++)
            srv_buf_printf(b, "%s%d", w ? "," : "", l->pause_at[w]);
        srv_buf_printf(b, "],\"seed\":%llu,\"steps\":%.0f,\"sides\":[",
                       (unsigned long long)l->setup.seed, l->setup.side[0].params.steps);
        for (int k = 0; k < l->setup.nsides; k++) {
            srv_buf_puts(b, k ? ",{" : "{");
            srv_buf_key(b, "label");
            srv_buf_str(b, l->setup.side[k].label);
            srv_buf_printf(b, ",\"changes\":%d", l->setup.side[k].sched.n);
            if (k < l->nside_titles) {
                srv_buf_puts(b, ",");
                lang_json(b, "title", l->side_title[k]);
            }
            srv_buf_puts(b, "}");
        }
        srv_buf_puts(b, "]}");
    }
    srv_buf_puts(b, "]");
    (void)tab;
}
