/*
 * seq.c - the output sinks for text views (see include/lib/seq.h).
 */
#include <lib/seq.h>
#include <lib/format.h>
#include <lib/string.h>

void seq_puts(struct seq *s, const char *text)
{
	s->write(s, text, strlen(text));
}

void seq_printf(struct seq *s, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;	/* a view line is never this long */
	s->write(s, line, (size_t)n);
}

static void seq_buf_write(struct seq *s, const char *text, size_t len)
{
	struct seq_buf *sb = container_of(s, struct seq_buf, seq);
	size_t room = sb->size - 1 - sb->len;

	if (len > room)
		len = room;
	memcpy(sb->buf + sb->len, text, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void seq_buf_init(struct seq_buf *sb, char *buf, size_t size)
{
	sb->seq.write = seq_buf_write;
	sb->seq.priv = NULL;
	sb->buf = buf;
	sb->size = size;
	sb->len = 0;
	if (size)
		buf[0] = '\0';
}
