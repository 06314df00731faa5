/*
 * string.c - memory and string helpers for the freestanding kernel.
 *
 * gcc may emit calls to memset/memcpy/memmove/memcmp by itself (structure
 * copies, zeroing), so these must exist with exactly these names.
 *
 * memset() and memcpy() move aligned 32-bit words, sixteen and eight to
 * a step, where they can: a 4 KiB page is cleared or poisoned in about
 * 1,200 instructions instead of 24,000 byte by byte. That matters where it
 * happens with interrupts off: a freed exclusive page is poisoned by
 * free_pages() in the caller's context, and a handler that gets a page
 * from outside its exclusive room clears it (docs/PERFORMANCE.md, "The
 * 5.2 us budget"). They are built without gcc's loop-to-memset pattern
 * matching, which would turn their loops into calls to themselves.
 */
#include <lib/string.h>

#define STRING_FN \
	__attribute__((optimize("no-tree-loop-distribute-patterns")))

/* A word that may alias anything, as memset and memcpy must. */
typedef u32 __attribute__((may_alias)) str_word_t;

STRING_FN void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	u32 w = (u8)c * 0x01010101u;

	for (; n && ((uintptr_t)d & 3); n--)
		*d++ = (unsigned char)c;
	for (; n >= 64; n -= 64, d += 64) {
		str_word_t *p = (str_word_t *)d;

		p[0] = w; p[1] = w; p[2] = w; p[3] = w;
		p[4] = w; p[5] = w; p[6] = w; p[7] = w;
		p[8] = w; p[9] = w; p[10] = w; p[11] = w;
		p[12] = w; p[13] = w; p[14] = w; p[15] = w;
	}
	for (; n >= 4; n -= 4, d += 4)
		*(str_word_t *)d = w;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

STRING_FN void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 3) == 0) {
		for (; n && ((uintptr_t)d & 3); n--)
			*d++ = *s++;
		for (; n >= 32; n -= 32, d += 32, s += 32) {
			str_word_t *p = (str_word_t *)d;
			const str_word_t *q = (const str_word_t *)s;

			p[0] = q[0]; p[1] = q[1]; p[2] = q[2]; p[3] = q[3];
			p[4] = q[4]; p[5] = q[5]; p[6] = q[6]; p[7] = q[7];
		}
		for (; n >= 4; n -= 4, d += 4, s += 4)
			*(str_word_t *)d = *(const str_word_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s)
		return memcpy(dst, src, n);
	while (n--)		/* copy backwards: the areas may overlap */
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}
