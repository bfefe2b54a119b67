/*
 * config_load.h - state shared by the INI loader's files (config*.c)
 *
 * config_read.c feeds inih one line at a time and knows which line and which
 * section it is on; config.c interprets the keys; both report errors through
 * cfg_error(), which adds "FILE:LINE:".
 */
#ifndef CONFIG_LOAD_H
#define CONFIG_LOAD_H

#include <stdio.h>

#include "dnsbl_int.h"

enum cfg_sec_kind {
    SEC_NONE,     /* before the first section header */
    SEC_SCORING,  /* [scoring] */
    SEC_RESOLVER, /* [resolver] */
    SEC_ACTIONS,  /* [actions] */
    SEC_LIST,     /* [list NAME] */
    SEC_UNKNOWN   /* reported at its header; its keys are ignored */
};

#define CFG_MAX_KEYS 32 /* at least the rows of the key table (config.c checks) */

/* One section header as read, with the line of every key seen in it. */
struct cfg_sec {
    enum cfg_sec_kind kind;
    unsigned line;               /* of the header */
    size_t list;                 /* SEC_LIST: index in cfg->lists (which moves) */
    unsigned seen[CFG_MAX_KEYS]; /* line of each key of the table, 0 if unset */
};

struct cfg_load {
    const char *path;
    FILE *fp;
    struct log_sink log;
    struct dnsbl_config *cfg;
    unsigned lineno; /* of the line inih is working on */
    unsigned nerrors;
    int nomem;
    char *buf; /* getline() buffer */
    size_t bufsize;
    struct cfg_sec *secs; /* every section seen, in order */
    size_t nsecs;
    struct cfg_sec none; /* keys before any header land here */
};

/* cfg_error - report "FILE:LINE: what" (line 0: "FILE: what") and count it */
void cfg_error(struct cfg_load *ld, unsigned line, const char *fmt, ...) DNSBL_FORMAT(3, 4);

/* cfg_sec_list - the list a SEC_LIST section fills */
#define cfg_sec_list(ld, sec) (&(ld)->cfg->lists[(sec)->list])

/* cfg_current - the section the line being parsed belongs to */
struct cfg_sec *cfg_current(struct cfg_load *ld);

/* cfg_reader - an ini_reader: one physical line, checked, for inih */
char *cfg_reader(char *str, int num, void *stream);

#endif /* CONFIG_LOAD_H */
