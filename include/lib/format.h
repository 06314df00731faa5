/*
 * format.h - printf-style formatting into a buffer (lib/vsprintf.c).
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %% with flags '-', '0', width,
 * precision for %s, and length modifiers hh h l ll z.
 * %pS prints a code address as symbol+offset through a hook the kernel
 * sets at boot (format_set_symbol_lookup(), from kernel/kallsyms.c): lib/
 * depends on nothing above it. Until the hook is set, %pS prints the bare
 * address. %pB is %pS for a return address, as in a backtrace: it names the
 * function the call was in, even when the call never returns and the
 * address is the first byte of the next function.
 */
#ifndef LABYRINTH_LIB_FORMAT_H
#define LABYRINTH_LIB_FORMAT_H

#include <types.h>

#ifdef HOST_TEST
#include <stdio.h>	/* host tests format with their C library */
#else
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
#endif

/*
 * A symbol lookup: the name of the function containing addr, with
 * *offset set to addr's distance from its start; or NULL if none.
 */
typedef const char *(*format_symbol_fn)(unsigned long addr,
					unsigned long *offset);
/* The lookup %pS uses (NULL: none, print the address). */
void format_set_symbol_lookup(format_symbol_fn fn);

#endif
