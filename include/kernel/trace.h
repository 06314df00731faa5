/*
 * kernel/trace.h - the event trace's kernel side (kernel/trace.c): the
 * trace= parameter and the `trace` shell command. The ring and the trace
 * points: include/trace/; the dump's format: docs/TRACING.md.
 */
#ifndef LABYRINTH_KERNEL_TRACE_H
#define LABYRINTH_KERNEL_TRACE_H

#include <trace/trace.h>

/* trace=on|off on the command line: trace from boot. -EINVAL otherwise. */
int trace_setup_param(const char *value);

#endif
