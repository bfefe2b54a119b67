/*
 * fuzz_config.c - libFuzzer target: the INI loader (inih and config*.c)
 * and the normalised dump of what it accepts, on arbitrary bytes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dnsbl_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* discard - the loader's messages go nowhere */
static void
discard(void *arg, enum dnsbl_log_level level, const char *msg)
{
    (void)arg;
    (void)level;
    (void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *fp = fmemopen((void *)(uintptr_t)data, size ? size : 1, "r");
    dnsbl_config *cfg = NULL;

    if (fp == NULL)
        return 0;
    if (size == 0)
        fgetc(fp); /* an empty file */
    if (cfg_load_stream(fp, "fuzz.ini", discard, NULL, &cfg) == 0) {
        char *dump = dnsbl_config_dump(cfg);

        free(dump);
        dnsbl_config_free(cfg);
    }
    fclose(fp);
    return 0;
}
