/*
 * NAME
 *	tune_read - find summary lines in logs and keep what they say
 * DESCRIPTION
 *	A summary line starts a line (dnsbl-score's output), or follows the
 *	module's tag "dnsbl-score: " right after an Exim message id that only
 *	the prefix Exim or syslog writes comes before: syslog's date, host and
 *	"exim...[pid]:", then Exim's date, time (and time zone), then [pid];
 *	each part optional, in that order. Not just anywhere: a sender's
 *	address is logged too, an admin may log headers, and a quoted
 *	local part or a Subject can hold "1xXDsb-0001wx-2g dnsbl-score:
 *	ip=1.2.3.4 action=reject hits=...": a planted line would skew every
 *	weight, and what a sender sends never sits where that prefix is. Of it,
 *	dnsbl-tune keeps per list only what is not a plain miss: a hit (hits=,
 *	shadow=) with its values and weight, or no evidence (errors=,
 *	notawaited=). A line that starts like a summary line but does not
 *	parse is counted, not fatal: logs are written by many hands and may be
 *	hostile. Lines of clients not scored (action=skip) are counted apart.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tune.h"

#define TUNE_LINE_MAX 8192 /* longer summary lines are cut there */
#define TUNE_FIELDS   12   /* fields before the tag: the longest prefix has 9, then the id */

/* tune_data_free - see tune.h */
void
tune_data_free(struct tune_data *d)
{
    size_t i;

    for (i = 0; i < d->nlines; i++)
        free(d->lines[i].obs);
    free(d->lines);
    d->lines = NULL;
    d->nlines = d->cap = 0;
}

/* tune_valid_name - a list name as the engine allows them */
static int
tune_valid_name(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len > DNSBL_NAME_MAX || !isalnum((unsigned char)s[0]))
        return 0;
    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            return 0;
    return 1;
}

/* tune_list_index - see tune.h */
int
tune_list_index(struct tune_data *d, const char *name, size_t len)
{
    unsigned i;

    if (!tune_valid_name(name, len))
        return -1;
    for (i = 0; i < d->nlists; i++)
        if (strlen(d->lists[i].name) == len && memcmp(d->lists[i].name, name, len) == 0)
            return (int)i;
    if (d->nlists == TUNE_MAX_LISTS) {
        d->too_many_lists = 1;
        return -1;
    }
    memcpy(d->lists[d->nlists].name, name, len);
    d->lists[d->nlists].name[len] = '\0';
    d->lists[d->nlists].cfg_index = -1;
    d->lists[d->nlists].ipv6 = 1;
    return (int)d->nlists++;
}

/* tune_quad - a dotted quad of len bytes; 0, or -1 */
static int
tune_quad(const char *s, size_t len, uint32_t *out)
{
    unsigned long part = 0;
    int dots = 0, digits = 0;
    size_t i;

    *out = 0;
    for (i = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            if (digits == 0 || part > 255 || (i < len && ++dots > 3))
                return -1;
            *out = *out << 8 | (uint32_t)part;
            part = 0;
            digits = 0;
        } else if (isdigit((unsigned char)s[i]) && digits < 3) {
            part = part * 10 + (unsigned long)(s[i] - '0');
            digits++;
        } else {
            return -1;
        }
    }
    return dots == 3 ? 0 : -1;
}

/* tune_points - "7.50", "-0.25" into hundredths; 0, or -1 */
static int
tune_points(const char *s, size_t len, long *out)
{
    char buf[32], *end;
    double v;

    if (len == 0 || len >= sizeof(buf))
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    v = strtod(buf, &end);
    if (*end != '\0' || !isfinite(v) || fabs(v) > 1e9)
        return -1;
    *out = lround(v * 100);
    return 0;
}

/* One line being read. */
struct tune_parse {
    struct tune_data *d;
    struct tune_obs obs[TUNE_MAX_LISTS];
    unsigned nobs;
};

/* tune_obs_for - the observation of list idx in this line, new if needed */
static struct tune_obs *
tune_obs_for(struct tune_parse *p, int idx)
{
    unsigned i;

    for (i = 0; i < p->nobs; i++)
        if (p->obs[i].list == idx)
            return NULL; /* a list named twice in a line: the first stands */
    memset(&p->obs[p->nobs], 0, sizeof(p->obs[0]));
    p->obs[p->nobs].list = (unsigned char)idx;
    return &p->obs[p->nobs++];
}

