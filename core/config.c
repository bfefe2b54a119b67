/*
 * NAME
 *	config - load and validate the INI configuration
 * SYNOPSIS
 *	[scoring]   tag, defer, reject, timeout_ms, skip, cache_seconds,
 *	            health_interval, early_verdict
 *	[resolver]  forwarders, resolv_conf
 *	[actions]   on_error, skip_authenticated, score_header, report_header,
 *	            flag_header, info_url, reply_txt
 *	[list NAME] zone, weight, ipv6, txt, shadow, and code lines (127.0.0.2 = 6)
 * DESCRIPTION
 *	inih reads the file (through config_read.c, which guards against the
 *	ways Debian's inih can misread it); a table with one row per key says
 *	each key's type, range and place, and one handler fills the
 *	configuration from it. Checks that span keys (thresholds in order, a
 *	zone in every list) run once the whole file is read. Every problem is
 *	reported, not only the first, and none is fatal to the caller.
 *	dnsbl-score.ini(5) documents every key; keep it in step with the table.
 * DIAGNOSTICS
 *	"FILE:LINE: what is wrong", through the caller's log function.
 */
#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "config_load.h"

const struct code_rule cfg_default_error_rule = {
    CODE_RANGE, 0x7fffff00u, 0x7fffffffu, 0, 1, 1, 0, 0, /* 127.255.255.0/24 = error */
};

const char *const cfg_default_skip[] = {
    "127.0.0.0/8",    "10.0.0.0/8",     "172.16.0.0/12",
    "192.168.0.0/16", "169.254.0.0/16", "::1/128",
    "fe80::/10",      "fc00::/7",       NULL,
};

#define CFG_MAX_SKIP       64
#define CFG_MAX_FORWARDERS 8
#define CFG_MAX_RULES      64
#define POINTS(x)          ((long)(x)*100)

enum cfg_type {
    T_POINTS, /* a decimal with up to two places, kept in hundredths */
    T_UINT,
    T_BOOL,
    T_NETS, /* networks, space separated */
    T_FWD,  /* forwarders, space separated */
    T_PATH,
    T_ZONE,
    T_ONERROR, /* accept or defer */
    T_HEADER,  /* a header name */
    T_FLAG,    /* "Name: value", or empty for none */
    T_URL
};

struct cfg_key {
    enum cfg_sec_kind sec;
    const char *name;
    enum cfg_type type;
    size_t off;    /* into struct dnsbl_config, or struct cfg_list for SEC_LIST */
    long min, max; /* T_POINTS in hundredths, T_UINT as is */
};

#define CFG_OFF(field)  offsetof(struct dnsbl_config, field)
#define LIST_OFF(field) offsetof(struct cfg_list, field)

/* The key table. Keep dnsbl-score.ini(5) in step. */
static const struct cfg_key cfg_keys[] = {
    {SEC_SCORING, "tag", T_POINTS, CFG_OFF(tag), 1, POINTS(100000)},
    {SEC_SCORING, "defer", T_POINTS, CFG_OFF(defer), 1, POINTS(100000)},
    {SEC_SCORING, "reject", T_POINTS, CFG_OFF(reject), 1, POINTS(100000)},
    {SEC_SCORING, "timeout_ms", T_UINT, CFG_OFF(timeout_ms), 10, 60000},
    {SEC_SCORING, "skip", T_NETS, CFG_OFF(skip), 0, 0},
    {SEC_SCORING, "cache_seconds", T_UINT, CFG_OFF(cache_seconds), 0, 86400},
    {SEC_SCORING, "health_interval", T_UINT, CFG_OFF(health_interval), 0, 86400},
    {SEC_SCORING, "early_verdict", T_BOOL, CFG_OFF(early_verdict), 0, 1},
    {SEC_RESOLVER, "forwarders", T_FWD, CFG_OFF(forwarders), 0, 0},
    {SEC_RESOLVER, "resolv_conf", T_PATH, CFG_OFF(resolv_conf), 0, 0},
    {SEC_ACTIONS, "on_error", T_ONERROR, CFG_OFF(act.on_error_defer), 0, 0},
    {SEC_ACTIONS, "skip_authenticated", T_BOOL, CFG_OFF(act.skip_authenticated), 0, 1},
    {SEC_ACTIONS, "score_header", T_HEADER, CFG_OFF(act.score_header), 0, 0},
    {SEC_ACTIONS, "report_header", T_HEADER, CFG_OFF(act.report_header), 0, 0},
    {SEC_ACTIONS, "flag_header", T_FLAG, CFG_OFF(act.flag_header), 0, 0},
    {SEC_ACTIONS, "info_url", T_URL, CFG_OFF(act.info_url), 0, 0},
    {SEC_ACTIONS, "reply_txt", T_BOOL, CFG_OFF(act.reply_txt), 0, 1},
    {SEC_LIST, "zone", T_ZONE, LIST_OFF(zone), 0, 0},
    {SEC_LIST, "weight", T_POINTS, LIST_OFF(weight), POINTS(-1000), POINTS(1000)},
    {SEC_LIST, "ipv6", T_BOOL, LIST_OFF(ipv6), 0, 1},
    {SEC_LIST, "txt", T_BOOL, LIST_OFF(txt), 0, 1},
    {SEC_LIST, "shadow", T_BOOL, LIST_OFF(shadow), 0, 1},
};

