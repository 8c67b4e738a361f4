/* conns.h — the open connections and their deadlines: a request must arrive whole (headers and
 * body) within a time limit of the connection opening or of the previous reply, however slowly
 * its bytes trickle in (slowloris); a connection past it is shut down. */
#ifndef TL_SERVE_CONNS_H
#define TL_SERVE_CONNS_H

#include <pthread.h>

typedef struct srv_conn {
    int fd;
    double since; /* receiving a request since then; 0 while it is answered */
    struct srv_conn *prev, *next;
} srv_conn;

typedef struct srv_conns {
    pthread_mutex_t lock;
    double limit; /* seconds a request may take to arrive */
    srv_conn *head;
    int n;
    long dropped; /* connections shut down for being too slow */
} srv_conns;

int srv_conns_init(srv_conns *cs, double limit);
void srv_conns_free(srv_conns *cs);

/* A connection opened (fd) / closed: the record to keep with it. */
srv_conn *srv_conns_open(srv_conns *cs, int fd, double now);
void srv_conns_close(srv_conns *cs, srv_conn *c);
/* The request has arrived whole and is being answered (receiving = 0), or
 * the reply is done and the next request may come (receiving = 1). */
void srv_conns_mark(srv_conns *cs, srv_conn *c, int receiving, double now);
/* Shut down every connection receiving for longer than the limit; returns
 * how many. */
int srv_conns_sweep(srv_conns *cs, double now);

#endif
