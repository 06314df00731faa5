/*
 * keyboard.h - the PS/2 keyboard (IRQ1) and the console thread it feeds.
 *
 * Path of one key:
 *
 *   8042 --IRQ1--> kbd_irq() --> current page buffer --(full: hand-off)-->
 *   console thread --> kbd_decode() --> console_input_push() --> shell
 *
 * The IRQ1 handler reads one scancode byte (set 1: SeaBIOS leaves the 8042
 * translating) and appends it to the current page buffer, a page it took
 * with alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE) and owns. The console thread
 * reads that page in place with interrupts off; when the page is full the
 * handler hands it off (excl_page_handoff()) to the console thread, which
 * finishes reading it and frees it, and takes a fresh page. When no page can
 * be had, a small static emergency ring takes the scancodes; when that is
 * full too, the scancode is dropped and counted.
 *
 * Counters (scancode bytes, not characters): at every instant, read with
 * interrupts off,
 *
 *	received == delivered + dropped + queued
 *
 * received: read from port 0x60 by the handler (spurious IRQs read nothing);
 * queued: stored in a page buffer or the emergency ring, not yet taken;
 * delivered: taken by the console thread, decoded, and the characters it made
 *	(if any: a release or a Shift makes none, an arrow its escape
 *	sequence) pushed to the shell's input;
 * dropped: nothing could hold it (no page and the emergency ring full).
 * Once the pipeline is drained (queued == 0), received == delivered + dropped.
 */
#ifndef LABYRINTH_DRIVERS_KEYBOARD_H
#define LABYRINTH_DRIVERS_KEYBOARD_H

#include <asm/context.h>
#include <asm/page.h>
#include <lib/seq.h>
#include <types.h>

#define KBD_IRQ			1
#define KBD_EMERGENCY_SIZE	64	/* static ring, a power of two */
#define KBD_ROOM_TARGET		4	/* pages in IRQ1's exclusive room */

/* ---- decoding: scancode set 1 to characters (drivers/keymap.c) ---- */

/* What the decoder remembers between scancodes. */
struct kbd_decoder {
	bool lshift, rshift;
	bool lctrl, rctrl;
	bool caps;		/* Caps Lock is on */
	bool caps_down;		/* its key is held: typematic repeats ignored */
	bool e0;		/* the previous byte was the 0xE0 prefix */
	u8 e1_skip;		/* bytes left of a Pause (0xE1) sequence */
};

#define KBD_NO_CHAR	(-1)

/*
 * Keys that make no character but mean something to the console: the
 * arrows and Page Up/Down (0xE0-prefixed in set 1). The decoder returns
 * these codes, above any character, with KBD_KEY_SHIFT added while Shift
 * is held. The console thread turns the arrows into the escape sequences
 * a serial terminal sends (Up: ESC [ A), and Shift-PgUp/PgDn into a move
 * of the VGA scrollback.
 */
#define KBD_KEY_UP	0x100
#define KBD_KEY_DOWN	0x101
#define KBD_KEY_RIGHT	0x102
#define KBD_KEY_LEFT	0x103
#define KBD_KEY_PGUP	0x104
#define KBD_KEY_PGDN	0x105
#define KBD_KEY_SHIFT	0x1000
#define KBD_KEY_SEQ_MAX	4	/* most characters one key sends (ESC [ 5 ~) */

/*
 * Feed one scancode byte; return the character it makes (Enter is '\n',
 * Backspace '\b', Tab '\t', Ctrl+letter its control code), a KBD_KEY_*
 * code, or KBD_NO_CHAR for a release, a modifier, a prefix or a key that
 * means nothing here.
 */
int kbd_decode(struct kbd_decoder *dec, u8 code);

/* ---- the pipeline between the IRQ1 handler and the console thread ---- */

/* The start of every keyboard page; the scancodes follow. */
struct kbd_buf {
	struct kbd_buf *next;	/* next full page in the inbox */
	u16 len;		/* scancodes the handler wrote */
	u16 read;		/* scancodes the console thread took */
	u8 codes[];
};

#define KBD_BUF_CAPACITY	(PAGE_SIZE - sizeof(struct kbd_buf))

struct kbd;
typedef void (*kbd_deliver_t)(struct kbd *k, char c);

/*
 * One keyboard pipeline. The live one belongs to the driver; tests build
 * their own and feed it with kbd_receive() from a simulated IRQ context.
 * Every field is touched with interrupts off, except the decoder and scroll,
 * which only the consumer uses.
 */
struct kbd {
	struct kbd_buf *cur;		/* handler's page: owner the producer */
	struct kbd_buf *inbox;		/* full pages handed to the consumer */
	struct kbd_buf *inbox_tail;
	u8 emergency[KBD_EMERGENCY_SIZE];
	unsigned int em_head, em_tail;	/* free-running indexes */
	owner_t consumer;		/* who full pages are handed to */
	int room;			/* producer's exclusive room, or -1 */
	struct kbd_decoder dec;
	kbd_deliver_t deliver;		/* where characters go */
	int scroll;			/* Shift-PgUp/PgDn steps not yet done
					 * (consumer only, like dec) */
	unsigned int scroll_seen;	/* vga_writes() at the last of them */
	void (*notify)(struct kbd *k);	/* wake the consumer (may be NULL) */
	bool fail_alloc;		/* tests: every page allocation fails */

	unsigned long received, delivered, dropped, spurious, chars;
	unsigned long pages_taken, pages_freed, alloc_failures;
	unsigned long handoff_failures, emergency_stored, emergency_peak;
};

/* A snapshot of the counters; queued and pages_queued are counted anew. */
struct kbd_stats {
	unsigned long received, delivered, dropped, queued, spurious, chars;
	unsigned long pages_taken, pages_freed, pages_queued, pages_current;
	unsigned long alloc_failures, handoff_failures;
	unsigned long emergency_stored, emergency_peak, emergency_now;
};

/* Set up a pipeline: consumer owns the full pages; room may be -1. */
void kbd_setup(struct kbd *k, owner_t consumer, int room,
	       kbd_deliver_t deliver);
/* Store one scancode: the handler's work after the port read. Irqs off. */
void kbd_receive(struct kbd *k, u8 code);
/* Producer: free the current page; its unread scancodes are dropped. */
void kbd_release_current(struct kbd *k);
/* True if scancodes wait for the consumer. Any context. */
bool kbd_pending(struct kbd *k);
/*
 * Consumer: take up to budget scancodes, oldest first, decode and deliver
 * them; free the pages read to the end. Returns the number taken. Process
 * context, run by the owner k->consumer.
 */
unsigned int kbd_drain(struct kbd *k, unsigned int budget);
void kbd_get_stats(struct kbd *k, struct kbd_stats *st);
/* received == delivered + dropped + queued, for a snapshot. */
bool kbd_stats_balanced(const struct kbd_stats *st);

/* ---- the driver ---- */

/* Set up the 8042, IRQ1's exclusive room and the console thread. */
void keyboard_init(void);
/* The live pipeline (for the kbd command and tests). */
extern struct kbd kbd_live;
void kbd_show(struct seq *out);

#endif