#define CFG_NKEYS (sizeof(cfg_keys) / sizeof(cfg_keys[0]))

/* cfg_sec.seen[] is indexed by row. */
_Static_assert(CFG_NKEYS <= CFG_MAX_KEYS, "raise CFG_MAX_KEYS in config_load.h");

/* cfg_key_find - the row of a section's key, or CFG_NKEYS */
static size_t
cfg_key_find(enum cfg_sec_kind kind, const char *name)
{
    size_t i;

    for (i = 0; i < CFG_NKEYS; i++)
        if (cfg_keys[i].sec == kind && strcmp(cfg_keys[i].name, name) == 0)
            break;
    return i;
}

/* cfg_section_name - for messages */
static const char *
cfg_section_name(struct cfg_load *ld, const struct cfg_sec *sec, char *buf, size_t len)
{
    switch (sec->kind) {
    case SEC_SCORING:
        return "[scoring]";
    case SEC_RESOLVER:
        return "[resolver]";
    case SEC_ACTIONS:
        return "[actions]";
    case SEC_LIST:
        snprintf(buf, len, "[list %s]", cfg_sec_list(ld, sec)->name);
        return buf;
    default:
        return "this section";
    }
}

/* cfg_distance - edit distance of two short words (for "did you mean") */
static size_t
cfg_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, row[33], prev, cur;

    if (la > 32 || lb > 32)
        return 99;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            cur = row[j];
            row[j] = prev + (a[i - 1] != b[j - 1]);
            if (row[j] > row[j - 1] + 1)
                row[j] = row[j - 1] + 1;
            if (row[j] > cur + 1)
                row[j] = cur + 1;
            prev = cur;
        }
    }
    return row[lb];
}

/* cfg_unknown_key - report it, with the closest known key when one is close */
static void
cfg_unknown_key(struct cfg_load *ld, const struct cfg_sec *sec, const char *name)
{
    char sname[DNSBL_NAME_MAX + 8], known[256] = "";
    const char *best = NULL;
    size_t i, d, bestd = 3;

    for (i = 0; i < CFG_NKEYS; i++) {
        if (cfg_keys[i].sec != sec->kind)
            continue;
        snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s", *known ? ", " : "",
                 cfg_keys[i].name);
        if ((d = cfg_distance(name, cfg_keys[i].name)) < bestd) {
            bestd = d;
            best = cfg_keys[i].name;
        }
    }
    if (best != NULL)
        cfg_error(ld, ld->lineno, "unknown key '%s' in %s; did you mean '%s'?", name,
                  cfg_section_name(ld, sec, sname, sizeof(sname)), best);
    else
        cfg_error(ld, ld->lineno, "unknown key '%s' in %s (known: %s%s)", name,
                  cfg_section_name(ld, sec, sname, sizeof(sname)), known,
                  sec->kind == SEC_LIST ? ", and return codes like 127.0.0.2" : "");
}

