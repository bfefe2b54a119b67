/*
 * NAME
 *	tune_stats - what labelled summary lines say each list is worth
 * DESCRIPTION
 *	For each list, over the lines that carry evidence about it (a list in
 *	errors= or notawaited= says nothing; a list with ipv6 = no says nothing
 *	of an IPv6 client): hits on spam, hits on ham, and the weight the data
 *	supports, the log odds ratio of a hit between spam and ham,
 *
 *	    ln((s + 0.5) / (S - s + 0.5)) - ln((h + 0.5) / (H - h + 0.5))
 *
 *	(s of S spam lines listed, h of H ham lines), in points, capped at
 *	+-10. The 0.5 (Haldane's correction) keeps a list with 3 hits out of 10
 *	from counting like one with 300 out of 1000, and its standard error,
 *	sqrt of the sum of the four reciprocals, says how sure the weight is.
 *	Adding these weights is adding evidence, as a naive Bayes classifier
 *	does; the thresholds are then read off the data: reject where at most
 *	--max-fp of the ham scores, tag where at most ten times that (5% at
 *	most) does. Where a list's return codes each have enough data, each
 *	gets its own weight (a PBL code apart from an SBL code).
 *
 *	Policies are counted on the same lines: the current configuration,
 *	the suggested one (and with each shadow list counted), rejecting on
 *	one list, and rejecting on any list with a positive weight.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tune.h"

#define TUNE_CAP 1000L /* hundredths: weights stay within +-10 points */

/* tune_obs_of - list i's observation in line l, or NULL (a miss) */
static const struct tune_obs *
tune_obs_of(const struct tune_line *l, unsigned i)
{
    unsigned k;

    for (k = 0; k < l->nobs; k++)
        if (l->obs[k].list == i)
            return &l->obs[k];
    return NULL;
}

/* tune_applies - does line l say anything of list i? */
static int
tune_applies(const struct tune_data *d, const struct tune_line *l, unsigned i)
{
    const struct tune_obs *o = tune_obs_of(l, i);

    if (l->ipv6 && !d->lists[i].ipv6)
        return 0;
    return o == NULL || o->seen != TS_NOEVIDENCE;
}

/* tune_hit - did list i list line l? */
static int
tune_hit(const struct tune_line *l, unsigned i)
{
    const struct tune_obs *o = tune_obs_of(l, i);

    return o != NULL && o->seen == TS_HIT;
}

/* tune_lor - log odds ratio of a hit, spam against ham, with its error */
static double
tune_lor(size_t s, size_t sn, size_t h, size_t hn, double *se)
{
    double a = (double)s + 0.5, b = (double)(sn - s) + 0.5, c = (double)h + 0.5,
           dd = (double)(hn - h) + 0.5;

    *se = sqrt(1 / a + 1 / b + 1 / c + 1 / dd);
    return log(a / b) - log(c / dd);
}

/* tune_points - a log odds ratio as capped hundredths */
static long
tune_points(double lor, int *capped)
{
    long w = lround(lor * 100);

    *capped = w > TUNE_CAP || w < -TUNE_CAP;
    return w > TUNE_CAP ? TUNE_CAP : w < -TUNE_CAP ? -TUNE_CAP : w;
}

/* tune_count - hits and lines per list and per value */
static void
tune_count(const struct tune_data *d, struct tune_result *r)
{
    size_t n;
    unsigned i, v, c;

    for (n = 0; n < d->nlines; n++) {
        const struct tune_line *l = &d->lines[n];
        int spam = l->label == TUNE_SPAM;

        if (l->label == TUNE_NONE)
            continue;
        for (i = 0; i < d->nlists; i++) {
            struct tune_stat *st = &r->stats[i];
            const struct tune_obs *o;

            if (!tune_applies(d, l, i))
                continue;
            *(spam ? &st->spam_n : &st->ham_n) += 1;
            if ((o = tune_obs_of(l, i)) == NULL || o->seen != TS_HIT)
                continue;
            *(spam ? &st->spam_hits : &st->ham_hits) += 1;
            for (v = 0; v < o->nvalues; v++) {
                for (c = 0; c < st->ncodes && st->codes[c].value != o->values[v]; c++)
                    ;
                if (c == st->ncodes && st->ncodes < TUNE_MAX_CODES)
                    st->codes[st->ncodes++].value = o->values[v];
                if (c < st->ncodes)
                    *(spam ? &st->codes[c].spam : &st->codes[c].ham) += 1;
            }
        }
    }
}

