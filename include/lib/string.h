/*
 * string.h - freestanding string and memory helpers (lib/string.c).
 *
 * The kernel has no C library; gcc may still emit calls to memset, memcpy,
 * memmove and memcmp on its own, so these exact names must exist.
 * Host test programs use their C library's versions instead.
 */
#ifndef LABYRINTH_LIB_STRING_H
#define LABYRINTH_LIB_STRING_H

#include <types.h>

#ifdef HOST_TEST
#include <string.h>
#else
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

/* Parse an unsigned number (decimal, 0x hex, optional K/M/G suffix). */
int parse_ulong(const char *s, unsigned long *out);
/* Parse a signed decimal or 0x hex number. */
int parse_long(const char *s, long *out);

#endif
