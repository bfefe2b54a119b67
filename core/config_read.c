/*
 * NAME
 *	config_read - feed inih one checked line at a time
 * DESCRIPTION
 *	inih as Debian ships it (libinih 55) is built with a 200-byte line
 *	buffer and multi-line values on, and it does not tell the handler the
 *	line number. Left alone, it would read a long line in pieces (the tail
 *	of a long comment becoming a key), read an indented line as a second
 *	value of the key above it, and let "missing zone" errors point nowhere.
 *	This reader stands between the file and inih so that none of that can
 *	happen silently:
 *	- it counts lines, so every error says FILE:LINE;
 *	- it rejects lines too long for inih instead of letting them split;
 *	- it strips leading white space, so indentation never means
 *	  continuation (multi-line values are not supported);
 *	- it parses section headers itself, remembering where each began, and
 *	  rejects lines that are neither a header, a comment nor key = value.
 * DIAGNOSTICS
 *	Through cfg_error(): "FILE:LINE: what is wrong".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "config_load.h"

/* cfg_error - report one problem with its place */
void
cfg_error(struct cfg_load *ld, unsigned line, const char *fmt, ...)
{
    char what[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    ld->nerrors++;
    if (line > 0)
        log_msg(&ld->log, DNSBL_LOG_ERROR, "%s:%u: %s", ld->path, line, what);
    else
        log_msg(&ld->log, DNSBL_LOG_ERROR, "%s: %s", ld->path, what);
}

/* cfg_current - the latest section, or the pseudo-section before any */
struct cfg_sec *
cfg_current(struct cfg_load *ld)
{
    return ld->nsecs > 0 ? &ld->secs[ld->nsecs - 1] : &ld->none;
}

/* cfg_valid_name - a list name: it appears in logs, headers and replies */
static const char *
cfg_valid_name(const char *name)
{
    const char *p;

    if (*name == '\0')
        return "a list needs a name: [list NAME]";
    if (strlen(name) > DNSBL_NAME_MAX)
        return "list names are at most 32 characters";
    if (!isalnum((unsigned char)*name))
        return "list names start with a letter or digit";
    for (p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            return "list names hold only letters, digits, '-', '_' and '.'";
    return NULL;
}

/* cfg_find_section - an earlier section of this kind (and list name) */
static struct cfg_sec *
cfg_find_section(struct cfg_load *ld, enum cfg_sec_kind kind, const char *name)
{
    size_t i;

    for (i = 0; i < ld->nsecs; i++) {
        struct cfg_sec *s = &ld->secs[i];

        if (s->kind != kind)
            continue;
        if (kind != SEC_LIST || strcmp(cfg_sec_list(ld, s)->name, name) == 0)
            return s;
    }
    return NULL;
}

/* cfg_new_list - append a list with its defaults */
static struct cfg_list *
cfg_new_list(struct cfg_load *ld, const char *name)
{
    struct dnsbl_config *cfg = ld->cfg;
    struct cfg_list *lists, *l;

    lists = realloc(cfg->lists, (cfg->nlists + 1) * sizeof(*lists));
    if (lists == NULL)
        return NULL;
    cfg->lists = lists;
    l = &lists[cfg->nlists];
    memset(l, 0, sizeof(*l));
    l->rules = malloc(sizeof(*l->rules));
    if (l->rules == NULL)
        return NULL;
    cfg->nlists++;
    snprintf(l->name, sizeof(l->name), "%s", name);
    l->weight = 100;
    l->ipv6 = 1;
    l->rules[0] = cfg_default_error_rule;
    l->nrules = 1;
    return l;
}

/* cfg_push_section - make sec the current section */
static void
cfg_push_section(struct cfg_load *ld, const struct cfg_sec *sec)
{
    struct cfg_sec *secs = realloc(ld->secs, (ld->nsecs + 1) * sizeof(*secs));

    if (secs == NULL) {
        ld->nomem = 1;
        return;
    }
    ld->secs = secs;
    ld->secs[ld->nsecs++] = *sec;
}

/* cfg_begin_section - a header "[...]" with its brackets removed */
static void
cfg_begin_section(struct cfg_load *ld, char *text)
{
    struct cfg_sec sec, *prev;
    char *name = NULL;
    const char *why;
    size_t n;

    while (isspace((unsigned char)*text))
        text++;
    for (n = strlen(text); n > 0 && isspace((unsigned char)text[n - 1]); n--)
        text[n - 1] = '\0';
    memset(&sec, 0, sizeof(sec));
    sec.line = ld->lineno;
    if (strcmp(text, "scoring") == 0) {
        sec.kind = SEC_SCORING;
    } else if (strcmp(text, "resolver") == 0) {
        sec.kind = SEC_RESOLVER;
    } else if (strcmp(text, "actions") == 0) {
        sec.kind = SEC_ACTIONS;
    } else if (strncmp(text, "list", 4) == 0 &&
               (text[4] == '\0' || isspace((unsigned char)text[4]))) {
        sec.kind = SEC_LIST;
        for (name = text + 4; isspace((unsigned char)*name); name++)
            ;
        if ((why = cfg_valid_name(name)) != NULL) {
            cfg_error(ld, ld->lineno, "[%s]: %s", text, why);
            sec.kind = SEC_UNKNOWN;
        }
    } else {
        cfg_error(ld, ld->lineno,
                  "unknown section [%s] (sections are [scoring], [resolver], "
                  "[actions] and [list NAME])",
                  text);
        sec.kind = SEC_UNKNOWN;
    }
    if (sec.kind != SEC_UNKNOWN && (prev = cfg_find_section(ld, sec.kind, name)) != NULL) {
        cfg_error(ld, ld->lineno, "[%s] appears again; it was first at line %u", text, prev->line);
        sec.kind = SEC_UNKNOWN;
    }
    if (sec.kind == SEC_LIST && ld->cfg->nlists >= DNSBL_MAX_LISTS) {
        cfg_error(ld, ld->lineno, "too many lists: at most %d", DNSBL_MAX_LISTS);
        sec.kind = SEC_UNKNOWN;
    }
    if (sec.kind == SEC_LIST) {
        if (cfg_new_list(ld, name) == NULL) {
            ld->nomem = 1;
            return;
        }
        sec.list = ld->cfg->nlists - 1;
    }
    cfg_push_section(ld, &sec);
}

/*
 * cfg_header - a "[...]" line. A malformed one still starts a section (an
 * unknown one), so that the keys under it are not taken for the previous
 * section's.
 */
static void
cfg_header(struct cfg_load *ld, char *line)
{
    char *end = strchr(line, ']'), *rest;
    struct cfg_sec bad;

    if (end == NULL) {
        cfg_error(ld, ld->lineno, "section header without ']'");
        goto bad;
    }
    for (rest = end + 1; isspace((unsigned char)*rest); rest++)
        ;
    if (*rest != '\0' && *rest != ';' && *rest != '#') {
        cfg_error(ld, ld->lineno, "unexpected text after the section header");
        goto bad;
    }
    *end = '\0';
    cfg_begin_section(ld, line + 1);
    return;

bad:
    memset(&bad, 0, sizeof(bad));
    bad.kind = SEC_UNKNOWN;
    bad.line = ld->lineno;
    cfg_push_section(ld, &bad);
}

/* cfg_reader - read, check and hand over one line (see DESCRIPTION) */
char *
cfg_reader(char *str, int num, void *stream)
{
    struct cfg_load *ld = stream;
    ssize_t got;
    size_t len;
    char *line, *eq, *colon;

    got = getline(&ld->buf, &ld->bufsize, ld->fp);
    if (got < 0)
        return NULL;
    ld->lineno++;
    line = ld->buf;
    len = (size_t)got;
    if (memchr(line, '\0', len) != NULL) {
        cfg_error(ld, ld->lineno, "the line holds a NUL byte");
        goto skip;
    }
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    if (ld->lineno == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
        line += 3; /* a UTF-8 byte order mark */
    while (*line == ' ' || *line == '\t')
        line++;
    len = strlen(line);
    if (len + 2 > (size_t)num) {
        cfg_error(ld, ld->lineno,
                  "line is longer than %d characters, the most the INI parser reads", num - 2);
        goto skip;
    }
    if (*line == '\0' || *line == ';' || *line == '#') {
        snprintf(str, (size_t)num, "\n");
        return str;
    }
    if (*line == '[') {
        cfg_header(ld, line);
        snprintf(str, (size_t)num, "[s]\n");
        return str;
    }
    eq = strchr(line, '=');
    colon = strchr(line, ':');
    if (colon != NULL && (eq == NULL || colon < eq)) {
        /* inih would take "key: value" too; one way to write it is enough */
        cfg_error(ld, ld->lineno, "write 'key = value', with '=' (not ':')");
        goto skip;
    }
    if (eq == NULL) {
        cfg_error(ld, ld->lineno,
                  "expected 'key = value' or a [section] (values cannot continue "
                  "on the next line)");
        goto skip;
    }
    snprintf(str, (size_t)num, "%s\n", line);
    return str;

skip:
    snprintf(str, (size_t)num, "\n");
    return str;
}
