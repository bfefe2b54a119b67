/*
 * fuzz_addr.c - libFuzzer target: client addresses, query names, networks
 * and code specs (net.c, codes.c, decimal.c) on arbitrary text.
 */
#include <stdlib.h>
#include <string.h>

#include "dnsbl_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[256], name[300], buf[64];
    struct net_addr a;
    struct net_prefix p;
    struct code_rule r;
    const char *why;
    long w;

    if (size >= sizeof(text))
        size = sizeof(text) - 1;
    memcpy(text, data, size);
    text[size] = '\0';
    if (net_parse_addr(text, &a) == 0) {
        net_format_addr(&a, buf, sizeof(buf));
        (void)net_query_name(&a, "zen.test.bl", name, sizeof(name));
        (void)net_query_name(&a, text, name, 40);
    }
    if (net_parse_prefix(text, &p, &why) == 0) {
        net_format_prefix(&p, buf, sizeof(buf));
        if (net_parse_addr("192.0.2.1", &a) == 0)
            (void)net_prefix_contains(&p, &a);
    }
    if (code_parse_spec(text, &r, &why) == 0) {
        code_format_spec(&r, buf, sizeof(buf));
        (void)code_match(&r, 1, 0x7f000002);
    }
    (void)dec_parse(text, &w);
    (void)net_check_zone(text, 189);
    return 0;
}
