/* serve.h — `tillit serve`: the classroom web application (libmicrohttpd). */
#ifndef TL_SERVE_H
#define TL_SERVE_H

/* Run the classroom server until SIGINT/SIGTERM. argv[0] is "serve".
 * Returns the program's exit status (0 after a clean stop, 2 for a bad
 * command line, 3 when the address cannot be bound). */
int tl_cmd_serve(int argc, char **argv);

/* The parameter, metric and preset tables as JSON arrays of objects, built
 * from the code's own tables: what `tillit params|metrics|presets --format
 * json` print and what the page reads from /api/. malloc'd; NULL when out of
 * memory. */
char *tl_params_json(void);
char *tl_metrics_json(void);
char *tl_presets_json(void);

#endif
