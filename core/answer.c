/*
 * NAME
 *	answer - read a DNS answer packet, trusting nothing in it
 * DESCRIPTION
 *	libunbound hands over the answer as a wire-format packet; glibc's
 *	ns_parse functions (libresolv) split it into records. Only a clean
 *	answer to the question asked counts: the question echoed, A records
 *	(or TXT) for the name asked, possibly through a CNAME chain starting at
 *	it, with well-formed data. Anything else (other names, other types,
 *	truncation, garbage) makes the answer "badanswer", which the engine
 *	reports as an error for that list, never as a listing.
 */
#include <arpa/nameser.h>
#include <resolv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dnsbl_int.h"

#define ANS_MAX_CHAIN 8 /* CNAMEs followed from the name asked */

/* ans_bad - give up on this packet */
static void
ans_bad(struct ans_result *out)
{
    out->error = "badanswer";
    out->nvalues = 0;
    out->txtlen = 0;
    out->txt[0] = '\0';
}

/* ans_same_name - DNS names compare without case and without a final dot */
static int
ans_same_name(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    if (la > 0 && a[la - 1] == '.')
        la--;
    if (lb > 0 && b[lb - 1] == '.')
        lb--;
    return la == lb && strncasecmp(a, b, la) == 0;
}

/* ans_add_txt - append one TXT record's strings (raw; cleaned by the caller) */
static int
ans_add_txt(struct ans_result *out, const uint8_t *rd, size_t rdlen)
{
    size_t i = 0;

    if (out->txtlen > 0 && out->txtlen < ANS_TXT_MAX)
        out->txt[out->txtlen++] = ' ';
    while (i < rdlen) {
        size_t n = rd[i++], take;

        if (i + n > rdlen)
            return -1;
        take = n < ANS_TXT_MAX - out->txtlen ? n : ANS_TXT_MAX - out->txtlen;
        memcpy(out->txt + out->txtlen, rd + i, take);
        out->txtlen += take;
        i += n;
    }
    out->txt[out->txtlen] = '\0';
    return 0;
}

/* ans_parse - see dnsbl_int.h */
void
ans_parse(const uint8_t *pkt, size_t len, const char *qname, int qtype, struct ans_result *out)
{
    char names[ANS_MAX_CHAIN + 1][NS_MAXDNAME];
    size_t nnames = 1;
    ns_msg msg;
    ns_rr rr;
    int i, count;

    memset(out, 0, sizeof(*out));
    out->ttl = ~0u;
    if (ns_initparse(pkt, (int)len, &msg) != 0)
        return ans_bad(out);
    out->rcode = ns_msg_getflag(msg, ns_f_rcode);
    if (!ns_msg_getflag(msg, ns_f_qr) || ns_msg_getflag(msg, ns_f_tc) ||
        ns_msg_count(msg, ns_s_qd) != 1)
        return ans_bad(out);
    if (ns_parserr(&msg, ns_s_qd, 0, &rr) != 0 || (int)ns_rr_type(rr) != qtype ||
        ns_rr_class(rr) != ns_c_in || !ans_same_name(ns_rr_name(rr), qname))
        return ans_bad(out);
    snprintf(names[0], sizeof(names[0]), "%s", qname);
    count = ns_msg_count(msg, ns_s_an);
    for (i = 0; i < count; i++) {
        size_t k;
        int owned = 0;

        if (ns_parserr(&msg, ns_s_an, i, &rr) != 0)
            return ans_bad(out);
        for (k = 0; k < nnames && !owned; k++)
            owned = ans_same_name(ns_rr_name(rr), names[k]);
        if (!owned || ns_rr_class(rr) != ns_c_in)
            return ans_bad(out);
        if (ns_rr_ttl(rr) < out->ttl)
            out->ttl = ns_rr_ttl(rr);
        if (ns_rr_type(rr) == ns_t_cname) {
            if (nnames > ANS_MAX_CHAIN ||
                ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), ns_rr_rdata(rr),
                                   names[nnames], sizeof(names[nnames])) < 0)
                return ans_bad(out);
            nnames++;
        } else if ((int)ns_rr_type(rr) != qtype) {
            return ans_bad(out);
        } else if (qtype == ns_t_a) {
            const uint8_t *d = ns_rr_rdata(rr);

            if (ns_rr_rdlen(rr) != 4)
                return ans_bad(out);
            if (out->nvalues < DNSBL_MAX_VALUES)
                out->values[out->nvalues++] =
                    (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
        } else if (ans_add_txt(out, ns_rr_rdata(rr), ns_rr_rdlen(rr)) != 0) {
            return ans_bad(out);
        }
    }
    if (out->ttl == ~0u)
        out->ttl = 0;
}
