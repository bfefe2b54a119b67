/*
 * fuzz_answer.c - libFuzzer target: DNS answer packets (answer.c), then
 * what scoring makes of the values (score.c) and the cleaning of TXT text
 * (text.c), as a hostile or broken server would send them.
 */
#include <arpa/nameser.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct code_rule rules[3];
    struct cfg_list list;
    struct ans_result ans;
    struct dnsbl_list_result lr;
    char clean[201];
    const char *why;
    int qtype;

    if (size < 1)
        return 0;
    qtype = data[0] & 1 ? ns_t_txt : ns_t_a;
    memset(&list, 0, sizeof(list));
    rules[0] = cfg_default_error_rule;
    (void)code_parse_spec("127.0.0.2", &rules[1], &why);
    rules[1].weight = 600;
    (void)code_parse_spec("&0.0.0.4", &rules[2], &why);
    rules[2].weight = -300;
    list.rules = rules;
    list.nrules = 3;
    list.weight = 100;
    ans_parse(data + 1, size - 1, "12.2.0.192.zen.test.bl", qtype, &ans);
    memset(&lr, 0, sizeof(lr));
    score_answer(&list, 0, &ans, &lr);
    dnsbl_clean_text(clean, sizeof(clean), (const uint8_t *)ans.txt, ans.txtlen);
    return 0;
}