/* tune_hit_item - "name:v+v:weight" (hits=, shadow=); 0, or -1 */
static int
tune_hit_item(struct tune_parse *p, const char *s, size_t len, int shadow)
{
    const char *c1 = memchr(s, ':', len), *c2, *v;
    struct tune_obs *o;
    int idx;

    if (c1 == NULL || (c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - s))) == NULL)
        return -1;
    if ((idx = tune_list_index(p->d, s, (size_t)(c1 - s))) < 0)
        return p->d->too_many_lists ? 0 : -1;
    if ((o = tune_obs_for(p, idx)) == NULL)
        return 0;
    o->seen = TS_HIT;
    if (tune_points(c2 + 1, len - (size_t)(c2 + 1 - s), &o->weight) != 0)
        return -1;
    for (v = c1 + 1; v < c2;) {
        const char *plus = memchr(v, '+', (size_t)(c2 - v));
        const char *e = plus ? plus : c2;

        if (o->nvalues == DNSBL_MAX_VALUES || tune_quad(v, (size_t)(e - v), &o->values[o->nvalues]))
            return -1;
        o->nvalues++;
        v = e + 1;
    }
    if (o->nvalues == 0)
        return -1;
    if (shadow && p->d->lists[idx].cfg_index < 0) /* with -c, the configuration says */
        p->d->lists[idx].shadow = 1;
    return 0;
}

/* tune_none_item - "name:reason" (errors=) or "name" (notawaited=); 0, or -1 */
static int
tune_none_item(struct tune_parse *p, const char *s, size_t len)
{
    const char *c = memchr(s, ':', len);
    struct tune_obs *o;
    int idx = tune_list_index(p->d, s, c ? (size_t)(c - s) : len);

    if (idx < 0)
        return p->d->too_many_lists ? 0 : -1;
    if ((o = tune_obs_for(p, idx)) != NULL)
        o->seen = TS_NOEVIDENCE;
    return 0;
}

/* tune_items - a comma-separated value; 0, or -1 */
static int
tune_items(struct tune_parse *p, const char *v, int kind)
{
    while (*v) {
        const char *comma = strchr(v, ',');
        size_t len = comma ? (size_t)(comma - v) : strlen(v);
        int rc = kind == 'h' || kind == 's' ? tune_hit_item(p, v, len, kind == 's')
                                            : tune_none_item(p, v, len);

        if (rc != 0)
            return -1;
        v += len + (comma != NULL);
    }
    return 0;
}

/* tune_msgid - is this field an Exim message id (1xXDfT-0003WQ-0m, or the long form)? */
static int
tune_msgid(const char *f, size_t len)
{
    size_t i;

    if (len != 16 && len != 23)
        return 0;
    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char)f[i]) && f[i] != '-')
            return 0;
    return f[6] == '-';
}

/* tune_digits - n digits at f */
static int
tune_digits(const char *f, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!isdigit((unsigned char)f[i]))
            return 0;
    return 1;
}

/* tune_date - 2026-11-28 (and what follows it when more > 0 is allowed) */
static int
tune_date(const char *f, size_t len, int more)
{
    return (more ? len >= 10 : len == 10) && tune_digits(f, 4) && f[4] == '-' &&
           tune_digits(f + 5, 2) && f[7] == '-' && tune_digits(f + 8, 2);
}

/* tune_time - 10:00:00, or with a fraction (log_selector = +millisec) */
static int
tune_time(const char *f, size_t len)
{
    return len >= 8 && tune_digits(f, 2) && f[2] == ':' && tune_digits(f + 3, 2) && f[5] == ':' &&
           tune_digits(f + 6, 2) &&
           (len == 8 || (f[8] == '.' && len > 9 && tune_digits(f + 9, len - 9)));
}

/* tune_zone - +0100 (log_timezone) */
static int
tune_zone(const char *f, size_t len)
{
    return len == 5 && (f[0] == '+' || f[0] == '-') && tune_digits(f + 1, 4);
}

