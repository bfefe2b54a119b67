/*
 * tune.h - dnsbl-tune's pieces: reading summary lines (tune_read.c),
 * statistics and policies (tune_stats.c), reports and the written INI file
 * (tune_report.c).
 */
#ifndef TUNE_H
#define TUNE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dnsbl.h"

#define TUNE_MAX_LISTS 128
#define TUNE_MAX_CODES 16 /* distinct values kept per list */
#define TUNE_CODE_MIN  30 /* lines with a value for the data to price it */

enum tune_label { TUNE_NONE, TUNE_HAM, TUNE_SPAM };

enum tune_seen {
    TS_HIT = 1,       /* in hits= or shadow= */
    TS_NOEVIDENCE = 2 /* in errors= or notawaited=: says nothing of the list */
};

/* One list in one line, when it is not a plain miss. */
struct tune_obs {
    unsigned char list; /* index in tune_data.lists */
    unsigned char seen; /* enum tune_seen */
    unsigned char nvalues;
    long weight; /* what the line says it added (hundredths) */
    uint32_t values[DNSBL_MAX_VALUES];
};

struct tune_line {
    unsigned char label; /* enum tune_label */
    unsigned char ipv6;
    unsigned char action; /* as logged: enum dnsbl_action */
    unsigned short nobs;
    struct tune_obs *obs;
};

struct tune_list {
    char name[DNSBL_NAME_MAX + 1];
    int shadow;    /* a shadow list (shadow= in the lines, or the configuration) */
    int cfg_index; /* in the -c configuration, or -1 */
    int ipv6;      /* asked for IPv6 clients (unknown without -c: yes) */
};

struct tune_data {
    struct tune_list lists[TUNE_MAX_LISTS];
    unsigned nlists;
    struct tune_line *lines;
    size_t nlines, cap;
    size_t count[3];      /* summary lines read, by label */
    size_t skipped[3];    /* action=skip: not scored */
    size_t unreadable[3]; /* looked like summary lines, but were not */
    int too_many_lists;
};

/*
 * tune_config_errors - with -c, a hit whose values include one the
 * configuration calls an error is what the engine would now report as the
 * list's error, and a list with ipv6 = no is not asked about IPv6 clients:
 * either becomes no evidence, in counts, weights and policies.
 */
void tune_config_errors(struct tune_data *d, const dnsbl_config *cfg);

/* tune_data_free - the lines (the structure itself is the caller's) */
void tune_data_free(struct tune_data *d);

/* tune_list_index - the index of a list by name, added when new; -1 if full */
int tune_list_index(struct tune_data *d, const char *name, size_t len);

/*
 * tune_parse_line - find a summary line anywhere in text (len bytes, not
 * NUL-terminated) and keep it with its label. 1: kept; 0: no summary line
 * in it; -1: something that starts like one but is malformed (counted).
 */
int tune_parse_line(struct tune_data *d, const char *text, size_t len, enum tune_label label);

/* tune_read - every line of a stream; -1 on a read error */
int tune_read(struct tune_data *d, FILE *in, enum tune_label label);

/* ---- statistics ---- */

struct tune_code {
    uint32_t value;
    size_t spam, ham; /* lines whose hits include the value */
    long weight;      /* hundredths */
    double se;
    int own;    /* enough data for a weight of its own */
    int priced; /* own, or seen often enough (in a priced list) that the data
                 * prices it: the list's weight, whatever code line covered it */
};

struct tune_stat {
    size_t spam_n, spam_hits, ham_n, ham_hits; /* lines with evidence, hits */
    long weight;                               /* suggested, hundredths */
    double lor, se;                            /* log odds ratio (nats) and its standard error */
    int capped;
    int priced;         /* hits, on spam and ham lines with evidence: weight is the data's;
                         * else the list keeps the weights it had (weight unused) */
    size_t unique_spam; /* spam hits no other list (weight > 0) has */
    struct tune_code codes[TUNE_MAX_CODES];
    unsigned ncodes;
    char note[160];
};

enum tune_policy_kind {
    TP_CURRENT,   /* the -c configuration (or what the lines say) */
    TP_SUGGESTED, /* suggested weights and thresholds */
    TP_WITH,      /* suggested, plus one shadow list counted */
    TP_SINGLE,    /* reject when one list lists */
    TP_ANYHIT,    /* reject when any list with a positive weight lists */
    TP_MIXED      /* with -c: current weights at the suggested thresholds, or the
                   * other way round (cur_weights says which) */
};

struct tune_policy {
    enum tune_policy_kind kind;
    char name[DNSBL_NAME_MAX + 16];
    int list;         /* TP_WITH, TP_SINGLE */
    long tag, reject; /* hundredths; TP_SINGLE/TP_ANYHIT: -1 */
    int cur_weights;  /* scored with the -c weights (TP_CURRENT, a TP_MIXED) */
    size_t ham_rejected, ham_tagged, spam_rejected, spam_tagged;
};

struct tune_result {
    struct tune_stat stats[TUNE_MAX_LISTS];
    long cur_tag, cur_reject; /* current thresholds (hundredths) */
    long sug_tag, sug_reject; /* suggested */
    double max_fp;
    double tag_share; /* of the ham the tag threshold allows: 10 x max_fp, 5% at most */
    size_t ham, spam; /* labelled lines used */
    struct tune_policy *policies;
    size_t npolicies;
};

/*
 * tune_analyse - counts, suggested weights and thresholds, and the policies,
 * from the data and (when not NULL) the configuration the lines came from.
 * 0, or -1 when memory runs out.
 */
int tune_analyse(const struct tune_data *d, const dnsbl_config *cfg, double max_fp,
                 struct tune_result *r);

/* tune_result_free - what tune_analyse allocated */
void tune_result_free(struct tune_result *r);

/* ---- reports ---- */

/* tune_report - the report for people, or JSON */
void tune_report(FILE *out, const struct tune_data *d, const struct tune_result *r, int json);

/*
 * tune_write_ini - a complete configuration: cfg's, with the suggested
 * weights and thresholds and comments saying where each came from. 0, or
 * -1 (errno set) when it cannot be written.
 */
int tune_write_ini(const char *path, const dnsbl_config *cfg, const struct tune_data *d,
                   const struct tune_result *r);

#endif /* TUNE_H */
