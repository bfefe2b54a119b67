/*
 * NAME
 *	job - score one client: every list at once, within one budget
 * DESCRIPTION
 *	A job sends the A query of every list (and the TXT query of lists with
 *	txt = yes) together, then waits in the engine's event loop for the
 *	answers or for the budget timer, whichever comes first. A list whose
 *	answer has not come when the budget ends is an error ("timeout") and
 *	contributes nothing; the others still count.
 *
 *	Results are delivered only from the event loop, through a separate
 *	event, never from inside job_start(): libunbound may answer from its
 *	cache before ub_resolve_event() returns, and a caller called back from
 *	inside its own call is how re-entrancy bugs are bred (Postfix's rule).
 *
 *	A query still out when its job ends is cancelled; if libunbound cannot
 *	cancel it, it becomes an orphan until its answer comes (or the engine
 *	is freed), so that no callback ever sees freed memory.
 */
#include <arpa/nameser.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unbound-event.h>
#include <unbound.h>

#include "engine.h"

/* Longest cleaned TXT reason kept in a result. */
#define JOB_TXT_MAX 200

struct query {
    dnsbl_engine *eng;
    struct job *job; /* NULL once orphaned */
    struct query *next_orphan;
    unsigned list;
    int qtype;
    int async_id;
    char qname[NS_MAXDNAME];
};

/* One more receiver of a job's result: the same address asked again meanwhile. */
struct waiter {
    dnsbl_done_fn *done;
    void *done_arg;
    struct waiter *next;
};

struct job_list {
    struct query *a, *txt; /* outstanding queries; NULL once answered, or never asked */
};

struct job {
    dnsbl_engine *eng;
    dnsbl_result *res;
    dnsbl_done_fn *done;
    void *done_arg;
    struct waiter *waiters;
    struct job *next_active;
    struct event *timer;   /* the budget */
    struct event *deliver; /* made active once the result is complete */
    struct timespec start;
    unsigned ttl;          /* smallest TTL among the answers, for the cache */
    int sending;           /* queries are still being sent: don't end yet */
    int ended;
    struct job_list lists[];
};

/* job_elapsed_ms - since the job started */
static unsigned
job_elapsed_ms(const struct job *job)
{
    struct timespec now;
    long ms;

    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (now.tv_sec - job->start.tv_sec) * 1000 + (now.tv_nsec - job->start.tv_nsec) / 1000000;
    return ms < 0 ? 0 : (unsigned)ms;
}

/* job_drop_query - cancel an outstanding query, or orphan it */
static void
job_drop_query(struct query *q)
{
    if (q == NULL)
        return;
    if (ub_cancel(q->eng->ub, q->async_id) == 0) {
        free(q);
        return;
    }
    q->job = NULL;
    q->next_orphan = q->eng->orphans;
    q->eng->orphans = q;
}

/* job_forget_orphan - an orphan's answer came: unlink and free it */
static void
job_forget_orphan(struct query *q)
{
    struct query **pp;

    for (pp = &q->eng->orphans; *pp != NULL; pp = &(*pp)->next_orphan) {
        if (*pp == q) {
            *pp = q->next_orphan;
            break;
        }
    }
    free(q);
}

/* job_free_orphans - see engine.h */
void
job_free_orphans(dnsbl_engine *eng)
{
    while (eng->orphans != NULL) {
        struct query *q = eng->orphans;

        eng->orphans = q->next_orphan;
        free(q);
    }
}

/* job_end - stop waiting: time out what is missing, add up, deliver */
static void
job_end(struct job *job)
{
    const struct dnsbl_config *cfg = job->eng->cfg;
    unsigned i;

    if (job->ended)
        return;
    job->ended = 1;
    evtimer_del(job->timer);
    for (i = 0; i < job->res->nlists; i++) {
        struct job_list *jl = &job->lists[i];
        struct dnsbl_list_result *lr = &job->res->lists[i];

        if (jl->a != NULL) {
            lr->status = DNSBL_ERROR;
            snprintf(lr->error, sizeof(lr->error), "timeout");
            lr->latency_ms = job_elapsed_ms(job);
        }
        if (lr->status != DNSBL_HIT && lr->txt != NULL) {
            free(lr->txt); /* the reason of something that is not a listing */
            lr->txt = NULL;
        }
        job_drop_query(jl->a);
        job_drop_query(jl->txt);
        jl->a = jl->txt = NULL;
    }
    score_total(cfg, job->res);
    job->res->elapsed_ms = job_elapsed_ms(job);
    cache_put(job->eng->cache, job->res, eng_now(),
              job->ttl < cfg->cache_seconds ? job->ttl : cfg->cache_seconds);
    event_active(job->deliver, EV_TIMEOUT, 1);
}

/* job_check - end the job once nothing it waits for is missing */
static void
job_check(struct job *job)
{
    unsigned i;

    if (job->sending)
        return;
    for (i = 0; i < job->res->nlists; i++) {
        const struct job_list *jl = &job->lists[i];

        if (jl->a != NULL)
            return;
        if (jl->txt != NULL && job->res->lists[i].status == DNSBL_HIT)
            return;
    }
    job_end(job);
}