/* tune_pid - [1234] (log_selector = +pid) */
static int
tune_pid(const char *f, size_t len)
{
    return len >= 3 && f[0] == '[' && f[len - 1] == ']' && tune_digits(f + 1, len - 2);
}

/* tune_syslog_tag - "exim[1234]:" or "exim4:": a program called exim... */
static int
tune_syslog_tag(const char *f, size_t len)
{
    size_t i = 4;

    if (len < 5 || strncmp(f, "exim", 4) != 0 || f[len - 1] != ':')
        return 0;
    while (i < len - 1 && (isalnum((unsigned char)f[i]) || f[i] == '_' || f[i] == '-'))
        i++;
    return i == len - 1 || tune_pid(f + i, len - 1 - i);
}

/* tune_month - Nov */
static int
tune_month(const char *f, size_t len)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    size_t m;

    for (m = 0; len == 3 && m < 12; m++)
        if (memcmp(f, months + 3 * m, 3) == 0)
            return 1;
    return 0;
}

/* tune_host - a syslog host name */
static int
tune_host(const char *f, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char)f[i]) && !strchr(".-_", f[i]))
            return 0;
    return len > 0;
}

/* tune_prefix - do fields 0..n-1 make the prefix Exim and syslog write? */
static int
tune_prefix(const char *text, const size_t *start, const size_t *flen, size_t n)
{
    size_t k = 0;
#define F(i)   (text + start[i]), flen[i]
#define HAS(m) (k + (m) <= n)
    /* syslog: "Nov 28 08:33:57 host exim[1234]:" or "2026-11-28T08:33:57+01:00 host exim:" */
    if (HAS(5) && tune_month(F(0)) && flen[1] <= 2 && tune_digits(F(1)) && tune_time(F(2)) &&
        tune_host(F(3)) && tune_syslog_tag(F(4)))
        k = 5;
    else if (HAS(3) && tune_date(F(0), 1) && text[start[0] + 10] == 'T' && tune_host(F(1)) &&
             tune_syslog_tag(F(2)))
        k = 3;
    /* Exim's own: "2026-11-28 10:00:00" and maybe "+0100", then maybe "[1234]" */
    if (HAS(2) && tune_date(F(k), 0) && tune_time(F(k + 1))) {
        k += 2;
        if (HAS(1) && tune_zone(F(k)))
            k++;
    }
    if (HAS(1) && tune_pid(F(k)))
        k++;
#undef HAS
#undef F
    return k == n;
}

/* tune_find - the start of a summary line in text, or NULL (see DESCRIPTION) */
static const char *
tune_find(const char *text, size_t len)
{
    static const char tag[] = "dnsbl-score: ip=";
    size_t i = 0, field, start[TUNE_FIELDS], flen[TUNE_FIELDS];

    if (len >= 3 && memcmp(text, "ip=", 3) == 0)
        return text;
    for (field = 0; i < len; field++) {
        if (field >= 1 && len - i >= sizeof(tag) - 1 && memcmp(text + i, tag, sizeof(tag) - 1) == 0)
            return tune_msgid(text + start[field - 1], flen[field - 1]) &&
                           tune_prefix(text, start, flen, field - 1)
                       ? text + i + sizeof(tag) - 4 /* at "ip=" */
                       : NULL;
        if (field == TUNE_FIELDS) /* the prefix and the id, and no tag after them */
            return NULL;
        start[field] = i;
        while (i < len && text[i] != ' ' && text[i] != '\t')
            i++;
        flen[field] = i - start[field];
        while (i < len && (text[i] == ' ' || text[i] == '\t'))
            i++;
    }
    return NULL;
}

/* tune_keep - store the line's observations */
static int
tune_keep(struct tune_data *d, const struct tune_parse *p, enum tune_label label, int ipv6,
          enum dnsbl_action action)
{
    struct tune_line *l;

    if (d->nlines == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        struct tune_line *lines = realloc(d->lines, cap * sizeof(*lines));

        if (lines == NULL)
            return -1;
        d->lines = lines;
        d->cap = cap;
    }
    l = &d->lines[d->nlines];
    memset(l, 0, sizeof(*l));
    if (p->nobs > 0 && (l->obs = malloc(p->nobs * sizeof(*l->obs))) == NULL)
        return -1;
    if (p->nobs > 0)
        memcpy(l->obs, p->obs, p->nobs * sizeof(*l->obs));
    l->nobs = (unsigned short)p->nobs;
    l->label = (unsigned char)label;
    l->ipv6 = (unsigned char)ipv6;
    l->action = (unsigned char)action;
    d->nlines++;
    return 0;
}

