/*
 * NAME
 *	result - results: allocation, copies, names of their values
 * DESCRIPTION
 *	A result holds copies of everything it shows (list names, cleaned TXT
 *	texts), never pointers into the engine, so it may outlive the engine
 *	and be kept in the per-process cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl_int.h"

/* result_new - a result with one entry per list, all "miss" */
dnsbl_result *
result_new(const struct dnsbl_config *cfg, const char *ip)
{
    dnsbl_result *res = calloc(1, sizeof(*res));
    size_t i;

    if (res == NULL)
        return NULL;
    res->lists = calloc(cfg->nlists ? cfg->nlists : 1, sizeof(*res->lists));
    if (res->lists == NULL) {
        free(res);
        return NULL;
    }
    res->nlists = (unsigned)cfg->nlists;
    snprintf(res->ip, sizeof(res->ip), "%s", ip);
    for (i = 0; i < cfg->nlists; i++) {
        memcpy(res->lists[i].name, cfg->lists[i].name, sizeof(res->lists[i].name));
        res->lists[i].shadow = cfg->lists[i].shadow;
    }
    return res;
}

/* result_copy - a deep copy, or NULL when out of memory */
dnsbl_result *
result_copy(const dnsbl_result *res)
{
    dnsbl_result *c = malloc(sizeof(*c));
    unsigned i;

    if (c == NULL)
        return NULL;
    *c = *res;
    c->lists = malloc((res->nlists ? res->nlists : 1) * sizeof(*c->lists));
    if (c->lists == NULL) {
        free(c);
        return NULL;
    }
    memcpy(c->lists, res->lists, res->nlists * sizeof(*c->lists));
    for (i = 0; i < res->nlists; i++) {
        if (res->lists[i].txt != NULL && (c->lists[i].txt = strdup(res->lists[i].txt)) == NULL) {
            c->nlists = i;
            dnsbl_result_free(c);
            return NULL;
        }
    }
    return c;
}

/* dnsbl_result_free - the result and its TXT texts */
void
dnsbl_result_free(dnsbl_result *res)
{
    unsigned i;

    if (res == NULL)
        return;
    for (i = 0; i < res->nlists; i++)
        free(res->lists[i].txt);
    free(res->lists);
    free(res);
}

/* dnsbl_action_name - see dnsbl.h */
const char *
dnsbl_action_name(enum dnsbl_action action)
{
    static const char *const names[] = {"accept", "tag", "defer", "reject", "skip"};

    return (unsigned)action < sizeof(names) / sizeof(names[0]) ? names[action] : "unknown";
}

/* dnsbl_status_name - see dnsbl.h */
const char *
dnsbl_status_name(enum dnsbl_list_status status)
{
    static const char *const names[] = {"miss", "hit", "error", "not-queried", "not-awaited"};

    return (unsigned)status < sizeof(names) / sizeof(names[0]) ? names[status] : "unknown";
}

/* dnsbl_health_name - see dnsbl.h */
const char *
dnsbl_health_name(enum dnsbl_health health)
{
    static const char *const names[] = {"unknown", "healthy",  "lying",
                                        "silent",  "refusing", "unreachable"};

    return (unsigned)health < sizeof(names) / sizeof(names[0]) ? names[health] : "unknown";
}

/* dnsbl_strerror - see dnsbl.h */
const char *
dnsbl_strerror(int err)
{
    switch (err) {
    case DNSBL_OK:
        return "success";
    case DNSBL_ENOMEM:
        return "out of memory";
    case DNSBL_EADDR:
        return "not an IPv4 or IPv6 address";
    case DNSBL_ECONFIG:
        return "invalid configuration";
    case DNSBL_ERESOLVER:
        return "the resolver could not be set up";
    case DNSBL_EINVAL:
        return "invalid argument";
    default:
        return "unknown error";
    }
}
