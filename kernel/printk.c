/*
 * printk.c - the kernel log.
 *
 * printk() formats into a buffer on the stack, strips the level marker,
 * and writes the text to every console if its level is at or below
 * console_loglevel. It is safe in interrupt context: interrupts are turned
 * off around the console write so that two messages never interleave.
 */
#include <asm/irqflags.h>
#include <drivers/console.h>
#include <kernel/printk.h>
#include <lib/format.h>
#include <lib/seq.h>
#include <lib/string.h>

int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;

/* Split "\001N" off the front; returns the level and advances *text. */
static int printk_level(const char **text, bool *cont)
{
	const char *t = *text;
	int level = LOGLEVEL_DEFAULT;

	*cont = false;
	while (t[0] == KERN_SOH[0] && t[1]) {
		if (t[1] >= '0' && t[1] <= '7')
			level = t[1] - '0';
		else if (t[1] == 'c')
			*cont = true;
		t += 2;
	}
	*text = t;
	return level;
}

int vprintk(const char *fmt, va_list ap)
{
	static int last_level = LOGLEVEL_DEFAULT;
	char buf[512];
	const char *text = buf;
	unsigned long flags;
	bool cont;
	int level, n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	level = printk_level(&text, &cont);
	if (cont)
		level = last_level;
	last_level = level;
	if (level > console_loglevel)
		return 0;
	local_irq_save(flags);
	console_write(text, strlen(text));
	local_irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* Shell and view output: always shown, whatever the log level. */
static void seq_console_write(struct seq *s __unused, const char *text,
			      size_t len)
{
	unsigned long flags;

	local_irq_save(flags);
	console_write(text, len);
	local_irq_restore(flags);
}

struct seq seq_console = { .write = seq_console_write };
