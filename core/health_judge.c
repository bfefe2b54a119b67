/*
 * NAME
 *	health_judge - what a list's RFC 5782 test points say about it
 * DESCRIPTION
 *	RFC 5782 section 5: an IPv4 DNSBL lists 127.0.0.2 and does not list
 *	127.0.0.1; one with IPv6 data lists ::ffff:7f00:2 and not ::ffff:7f00:1.
 *	From the answers for these points a list is, from worst to best:
 *	lying (it lists a point no list may list, or answers outside
 *	127.0.0.0/8: a dead list whose domain now answers everything), refusing
 *	(it answers with its error codes: Spamhaus refusing a public resolver),
 *	unreachable (no answer), silent (it does not list its own test point),
 *	or healthy. The worst point decides. Pure functions, for table tests.
 */
#include <stdio.h>
#include <string.h>

#include "dnsbl_int.h"

/* health_point_addr - see dnsbl_int.h */
const char *
health_point_addr(enum health_point p)
{
    static const char *const addr[HP_COUNT] = {"127.0.0.2", "127.0.0.1", "::ffff:7f00:2",
                                               "::ffff:7f00:1"};

    return addr[p];
}

/* health_refusal_advice - see dnsbl_int.h */
const char *
health_refusal_advice(uint32_t code)
{
    switch (code) {
    case 0x7ffffffe:
        return "it refuses queries from your resolver (127.255.255.254: a public or open "
               "resolver): use a local caching resolver (unbound on 127.0.0.1) in [resolver] "
               "forwarders, not a public one";
    case 0x7fffffff:
        return "it refuses because of too many queries (127.255.255.255): use a local caching "
               "resolver, or the list's data service for large sites";
    case 0x7ffffffc:
        return "it says the zone is mistyped (127.255.255.252): check the zone and any access "
               "key in it";
    default:
        return "it answers with one of its error codes: see the list's documentation";
    }
}

/* health_point_text - "127.0.0.2=listed:127.0.0.2", "...=not-listed", "...=error:timeout" */
static void
health_point_text(enum health_point p, const struct dnsbl_list_result *r, char *buf, size_t len)
{
    if (r->status == DNSBL_HIT) {
        size_t o = (size_t)snprintf(buf, len, "%s=listed:", health_point_addr(p));

        if (o < len)
            code_format_values(r->values, r->nvalues, buf + o, len - o);
    } else if (r->status == DNSBL_MISS) {
        snprintf(buf, len, "%s=not-listed", health_point_addr(p));
    } else {
        snprintf(buf, len, "%s=error:%s", health_point_addr(p), r->error);
    }
}

/* health_point_state - what one point says */
static enum dnsbl_health
health_point_state(enum health_point p, const struct dnsbl_list_result *r)
{
    int must_list = (p == HP_V4_LISTED || p == HP_V6_LISTED);

    if (r->status == DNSBL_HIT)
        return must_list ? DNSBL_HEALTHY : DNSBL_LYING;
    if (r->status == DNSBL_MISS)
        return must_list ? DNSBL_SILENT : DNSBL_HEALTHY;
    if (strncmp(r->error, "nonlocal-", 9) == 0)
        return DNSBL_LYING;
    if (strncmp(r->error, "code-", 5) == 0 || strcmp(r->error, "refused") == 0)
        return DNSBL_REFUSING;
    return DNSBL_UNREACHABLE;
}

/* health_rank - worse states rank higher */
static int
health_rank(enum dnsbl_health h)
{
    static const int rank[] = {[DNSBL_HEALTH_UNKNOWN] = 0, [DNSBL_HEALTHY] = 0,  [DNSBL_SILENT] = 1,
                               [DNSBL_UNREACHABLE] = 2,    [DNSBL_REFUSING] = 3, [DNSBL_LYING] = 4};

    return rank[h];
}

/* health_advice - words for the state found at point p */
static void
health_advice(enum dnsbl_health h, enum health_point p, const struct dnsbl_list_result *r,
              char *buf, size_t len)
{
    const char *addr = health_point_addr(p);

    switch (h) {
    case DNSBL_LYING:
        if (r->status == DNSBL_HIT)
            snprintf(buf, len,
                     "it lists %s, which no working DNSBL lists (RFC 5782): its answers "
                     "count for nothing until it is healthy again. A list that lists everything "
                     "has usually died and its domain been parked: check it and remove it",
                     addr);
        else
            snprintf(buf, len,
                     "it answers %s with %s, outside 127.0.0.0/8: its domain is likely "
                     "parked or expired; its answers count for nothing until it is healthy "
                     "again: check it and remove it",
                     addr, r->error + 9);
        break;
    case DNSBL_REFUSING: {
        uint32_t code;

        if (score_error_code(r, &code))
            snprintf(buf, len, "%s", health_refusal_advice(code));
        else
            snprintf(buf, len,
                     "the server refuses the queries (REFUSED): check the zone and "
                     "that your resolver may query it");
        break;
    }
    case DNSBL_UNREACHABLE:
        snprintf(buf, len,
                 "no answer for %s (%s): check the resolver ([resolver]) and the zone; "
                 "its listings still count when they come",
                 addr, r->error);
        break;
    case DNSBL_SILENT:
        if (p == HP_V6_LISTED)
            snprintf(buf, len,
                     "it does not list its IPv6 test point %s: if it has no IPv6 data, "
                     "set ipv6 = no for it",
                     addr);
        else
            snprintf(buf, len,
                     "it does not list its test point %s: the list may be dead, its "
                     "zone misspelled, or not an IP blocklist; its listings still count",
                     addr);
        break;
    default:
        buf[0] = '\0';
    }
}

/* health_judge - see dnsbl_int.h */
enum dnsbl_health
health_judge(const struct dnsbl_list_result pts[HP_COUNT], const int asked[HP_COUNT],
             char *evidence, size_t elen, char *advice, size_t alen)
{
    enum dnsbl_health worst = DNSBL_HEALTHY;
    int worst_p = -1, p;
    size_t o = 0;

    evidence[0] = '\0';
    for (p = 0; p < HP_COUNT; p++) {
        enum dnsbl_health h;
        char text[96];

        if (!asked[p])
            continue;
        health_point_text((enum health_point)p, &pts[p], text, sizeof(text));
        if (o < elen)
            o += (size_t)snprintf(evidence + o, elen - o, "%s%s", o ? " " : "", text);
        h = health_point_state((enum health_point)p, &pts[p]);
        if (health_rank(h) > health_rank(worst)) {
            worst = h;
            worst_p = p;
        }
    }
    if (worst_p < 0)
        advice[0] = '\0';
    else
        health_advice(worst, (enum health_point)worst_p, &pts[worst_p], advice, alen);
    return worst;
}
