/*
 * NAME
 *	net - client addresses, RFC 5782 query names, networks
 * DESCRIPTION
 *	Parses client addresses (IPv4, IPv6, and IPv4-mapped IPv6, which is
 *	scored as the IPv4 address it carries), builds DNSBL query names
 *	(reversed octets for IPv4, 32 reversed nibbles for IPv6, RFC 5782
 *	section 2.4), and matches addresses against networks (skip lists).
 *	Parsing is inet_pton's; nothing here trusts its input.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl_int.h"

/* The longest text of an address we accept (an IPv6 address with mapped IPv4). */
#define NET_ADDR_TEXT_MAX 45

/* net_parse_addr - parse an IPv4 or IPv6 address; mapped IPv6 becomes IPv4 */
int
net_parse_addr(const char *s, struct net_addr *out)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    uint8_t buf[16];

    if (strlen(s) > NET_ADDR_TEXT_MAX)
        return -1;
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, s, buf) == 1) {
        out->family = AF_INET;
        memcpy(out->bytes, buf, 4);
        return 0;
    }
    if (inet_pton(AF_INET6, s, buf) == 1) {
        if (memcmp(buf, mapped, sizeof(mapped)) == 0) {
            out->family = AF_INET;
            memcpy(out->bytes, buf + 12, 4);
        } else {
            out->family = AF_INET6;
            memcpy(out->bytes, buf, 16);
        }
        return 0;
    }
    return -1;
}

/* net_format_addr - canonical text (inet_ntop) */
void
net_format_addr(const struct net_addr *a, char *buf, size_t len)
{
    if (inet_ntop(a->family, a->bytes, buf, (socklen_t)len) == NULL && len > 0)
        buf[0] = '\0';
}

/* net_addr_bits - address length in bits */
static unsigned
net_addr_bits(const struct net_addr *a)
{
    return a->family == AF_INET ? 32 : 128;
}

/* net_parse_prefix - "ADDR" or "ADDR/BITS", host bits must be zero */
int
net_parse_prefix(const char *s, struct net_prefix *out, const char **why)
{
    char text[NET_ADDR_TEXT_MAX + 1];
    const char *slash = strchr(s, '/');
    size_t alen = slash ? (size_t)(slash - s) : strlen(s);
    unsigned i;

    if (alen > NET_ADDR_TEXT_MAX) {
        *why = "is not an address or network";
        return -1;
    }
    memcpy(text, s, alen);
    text[alen] = '\0';
    if (strchr(text, ':') == NULL) {
        /* Plain IPv4; don't let "::ffff:10.0.0.0/104" through as IPv4/104 either. */
        if (inet_pton(AF_INET, text, out->addr.bytes) != 1) {
            *why = "is not an address or network";
            return -1;
        }
        out->addr.family = AF_INET;
    } else {
        if (inet_pton(AF_INET6, text, out->addr.bytes) != 1) {
            *why = "is not an address or network";
            return -1;
        }
        out->addr.family = AF_INET6;
    }
    out->bits = net_addr_bits(&out->addr);
    if (slash != NULL) {
        char *end;
        unsigned long bits;

        if (!isdigit((unsigned char)slash[1])) {
            *why = "has no prefix length after '/'";
            return -1;
        }
        bits = strtoul(slash + 1, &end, 10);
        if (*end != '\0' || bits > net_addr_bits(&out->addr)) {
            *why = "has an invalid prefix length";
            return -1;
        }
        out->bits = (unsigned)bits;
    }
    for (i = out->bits; i < net_addr_bits(&out->addr); i++) {
        if (out->addr.bytes[i / 8] & (0x80 >> (i % 8))) {
            *why = "has bits set after the prefix length";
            return -1;
        }
    }
    return 0;
}

/* net_format_prefix - "ADDR/BITS" */
void
net_format_prefix(const struct net_prefix *p, char *buf, size_t len)
{
    char text[INET6_ADDRSTRLEN];

    net_format_addr(&p->addr, text, sizeof(text));
    snprintf(buf, len, "%s/%u", text, p->bits);
}

/* net_prefix_contains - compare the first p->bits bits */
int
net_prefix_contains(const struct net_prefix *p, const struct net_addr *a)
{
    unsigned full = p->bits / 8, rest = p->bits % 8;

    if (p->addr.family != a->family)
        return 0;
    if (memcmp(p->addr.bytes, a->bytes, full) != 0)
        return 0;
    if (rest == 0)
        return 1;
    return ((p->addr.bytes[full] ^ a->bytes[full]) & (0xff00 >> rest) & 0xff) == 0;
}

/* net_query_name - reversed octets or nibbles, then the zone */
int
net_query_name(const struct net_addr *a, const char *zone, char *buf, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char rev[64 + 1];
    size_t n = 0;
    int i, w;

    if (a->family == AF_INET) {
        w = snprintf(rev, sizeof(rev), "%u.%u.%u.%u", a->bytes[3], a->bytes[2], a->bytes[1],
                     a->bytes[0]);
        n = (size_t)w;
    } else {
        for (i = 15; i >= 0; i--) {
            rev[n++] = hex[a->bytes[i] & 0xf];
            rev[n++] = '.';
            rev[n++] = hex[a->bytes[i] >> 4];
            rev[n++] = '.';
        }
        rev[--n] = '\0';
    }
    w = snprintf(buf, len, "%s.%s", rev, zone);
    return (w < 0 || (size_t)w >= len) ? -1 : 0;
}

/* net_check_zone - letters, digits, '-' and '_' in labels of 1-63 */
const char *
net_check_zone(const char *zone, size_t maxlen)
{
    size_t label = 0, total = strlen(zone);
    const char *p;

    if (total == 0)
        return "is empty";
    if (total > maxlen)
        return "is too long for a DNS name once the address is prepended";
    for (p = zone; *p; p++) {
        if (*p == '.') {
            if (label == 0)
                return "has an empty label";
            label = 0;
        } else if (isalnum((unsigned char)*p) || *p == '-' || *p == '_') {
            if (++label > 63)
                return "has a label longer than 63 characters";
        } else {
            return "holds a character not allowed in a DNS name";
        }
    }
    if (label == 0)
        return "ends with an empty label";
    return NULL;
}
