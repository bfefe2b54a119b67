/*
 * cli.h - the command's renderers (render.c)
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#include "dnsbl.h"

enum cli_format {
    CLI_SUMMARY, /* the summary line */
    CLI_VERBOSE, /* the summary line and a table, for humans */
    CLI_JSON     /* one JSON object per line */
};

/* cli_print - write one result; 0, or -1 on a write or memory error */
int cli_print(FILE *out, enum cli_format format, const dnsbl_result *res);

/* cli_print_health - one list's health: a line (and advice), or JSON */
void cli_print_health(FILE *out, enum cli_format format, const struct dnsbl_health_report *r);

/* cli_clean - untrusted text made printable, in a static buffer */
const char *cli_clean(const char *s);

#endif /* CLI_H */
