/*
 * format.h - printf-style formatting into a buffer (lib/vsprintf.c).
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %% with flags '-', '0', width,
 * precision for %s, and length modifiers hh h l ll z.
 * %pS prints a code address as symbol+offset through symbol_lookup(),
 * which the kernel fills from its symbol table and host tests may leave
 * unresolved (the bare address is printed then).
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
 * Find the function containing addr. Returns its name and sets *offset,
 * or returns NULL. Provided by kernel/kallsyms.c (or a host test stub).
 */
const char *symbol_lookup(unsigned long addr, unsigned long *offset);

#endif