/* job_rcode_error - the error name of an rcode that is not an answer */
static void
job_rcode_error(int rcode, char *buf, size_t len)
{
    if (rcode == ns_r_servfail)
        snprintf(buf, len, "servfail");
    else if (rcode == ns_r_refused)
        snprintf(buf, len, "refused");
    else
        snprintf(buf, len, "rcode-%d", rcode);
}

/* job_cmp_value - ascending order of A values */
static int
job_cmp_value(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* job_take_a - a list's A answer: error, miss or hit */
static void
job_take_a(struct job *job, const struct query *q, int err, const struct ans_result *ans)
{
    struct dnsbl_list_result *lr = &job->res->lists[q->list];

    lr->latency_ms = job_elapsed_ms(job);
    lr->status = DNSBL_ERROR;
    if (err != 0) {
        job_rcode_error(err, lr->error, sizeof(lr->error));
    } else if (ans->error != NULL) {
        snprintf(lr->error, sizeof(lr->error), "%s", ans->error);
    } else if (ans->rcode != ns_r_noerror && ans->rcode != ns_r_nxdomain) {
        job_rcode_error(ans->rcode, lr->error, sizeof(lr->error));
    } else {
        /* Sorted: servers rotate records, the summary line must not. */
        memcpy(lr->values, ans->values, sizeof(lr->values));
        lr->nvalues = ans->nvalues;
        qsort(lr->values, lr->nvalues, sizeof(lr->values[0]), job_cmp_value);
        score_list(&job->eng->cfg->lists[q->list], lr);
        if (ans->nvalues > 0 && ans->ttl < job->ttl)
            job->ttl = ans->ttl;
    }
}

/* job_take_txt - a list's TXT answer: keep the cleaned reason, if any */
static void
job_take_txt(struct job *job, const struct query *q, int err, const struct ans_result *ans)
{
    struct dnsbl_list_result *lr = &job->res->lists[q->list];
    char clean[JOB_TXT_MAX + 1];

    if (err != 0 || ans->error != NULL || ans->rcode != ns_r_noerror || ans->txtlen == 0)
        return;
    dnsbl_clean_text(clean, sizeof(clean), (const uint8_t *)ans->txt, ans->txtlen);
    if (clean[0] == '\0')
        return;
    free(lr->txt);
    lr->txt = strdup(clean); /* out of memory: no reason shown, nothing worse */
}

/* job_answer - libunbound's callback, for every query */
static void
job_answer(void *arg, int err, void *pkt, int len, int sec, char *why_bogus, int ratelimited)
{
    struct query *q = arg;
    struct job *job = q->job;
    struct ans_result ans;

    (void)sec;
    (void)why_bogus;
    (void)ratelimited;
    if (job == NULL) {
        job_forget_orphan(q);
        return;
    }
    memset(&ans, 0, sizeof(ans));
    if (err == 0)
        ans_parse(pkt, len < 0 ? 0 : (size_t)len, q->qname, q->qtype, &ans);
    if (q->qtype == ns_t_a) {
        job->lists[q->list].a = NULL;
        job_take_a(job, q, err, &ans);
    } else {
        job->lists[q->list].txt = NULL;
        job_take_txt(job, q, err, &ans);
    }
    free(q);
    job_check(job);
}

/* job_unlink - take the job off the engine's active list */
static void
job_unlink(struct job *job)
{
    struct job **pp;

    for (pp = &job->eng->active; *pp != NULL; pp = &(*pp)->next_active) {
        if (*pp == job) {
            *pp = job->next_active;
            return;
        }
    }
}

/* job_join - see engine.h */
int
job_join(dnsbl_engine *eng, const char *ip, dnsbl_done_fn *done, void *done_arg)
{
    struct job *job;
    struct waiter *w;

    for (job = eng->active; job != NULL; job = job->next_active)
        if (strcmp(job->res->ip, ip) == 0)
            break;
    if (job == NULL || (w = calloc(1, sizeof(*w))) == NULL)
        return -1;
    w->done = done;
    w->done_arg = done_arg;
    w->next = job->waiters;
    job->waiters = w;
    eng->njobs++;
    return 0;
}

/* job_deliver - from the event loop: hand the result over, free the job */
static void
job_deliver(evutil_socket_t fd, short what, void *arg)
{
    struct job *job = arg;
    dnsbl_done_fn *done = job->done;
    void *done_arg = job->done_arg;
    dnsbl_result *res = job->res;
    struct waiter *w = job->waiters, *next;

    (void)fd;
    (void)what;
    job_unlink(job);
    if (job->timer != NULL)
        event_free(job->timer);
    event_free(job->deliver);
    job->eng->njobs--;
    for (; w != NULL; w = next) {
        dnsbl_result *copy = result_copy(res);

        next = w->next;
        job->eng->njobs--;
        if (copy != NULL)
            copy->cached = 1;
        w->done(w->done_arg, copy);
        free(w);
    }
    free(job);
    done(done_arg, res);
}

/* job_timeout - the budget is spent */
static void
job_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    job_end(arg);
}

