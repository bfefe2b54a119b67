/*
 * NAME
 *	health - check each list's RFC 5782 test points, alongside scoring
 * DESCRIPTION
 *	Lists go wrong: a dead list's domain, parked, answers "listed" for the
 *	whole Internet; a list refuses a public resolver with a listed-looking
 *	code. The engine asks each list for its test points (health_judge.c)
 *	at the start of a scoring, in parallel with the real queries, at most
 *	once per [scoring] health_interval in a process, and keeps the verdict.
 *	Scoring waits for a check only where it matters: a hit from a list
 *	whose check is under way (both were sent together: no added latency).
 *	A lying list counts for nothing until a later check finds it healthy.
 *
 *	A state other than healthy is logged once per process (again when it
 *	changes), with the evidence and what to do; so is a refusal code seen
 *	in a real answer, with the same advice.
 */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

struct health {
    dnsbl_engine *eng;
    unsigned list;
    enum dnsbl_health state;
    long checked;      /* eng_now() of the last check that ended; -1: never */
    unsigned npending; /* test point queries out */
    int sending;       /* queries being sent: don't judge yet */
    struct ask *asks[HP_COUNT];
    struct dnsbl_list_result pts[HP_COUNT];
    int asked[HP_COUNT];
    struct event *timer; /* the budget of a check */
    struct timespec start;
    unsigned latency_ms;
    char evidence[256];
    char advice[320];
    enum dnsbl_health warned; /* the state last logged */
    uint32_t warned_code;     /* the refusal code last logged from a real answer */
};

/* health_new - see engine.h */
struct health *
health_new(dnsbl_engine *eng, const struct dnsbl_config *cfg)
{
    struct health *h = calloc(cfg->nlists ? cfg->nlists : 1, sizeof(*h));
    size_t i;

    if (h == NULL)
        return NULL;
    for (i = 0; i < cfg->nlists; i++) {
        h[i].eng = eng;
        h[i].list = (unsigned)i;
        h[i].checked = -1;
        h[i].warned = DNSBL_HEALTHY;
    }
    return h;
}

/* health_free - see engine.h */
void
health_free(dnsbl_engine *eng)
{
    size_t i;
    int p;

    if (eng->health == NULL)
        return;
    for (i = 0; i < eng->cfg->nlists; i++) {
        for (p = 0; p < HP_COUNT; p++)
            ask_drop(eng->health[i].asks[p]);
        if (eng->health[i].timer != NULL)
            event_free(eng->health[i].timer);
    }
    free(eng->health);
    eng->health = NULL;
}

/* health_pending - see engine.h */
int
health_pending(const dnsbl_engine *eng, unsigned i)
{
    return eng->health[i].npending > 0 || eng->health[i].sending;
}

/* health_state - see engine.h */
enum dnsbl_health
health_state(const dnsbl_engine *eng, unsigned i)
{
    return eng->health[i].state;
}

/* health_refused_with - did a test point answer with this error code? */
static int
health_refused_with(const struct health *h, uint32_t code)
{
    uint32_t said;
    int p;

    for (p = 0; p < HP_COUNT; p++)
        if (h->asked[p] && score_error_code(&h->pts[p], &said) && said == code)
            return 1;
    return 0;
}

/* health_log - a state worth an admin's attention, once per change */
static void
health_log(struct health *h)
{
    const char *name = h->eng->cfg->lists[h->list].name;

    if (h->state == h->warned)
        return;
    h->warned = h->state;
    if (h->state == DNSBL_REFUSING && h->warned_code != 0 && health_refused_with(h, h->warned_code))
        return; /* a real answer with the same code has said it already */
    if (h->state == DNSBL_HEALTHY)
        log_msg(&h->eng->log, DNSBL_LOG_INFO, "list %s is healthy again (test points: %s)", name,
                h->evidence);
    else
        log_msg(&h->eng->log, DNSBL_LOG_WARNING, "list %s is %s: %s (test points: %s)", name,
                dnsbl_health_name(h->state), h->advice, h->evidence);
}

/* health_finish - every point answered (or the budget ended): judge */
static void
health_finish(struct health *h)
{
    int p;

    for (p = 0; p < HP_COUNT; p++) {
        if (h->asks[p] != NULL) {
            ask_drop(h->asks[p]);
            h->asks[p] = NULL;
            h->pts[p].status = DNSBL_ERROR;
            snprintf(h->pts[p].error, sizeof(h->pts[p].error), "timeout");
        }
    }
    evtimer_del(h->timer);
    h->npending = 0;
    h->latency_ms = eng_ms_since(&h->start);
    h->state = health_judge(h->pts, h->asked, h->evidence, sizeof(h->evidence), h->advice,
                            sizeof(h->advice));
    h->checked = eng_now();
    health_log(h);
    job_health_changed(h->eng);
}

/* health_answer - a test point's answer (ask_fn) */
static void
health_answer(void *owner, unsigned p, int qtype, int err, const struct ans_result *ans)
{
    struct health *h = owner;

    (void)qtype;
    h->asks[p] = NULL;
    score_answer(&h->eng->cfg->lists[h->list], err, ans, &h->pts[p]);
    if (!h->sending && --h->npending == 0) /* while sending, health_start counts */
        health_finish(h);
}

