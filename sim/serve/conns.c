/* conns.c — connection deadlines. MHD gives each connection a thread that waits on its socket
 * with an idle timeout only, which a client defeats by sending a byte now and then; the main
 * loop sweeps this list instead and shuts down (shutdown(2)) the socket of a request that takes
 * too long to arrive, which ends the connection's wait at once. The record is removed under
 * the lock when MHD reports the connection closed, before MHD closes the socket, so a swept
 * descriptor is always still the connection's own. */
#include "conns.h"

#include <stdlib.h>
#include <sys/socket.h>

int srv_conns_init(srv_conns *cs, double limit)
{
    cs->limit = limit;
    cs->head = NULL;
    cs->n = 0;
    cs->dropped = 0;
    return pthread_mutex_init(&cs->lock, NULL) == 0 ? 0 : -1;
}

void srv_conns_free(srv_conns *cs)
{
    srv_conn *c = cs->head;
    while (c) {
        srv_conn *next = c->next;
        free(c);
        c = next;
    }
    cs->head = NULL;
    pthread_mutex_destroy(&cs->lock);
}

srv_conn *srv_conns_open(srv_conns *cs, int fd, double now)
{
    srv_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = fd;
    c->since = now;
    pthread_mutex_lock(&cs->lock);
    c->next = cs->head;
    if (cs->head)
        cs->head->prev = c;
    cs->head = c;
    cs->n++;
    pthread_mutex_unlock(&cs->lock);
    return c;
}

void srv_conns_close(srv_conns *cs, srv_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&cs->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        cs->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    cs->n--;
    pthread_mutex_unlock(&cs->lock);
    free(c);
}

void srv_conns_mark(srv_conns *cs, srv_conn *c, int receiving, double now)
{
    if (!c)
        return;
    pthread_mutex_lock(&cs->lock);
    c->since = receiving ? now : 0;
    pthread_mutex_unlock(&cs->lock);
}

int srv_conns_sweep(srv_conns *cs, double now)
{
    int n = 0;
    pthread_mutex_lock(&cs->lock);
    for (srv_conn *c = cs->head; c; c = c->next)
        if (c->since > 0 && now - c->since > cs->limit && c->fd >= 0) {
            shutdown(c->fd, SHUT_RDWR);
            c->fd = -1; /* once */
            n++;
        }
    cs->dropped += n;
    pthread_mutex_unlock(&cs->lock);
    return n;
}
