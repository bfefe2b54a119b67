/*
 * engine.h - the engine object, shared by engine.c and job.c
 */
#ifndef ENGINE_H
#define ENGINE_H

#include "dnsbl_int.h"

struct event_base;
struct ub_ctx;
struct query;
struct job;

struct dnsbl_engine {
    struct dnsbl_config *cfg;
    struct log_sink log;
    struct event_base *base;
    struct ub_ctx *ub;
    struct cache *cache;
    unsigned njobs;          /* started and not yet delivered */
    struct job *active;      /* jobs with queries out, for joining */
    struct query *orphans;   /* queries whose job ended before their answer */
};

#define ENG_CACHE_SLOTS 64

/* eng_now - seconds on a monotonic clock, for cache lifetimes */
long eng_now(void);

/*
 * job_start - score the parsed address a (its text in ip) within budget_ms
 * (0, or more than configured: the configured budget) and deliver the result
 * to done from the event loop. 0, or DNSBL_ENOMEM.
 */
int job_start(dnsbl_engine *eng, const struct net_addr *a, const char *ip, unsigned budget_ms,
              dnsbl_done_fn *done, void *done_arg);

/*
 * job_ready - deliver res (which the job takes) to done from the event loop:
 * for results that need no query. 0, or DNSBL_ENOMEM (res is still yours).
 */
int job_ready(dnsbl_engine *eng, dnsbl_result *res, dnsbl_done_fn *done, void *done_arg);

/*
 * job_join - when a job for ip is under way, add done as one more receiver
 * of (a copy of) its result and return 0; else -1.
 */
int job_join(dnsbl_engine *eng, const char *ip, dnsbl_done_fn *done, void *done_arg);

/* job_free_orphans - when the engine goes: queries that will never be answered */
void job_free_orphans(dnsbl_engine *eng);

#endif /* ENGINE_H */