/* job_ask - send one query; on failure the list is in error at once */
static struct query *
job_ask(struct job *job, unsigned list, int qtype, const char *qname)
{
    struct query *q = calloc(1, sizeof(*q));
    struct dnsbl_list_result *lr = &job->res->lists[list];
    int rc;

    if (q == NULL) {
        snprintf(lr->error, sizeof(lr->error), "resolver");
        lr->status = qtype == ns_t_a ? DNSBL_ERROR : lr->status;
        return NULL;
    }
    q->eng = job->eng;
    q->job = job;
    q->list = list;
    q->qtype = qtype;
    snprintf(q->qname, sizeof(q->qname), "%s", qname);
    /* Set first: libunbound may call back before ub_resolve_event() returns. */
    if (qtype == ns_t_a)
        job->lists[list].a = q;
    else
        job->lists[list].txt = q;
    rc = ub_resolve_event(job->eng->ub, qname, qtype, ns_c_in, q, job_answer, &q->async_id);
    if (rc != 0) {
        log_msg(&job->eng->log, DNSBL_LOG_ERROR, "libunbound: cannot query list %s: %s",
                lr->name, ub_strerror(rc));
        if (qtype == ns_t_a) {
            job->lists[list].a = NULL;
            lr->status = DNSBL_ERROR;
            snprintf(lr->error, sizeof(lr->error), "resolver");
        } else {
            job->lists[list].txt = NULL;
        }
        free(q);
        return NULL;
    }
    return q;
}

/* job_send - the queries of every list that applies to this address */
static void
job_send(struct job *job, const struct net_addr *a)
{
    const struct dnsbl_config *cfg = job->eng->cfg;
    char qname[NS_MAXDNAME];
    unsigned i;

    for (i = 0; i < cfg->nlists; i++) {
        const struct cfg_list *l = &cfg->lists[i];

        if (a->family != AF_INET && !l->ipv6) {
            job->res->lists[i].status = DNSBL_NOT_QUERIED;
            continue;
        }
        if (net_query_name(a, l->zone, qname, sizeof(qname)) != 0) {
            job->res->lists[i].status = DNSBL_ERROR; /* the loader bounds zones: not reached */
            snprintf(job->res->lists[i].error, sizeof(job->res->lists[i].error), "resolver");
            continue;
        }
        (void)job_ask(job, i, ns_t_a, qname);
        if (l->txt)
            (void)job_ask(job, i, ns_t_txt, qname);
    }
}

/* job_new - a job with its events; NULL when out of memory */
static struct job *
job_new(dnsbl_engine *eng, dnsbl_result *res, int timed, dnsbl_done_fn *done, void *done_arg)
{
    struct job *job = calloc(1, sizeof(*job) + eng->cfg->nlists * sizeof(job->lists[0]));

    if (job == NULL)
        return NULL;
    job->eng = eng;
    job->res = res;
    job->done = done;
    job->done_arg = done_arg;
    job->ttl = ~0u;
    clock_gettime(CLOCK_MONOTONIC, &job->start);
    job->deliver = event_new(eng->base, -1, 0, job_deliver, job);
    if (timed)
        job->timer = evtimer_new(eng->base, job_timeout, job);
    if (job->deliver == NULL || (timed && job->timer == NULL)) {
        if (job->timer != NULL)
            event_free(job->timer);
        if (job->deliver != NULL)
            event_free(job->deliver);
        free(job);
        return NULL;
    }
    eng->njobs++;
    return job;
}

/* job_start - see engine.h */
int
job_start(dnsbl_engine *eng, const struct net_addr *a, const char *ip, unsigned budget_ms,
          dnsbl_done_fn *done, void *done_arg)
{
    const struct dnsbl_config *cfg = eng->cfg;
    unsigned ms = budget_ms > 0 && budget_ms < cfg->timeout_ms ? budget_ms : cfg->timeout_ms;
    struct timeval budget = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
    dnsbl_result *res = result_new(cfg, ip);
    struct job *job;

    if (res == NULL)
        return DNSBL_ENOMEM;
    if ((job = job_new(eng, res, 1, done, done_arg)) == NULL) {
        dnsbl_result_free(res);
        return DNSBL_ENOMEM;
    }
    evtimer_add(job->timer, &budget);
    job->next_active = eng->active;
    eng->active = job;
    job->sending = 1;
    job_send(job, a);
    job->sending = 0;
    job_check(job);
    return DNSBL_OK;
}

/* job_ready - deliver a result that needs no query (skipped, cached) */
int
job_ready(dnsbl_engine *eng, dnsbl_result *res, dnsbl_done_fn *done, void *done_arg)
{
    struct job *job = job_new(eng, res, 0, done, done_arg);

    if (job == NULL)
        return DNSBL_ENOMEM;
    job->ended = 1;
    event_active(job->deliver, EV_TIMEOUT, 1);
    return DNSBL_OK;
}
