/*
 * NAME
 *	text - make untrusted text safe to show
 * DESCRIPTION
 *	A TXT record is written by whoever controls a DNS zone, or by anyone who
 *	can forge an answer. Before any of it reaches a mail header, a log line
 *	or an SMTP reply it is cut down to printable ASCII on one line: no CR or
 *	LF (header and reply injection), no other control bytes, no bytes above
 *	127, bounded in length.
 */
#include <string.h>

#include "dnsbl_int.h"

/* dnsbl_clean_text - printable ASCII, single spaces, bounded, "..." when cut */
char *
dnsbl_clean_text(char *dst, size_t dstlen, const uint8_t *src, size_t len)
{
    size_t o = 0, i;
    int space = 0, cut = 0;

    if (dstlen == 0)
        return dst;
    for (i = 0; i < len; i++) {
        uint8_t c = src[i];

        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = (o > 0);
            continue;
        }
        if (o + (space ? 2 : 1) > dstlen - 1) {
            cut = 1;
            break;
        }
        if (space)
            dst[o++] = ' ';
        space = 0;
        dst[o++] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
    }
    dst[o] = '\0';
    if (cut && dstlen > 4) {
        o = o > dstlen - 4 ? dstlen - 4 : o;
        memcpy(dst + o, "...", 4);
    }
    return dst;
}