/* health_timeout - the check's budget is spent */
static void
health_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    health_finish(arg);
}

/* health_point_query - the query name of a test point in zone */
static int
health_point_query(enum health_point p, const char *zone, char *buf, size_t len)
{
    struct net_addr a;

    memset(&a, 0, sizeof(a));
    /* IPv6 points are asked as 32 nibbles: built by hand, since parsing
     * ::ffff:7f00:2 would make it the IPv4 address it carries. */
    if (p == HP_V6_LISTED || p == HP_V6_UNLISTED) {
        a.family = AF_INET6;
        a.bytes[10] = a.bytes[11] = 0xff;
        a.bytes[12] = 127;
    } else {
        a.family = AF_INET;
        a.bytes[0] = 127;
    }
    a.bytes[a.family == AF_INET ? 3 : 15] = (p == HP_V4_LISTED || p == HP_V6_LISTED) ? 2 : 1;
    return net_query_name(&a, zone, buf, len);
}

/* health_start - ask list h's test points */
static void
health_start(struct health *h)
{
    const struct dnsbl_config *cfg = h->eng->cfg;
    const struct cfg_list *l = &cfg->lists[h->list];
    struct timeval budget = eng_timeval(cfg->timeout_ms);
    char qname[NS_MAXDNAME];
    int p;

    if (h->timer == NULL && (h->timer = evtimer_new(h->eng->base, health_timeout, h)) == NULL)
        return; /* out of memory: the list stays as it was */
    clock_gettime(CLOCK_MONOTONIC, &h->start);
    memset(h->pts, 0, sizeof(h->pts));
    memset(h->asked, 0, sizeof(h->asked));
    h->sending = 1;
    for (p = 0; p < HP_COUNT; p++) {
        if ((p == HP_V6_LISTED || p == HP_V6_UNLISTED) && !l->ipv6)
            continue;
        h->asked[p] = 1;
        if (health_point_query((enum health_point)p, l->zone, qname, sizeof(qname)) != 0 ||
            ask_send(h->eng, qname, ns_t_a, health_answer, h, (unsigned)p, &h->asks[p]) != 0) {
            h->pts[p].status = DNSBL_ERROR;
            snprintf(h->pts[p].error, sizeof(h->pts[p].error), "resolver");
        }
    }
    /* Answers from libunbound's cache may have come back already. */
    h->npending = 0;
    for (p = 0; p < HP_COUNT; p++)
        h->npending += h->asks[p] != NULL;
    h->sending = 0;
    if (h->npending == 0)
        health_finish(h);
    else
        evtimer_add(h->timer, &budget);
}

/* health_refresh - see engine.h */
void
health_refresh(dnsbl_engine *eng, int force)
{
    const struct dnsbl_config *cfg = eng->cfg;
    long now = eng_now();
    size_t i;

    if (!force && cfg->health_interval == 0)
        return;
    for (i = 0; i < cfg->nlists; i++) {
        struct health *h = &eng->health[i];

        if (health_pending(eng, (unsigned)i))
            continue;
        if (force || h->checked < 0 || now - h->checked >= (long)cfg->health_interval)
            health_start(h);
    }
}

/* health_note_answer - see engine.h */
void
health_note_answer(dnsbl_engine *eng, unsigned i, const struct dnsbl_list_result *lr)
{
    struct health *h = &eng->health[i];
    char dotted[16];
    uint32_t code;

    if (!score_error_code(lr, &code))
        return;
    /* A check that found the list refusing has said it already. */
    if (h->state == DNSBL_REFUSING)
        return;
    if (code == h->warned_code)
        return;
    h->warned_code = code;
    code_format_v4(code, dotted, sizeof(dotted));
    log_msg(&eng->log, DNSBL_LOG_WARNING, "list %s answered %s, an error code, not a listing: %s",
            eng->cfg->lists[i].name, dotted, health_refusal_advice(code));
}

/* dnsbl_health_check - see dnsbl.h */
int
dnsbl_health_check(dnsbl_engine *eng, struct dnsbl_health_report **reports, unsigned *nreports)
{
    const struct dnsbl_config *cfg = eng->cfg;
    struct dnsbl_health_report *r;
    size_t i;
    int busy;

    *reports = NULL;
    *nreports = 0;
    health_refresh(eng, 1);
    do {
        for (busy = 0, i = 0; i < cfg->nlists; i++)
            busy |= health_pending(eng, (unsigned)i);
    } while (busy && event_base_loop(eng->base, EVLOOP_ONCE) >= 0);
    if ((r = calloc(cfg->nlists ? cfg->nlists : 1, sizeof(*r))) == NULL)
        return DNSBL_ENOMEM;
    for (i = 0; i < cfg->nlists; i++) {
        const struct health *h = &eng->health[i];

        snprintf(r[i].name, sizeof(r[i].name), "%s", cfg->lists[i].name);
        r[i].state = h->state;
        r[i].latency_ms = h->latency_ms;
        snprintf(r[i].evidence, sizeof(r[i].evidence), "%s", h->evidence);
        snprintf(r[i].advice, sizeof(r[i].advice), "%s", h->advice);
    }
    *reports = r;
    *nreports = (unsigned)cfg->nlists;
    return DNSBL_OK;
}
