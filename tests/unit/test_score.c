/*
 * test_score.c - decimals, a list's contribution, totals and actions
 * (core/decimal.c, core/score.c)
 */
#include "unit.h"

#define V(a, b, c, d)                                                                              \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* clang-format off: a table of cases, laid out by hand */
static const struct {
    const char *text;
    int ok;
    long want;
} dec_cases[] = {
    {"5", 1, 500},   {"7.5", 1, 750},       {"7.50", 1, 750}, {"-0.25", 1, -25},
    {"+2", 1, 200},  {"0", 1, 0},           {".5", 1, 50},    {"1000000000", 1, 100000000000},
    {"0.125", 0, 0}, {"1,5", 0, 0},         {"", 0, 0},       {"-", 0, 0},
    {"5.", 0, 0},    {"1e3", 0, 0},         {" 5", 0, 0},     {"5 ", 0, 0},
    {"NaN", 0, 0},   {"10000000000", 0, 0}, {"--1", 0, 0},    {"0x10", 0, 0},
};
/* clang-format on */

static void
test_decimals(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_CASES(dec_cases); i++) {
        long got = 0;
        int ok = dec_parse(dec_cases[i].text, &got) == 0;

        check_long(dec_cases[i].text, ok, dec_cases[i].ok);
        if (ok)
            check_long(dec_cases[i].text, got, dec_cases[i].want);
    }
}

static void
test_format_points(void **state)
{
    /* clang-format off: a table of cases, laid out by hand */
    static const struct {
        long v;
        const char *want;
    } cases[] = {{0, "0.00"},     {750, "7.50"}, {-25, "-0.25"},
                 {-500, "-5.00"}, {5, "0.05"},   {100000000000, "1000000000.00"}};
    /* clang-format on */
    char buf[DNSBL_POINTS_BUFSZ];
    size_t i;

    (void)state;
    for (i = 0; i < N_CASES(cases); i++)
        check_str(cases[i].want, dnsbl_format_points(cases[i].v, buf), cases[i].want);
}

/* The list the score_list cases use: ZEN's codes. */
static struct cfg_list
zen_list(struct code_rule *rules)
{
    struct cfg_list l;
    const char *why;

    memset(&l, 0, sizeof(l));
    l.weight = 100;
    rules[0] = cfg_default_error_rule;
    assert_int_equal(code_parse_spec("127.0.0.2", &rules[1], &why), 0);
    rules[1].weight = 600;
    assert_int_equal(code_parse_spec("127.0.0.4-127.0.0.7", &rules[2], &why), 0);
    rules[2].weight = 400;
    assert_int_equal(code_parse_spec("127.0.0.10-127.0.0.11", &rules[3], &why), 0);
    rules[3].weight = 50;
    assert_int_equal(code_parse_spec("127.0.10.0/24", &rules[4], &why), 0);
    rules[4].weight = -700;
    l.rules = rules;
    l.nrules = 5;
    return l;
}

static void
test_score_list(void **state)
{
    /* clang-format off: a table of cases, laid out by hand */
    static const struct {
        const char *label;
        unsigned n;
        uint32_t values[3];
        const char *status, *error;
        long weight;
    } cases[] = {
        {"no A record: miss", 0, {0}, "miss", "", 0},
        {"SBL", 1, {V(127, 0, 0, 2)}, "hit", "", 600},
        {"XBL range", 1, {V(127, 0, 0, 6)}, "hit", "", 400},
        {"PBL", 1, {V(127, 0, 0, 11)}, "hit", "", 50},
        {"several codes count once: the largest",
         3,
         {V(127, 0, 0, 10), V(127, 0, 0, 2), V(127, 0, 0, 4)},
         "hit",
         "",
         600},
        {"an unmatched code takes the list's weight", 1, {V(127, 0, 0, 99)}, "hit", "", 100},
        {"largest magnitude, negative", 2, {V(127, 0, 10, 1), V(127, 0, 0, 2)}, "hit", "", -700},
        {"error code", 1, {V(127, 255, 255, 254)}, "error", "code-127.255.255.254", 0},
        {"error code next to a listing: error",
         2,
         {V(127, 0, 0, 2), V(127, 255, 255, 255)},
         "error",
         "code-127.255.255.255",
         0},
        {"outside 127/8", 1, {V(10, 1, 2, 3)}, "error", "nonlocal-10.1.2.3", 0},
        {"wildcard parking next to a listing",
         2,
         {V(127, 0, 0, 2), V(192, 0, 2, 80)},
         "error",
         "nonlocal-192.0.2.80",
         0},
    };
    /* clang-format on */
    struct code_rule rules[5];
    struct cfg_list l = zen_list(rules);
    size_t i;

    (void)state;
    for (i = 0; i < N_CASES(cases); i++) {
        struct dnsbl_list_result lr;

        memset(&lr, 0, sizeof(lr));
        lr.nvalues = cases[i].n;
        memcpy(lr.values, cases[i].values, sizeof(cases[i].values));
        score_list(&l, &lr);
        check_str(cases[i].label, dnsbl_status_name(lr.status), cases[i].status);
        check_str(cases[i].label, lr.error, cases[i].error);
        check_long(cases[i].label, lr.weight, cases[i].weight);
    }
}

static void
test_actions(void **state)
{
    /* clang-format off: a table of cases, laid out by hand */
    static const struct {
        const char *label;
        int has_defer;
        long total;
        const char *want;
    } cases[] = {
        {"zero", 1, 0, "accept"},
        {"just below tag", 1, 499, "accept"},
        {"at tag", 1, 500, "tag"},
        {"just below defer", 1, 799, "tag"},
        {"at defer", 1, 800, "defer"},
        {"just below reject", 1, 999, "defer"},
        {"at reject", 1, 1000, "reject"},
        {"far above", 1, 100000, "reject"},
        {"negative", 1, -500, "accept"},
        {"no defer: tag up to reject", 0, 999, "tag"},
        {"no defer: reject", 0, 1000, "reject"},
    };
    /* clang-format on */
    struct dnsbl_config cfg;
    size_t i;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.tag = 500;
    cfg.defer = 800;
    cfg.reject = 1000;
    for (i = 0; i < N_CASES(cases); i++) {
        cfg.has_defer = cases[i].has_defer;
        check_str(cases[i].label, dnsbl_action_name(score_action(&cfg, cases[i].total)),
                  cases[i].want);
    }
}

static void
test_total_is_exact(void **state)
{
    /* 0.1 + 0.2 reaches 0.3: fixed point, not binary floating point. */
    struct dnsbl_config cfg;
    struct dnsbl_list_result lists[3];
    dnsbl_result res;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    memset(lists, 0, sizeof(lists));
    memset(&res, 0, sizeof(res));
    cfg.tag = 30;
    cfg.reject = 1000;
    lists[0].status = DNSBL_HIT;
    lists[0].weight = 10;
    lists[1].status = DNSBL_HIT;
    lists[1].weight = 20;
    lists[2].status = DNSBL_ERROR; /* errors never count */
    lists[2].weight = 999;
    res.lists = lists;
    res.nlists = 3;
    score_total(&cfg, &res);
    check_long("0.10 + 0.20", res.score, 30);
    check_str("0.10 + 0.20 reaches a tag threshold of 0.30", dnsbl_action_name(res.action), "tag");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimals),       cmocka_unit_test(test_format_points),
        cmocka_unit_test(test_score_list),     cmocka_unit_test(test_actions),
        cmocka_unit_test(test_total_is_exact),
    };

    return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
