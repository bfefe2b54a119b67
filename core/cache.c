/*
 * NAME
 *	cache - results reused within one process
 * DESCRIPTION
 *	Exim forks a process per SMTP connection, and in it the same client is
 *	scored at RCPT time by an ACL and again by local_scan at DATA time, or
 *	once per message on a long connection. The cache keeps a few recent
 *	results, each for [scoring] cache_seconds at most and never longer
 *	than the shortest TTL of the A records behind it. A full cache drops
 *	the entry closest to expiry. Small and linear on purpose: a receiving
 *	process sees a handful of clients.
 *
 *	What "the shortest TTL" covers: the A records of the lists that
 *	answered with some; misses (NXDOMAIN) and errors do not shorten the
 *	lifetime, so a result with a timeout is kept as long as one without.
 *	A process lives for one SMTP connection: a list that failed for one
 *	message fails for the next ones on the connection too, without another
 *	wait for the budget.
 */
#include <stdlib.h>
#include <string.h>

#include "dnsbl_int.h"

struct cache_slot {
    dnsbl_result *res;
    long expires;
};

struct cache {
    struct cache_slot *slots;
    size_t nslots;
};

/* cache_new - an empty cache of nslots results */
struct cache *
cache_new(size_t nslots)
{
    struct cache *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return NULL;
    if ((c->slots = calloc(nslots, sizeof(*c->slots))) == NULL) {
        free(c);
        return NULL;
    }
    c->nslots = nslots;
    return c;
}

/* cache_free - the cache and the results it holds */
void
cache_free(struct cache *c)
{
    size_t i;

    if (c == NULL)
        return;
    for (i = 0; i < c->nslots; i++)
        dnsbl_result_free(c->slots[i].res);
    free(c->slots);
    free(c);
}

/* cache_get - a copy of the fresh result for ip */
dnsbl_result *
cache_get(struct cache *c, const char *ip, long now)
{
    size_t i;

    for (i = 0; i < c->nslots; i++) {
        struct cache_slot *s = &c->slots[i];

        if (s->res == NULL || strcmp(s->res->ip, ip) != 0)
            continue;
        if (s->expires <= now) {
            dnsbl_result_free(s->res);
            s->res = NULL;
            return NULL;
        }
        return result_copy(s->res);
    }
    return NULL;
}

/* cache_put - keep a copy, replacing the same address or the oldest */
void
cache_put(struct cache *c, const dnsbl_result *res, long now, unsigned seconds)
{
    struct cache_slot *victim = NULL;
    dnsbl_result *copy;
    size_t i;

    if (seconds == 0)
        return;
    for (i = 0; i < c->nslots; i++) {
        struct cache_slot *s = &c->slots[i];

        if (s->res != NULL && strcmp(s->res->ip, res->ip) == 0) {
            victim = s;
            break;
        }
        if (victim == NULL || s->res == NULL ||
            (victim->res != NULL && s->expires < victim->expires))
            victim = s;
    }
    if (victim == NULL || (copy = result_copy(res)) == NULL)
        return;
    dnsbl_result_free(victim->res);
    victim->res = copy;
    victim->res->cached = 1;
    victim->expires = now + (long)seconds;
}
