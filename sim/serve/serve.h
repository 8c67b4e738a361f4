/* serve.h — `tillit serve`: the classroom web application (libmicrohttpd). */
#ifndef TL_SERVE_H
#define TL_SERVE_H

/* Run the classroom server until SIGINT/SIGTERM. argv[0] is "serve".
 * Returns the program's exit status (0 after a clean stop, 2 for a bad
 * command line, 3 when the address cannot be bound). */
int tl_cmd_serve(int argc, char **argv);

#endif