/* cfg_parse_bool - yes/no and friends */
static int
cfg_parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false",
                                                                                "off", "0"};
    size_t i;

    for (i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(v, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* cfg_parse_nets - space-separated networks, added to cfg->skip */
static void
cfg_parse_nets(struct cfg_load *ld, const char *key, const char *value)
{
    struct dnsbl_config *cfg = ld->cfg;
    char *copy = strdup(value), *tok, *save = NULL;
    const char *why;

    if (copy == NULL) {
        ld->nomem = 1;
        return;
    }
    for (tok = strtok_r(copy, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
        if (cfg->nskip == CFG_MAX_SKIP) {
            cfg_error(ld, ld->lineno, "%s: more than %d networks", key, CFG_MAX_SKIP);
            break;
        }
        if (net_parse_prefix(tok, &cfg->skip[cfg->nskip], &why) != 0)
            cfg_error(ld, ld->lineno, "%s: '%s' %s", key, tok, why);
        else
            cfg->nskip++;
    }
    free(copy);
}

/* cfg_check_forwarder - "ADDR" or "ADDR@PORT" */
static const char *
cfg_check_forwarder(const char *tok)
{
    char addr[64];
    const char *at = strchr(tok, '@');
    size_t alen = at ? (size_t)(at - tok) : strlen(tok);
    struct net_addr a;

    if (alen >= sizeof(addr))
        return "is not an address";
    memcpy(addr, tok, alen);
    addr[alen] = '\0';
    if (net_parse_addr(addr, &a) != 0)
        return "is not an IP address (with an optional @PORT)";
    if (at != NULL) {
        char *end;
        unsigned long port = strtoul(at + 1, &end, 10);

        if (at[1] == '\0' || *end != '\0' || port == 0 || port > 65535)
            return "has an invalid port after '@'";
    }
    return NULL;
}

/* cfg_parse_forwarders - space-separated ADDR[@PORT] into a fresh array */
static int
cfg_parse_forwarders(struct cfg_load *ld, const char *value)
{
    struct dnsbl_config *cfg = ld->cfg;
    char *copy = strdup(value), *tok, *save = NULL;
    const char *why;
    int rc = 0;

    if (copy == NULL)
        return ld->nomem = 1, -1;
    for (tok = strtok_r(copy, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
        if ((why = cfg_check_forwarder(tok)) != NULL) {
            cfg_error(ld, ld->lineno, "forwarders: '%s' %s", tok, why);
            rc = -1;
        } else if (cfg->nforwarders == CFG_MAX_FORWARDERS) {
            cfg_error(ld, ld->lineno, "forwarders: more than %d", CFG_MAX_FORWARDERS);
            rc = -1;
            break;
        } else if ((cfg->forwarders[cfg->nforwarders] = strdup(tok)) == NULL) {
            ld->nomem = 1;
            rc = -1;
            break;
        } else {
            cfg->nforwarders++;
        }
    }
    free(copy);
    if (rc == 0 && strspn(value, " \t,") == strlen(value))
        cfg_error(ld, ld->lineno,
                  "forwarders: no address given (leave the key out to use "
                  "/etc/resolv.conf)");
    return rc;
}

/* cfg_check_header_name - RFC 5322 field name, kept short */
static const char *
cfg_check_header_name(const char *s, size_t len)
{
    size_t i;

    if (len == 0)
        return "is not a header name";
    if (len > 64)
        return "is longer than 64 characters";
    for (i = 0; i < len; i++)
        if (s[i] <= ' ' || s[i] > '~' || s[i] == ':')
            return "is not a header name (printable characters, no space or ':')";
    return NULL;
}

/* cfg_check_text - printable ASCII; spaces only when allowed */
static const char *
cfg_check_text(const char *s, int spaces)
{
    if (strlen(s) > 200)
        return "is longer than 200 characters";
    for (; *s; s++)
        if (*s < ' ' || *s > '~' || (!spaces && *s == ' '))
            return spaces ? "holds a character that is not printable ASCII"
                          : "holds a space or a character that is not printable ASCII";
    return NULL;
}

/* cfg_check_flag - "Name: value" */
static const char *
cfg_check_flag(const char *s)
{
    const char *colon = strchr(s, ':'), *why;

    if (*s == '\0')
        return NULL; /* no flag header */
    if (colon == NULL)
        return "is not 'Name: value' (or empty for no flag header)";
    if ((why = cfg_check_header_name(s, (size_t)(colon - s))) != NULL)
        return why;
    for (colon++; *colon == ' '; colon++)
        ;
    if (*colon == '\0')
        return "has no value after ':'";
    return cfg_check_text(colon, 1);
}

/* cfg_set_string - replace a string setting */
static int
cfg_set_string(struct cfg_load *ld, char **slot, const char *value)
{
    char *copy = strdup(value);

    if (copy == NULL)
        return ld->nomem = 1, -1;
    free(*slot);
    *slot = copy;
    return 0;
}

/* cfg_set_key - parse value by the row's type and store it */
static void
cfg_set_key(struct cfg_load *ld, const struct cfg_key *k, void *base, const char *value)
{
    char *slot = (char *)base + k->off, lo[DNSBL_POINTS_BUFSZ], hi[DNSBL_POINTS_BUFSZ];
    long points;
    unsigned long u;
    char *end;

    switch (k->type) {
    case T_POINTS:
        if (dec_parse(value, &points) != 0) {
            cfg_error(ld, ld->lineno, "%s: '%s' is not a number with at most two decimals", k->name,
                      value);
        } else if (points < k->min || points > k->max) {
            cfg_error(ld, ld->lineno, "%s: %s is out of range (%s to %s)", k->name, value,
                      dnsbl_format_points(k->min, lo), dnsbl_format_points(k->max, hi));
        } else {
            *(long *)(void *)slot = points;
            if (k->off == CFG_OFF(defer) && k->sec == SEC_SCORING)
                ld->cfg->has_defer = 1;
        }
        break;
    case T_UINT:
        errno = 0;
        u = strtoul(value, &end, 10);
        if (*value < '0' || *value > '9' || *end != '\0' || errno != 0)
            cfg_error(ld, ld->lineno, "%s: '%s' is not a whole number", k->name, value);
        else if ((long)u < k->min || u > (unsigned long)k->max)
            cfg_error(ld, ld->lineno, "%s: %s is out of range (%ld to %ld)", k->name, value, k->min,
                      k->max);
        else
            *(unsigned *)(void *)slot = (unsigned)u;
        break;
    case T_BOOL:
        if (cfg_parse_bool(value, (int *)(void *)slot) != 0)
            cfg_error(ld, ld->lineno, "%s: '%s' is not yes or no", k->name, value);
        break;
    case T_NETS:
        if (ld->cfg->nskip > 0 && strspn(value, " \t,") == strlen(value))
            cfg_error(ld, ld->lineno,
                      "%s: an empty line after others adds nothing (an empty "
                      "first line means: skip no network)",
                      k->name);
        else
            cfg_parse_nets(ld, k->name, value);
        break;
    case T_FWD:
        (void)cfg_parse_forwarders(ld, value);
        break;
    case T_PATH:
        if (*value != '/')
            cfg_error(ld, ld->lineno, "%s: '%s' is not an absolute path", k->name, value);
        else
            (void)cfg_set_string(ld, (char **)(void *)slot, value);
        break;
    case T_ONERROR:
        if (strcmp(value, "accept") == 0 || strcmp(value, "defer") == 0) {
            *(unsigned *)(void *)slot = strcmp(value, "defer") == 0;
            ld->cfg->act.on_error_set = 1;
        } else
            cfg_error(ld, ld->lineno, "%s: '%s' is not accept or defer", k->name, value);
        break;
    case T_HEADER:
    case T_FLAG:
    case T_URL: {
        const char *why = k->type == T_HEADER ? cfg_check_header_name(value, strlen(value))
                          : k->type == T_FLAG ? cfg_check_flag(value)
                          : *value == '\0'    ? "is empty (leave the key out for none)"
                                              : cfg_check_text(value, 0);

        if (why != NULL)
            cfg_error(ld, ld->lineno, "%s: '%s' %s", k->name, value, why);
        else
            (void)cfg_set_string(ld, (char **)(void *)slot, value);
        break;
    }
    case T_ZONE:
        if (*value == '\0')
            cfg_error(ld, ld->lineno, "zone: no domain given");
        else if (cfg_set_string(ld, (char **)(void *)slot, value) == 0 &&
                 (*(char **)(void *)slot)[strlen(value) - 1] == '.')
            (*(char **)(void *)slot)[strlen(value) - 1] = '\0'; /* "zone.example." */
        break;
    }
}

/* cfg_code_line - "127.0.0.2 = 6", "127.255.255.0/24 = error" in a list */
static void
cfg_code_line(struct cfg_load *ld, struct cfg_list *list, const char *name, const char *value)
{
    struct code_rule r, *rules;
    const char *why;
    size_t i;

    if (code_parse_spec(name, &r, &why) != 0) {
        cfg_error(ld, ld->lineno, "'%s' %s", name, why);
        return;
    }
    if (strcmp(value, "error") == 0) {
        r.is_error = 1;
    } else if (dec_parse(value, &r.weight) != 0) {
        cfg_error(ld, ld->lineno,
                  "%s: '%s' is not a weight (a number with at most two "
                  "decimals) or 'error'",
                  name, value);
        return;
    } else if (r.weight < POINTS(-1000) || r.weight > POINTS(1000)) {
        cfg_error(ld, ld->lineno, "%s: %s is out of range (-1000.00 to 1000.00)", name, value);
        return;
    }
    r.line = ld->lineno;
    for (i = 0; i < list->nrules; i++) {
        struct code_rule *o = &list->rules[i];

        if (o->kind != r.kind || o->lo != r.lo || o->hi != r.hi || o->mask != r.mask)
            continue;
        if (o->line == 0) {
            *o = r; /* written out, the built-in error block takes what it is given */
            return;
        }
        cfg_error(ld, ld->lineno, "'%s' is already given at line %u", name, o->line);
        return;
    }
    if (list->nrules - 1 >= CFG_MAX_RULES) { /* the built-in rule does not count */
        cfg_error(ld, ld->lineno, "too many return codes in [list %s]: at most %d", list->name,
                  CFG_MAX_RULES);
        return;
    }
    rules = realloc(list->rules, (list->nrules + 1) * sizeof(*rules));
    if (rules == NULL) {
        ld->nomem = 1;
        return;
    }
    list->rules = rules;
    list->rules[list->nrules++] = r;
}

/* cfg_handler - inih's callback: one key = value of the current section */
static int
cfg_handler(void *user, const char *section, const char *name, const char *value)
{
    struct cfg_load *ld = user;
    struct cfg_sec *sec = cfg_current(ld);
    void *base;
    size_t i;

    (void)section; /* config_read.c knows the section better than inih does */
    if (ld->nomem || sec->kind == SEC_UNKNOWN)
        return 1;
    if (sec->kind == SEC_NONE) {
        cfg_error(ld, ld->lineno, "'%s' comes before any [section]", name);
        return 1;
    }
    base = sec->kind == SEC_LIST ? (void *)cfg_sec_list(ld, sec) : (void *)ld->cfg;
    if ((i = cfg_key_find(sec->kind, name)) == CFG_NKEYS) {
        if (sec->kind == SEC_LIST && (name[0] == '&' || (name[0] >= '0' && name[0] <= '9')))
            cfg_code_line(ld, cfg_sec_list(ld, sec), name, value);
        else
            cfg_unknown_key(ld, sec, name);
        return 1;
    }
    if (cfg_keys[i].type == T_NETS || cfg_keys[i].type == T_FWD) {
        /* Lists may take several lines (inih reads at most 198 characters
         * a line): the first line replaces the default, the others add. */
        if (sec->seen[i] == 0 && cfg_keys[i].type == T_NETS)
            ld->cfg->nskip = 0;
    } else if (sec->seen[i] != 0) {
        cfg_error(ld, ld->lineno, "%s is already set at line %u", name, sec->seen[i]);
        return 1;
    }
    sec->seen[i] = ld->lineno;
    cfg_set_key(ld, &cfg_keys[i], base, value);
    return 1;
}

/* cfg_key_line - where a key of a section was set (0: not set) */
static unsigned
cfg_key_line(const struct cfg_sec *sec, const char *name)
{
    size_t i = cfg_key_find(sec->kind, name);

    return i < CFG_NKEYS ? sec->seen[i] : 0;
}

/* cfg_check_order - a <= b for two thresholds, reported where b was set */
static void
cfg_check_order(struct cfg_load *ld, const struct cfg_sec *sec, const char *a, long av,
                const char *b, long bv)
{
    char as[DNSBL_POINTS_BUFSZ], bs[DNSBL_POINTS_BUFSZ];
    unsigned la = sec ? cfg_key_line(sec, a) : 0, lb = sec ? cfg_key_line(sec, b) : 0;

    if (av <= bv)
        return;
    cfg_error(ld, lb > la ? lb : la,
              "%s (%s) is above %s (%s): thresholds must satisfy "
              "tag <= defer <= reject",
              a, dnsbl_format_points(av, as), b, dnsbl_format_points(bv, bs));
}

/* cfg_validate - checks that span keys, after the whole file is read */
static void
cfg_validate(struct cfg_load *ld)
{
    struct dnsbl_config *cfg = ld->cfg;
    const struct cfg_sec *scoring = NULL, *resolver = NULL;
    size_t i;

    for (i = 0; i < ld->nsecs; i++) {
        const struct cfg_sec *sec = &ld->secs[i];
        const struct cfg_list *l;
        const char *why;
        unsigned zline;

        if (sec->kind == SEC_SCORING)
            scoring = sec;
        if (sec->kind == SEC_RESOLVER)
            resolver = sec;
        if (sec->kind != SEC_LIST)
            continue;
        l = cfg_sec_list(ld, sec);
        zline = cfg_key_line(sec, "zone");
        if (l->zone == NULL && zline == 0)
            cfg_error(ld, sec->line, "[list %s] has no zone", l->name);
        else if (l->zone != NULL && (why = net_check_zone(l->zone, l->ipv6 ? 253 - 64 : 253 - 16)))
            cfg_error(ld, zline, "zone: '%s' %s", l->zone, why);
    }
    if (cfg->has_defer) {
        cfg_check_order(ld, scoring, "tag", cfg->tag, "defer", cfg->defer);
        cfg_check_order(ld, scoring, "defer", cfg->defer, "reject", cfg->reject);
    } else {
        cfg_check_order(ld, scoring, "tag", cfg->tag, "reject", cfg->reject);
    }
    if (resolver != NULL && cfg->nforwarders > 0 && cfg->resolv_conf != NULL) {
        unsigned a = cfg_key_line(resolver, "forwarders"),
                 b = cfg_key_line(resolver, "resolv_conf");

        cfg_error(ld, a > b ? a : b, "set forwarders or resolv_conf, not both");
    }
    if (cfg->nlists == 0 && ld->nerrors == 0)
        cfg_error(ld, 0, "no [list NAME] section: there is nothing to query");
}

/* cfg_defaults - a configuration holding every default */
static struct dnsbl_config *
cfg_defaults(const char *path)
{
    struct dnsbl_config *cfg = calloc(1, sizeof(*cfg));
    const char *why;

    if (cfg == NULL)
        return NULL;
    cfg->tag = POINTS(5);
    cfg->reject = POINTS(10);
    cfg->timeout_ms = 1500;
    cfg->cache_seconds = 300;
    cfg->health_interval = 600;
    cfg->early_verdict = 1;
    cfg->path = strdup(path);
    cfg->forwarders = calloc(CFG_MAX_FORWARDERS, sizeof(char *));
    cfg->skip = calloc(CFG_MAX_SKIP, sizeof(*cfg->skip));
    cfg->act.skip_authenticated = 1;
    cfg->act.score_header = strdup("X-DNSBL-Score");
    cfg->act.report_header = strdup("X-DNSBL-Report");
    cfg->act.flag_header = strdup("X-Spam-Flag: YES");
    if (cfg->path == NULL || cfg->forwarders == NULL || cfg->skip == NULL ||
        cfg->act.score_header == NULL || cfg->act.report_header == NULL ||
        cfg->act.flag_header == NULL) {
        dnsbl_config_free(cfg);
        return NULL;
    }
    for (cfg->nskip = 0; cfg_default_skip[cfg->nskip] != NULL; cfg->nskip++)
        (void)net_parse_prefix(cfg_default_skip[cfg->nskip], &cfg->skip[cfg->nskip], &why);
    return cfg;
}

/* cfg_open - open the file, with the errors an admin can act on */
static FILE *
cfg_open(struct cfg_load *ld)
{
    struct stat st;
    FILE *fp = fopen(ld->path, "r");

    if (fp == NULL) {
        cfg_error(ld, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        cfg_error(ld, 0, "is a directory, not a configuration file");
        fclose(fp);
        return NULL;
    }
    return fp;
}

/* cfg_view - the public view of [actions] */
static void
cfg_view(struct dnsbl_config *cfg)
{
    cfg->actions.on_error_defer = (int)cfg->act.on_error_defer;
    cfg->actions.skip_authenticated = cfg->act.skip_authenticated;
    cfg->actions.score_header = cfg->act.score_header;
    cfg->actions.report_header = cfg->act.report_header;
    cfg->actions.flag_header = cfg->act.flag_header;
    cfg->actions.info_url = cfg->act.info_url;
    cfg->actions.reply_txt = cfg->act.reply_txt;
}

/*
 * cfg_load - read and check path, or the stream fp (named path) when not
 * NULL; partial: keep the configuration despite errors
 */
static int
cfg_load(const char *path, FILE *fp, dnsbl_log_fn *log, void *log_arg, dnsbl_config **cfgp,
         int partial)
{
    struct cfg_load ld;

    *cfgp = NULL;
    if (path == NULL)
        return DNSBL_EINVAL;
    memset(&ld, 0, sizeof(ld));
    ld.path = path;
    ld.log.fn = log;
    ld.log.arg = log_arg;
    ld.none.kind = SEC_NONE;
    if ((ld.cfg = cfg_defaults(path)) == NULL)
        return DNSBL_ENOMEM;
    if ((ld.fp = fp ? fp : cfg_open(&ld)) != NULL) {
        if (ini_parse_stream(cfg_reader, &ld, cfg_handler, &ld) == -2)
            ld.nomem = 1;
        if (ferror(ld.fp))
            cfg_error(&ld, ld.lineno + 1, "read error: %s", strerror(errno));
        if (fp == NULL)
            fclose(ld.fp);
        if (!ld.nomem)
            cfg_validate(&ld);
    }
    free(ld.buf);
    free(ld.secs);
    if (ld.nomem || (ld.nerrors > 0 && !partial)) {
        dnsbl_config_free(ld.cfg);
        return ld.nomem ? DNSBL_ENOMEM : (int)ld.nerrors;
    }
    cfg_view(ld.cfg);
    for (size_t i = 0; i < ld.cfg->nlists; i++)
        score_span(&ld.cfg->lists[i]);
    *cfgp = ld.cfg;
    return (int)ld.nerrors;
}

/* dnsbl_config_load - read, check, report every problem */
int
dnsbl_config_load(const char *path, dnsbl_log_fn *log, void *log_arg, dnsbl_config **cfgp)
{
    return cfg_load(path, NULL, log, log_arg, cfgp, 0);
}

/* cfg_load_stream - see dnsbl_int.h */
int
cfg_load_stream(FILE *fp, const char *name, dnsbl_log_fn *log, void *log_arg, dnsbl_config **cfgp)
{
    return cfg_load(name, fp, log, log_arg, cfgp, 0);
}

/* dnsbl_config_on_error - on_error from a file that may be broken */
int
dnsbl_config_on_error(const char *path)
{
    dnsbl_config *cfg;
    int said;

    if (cfg_load(path, NULL, NULL, NULL, &cfg, 1) < 0 || cfg == NULL)
        return -1;
    said = cfg->act.on_error_set ? (int)cfg->act.on_error_defer : -1;
    dnsbl_config_free(cfg);
    return said;
}

/* dnsbl_config_actions - see dnsbl.h */
const struct dnsbl_actions *
dnsbl_config_actions(const dnsbl_config *cfg)
{
    return &cfg->actions;
}

/* dnsbl_config_timeout_ms - see dnsbl.h */
unsigned
dnsbl_config_timeout_ms(const dnsbl_config *cfg)
{
    return cfg->timeout_ms;
}

/* dnsbl_config_free - everything the loader allocated */
void
dnsbl_config_free(dnsbl_config *cfg)
{
    size_t i;

    if (cfg == NULL)
        return;
    for (i = 0; i < cfg->nlists; i++) {
        free(cfg->lists[i].zone);
        free(cfg->lists[i].rules);
    }
    free(cfg->lists);
    if (cfg->forwarders != NULL)
        for (i = 0; i < cfg->nforwarders; i++)
            free(cfg->forwarders[i]);
    free(cfg->forwarders);
    free(cfg->skip);
    free(cfg->resolv_conf);
    free(cfg->act.score_header);
    free(cfg->act.report_header);
    free(cfg->act.flag_header);
    free(cfg->act.info_url);
    free(cfg->path);
    free(cfg);
}

/* dnsbl_config_path - where it was read from */
const char *
dnsbl_config_path(const dnsbl_config *cfg)
{
    return cfg->path;
}

/* dnsbl_default_skip - see dnsbl.h */
int
dnsbl_default_skip(const char *addr, char *net, size_t len)
{
    struct net_prefix p;
    struct net_addr a;
    const char *why;
    size_t i;

    if (net_parse_addr(addr, &a) != 0)
        return 0;
    for (i = 0; cfg_default_skip[i] != NULL; i++) {
        if (net_parse_prefix(cfg_default_skip[i], &p, &why) == 0 && net_prefix_contains(&p, &a)) {
            snprintf(net, len, "%s", cfg_default_skip[i]);
            return 1;
        }
    }
    return 0;
}

/* dnsbl_config_threshold - see dnsbl.h */
long
dnsbl_config_threshold(const dnsbl_config *cfg, int action)
{
    switch (action) {
    case DNSBL_TAG:
        return cfg->tag;
    case DNSBL_DEFER:
        return cfg->has_defer ? cfg->defer : -1;
    case DNSBL_REJECT:
        return cfg->reject;
    default:
        return -1;
    }
}

/* dnsbl_config_nlists - see dnsbl.h */
unsigned
dnsbl_config_nlists(const dnsbl_config *cfg)
{
    return (unsigned)cfg->nlists;
}

/* dnsbl_config_list_name - see dnsbl.h */
const char *
dnsbl_config_list_name(const dnsbl_config *cfg, unsigned i)
{
    return i < cfg->nlists ? cfg->lists[i].name : NULL;
}

/* dnsbl_config_list_shadow - see dnsbl.h */
int
dnsbl_config_list_shadow(const dnsbl_config *cfg, unsigned i)
{
    return i < cfg->nlists && cfg->lists[i].shadow;
}

/* dnsbl_config_list_ipv6 - see dnsbl.h */
int
dnsbl_config_list_ipv6(const dnsbl_config *cfg, unsigned i)
{
    return i < cfg->nlists && cfg->lists[i].ipv6;
}

/* dnsbl_config_code_line - see dnsbl.h */
int
dnsbl_config_code_line(const dnsbl_config *cfg, unsigned i, uint32_t value)
{
    return i < cfg->nlists && code_match(cfg->lists[i].rules, cfg->lists[i].nrules, value) != NULL;
}

/* dnsbl_config_code_weight - see dnsbl.h */
int
dnsbl_config_code_weight(const dnsbl_config *cfg, unsigned i, uint32_t value, long *weight)
{
    struct dnsbl_list_result lr;

    if (i >= cfg->nlists)
        return 0;
    memset(&lr, 0, sizeof(lr));
    lr.values[0] = value;
    lr.nvalues = 1;
    score_list(&cfg->lists[i], &lr);
    *weight = lr.weight;
    return lr.status == DNSBL_HIT;
}
