/*
 * seq.h - where a text view writes its lines.
 *
 * A view (meminfo, buddyinfo, the labyrinth map...) prints through a struct
 * seq, so the same function can feed the shell, a gdb command or a host test
 * that captures the text into a buffer and checks it.
 */
#ifndef LABYRINTH_LIB_SEQ_H
#define LABYRINTH_LIB_SEQ_H

#include <types.h>

struct seq {
	void (*write)(struct seq *s, const char *text, size_t len);
	void *priv;
};

void seq_printf(struct seq *s, const char *fmt, ...) __printf(2, 3);
void seq_puts(struct seq *s, const char *text);

/* A seq that prints through printk (the consoles). */
extern struct seq seq_console;

/* A seq that appends to a caller's buffer, always NUL-terminated. */
struct seq_buf {
	struct seq seq;
	char *buf;
	size_t size;
	size_t len;
};
void seq_buf_init(struct seq_buf *sb, char *buf, size_t size);

#endif
