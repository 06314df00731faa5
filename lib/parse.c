/*
 * parse.c - numbers typed by people: on the command line and in the shell.
 *
 * Both functions refuse anything that is not entirely a number (trailing
 * junk, empty strings, overflow) with -EINVAL or -ERANGE, so a typo gets a
 * clear message instead of a silent zero.
 */
#include <lib/string.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int suffix_shift(char c)
{
	switch (c) {
	case 'k': case 'K': return 10;
	case 'm': case 'M': return 20;
	case 'g': case 'G': return 30;
	default: return -1;
	}
}

/* Accepts 123, 0x7b, and a K/M/G suffix meaning KiB/MiB/GiB. */
int parse_ulong(const char *s, unsigned long *out)
{
	unsigned long v = 0, base = 10;
	const char *digits;
	int d, shift;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		base = 16;
		s += 2;
	}
	digits = s;
	for (; (d = digit_value(*s)) >= 0 && (unsigned long)d < base; s++) {
		if (v > (~0UL - (unsigned long)d) / base)
			return -ERANGE;
		v = v * base + (unsigned long)d;
	}
	if (s == digits)	/* "k" or "0xg": a suffix is not a number */
		return -EINVAL;
	if (*s && base == 10 && (shift = suffix_shift(*s)) >= 0 && !s[1]) {
		if (v > (~0UL >> shift))
			return -ERANGE;
		v <<= shift;
		s++;
	}
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_long(const char *s, long *out)
{
	unsigned long v;
	bool neg = (s && *s == '-');
	int err = parse_ulong(neg ? s + 1 : s, &v);

	if (err)
		return err;
	if (v > (unsigned long)((~0UL) >> 1))
		return -ERANGE;
	*out = neg ? -(long)v : (long)v;
	return 0;
}
