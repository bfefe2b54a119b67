/*
 * test_net.c - client addresses, query names, networks (core/net.c)
 */
#include <arpa/inet.h>

#include "unit.h"

/* clang-format off: a table of cases, laid out by hand */
static const struct {
    const char *label, *addr, *zone, *want; /* want NULL: not an address */
} qname_cases[] = {
    {"IPv4", "192.0.2.1", "zen.test.bl", "1.2.0.192.zen.test.bl"},
    {"IPv4 test point", "127.0.0.2", "bl.example", "2.0.0.127.bl.example"},
    {"IPv4 zeros", "0.0.0.0", "bl", "0.0.0.0.bl"},
    {"IPv4 max", "255.255.255.255", "bl", "255.255.255.255.bl"},
    {"IPv6 RFC 5782 example", "2001:db8:1:2:3:4:567:89ab", "bl",
     "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl"},
    {"IPv6 compressed", "2001:db8::1", "bl",
     "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl"},
    {"IPv6 upper case", "2001:DB8::A", "bl",
     "a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl"},
    {"IPv4-mapped is scored as IPv4", "::ffff:192.0.2.1", "bl", "1.2.0.192.bl"},
    {"IPv4-mapped in hex", "::ffff:c000:201", "bl", "1.2.0.192.bl"},
    {"RFC 5782 IPv6 test point (mapped 127.0.0.2)", "::FFFF:7F00:2", "bl", "2.0.0.127.bl"},
    {"IPv4-compatible stays IPv6", "::192.0.2.1", "bl",
     "1.0.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl"},
    {"loopback IPv6", "::1", "bl",
     "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl"},
    {"not an address", "example.org", "bl", NULL},
    {"empty", "", "bl", NULL},
    {"leading space", " 192.0.2.1", "bl", NULL},
    {"trailing newline", "192.0.2.1\n", "bl", NULL},
    {"CIDR is not an address", "192.0.2.0/24", "bl", NULL},
    {"three octets", "192.0.2", "bl", NULL},
    {"octet too big", "192.0.2.256", "bl", NULL},
    {"leading zero octet", "192.0.2.01", "bl", NULL},
    {"IPv6 zone id", "fe80::1%eth0", "bl", NULL},
    {"IPv6 too many groups", "1:2:3:4:5:6:7:8:9", "bl", NULL},
    {"very long", "1111111111111111111111111111111111111111111111111111111111111111", "bl", NULL},
};
/* clang-format on */

static void
test_query_names(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_CASES(qname_cases); i++) {
        struct net_addr a;
        char buf[300];
        const char *got = NULL;

        if (net_parse_addr(qname_cases[i].addr, &a) == 0 &&
            net_query_name(&a, qname_cases[i].zone, buf, sizeof(buf)) == 0)
            got = buf;
        check_str(qname_cases[i].label, got, qname_cases[i].want);
    }
}

static void
test_query_name_too_long(void **state)
{
    struct net_addr a;
    char buf[40];

    (void)state;
    assert_int_equal(net_parse_addr("2001:db8::1", &a), 0);
    check_long("a name that does not fit the buffer", net_query_name(&a, "bl", buf, sizeof(buf)),
               -1);
}

/* clang-format off: a table of cases, laid out by hand */
static const struct {
    const char *label, *prefix, *want; /* want: canonical form, or "why" text */
} prefix_cases[] = {
    {"IPv4 network", "10.0.0.0/8", "10.0.0.0/8"},
    {"IPv4 host", "192.0.2.1", "192.0.2.1/32"},
    {"IPv4 /0", "0.0.0.0/0", "0.0.0.0/0"},
    {"IPv6 network", "fe80::/10", "fe80::/10"},
    {"IPv6 host", "::1", "::1/128"},
    {"IPv6 /7", "fc00::/7", "fc00::/7"},
    {"host bits set", "10.0.0.1/8", "has bits set after the prefix length"},
    {"IPv6 host bits set", "fe80::1/10", "has bits set after the prefix length"},
    {"prefix too long", "10.0.0.0/33", "has an invalid prefix length"},
    {"IPv6 prefix too long", "::/129", "has an invalid prefix length"},
    {"no prefix after slash", "10.0.0.0/", "has no prefix length after '/'"},
    {"junk prefix", "10.0.0.0/8x", "has an invalid prefix length"},
    {"negative prefix", "10.0.0.0/-8", "has no prefix length after '/'"},
    {"not an address", "localhost", "is not an address or network"},
    {"a mapped network stays an IPv6 network", "::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104"},
};
/* clang-format on */