/* tune_weigh - list and code weights */
static void
tune_weigh(const struct tune_data *d, struct tune_result *r)
{
    unsigned i, c, with_data;

    for (i = 0; i < d->nlists; i++) {
        struct tune_stat *st = &r->stats[i];

        st->lor = tune_lor(st->spam_hits, st->spam_n, st->ham_hits, st->ham_n, &st->se);
        st->weight = tune_points(st->lor, &st->capped);
        st->priced = st->spam_n > 0 && st->ham_n > 0 && st->spam_hits + st->ham_hits > 0;
        for (c = 0, with_data = 0; c < st->ncodes; c++)
            with_data += st->codes[c].spam + st->codes[c].ham >= TUNE_CODE_MIN;
        for (c = 0; c < st->ncodes; c++) {
            struct tune_code *tc = &st->codes[c];
            int capped;
            double lor = tune_lor(tc->spam, tc->spam + (st->spam_n - st->spam_hits), tc->ham,
                                  tc->ham + (st->ham_n - st->ham_hits), &tc->se);

            tc->weight = tune_points(lor, &capped);
            tc->own = st->priced && with_data >= 2 && tc->spam + tc->ham >= TUNE_CODE_MIN;
            tc->priced = st->priced && tc->spam + tc->ham >= TUNE_CODE_MIN;
        }
    }
}

/*
 * tune_value_weight - a value's suggested weight in list i, as the file
 * --write-ini writes says: its own weight; the list's for a value the data
 * prices; for a rarer one, the code line of -c that covers it, which the
 * file keeps, or else the list's.
 */
static long
tune_value_weight(const struct tune_data *d, const struct tune_stat *st, const dnsbl_config *cfg,
                  unsigned i, uint32_t value)
{
    unsigned c;
    long w;

    for (c = 0; c < st->ncodes; c++)
        if (st->codes[c].value == value && st->codes[c].priced)
            return st->codes[c].own ? st->codes[c].weight : st->weight;
    if (cfg != NULL && d->lists[i].cfg_index >= 0 &&
        dnsbl_config_code_line(cfg, (unsigned)d->lists[i].cfg_index, value) &&
        dnsbl_config_code_weight(cfg, (unsigned)d->lists[i].cfg_index, value, &w))
        return w;
    return st->weight;
}

/* tune_obs_weight - what list i adds for an observation under a policy */
static long
tune_obs_weight(const struct tune_data *d, const struct tune_result *r, const dnsbl_config *cfg,
                const struct tune_policy *p, unsigned i, const struct tune_obs *o)
{
    long best = 0, w;
    unsigned v;

    if (d->lists[i].shadow && !(p->kind == TP_WITH && p->list == (int)i))
        return 0;
    if (cfg != NULL && d->lists[i].cfg_index < 0)
        return 0; /* not in -c, so not in the file --write-ini writes either */
    if (p->kind == TP_CURRENT && cfg == NULL)
        return o->weight; /* what the line says it added */
    for (v = 0; v < o->nvalues; v++) {
        if (p->cur_weights) {
            if (!dnsbl_config_code_weight(cfg, (unsigned)d->lists[i].cfg_index, o->values[v], &w))
                return 0; /* now an error code */
        } else if (r->stats[i].priced) {
            w = tune_value_weight(d, &r->stats[i], cfg, i, o->values[v]);
        } else if (cfg != NULL) {
            /* no data to price it: it keeps what it had, as the written file does */
            dnsbl_config_code_weight(cfg, (unsigned)d->lists[i].cfg_index, o->values[v], &w);
        } else {
            return o->weight;
        }
        if (v == 0 || labs(w) > labs(best))
            best = w;
    }
    return best;
}

/* tune_total - a line's total under a weighted policy */
static long
tune_total(const struct tune_data *d, const struct tune_result *r, const dnsbl_config *cfg,
           const struct tune_policy *p, const struct tune_line *l)
{
    long total = 0;
    unsigned k;

    for (k = 0; k < l->nobs; k++)
        if (l->obs[k].seen == TS_HIT)
            total += tune_obs_weight(d, r, cfg, p, l->obs[k].list, &l->obs[k]);
    return total;
}

