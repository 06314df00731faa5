/*
 * vsprintf.c - printf-style formatting for the kernel (no C library here).
 *
 * Supports what printk and the shell need: %d %i %u %x %X %o %c %s %p %%,
 * flags '-', '0' and '#', a width (or '*'), a precision for %s, the length
 * modifiers hh h l ll z, %pS (a code address as symbol+0xoffset) and %pB
 * (a return address, as Linux prints it in a backtrace).
 * The output is always NUL-terminated when size > 0; the return value is the
 * length the full output would have had, as in C99.
 */
#include <lib/format.h>
#include <lib/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

struct spec {
	bool left;
	bool zero;
	bool alt;	/* '#': 0x in front of hex */
	int width;
	int precision;	/* -1: none */
	int length;	/* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int n = (int)strnlen(s, sp->precision < 0 ? ~0u >> 1 :
				(size_t)sp->precision);

	if (!sp->left)
		pad(o, sp->width - n, ' ');
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, sp->width - n, ' ');
}

/* Digits of v in base, most significant first, with sign and padding. */
static void put_num(struct out *o, unsigned long long v, unsigned int base,
		    bool neg, bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	bool prefix = sp->alt && base == 16;
	int len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + (neg ? 1 : 0) + (prefix ? 2 : 0);
	if (!sp->left && !sp->zero)
		pad(o, sp->width - len, ' ');
	if (neg)
		put(o, '-');
	if (prefix) {
		put(o, '0');
		put(o, upper ? 'X' : 'x');
	}
	if (!sp->left && sp->zero)
		pad(o, sp->width - len, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, sp->width - len, ' ');
}

/* Set by the kernel at boot (kernel/kallsyms.c); NULL: bare addresses. */
static format_symbol_fn symbol_name;

void format_set_symbol_lookup(format_symbol_fn fn)
{
	symbol_name = fn;
}

/*
 * addr as symbol+0xoffset. A return address (backtrace) is looked up one
 * byte earlier, in the call instruction: after a call that never returns,
 * such as panic(), the return address is the first byte of the next
 * function. Its offset is still printed from the function's start.
 */
static void put_symbol(struct out *o, unsigned long addr, bool backtrace)
{
	unsigned long off = 0;
	const char *name = NULL;
	struct spec hex = { .precision = -1 };
	struct spec plain = { .precision = -1 };

	if (symbol_name && backtrace && addr) {
		name = symbol_name(addr - 1, &off);
		off++;
	} else if (symbol_name) {
		name = symbol_name(addr, &off);
	}
	if (!name) {
		put(o, '0');
		put(o, 'x');
		hex.zero = true;
		hex.width = 8;
		put_num(o, addr, 16, false, false, &hex);
		return;
	}
	put_str(o, name, &plain);
	put(o, '+');
	put(o, '0');
	put(o, 'x');
	put_num(o, off, 16, false, false, &plain);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->precision = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		sp->precision = 0;
		for (f++; *f >= '0' && *f <= '9'; f++)
			sp->precision = sp->precision * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			sp->length++;
		else if (*f == 'h')
			sp->length--;
		else if (*f == 'z')
			sp->length = 1;	/* size_t is unsigned long here */
		else
			break;
	}
	return f;
}

static unsigned long long get_unsigned(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 2)
		return va_arg(*ap, unsigned long long);
	if (sp->length == 1)
		return va_arg(*ap, unsigned long);
	if (sp->length == -1)
		return (unsigned short)va_arg(*ap, unsigned int);
	if (sp->length <= -2)
		return (unsigned char)va_arg(*ap, unsigned int);
	return va_arg(*ap, unsigned int);
}

static long long get_signed(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 2)
		return va_arg(*ap, long long);
	if (sp->length == 1)
		return va_arg(*ap, long);
	if (sp->length == -1)
		return (short)va_arg(*ap, int);
	if (sp->length <= -2)
		return (signed char)va_arg(*ap, int);
	return va_arg(*ap, int);
}

/* One conversion; f points at the conversion character. */
static const char *convert(struct out *o, const char *f, struct spec *sp,
			   va_list *ap)
{
	long long sv;

	switch (*f) {
	case 'd':
	case 'i':
		sv = get_signed(sp, ap);
		put_num(o, sv < 0 ? -(unsigned long long)sv :
			(unsigned long long)sv, 10, sv < 0, false, sp);
		break;
	case 'u':
		put_num(o, get_unsigned(sp, ap), 10, false, false, sp);
		break;
	case 'x':
	case 'X':
		put_num(o, get_unsigned(sp, ap), 16, false, *f == 'X', sp);
		break;
	case 'o':
		put_num(o, get_unsigned(sp, ap), 8, false, false, sp);
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case 's': {
		const char *s = va_arg(*ap, const char *);

		put_str(o, s ? s : "(null)", sp);
		break;
	}
	case 'p':
		if (f[1] == 'S' || f[1] == 'B') {
			put_symbol(o, (unsigned long)va_arg(*ap, void *),
				   f[1] == 'B');
			return f + 1;
		}
		put(o, '0');
		put(o, 'x');
		sp->zero = true;
		sp->width = 2 * sizeof(void *);
		put_num(o, (unsigned long)va_arg(*ap, void *), 16, false,
			false, sp);
		break;
	case '%':
		put(o, '%');
		break;
	default:		/* unknown: print it as it was written */
		put(o, '%');
		if (*f)
			put(o, *f);
		else
			f--;
	}
	return f;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &args);
		f = convert(&o, f, &sp, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
