/*
 * NAME
 *	ask - one DNS query under way, for whoever asked it
 * DESCRIPTION
 *	A thin layer over ub_resolve_event() shared by scoring jobs (job.c) and
 *	list health probes (health.c). The answer packet is read (answer.c)
 *	before the asker's callback sees it. A query its asker no longer wants
 *	is cancelled; when libunbound cannot cancel it, it becomes an orphan,
 *	kept until its answer comes or the engine is freed, so that no callback
 *	ever reaches freed memory.
 *
 *	libunbound may call back before ub_resolve_event() returns (an answer
 *	from its cache): askers must be ready for that, which is why they hold
 *	off judging until all their queries are out.
 */
#include <arpa/nameser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unbound-event.h>
#include <unbound.h>

#include "engine.h"

struct ask {
    dnsbl_engine *eng;
    ask_fn *fn; /* NULL once orphaned */
    void *owner;
    unsigned slot;
    int qtype;
    int async_id;
    struct ask *next_orphan;
    char qname[NS_MAXDNAME];
};

/* ask_forget_orphan - an orphan's answer came: unlink and free it */
static void
ask_forget_orphan(struct ask *a)
{
    struct ask **pp;

    for (pp = &a->eng->orphans; *pp != NULL; pp = &(*pp)->next_orphan) {
        if (*pp == a) {
            *pp = a->next_orphan;
            break;
        }
    }
    free(a);
}

/* ask_answer - libunbound's callback */
static void
ask_answer(void *arg, int err, void *pkt, int len, int sec, char *why_bogus, int ratelimited)
{
    struct ask *a = arg;
    struct ans_result ans;

    (void)sec;
    (void)why_bogus;
    (void)ratelimited;
    if (a->fn == NULL) {
        ask_forget_orphan(a);
        return;
    }
    memset(&ans, 0, sizeof(ans));
    if (err == 0)
        ans_parse(pkt, len < 0 ? 0 : (size_t)len, a->qname, a->qtype, &ans);
    a->fn(a->owner, a->slot, a->qtype, err, &ans); /* may not free a: see below */
    free(a);
}

/* ask_send - see engine.h */
int
ask_send(dnsbl_engine *eng, const char *qname, int qtype, ask_fn *fn, void *owner, unsigned slot,
         struct ask **slotp)
{
    struct ask *a = calloc(1, sizeof(*a));
    int rc;

    if (a == NULL)
        return DNSBL_ENOMEM;
    a->eng = eng;
    a->fn = fn;
    a->owner = owner;
    a->slot = slot;
    a->qtype = qtype;
    snprintf(a->qname, sizeof(a->qname), "%s", qname);
    /* Set first: the answer may come before ub_resolve_event() returns. */
    *slotp = a;
    rc = ub_resolve_event(eng->ub, qname, qtype, ns_c_in, a, ask_answer, &a->async_id);
    if (rc != 0) {
        log_msg(&eng->log, DNSBL_LOG_ERROR, "libunbound: cannot ask %s: %s", qname,
                ub_strerror(rc));
        *slotp = NULL;
        free(a);
        return DNSBL_ERESOLVER;
    }
    return DNSBL_OK;
}

/* ask_drop - see engine.h */
void
ask_drop(struct ask *a)
{
    if (a == NULL)
        return;
    if (ub_cancel(a->eng->ub, a->async_id) == 0) {
        free(a);
        return;
    }
    a->fn = NULL;
    a->next_orphan = a->eng->orphans;
    a->eng->orphans = a;
}

/* ask_free_orphans - see engine.h */
void
ask_free_orphans(dnsbl_engine *eng)
{
    while (eng->orphans != NULL) {
        struct ask *a = eng->orphans;

        eng->orphans = a->next_orphan;
        free(a);
    }
}
