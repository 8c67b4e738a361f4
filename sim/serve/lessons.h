/* lessons.h — guided demonstrations: scenario files with a `lesson:` text, loaded once when the
 * server starts. */
#ifndef TL_SERVE_LESSONS_H
#define TL_SERVE_LESSONS_H

#include <stdio.h>

#include "json.h"
#include "session.h"

#define SRV_MAX_LESSONS 64
#define SRV_LESSON_WATCH 8
#define SRV_LESSON_PAUSES 8
#define SRV_LESSON_NOTES 3 /* expected, timing, discuss */

typedef struct srv_lesson {
    char name[SRV_LESSON_NAME]; /* the scenario's name */
    int order;
    char *title[2], *text[2], *question[2]; /* [0] Swedish, [1] English */
    /* teacher notes (optional, each kind optional): the expected result,
     * the timing and points to discuss; for the teacher's screen only */
    char *notes[SRV_LESSON_NOTES][2];
    int nside_titles;
    char *side_title[SRV_MAX_SIDES][2]; /* what to call side A and B (optional) */
    int nwatch;
    char watch[SRV_LESSON_WATCH][64]; /* metric names */
    int npause;
    int pause_at[SRV_LESSON_PAUSES]; /* weeks at which the page pauses */
    srv_setup setup;
} srv_lesson;

typedef struct srv_lessons {
    int n;
    srv_lesson v[SRV_MAX_LESSONS];
} srv_lessons;

/* Load every *.yaml in dir (sorted by `order`, then name). A file that
 * does not load is reported on log and skipped; returns the number of
 * such files (0 when all loaded; -1 when dir cannot be read). */
int srv_lessons_load(srv_lessons *L, const char *dir, const srv_limits *lim, FILE *log);
void srv_lessons_free(srv_lessons *L);

/* Parse one lesson from text (name for messages). 0 or -1 with msg. */
int srv_lesson_parse(srv_lesson *out, const char *text, size_t len, const char *name,
                     const srv_limits *lim, char *msg, size_t msgsize);

const srv_lesson *srv_lessons_find(const srv_lessons *L, const char *name);

/* Every lesson as a JSON array. */
void srv_lessons_json(const srv_lessons *L, srv_buf *b);

#endif
