/*
 * NAME
 *	codes - DNSBL return codes and the weights admins give them
 * DESCRIPTION
 *	A list answers with A records inside 127.0.0.0/8 whose value says why
 *	an address is listed (Spamhaus ZEN: 127.0.0.2 SBL, .4-.7 XBL, .10-.11
 *	PBL). Each code line of a [list] section gives a weight, or "error",
 *	to an exact value, a range, a CIDR block, or a bit mask (lists that set
 *	one bit per sub-list). When several lines match one value, the most
 *	specific decides: the narrowest range (an exact value is a range of
 *	one), then a mask; among equally specific lines the weight of largest
 *	magnitude, then the first written.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl_int.h"

#define CODE_LOOPBACK_NET  0x7f000000u /* 127.0.0.0/8 */
#define CODE_LOOPBACK_MASK 0xff000000u

/* code_parse_v4 - strict dotted quad into host order */
static int
code_parse_v4(const char *s, size_t len, uint32_t *out)
{
    char text[16];
    struct in_addr in;

    if (len == 0 || len >= sizeof(text))
        return -1;
    memcpy(text, s, len);
    text[len] = '\0';
    if (inet_pton(AF_INET, text, &in) != 1)
        return -1;
    *out = ntohl(in.s_addr);
    return 0;
}

/* code_in_loopback - is v inside 127.0.0.0/8? */
static int
code_in_loopback(uint32_t v)
{
    return (v & CODE_LOOPBACK_MASK) == CODE_LOOPBACK_NET;
}

/* code_parse_spec - parse the key of a code line */
int
code_parse_spec(const char *s, struct code_rule *r, const char **why)
{
    const char *sep;

    memset(r, 0, sizeof(*r));
    if (*s == '&') {
        r->kind = CODE_MASK;
        if (code_parse_v4(s + 1, strlen(s + 1), &r->mask) != 0) {
            *why = "is not a bit mask like &0.0.0.8";
            return -1;
        }
        if (r->mask == 0) {
            *why = "is a mask with no bit set: it would never match";
            return -1;
        }
        return 0;
    }
    r->kind = CODE_RANGE;
    if ((sep = strchr(s, '-')) != NULL) {
        if (code_parse_v4(s, (size_t)(sep - s), &r->lo) != 0 ||
            code_parse_v4(sep + 1, strlen(sep + 1), &r->hi) != 0) {
            *why = "is not a range like 127.0.0.4-127.0.0.7";
            return -1;
        }
        if (r->lo > r->hi) {
            *why = "is a range whose first value is above its last";
            return -1;
        }
    } else if ((sep = strchr(s, '/')) != NULL) {
        char *end;
        unsigned long bits;
        uint32_t mask;

        if (code_parse_v4(s, (size_t)(sep - s), &r->lo) != 0 || !isdigit((unsigned char)sep[1])) {
            *why = "is not a CIDR block like 127.255.255.0/24";
            return -1;
        }
        bits = strtoul(sep + 1, &end, 10);
        if (*end != '\0' || bits > 32) {
            *why = "has an invalid prefix length";
            return -1;
        }
        mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
        if ((r->lo & ~mask) != 0) {
            *why = "has bits set after the prefix length";
            return -1;
        }
        r->hi = r->lo | ~mask;
        r->cidr = 1;
    } else {
        if (code_parse_v4(s, strlen(s), &r->lo) != 0) {
            *why = "is not a return code (127.0.0.2), range, CIDR block or &mask";
            return -1;
        }
        r->hi = r->lo;
    }
    if (!code_in_loopback(r->lo) || !code_in_loopback(r->hi)) {
        *why = "is outside 127.0.0.0/8, where DNSBL return codes live";
        return -1;
    }
    return 0;
}

/* code_format_v4 - see dnsbl_int.h */
void
code_format_v4(uint32_t v, char *buf, size_t len)
{
    snprintf(buf, len, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
}

/* code_format_values - see dnsbl_int.h */
void
code_format_values(const uint32_t *values, unsigned n, char *buf, size_t len)
{
    size_t o = 0;
    unsigned i;

    if (len > 0)
        buf[0] = '\0';
    for (i = 0; i < n && o + 1 < len; i++) {
        if (i > 0)
            buf[o++] = '+';
        code_format_v4(values[i], buf + o, len - o);
        o += strlen(buf + o);
    }
}

/* code_cidr_bits - prefix length of a CIDR block of span + 1 addresses */
static int
code_cidr_bits(uint32_t span)
{
    uint32_t size = span;
    int bits = 32;

    while (size & 1) {
        size >>= 1;
        bits--;
    }
    return bits;
}

/* code_format_spec - as written: an exact value, a CIDR block, a range, a mask */
void
code_format_spec(const struct code_rule *r, char *buf, size_t len)
{
    char lo[16], hi[16];
    int bits;

    if (r->kind == CODE_MASK) {
        code_format_v4(r->mask, lo, sizeof(lo));
        snprintf(buf, len, "&%s", lo);
        return;
    }
    code_format_v4(r->lo, lo, sizeof(lo));
    if (r->lo == r->hi) {
        snprintf(buf, len, "%s", lo);
        return;
    }
    if (r->cidr) {
        bits = code_cidr_bits(r->hi - r->lo);
        snprintf(buf, len, "%s/%d", lo, bits);
        return;
    }
    code_format_v4(r->hi, hi, sizeof(hi));
    snprintf(buf, len, "%s-%s", lo, hi);
}

/* code_magnitude - |weight|, with errors above any weight */
static long
code_magnitude(const struct code_rule *r)
{
    if (r->is_error)
        return -1; /* never wins a tie on magnitude: see code_match */
    return r->weight < 0 ? -r->weight : r->weight;
}

/* code_better - should candidate c replace the current best b? */
static int
code_better(const struct code_rule *c, const struct code_rule *b)
{
    if (b == NULL)
        return 1;
    if (c->kind != b->kind)
        return c->kind == CODE_RANGE;
    if (c->kind == CODE_RANGE && c->hi - c->lo != b->hi - b->lo)
        return c->hi - c->lo < b->hi - b->lo;
    /* Equally specific: an error line is not outweighed by a weight. */
    if (c->is_error != b->is_error)
        return c->is_error;
    return code_magnitude(c) > code_magnitude(b);
}

/* code_match - the most specific matching rule */
const struct code_rule *
code_match(const struct code_rule *rules, size_t n, uint32_t value)
{
    const struct code_rule *best = NULL;
    size_t i;

    for (i = 0; i < n; i++) {
        const struct code_rule *r = &rules[i];
        int hit = r->kind == CODE_RANGE ? (value >= r->lo && value <= r->hi)
                                        : ((value & r->mask) == r->mask);

        if (hit && code_better(r, best))
            best = r;
    }
    return best;
}