/* tune_rejects - 2 rejected, 1 tagged, 0 neither */
static int
tune_rejects(const struct tune_data *d, const struct tune_result *r, const dnsbl_config *cfg,
             const struct tune_policy *p, const struct tune_line *l)
{
    long total;
    unsigned i;

    if (p->kind == TP_CURRENT && cfg == NULL) /* what was done, as logged */
        return l->action == DNSBL_REJECT || l->action == DNSBL_DEFER ? 2 : l->action == DNSBL_TAG;
    switch (p->kind) {
    case TP_SINGLE:
        return tune_hit(l, (unsigned)p->list) ? 2 : 0;
    case TP_ANYHIT:
        for (i = 0; i < d->nlists; i++)
            if (!d->lists[i].shadow && r->stats[i].priced && r->stats[i].weight > 0 &&
                tune_hit(l, i))
                return 2;
        return 0;
    default:
        total = tune_total(d, r, cfg, p, l);
        return total >= p->reject ? 2 : total >= p->tag ? 1 : 0;
    }
}

/* tune_evaluate - count what each policy does to ham and spam */
static void
tune_evaluate(const struct tune_data *d, struct tune_result *r, const dnsbl_config *cfg)
{
    size_t n, k;

    for (k = 0; k < r->npolicies; k++) {
        struct tune_policy *p = &r->policies[k];

        for (n = 0; n < d->nlines; n++) {
            const struct tune_line *l = &d->lines[n];
            int what;

            if (l->label == TUNE_NONE)
                continue;
            what = tune_rejects(d, r, cfg, p, l);
            if (l->label == TUNE_SPAM) {
                p->spam_rejected += what == 2;
                p->spam_tagged += what == 1;
            } else {
                p->ham_rejected += what == 2;
                p->ham_tagged += what == 1;
            }
        }
    }
}

/* tune_cmp_desc - descending longs */
static int
tune_cmp_desc(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return x < y ? 1 : x > y ? -1 : 0;
}

/* tune_threshold - the lowest threshold that scores at most share of the ham */
static long
tune_threshold(const long *ham, size_t n, double share)
{
    size_t allowed = (size_t)floor(share * (double)n);

    if (n == 0)
        return TUNE_CAP;
    if (allowed >= n)
        return 1;
    return ham[allowed] + 1 > 1 ? ham[allowed] + 1 : 1;
}

/* tune_thresholds - suggested tag and reject from the ham's totals */
static int
tune_thresholds(const struct tune_data *d, const dnsbl_config *cfg, struct tune_result *r)
{
    struct tune_policy sug = {.kind = TP_SUGGESTED, .name = "suggested", .list = -1};
    long *ham = malloc((r->ham ? r->ham : 1) * sizeof(*ham));
    size_t n, k = 0;

    if (ham == NULL)
        return -1;
    for (n = 0; n < d->nlines; n++)
        if (d->lines[n].label == TUNE_HAM)
            ham[k++] = tune_total(d, r, cfg, &sug, &d->lines[n]);
    qsort(ham, k, sizeof(*ham), tune_cmp_desc);
    r->sug_reject = tune_threshold(ham, k, r->max_fp);
    r->sug_tag = tune_threshold(ham, k, r->tag_share);
    if (r->sug_tag > r->sug_reject)
        r->sug_tag = r->sug_reject;
    free(ham);
    return 0;
}

/* tune_add_policy - append one */
static struct tune_policy *
tune_add_policy(struct tune_result *r, enum tune_policy_kind kind, const char *name, int list)
{
    struct tune_policy *p = &r->policies[r->npolicies++];

    memset(p, 0, sizeof(*p));
    p->kind = kind;
    p->list = list;
    snprintf(p->name, sizeof(p->name), "%s", name);
    p->tag = p->reject = -1;
    return p;
}

/* tune_unique - spam hits of each list that no other blocklist has */
static void
tune_unique(const struct tune_data *d, struct tune_result *r)
{
    size_t n;
    unsigned i, j;

    for (n = 0; n < d->nlines; n++) {
        const struct tune_line *l = &d->lines[n];

        if (l->label != TUNE_SPAM)
            continue;
        for (i = 0; i < d->nlists; i++) {
            int other = 0;

            if (!tune_hit(l, i))
                continue;
            for (j = 0; j < d->nlists && !other; j++)
                other = j != i && !d->lists[j].shadow && r->stats[j].priced &&
                        r->stats[j].weight > 0 && tune_hit(l, j);
            r->stats[i].unique_spam += !other;
        }
    }
}

