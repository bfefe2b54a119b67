/*
 * dnsbl_int.h - private interfaces of the dnsbl-score engine
 *
 * One prefix per file: dec_ (decimal.c), net_ (net.c), code_ (codes.c),
 * cfg_ (config*.c), ans_ (answer.c), score_ (score.c),
 * res_ (resolver.c), job_ (job.c), cache_ (cache.c), log_ (log.c),
 * result_ (result.c); text.c has only the public dnsbl_clean_text(). Nothing
 * here is part of the public API; unit tests use it to reach the pure logic.
 */
#ifndef DNSBL_INT_H
#define DNSBL_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dnsbl.h"

#define DNSBL_FORMAT(a, b) __attribute__((format(printf, a, b)))

/* ---- log.c: the caller's log function, with printf-style formatting ---- */

struct log_sink {
    dnsbl_log_fn *fn;
    void *arg;
};

void log_msg(const struct log_sink *sink, enum dnsbl_log_level level, const char *fmt, ...)
    DNSBL_FORMAT(3, 4);

/* ---- decimal.c: fixed-point numbers in hundredths ---- */

/* dec_parse - "7.5", "-0.25", "10" -> hundredths; 0 on success, -1 if malformed */
int dec_parse(const char *s, long *out);

/* ---- net.c: client addresses, query names, networks ---- */

struct net_addr {
    int family;        /* AF_INET or AF_INET6 */
    uint8_t bytes[16]; /* 4 used for AF_INET */
};

struct net_prefix {
    struct net_addr addr;
    unsigned bits;
};

/* net_parse_addr - parse an address; IPv4-mapped IPv6 becomes IPv4. 0 or -1 */
int net_parse_addr(const char *s, struct net_addr *out);

/* net_format_addr - the canonical text of an address into buf (>= 46 bytes) */
void net_format_addr(const struct net_addr *a, char *buf, size_t len);

/* net_parse_prefix - "10.0.0.0/8", "::1", "fe80::/10"; -1 with *why set if bad */
int net_parse_prefix(const char *s, struct net_prefix *out, const char **why);

/* net_format_prefix - "10.0.0.0/8" into buf (>= 50 bytes) */
void net_format_prefix(const struct net_prefix *p, char *buf, size_t len);

/* net_prefix_contains - does prefix p contain address a? */
int net_prefix_contains(const struct net_prefix *p, const struct net_addr *a);

/*
 * net_query_name - the RFC 5782 query name for address a in zone: reversed
 * octets for IPv4, 32 reversed nibbles for IPv6. 0, or -1 if it won't fit.
 */
int net_query_name(const struct net_addr *a, const char *zone, char *buf, size_t len);

/* net_check_zone - is zone a valid domain name of at most maxlen? NULL or why not */
const char *net_check_zone(const char *zone, size_t maxlen);

/* ---- codes.c: return codes and their weights ---- */

enum code_kind {
    CODE_RANGE, /* lo..hi: an exact value, a range, or a CIDR block */
    CODE_MASK   /* all bits of mask set in the value */
};

struct code_rule {
    enum code_kind kind;
    uint32_t lo, hi; /* CODE_RANGE, host byte order */
    uint32_t mask;   /* CODE_MASK */
    int cidr;        /* CODE_RANGE written as a CIDR block */
    int is_error;    /* "= error": the list refused to answer */
    long weight;     /* hundredths, when !is_error */
    unsigned line;   /* where it was defined; 0 for built-in rules */
};

/* code_parse_spec - "127.0.0.2", "a-b", "a/n", "&m" into r (kind, lo, hi, mask) */
int code_parse_spec(const char *s, struct code_rule *r, const char **why);

/* code_format_v4 - a host-order value as a dotted quad into buf (>= 16 bytes) */
void code_format_v4(uint32_t v, char *buf, size_t len);

/* code_format_values - values joined with "+" ("127.0.0.2+127.0.0.4") into buf */
#define CODE_VALUES_BUFSZ (DNSBL_MAX_VALUES * 16)
void code_format_values(const uint32_t *values, unsigned n, char *buf, size_t len);

/* code_format_spec - the normal text of a rule's spec into buf (>= 40 bytes) */
void code_format_spec(const struct code_rule *r, char *buf, size_t len);

/*
 * code_match - the rule that decides value among n rules: the narrowest
 * range (exact values are ranges of one), else a mask; among equally
 * specific rules the largest weight magnitude, then the first. NULL if none.
 */
const struct code_rule *code_match(const struct code_rule *rules, size_t n, uint32_t value);

/* ---- config.c: the loaded configuration ---- */

struct cfg_list {
    char name[DNSBL_NAME_MAX + 1];
    char *zone;
    long weight; /* hundredths, for values no code rule matches */
    int ipv6;    /* query this list for IPv6 clients */
    int txt;     /* fetch the TXT reason of hits */
    int shadow;  /* queried and reported, never counted */
    struct code_rule *rules;
    size_t nrules;
    long min_weight, max_weight; /* what it can add: 0 (no hit), or a weight */
};

