/*
 * NAME
 *	summary - the summary line
 * DESCRIPTION
 *	One line of space-separated key=value pairs that says what the engine
 *	decided and why. The command prints it, the Exim module logs it and
 *	puts it in a header, and dnsbl-tune reads it back: its grammar is a
 *	contract, documented in dnsbl-score(1). Keys come in a fixed order;
 *	hits= and errors= are always present, empty when there are none. List
 *	names appear, never zones (which may hold access keys). Nothing in it
 *	comes from DNS except numbers this code formats.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dnsbl_int.h"

/* sum_values - "127.0.0.2+127.0.0.4" */
static void
sum_values(FILE *out, const struct dnsbl_list_result *lr)
{
    unsigned i;

    for (i = 0; i < lr->nvalues; i++) {
        uint32_t v = lr->values[i];

        fprintf(out, "%s%u.%u.%u.%u", i ? "+" : "", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff,
                v & 0xff);
    }
}

/* dnsbl_summary - see dnsbl.h */
char *
dnsbl_summary(const dnsbl_result *res)
{
    char *text = NULL, w[DNSBL_POINTS_BUFSZ];
    size_t len = 0;
    unsigned i, n;
    FILE *out = open_memstream(&text, &len);

    if (out == NULL)
        return NULL;
    fprintf(out, "ip=%s score=%s action=%s hits=", res->ip, dnsbl_format_points(res->score, w),
            dnsbl_action_name(res->action));
    for (i = 0, n = 0; i < res->nlists; i++) {
        const struct dnsbl_list_result *lr = &res->lists[i];

        if (lr->status != DNSBL_HIT)
            continue;
        fprintf(out, "%s%s:", n++ ? "," : "", lr->name);
        sum_values(out, lr);
        fprintf(out, ":%s", dnsbl_format_points(lr->weight, w));
    }
    fprintf(out, " errors=");
    for (i = 0, n = 0; i < res->nlists; i++) {
        const struct dnsbl_list_result *lr = &res->lists[i];

        if (lr->status == DNSBL_ERROR)
            fprintf(out, "%s%s:%s", n++ ? "," : "", lr->name, lr->error);
    }
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