static void
test_prefixes(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_CASES(prefix_cases); i++) {
        struct net_prefix p;
        const char *why = NULL;
        char buf[64];

        if (net_parse_prefix(prefix_cases[i].prefix, &p, &why) == 0) {
            net_format_prefix(&p, buf, sizeof(buf));
            check_str(prefix_cases[i].label, buf, prefix_cases[i].want);
        } else {
            check_str(prefix_cases[i].label, why, prefix_cases[i].want);
        }
    }
}

/* clang-format off: a table of cases, laid out by hand */
static const struct {
    const char *label, *prefix, *addr;
    int want;
} contains_cases[] = {
    {"inside /8", "127.0.0.0/8", "127.1.2.3", 1},
    {"outside /8", "127.0.0.0/8", "128.0.0.1", 0},
    {"/12 edge in", "172.16.0.0/12", "172.31.255.255", 1},
    {"/12 edge out", "172.16.0.0/12", "172.32.0.0", 0},
    {"/32", "192.0.2.1", "192.0.2.1", 1},
    {"/32 other", "192.0.2.1", "192.0.2.2", 0},
    {"/0 holds all IPv4", "0.0.0.0/0", "8.8.8.8", 1},
    {"IPv4 prefix, IPv6 address", "0.0.0.0/0", "2001:db8::1", 0},
    {"IPv4 prefix, mapped address", "10.0.0.0/8", "::ffff:10.1.2.3", 1},
    {"ULA", "fc00::/7", "fd12:3456::1", 1},
    {"not ULA", "fc00::/7", "fe00::1", 0},
    {"link-local /10", "fe80::/10", "febf::1", 1},
    {"past link-local", "fe80::/10", "fec0::1", 0},
};
/* clang-format on */

static void
test_contains(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_CASES(contains_cases); i++) {
        struct net_prefix p;
        struct net_addr a;
        const char *why;

        assert_int_equal(net_parse_prefix(contains_cases[i].prefix, &p, &why), 0);
        assert_int_equal(net_parse_addr(contains_cases[i].addr, &a), 0);
        check_long(contains_cases[i].label, net_prefix_contains(&p, &a), contains_cases[i].want);
    }
}

/* clang-format off: a table of cases, laid out by hand */
static const struct {
    const char *label, *zone, *want; /* want: NULL when valid */
} zone_cases[] = {
    {"plain", "zen.spamhaus.org", NULL},
    {"with a key label", "abcdef0123456789.zen.dq.spamhaus.net", NULL},
    {"underscore", "_bl.example", NULL},
    {"empty", "", "is empty"},
    {"empty label", "zen..example", "has an empty label"},
    {"leading dot", ".example", "has an empty label"},
    {"space", "zen example", "holds a character not allowed in a DNS name"},
    {"slash", "zen/example", "holds a character not allowed in a DNS name"},
    {"label of 64", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bl",
     "has a label longer than 63 characters"},
};
/* clang-format on */

static void
test_zones(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_CASES(zone_cases); i++)
        check_str(zone_cases[i].label, net_check_zone(zone_cases[i].zone, 189), zone_cases[i].want);
    check_str("too long once the address is added", net_check_zone("a.b.c", 4),
              "is too long for a DNS name once the address is prepended");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_names), cmocka_unit_test(test_query_name_too_long),
        cmocka_unit_test(test_prefixes),    cmocka_unit_test(test_contains),
        cmocka_unit_test(test_zones),
    };

    return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}