/* tune_notes - a word on each list for the report */
static void
tune_notes(const struct tune_data *d, struct tune_result *r)
{
    unsigned i;

    for (i = 0; i < d->nlists; i++) {
        struct tune_stat *st = &r->stats[i];
        size_t o = 0;

#define NOTE(...)                                                                                  \
    (o +=                                                                                          \
     (size_t)snprintf(st->note + o, o < sizeof(st->note) ? sizeof(st->note) - o : 0, __VA_ARGS__))
        if (st->spam_n == 0 || st->ham_n == 0)
            NOTE("no %s lines with evidence; ", st->spam_n == 0 ? "spam" : "ham");
        else if (st->spam_hits + st->ham_hits == 0)
            NOTE("no hits: weight kept as it was; ");
        else if (st->spam_hits + st->ham_hits < 20)
            NOTE("few hits (%zu): a rough weight; ", st->spam_hits + st->ham_hits);
        else if (st->se > 1.5)
            NOTE("low confidence (standard error %.2f); ", st->se);
        if (st->capped && st->priced)
            NOTE("capped at %s10; ", st->weight < 0 ? "-" : "");
        if (st->weight > 0 && st->spam_hits > 0 && st->unique_spam == 0)
            NOTE("adds nothing: every spam it lists, another list lists; ");
        else if (st->weight > 0 && st->unique_spam * 100 < st->spam_hits)
            NOTE("adds little: %zu of its %zu spam hits no other list has; ", st->unique_spam,
                 st->spam_hits);
        if (d->lists[i].shadow)
            NOTE("shadow list; ");
        if (o >= 2 && o <= sizeof(st->note))
            st->note[o - 2] = '\0';
#undef NOTE
    }
}

/* tune_analyse - see tune.h */
int
tune_analyse(const struct tune_data *d, const dnsbl_config *cfg, double max_fp,
             struct tune_result *r)
{
    struct tune_policy *p;
    char name[DNSBL_NAME_MAX + 16];
    unsigned i;
    long defer;

    memset(r, 0, sizeof(*r));
    r->max_fp = max_fp;
    r->tag_share = max_fp * 10 < 0.05 ? max_fp * 10 : 0.05;
    r->ham = d->count[TUNE_HAM]; /* one kept line each */
    r->spam = d->count[TUNE_SPAM];
    r->cur_tag = cfg ? dnsbl_config_threshold(cfg, DNSBL_TAG) : 500;
    r->cur_reject = cfg ? dnsbl_config_threshold(cfg, DNSBL_REJECT) : 1000;
    /* A deferred message is retried, and deferred again: it counts as refused. */
    if (cfg && (defer = dnsbl_config_threshold(cfg, DNSBL_DEFER)) >= 0)
        r->cur_reject = defer;
    tune_count(d, r);
    tune_weigh(d, r);
    tune_unique(d, r);
    tune_notes(d, r);
    if (tune_thresholds(d, cfg, r) != 0)
        return -1;
    if ((r->policies = calloc(2 * d->nlists + 5, sizeof(*r->policies))) == NULL)
        return -1;
    p = tune_add_policy(r, TP_CURRENT, cfg ? "current" : "current (as logged)", -1);
    if (cfg != NULL) { /* else each line's logged action says */
        p->tag = r->cur_tag;
        p->reject = r->cur_reject;
    }
    p->cur_weights = 1;
    if (cfg != NULL) { /* which of the two changes does what */
        p = tune_add_policy(r, TP_MIXED, "current weights, new thr.", -1);
        p->cur_weights = 1;
        p->tag = r->sug_tag;
        p->reject = r->sug_reject;
        p = tune_add_policy(r, TP_MIXED, "new weights, current thr.", -1);
        p->tag = r->cur_tag;
        p->reject = r->cur_reject;
    }
    p = tune_add_policy(r, TP_SUGGESTED, "suggested", -1);
    p->tag = r->sug_tag;
    p->reject = r->sug_reject;
    for (i = 0; i < d->nlists; i++) {
        if (!d->lists[i].shadow)
            continue;
        snprintf(name, sizeof(name), "suggested+%s", d->lists[i].name);
        p = tune_add_policy(r, TP_WITH, name, (int)i);
        p->tag = r->sug_tag;
        p->reject = r->sug_reject;
    }
    for (i = 0; i < d->nlists; i++) {
        if (d->lists[i].shadow || !r->stats[i].priced || r->stats[i].weight <= 0)
            continue;
        snprintf(name, sizeof(name), "single:%s", d->lists[i].name);
        tune_add_policy(r, TP_SINGLE, name, (int)i);
    }
    tune_add_policy(r, TP_ANYHIT, "any-hit", -1);
    tune_evaluate(d, r, cfg);
    return 0;
}

/* tune_result_free - see tune.h */
void
tune_result_free(struct tune_result *r)
{
    free(r->policies);
    r->policies = NULL;
}
