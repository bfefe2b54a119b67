/*
 * NAME
 *	log - report through the caller's log function
 * DESCRIPTION
 *	The engine never prints. What a human should know is formatted here
 *	into one line and handed to the caller's dnsbl_log_fn, which the Exim
 *	module maps to log_write() and the command maps to stderr.
 */
#include <stdio.h>

#include "dnsbl_int.h"

/* log_msg - format one line and pass it on; a missing sink drops it */
void
log_msg(const struct log_sink *sink, enum dnsbl_log_level level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (sink == NULL || sink->fn == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    sink->fn(sink->arg, level, line);
}
