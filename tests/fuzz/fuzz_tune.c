/*
 * fuzz_tune.c - libFuzzer target: dnsbl-tune's reader of summary lines in
 * log text (tune_read.c), on arbitrary bytes, then its statistics.
 */
#include <stdlib.h>
#include <string.h>

#include "../../cli/tune.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tune_data d;
    static struct tune_result r;
    const char *p = (const char *)data, *end = p + size;

    memset(&d, 0, sizeof(d));
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

        (void)tune_parse_line(&d, p, len, (enum tune_label)(len % 3));
        p += len + 1;
    }
    if (tune_analyse(&d, NULL, 0.001, &r) == 0)
        tune_result_free(&r);
    tune_data_free(&d);
    return 0;
}