struct dnsbl_config {
    char *path;
    long tag, defer, reject; /* hundredths; defer is only valid when has_defer */
    int has_defer;
    unsigned timeout_ms;
    unsigned cache_seconds;
    unsigned health_interval; /* seconds between checks of a list; 0: never */
    int early_verdict;        /* stop waiting once no answer can change the action */
    struct net_prefix *skip;
    size_t nskip;
    char **forwarders; /* "ADDR" or "ADDR@PORT" */
    size_t nforwarders;
    char *resolv_conf;
    struct cfg_list *lists;
    size_t nlists;
    struct cfg_actions {
        unsigned on_error_defer; /* T_ONERROR */
        int on_error_set;        /* the file says on_error validly */
        int skip_authenticated;
        int reply_txt;
        char *score_header, *report_header, *flag_header, *info_url;
    } act;
    struct dnsbl_actions actions; /* the public view of act */
};

/*
 * cfg_load_stream - dnsbl_config_load() from an open stream, named name in
 * messages (for the fuzzer, which feeds bytes from memory)
 */
int cfg_load_stream(FILE *fp, const char *name, dnsbl_log_fn *log, void *log_arg,
                    dnsbl_config **cfgp);

/* The built-in error codes every list has: 127.255.255.0/24. */
extern const struct code_rule cfg_default_error_rule;

/* The built-in skip networks, as text (used when [scoring] skip is absent). */
extern const char *const cfg_default_skip[];

/* ---- answer.c: reading DNS answers ---- */

#define ANS_TXT_MAX 256 /* bytes of TXT text kept (before cleaning) */

struct ans_result {
    int rcode;                         /* DNS rcode from the packet header */
    const char *error;                 /* NULL, or why the packet is unusable */
    uint32_t values[DNSBL_MAX_VALUES]; /* A records for the name */
    unsigned nvalues;
    unsigned ttl;              /* smallest TTL among the records used */
    char txt[ANS_TXT_MAX + 1]; /* TXT strings joined, raw bytes */
    size_t txtlen;
};

/*
 * ans_parse - read an answer to (qname, qtype A or TXT) from a wire-format
 * packet. Sets out->error ("badanswer") for anything that is not a clean
 * answer to that question: wrong name or type, truncation, malformed data.
 */
void ans_parse(const uint8_t *pkt, size_t len, const char *qname, int qtype,
               struct ans_result *out);

/* ---- score.c: from answers to weights, totals and actions ---- */

/*
 * score_list - decide one list's status and contribution from the A values it
 * returned (already in lr->values): errors, hits and their weight.
 */
void score_list(const struct cfg_list *list, struct dnsbl_list_result *lr);

/*
 * score_error_code - for a list in error because it answered an error code
 * ("code-127.255.255.254"), 1 and the code; else 0
 */
int score_error_code(const struct dnsbl_list_result *lr, uint32_t *code);

/*
 * score_answer - a list's result from the answer to its A query (err: a
 * libunbound failure, an rcode): error, miss or hit, values sorted.
 */
void score_answer(const struct cfg_list *list, int err, const struct ans_result *ans,
                  struct dnsbl_list_result *lr);

/* score_total - sum the contributions and choose the action */
void score_total(const struct dnsbl_config *cfg, dnsbl_result *res);

/* score_action - the action for a total */
enum dnsbl_action score_action(const struct dnsbl_config *cfg, long total);

/* score_span - a list's smallest and largest possible contribution */
void score_span(struct cfg_list *list);

/* ---- health_judge.c: what test point answers say of a list ---- */

enum health_point {
    HP_V4_LISTED,   /* 127.0.0.2: must be listed */
    HP_V4_UNLISTED, /* 127.0.0.1: must not be */
    HP_V6_LISTED,   /* ::ffff:7f00:2 */
    HP_V6_UNLISTED, /* ::ffff:7f00:1 */
    HP_COUNT
};

/* health_point_addr - the address of a test point */
const char *health_point_addr(enum health_point p);

/*
 * health_judge - the state of a list from the results for its test points
 * (status HIT/MISS/ERROR as score_answer() leaves them; asked[p] says which
 * were asked), with the evidence and an admin's advice.
 */
enum dnsbl_health health_judge(const struct dnsbl_list_result pts[HP_COUNT],
                               const int asked[HP_COUNT], char *evidence, size_t elen, char *advice,
                               size_t alen);

/* health_refusal_advice - words for a refusal code (127.255.255.254...) */
const char *health_refusal_advice(uint32_t code);

/* ---- result.c: allocation and copies of results ---- */

dnsbl_result *result_new(const struct dnsbl_config *cfg, const char *ip);
dnsbl_result *result_copy(const dnsbl_result *res);

/* ---- resolver.c: the libunbound context ---- */

struct ub_ctx;
struct event_base;

/* res_new - a libunbound context on base, configured from cfg; NULL if not */
struct ub_ctx *res_new(struct event_base *base, const struct dnsbl_config *cfg,
                       const struct log_sink *log);

/* ---- cache.c: results reused within a process ---- */

struct cache;

struct cache *cache_new(size_t slots);
void cache_free(struct cache *c);

/* cache_get - a copy of a fresh result for ip, or NULL */
dnsbl_result *cache_get(struct cache *c, const char *ip, long now);

/* cache_put - keep a copy of res until now + seconds (best effort) */
void cache_put(struct cache *c, const dnsbl_result *res, long now, unsigned seconds);

#endif /* DNSBL_INT_H */
