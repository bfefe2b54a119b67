/*
 * test_codes.c - return codes: parsing code lines and choosing the line that
 * decides a value (core/codes.c)
 */
#include "unit.h"

#define V(a, b, c, d)                                                                              \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* clang-format off: a table of cases, laid out by hand */
static const struct {
    const char *label, *spec, *want; /* want: normal form, or why it is refused */
} spec_cases[] = {
    {"exact", "127.0.0.2", "127.0.0.2"},
    {"range", "127.0.0.4-127.0.0.7", "127.0.0.4-127.0.0.7"},
    {"range of one", "127.0.0.4-127.0.0.4", "127.0.0.4"},
    {"CIDR", "127.255.255.0/24", "127.255.255.0/24"},
    {"CIDR /8", "127.0.0.0/8", "127.0.0.0/8"},
    {"CIDR /32", "127.0.0.2/32", "127.0.0.2"},
    {"mask", "&0.0.0.8", "&0.0.0.8"},
    {"mask of several bits", "&0.0.0.6", "&0.0.0.6"},
    {"reversed range", "127.0.0.7-127.0.0.4", "is a range whose first value is above its last"},
    {"range half outside", "126.255.255.255-127.0.0.1",
     "is outside 127.0.0.0/8, where DNSBL return codes live"},
    {"outside 127/8", "10.0.0.1", "is outside 127.0.0.0/8, where DNSBL return codes live"},
    {"CIDR wider than 127/8", "126.0.0.0/7",
     "is outside 127.0.0.0/8, where DNSBL return codes live"},
    {"CIDR host bits", "127.255.255.1/24", "has bits set after the prefix length"},
    {"CIDR prefix 33", "127.0.0.0/33", "has an invalid prefix length"},
    {"CIDR no prefix", "127.0.0.0/", "is not a CIDR block like 127.255.255.0/24"},
    {"zero mask", "&0.0.0.0", "is a mask with no bit set: it would never match"},
    {"bad mask", "&8", "is not a bit mask like &0.0.0.8"},
    {"three octets", "127.0.2", "is not a return code (127.0.0.2), range, CIDR block or &mask"},
    {"bad range end", "127.0.0.4-x", "is not a range like 127.0.0.4-127.0.0.7"},
    {"spaces inside", "127.0.0.4 - 127.0.0.7", "is not a range like 127.0.0.4-127.0.0.7"},
};
/* clang-format on */

static void
test_specs(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_CASES(spec_cases); i++) {
        struct code_rule r;
        const char *why = NULL;
        char buf[48];

        if (code_parse_spec(spec_cases[i].spec, &r, &why) == 0) {
            code_format_spec(&r, buf, sizeof(buf));
            check_str(spec_cases[i].label, buf, spec_cases[i].want);
        } else {
            check_str(spec_cases[i].label, why, spec_cases[i].want);
        }
    }
}

/* rule - a rule from its spec and weight ("error" or a decimal) */
static struct code_rule
rule(const char *spec, const char *weight)
{
    struct code_rule r;
    const char *why;

    assert_int_equal(code_parse_spec(spec, &r, &why), 0);
    if (strcmp(weight, "error") == 0)
        r.is_error = 1;
    else
        assert_int_equal(dec_parse(weight, &r.weight), 0);
    return r;
}

static void
test_match(void **state)
{
    struct code_rule rules[9];
    /* clang-format off: a table of cases, laid out by hand */
    static const struct {
        const char *label;
        uint32_t value;
        const char *want; /* the deciding rule's weight, "error", or "none" */
    } cases[] = {
        {"exact beats the range holding it", V(127, 0, 0, 5), "7.00"},
        {"narrowest range", V(127, 0, 0, 6), "4.00"},
        {"wider range when the narrow one misses", V(127, 0, 0, 9), "2.00"},
        {"CIDR", V(127, 0, 1, 200), "1.50"},
        {"error code", V(127, 255, 255, 254), "error"},
        {"exact beats the error block", V(127, 255, 255, 1), "3.00"},
        {"mask when no range matches", V(127, 0, 2, 8), "0.50"},
        {"mask needs all its bits", V(127, 0, 2, 4), "none"},
        {"range beats mask", V(127, 0, 0, 8), "2.00"},
        {"nothing matches", V(127, 0, 3, 1), "none"},
        {"two masks: largest magnitude", V(127, 0, 2, 24), "-6.00"},
    };
    /* clang-format on */
    size_t i;

    (void)state;
    rules[0] = rule("127.0.0.0-127.0.0.15", "2");
    rules[1] = rule("127.0.0.4-127.0.0.7", "4");
    rules[2] = rule("127.0.0.5", "7");
    rules[3] = rule("127.0.1.0/24", "1.5");
    rules[4] = rule("127.255.255.0/24", "error");
    rules[5] = rule("127.255.255.1", "3");
    rules[6] = rule("&0.0.0.8", "0.5");
    rules[7] = rule("&0.0.0.16", "-6");
    rules[8] = rule("&0.0.0.12", "1");
    for (i = 0; i < N_CASES(cases); i++) {
        const struct code_rule *r = code_match(rules, N_CASES(rules), cases[i].value);
        char buf[DNSBL_POINTS_BUFSZ];

        check_str(cases[i].label,
                  r == NULL     ? "none"
                  : r->is_error ? "error"
                                : dnsbl_format_points(r->weight, buf),
                  cases[i].want);
    }
}

static void
test_error_wins_a_tie(void **state)
{
    struct code_rule rules[2];
    const struct code_rule *r;

    (void)state;
    rules[0] = rule("127.0.0.2", "9");
    rules[1] = rule("127.0.0.2/32", "error");
    r = code_match(rules, 2, V(127, 0, 0, 2));
    check_long("an error line is not outweighed by an equally specific weight", r->is_error, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_specs),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_error_wins_a_tie),
    };

    return cmocka_run_group_tests_name("codes", tests, NULL, NULL);
}