/* tune_parse_line - see tune.h */
int
tune_parse_line(struct tune_data *d, const char *text, size_t len, enum tune_label label)
{
    static struct tune_parse p; /* large: not on the stack */
    const char *start = tune_find(text, len);
    char buf[TUNE_LINE_MAX], *tok, *save = NULL;
    int seen_ip = 0, seen_action = 0, seen_hits = 0, seen_errors = 0, ipv6 = 0, skip = 0, bad = 0;
    enum dnsbl_action action = DNSBL_ACCEPT;
    size_t n;

    if (start == NULL)
        return 0;
    n = len - (size_t)(start - text);
    if (n >= sizeof(buf))
        n = sizeof(buf) - 1;
    memcpy(buf, start, n);
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    p.d = d;
    p.nobs = 0;
    for (tok = strtok_r(buf, " \t", &save); tok && !bad; tok = strtok_r(NULL, " \t", &save)) {
        char *eq = strchr(tok, '=');

        if (eq == NULL)
            break; /* the summary line ended */
        *eq++ = '\0';
        if (strcmp(tok, "ip") == 0) {
            n = strlen(eq);
            seen_ip = n >= 2 && n <= 45 && strspn(eq, "0123456789abcdefABCDEF.:") == n;
            ipv6 = strchr(eq, ':') != NULL;
            bad = !seen_ip;
        } else if (strcmp(tok, "action") == 0) {
            for (action = DNSBL_ACCEPT; action <= DNSBL_SKIP; action++)
                if (strcmp(eq, dnsbl_action_name(action)) == 0)
                    break;
            seen_action = action <= DNSBL_SKIP;
            skip = action == DNSBL_SKIP;
            bad = !seen_action;
        } else if (strcmp(tok, "hits") == 0) {
            seen_hits = 1;
            bad = tune_items(&p, eq, 'h');
        } else if (strcmp(tok, "shadow") == 0) {
            bad = tune_items(&p, eq, 's');
        } else if (strcmp(tok, "errors") == 0) {
            seen_errors = 1;
            bad = tune_items(&p, eq, 'e');
        } else if (strcmp(tok, "notawaited") == 0) {
            bad = tune_items(&p, eq, 'n');
        } /* other keys: a later version's; ignored */
    }
    if (bad || !(seen_ip && seen_action && seen_hits && seen_errors)) {
        d->unreadable[label]++;
        return -1;
    }
    if (skip) {
        d->skipped[label]++;
        return 1;
    }
    if (tune_keep(d, &p, label, ipv6, action) != 0)
        return -1;
    d->count[label]++;
    return 1;
}

/* tune_read - see tune.h */
int
tune_read(struct tune_data *d, FILE *in, enum tune_label label)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    while ((n = getline(&line, &cap, in)) >= 0)
        (void)tune_parse_line(d, line, (size_t)n, label);
    free(line);
    return ferror(in) ? -1 : 0;
}

/* tune_config_errors - see tune.h */
void
tune_config_errors(struct tune_data *d, const dnsbl_config *cfg)
{
    size_t n;
    unsigned k, v;
    long w;

    for (n = 0; n < d->nlines; n++) {
        for (k = 0; k < d->lines[n].nobs; k++) {
            struct tune_obs *o = &d->lines[n].obs[k];
            int idx = d->lists[o->list].cfg_index;

            if (idx < 0)
                continue;
            if (d->lines[n].ipv6 && !d->lists[o->list].ipv6) {
                o->seen = TS_NOEVIDENCE; /* not asked about IPv6 clients */
                continue;
            }
            if (o->seen != TS_HIT)
                continue;
            for (v = 0; v < o->nvalues; v++)
                if (!dnsbl_config_code_weight(cfg, (unsigned)idx, o->values[v], &w))
                    o->seen = TS_NOEVIDENCE;
        }
    }
}
