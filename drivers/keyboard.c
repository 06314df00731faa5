/*
 * keyboard.c - the PS/2 keyboard: 8042 set-up, the IRQ1 handler, the page
 * buffers it fills, and the console thread that empties them.
 *
 * The handler never sleeps and never waits. Each scancode goes, in order of
 * preference, into the current page buffer (a page the handler owns, taken
 * with alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE)), into the static emergency
 * ring, or is dropped and counted. A full page is handed off to the console
 * thread (excl_page_handoff()), which owns it from then on and frees it
 * after reading it. The console thread also reads the current page in
 * place, with interrupts off, so a key is seen at once, not only when 4 KiB
 * of scancodes have piled up; reading does not need ownership, freeing does.
 *
 * Invariants (all with interrupts off, see include/drivers/keyboard.h):
 *  - received == delivered + dropped + queued;
 *  - scancodes are delivered in the order they were received: the inbox
 *    pages are older than the current page, which is older than the
 *    emergency ring. The ring is used only when there is no current page
 *    (an allocation failed) or it is full and its hand-off failed; while the
 *    ring holds anything the handler stores there, and neither allocates
 *    nor touches the current page, so nothing newer can get ahead of it.
 *  - every page taken is the current page, in the inbox, being read by the
 *    consumer, or freed: pages_taken == pages_freed + inbox + current
 *    (+ one in the consumer's hands between unlink and free).
 *
 * Locking: one CPU, no lock. Every field of struct kbd is touched with
 * interrupts off (the handler runs so; the consumer uses local_irq_save),
 * except the decoder state, which only the consumer touches.
 */
#include <asm/io.h>
#include <asm/irqflags.h>
#include <kernel/console.h>
#include <drivers/keyboard.h>
#include <drivers/vga.h>
#include <kernel/context.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/refill.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <lib/string.h>
#include <mm/exclusive.h>
#include <mm/gfp.h>
#include <trace/trace.h>

#define KBD_BATCH	32	/* scancodes per interrupts-off stretch */
#define KBD_DRAIN_BUDGET 128	/* scancodes per turn of the console thread */

/* ---------------------------------------------------------------- setup */

static void kbd_deliver_console(struct kbd *k __unused, char c)
{
	console_input_push(c);
}

void kbd_setup(struct kbd *k, owner_t consumer, int room,
	       kbd_deliver_t deliver)
{
	*k = (struct kbd){ 0 };
	k->consumer = consumer;
	k->room = room;
	k->deliver = deliver ? deliver : kbd_deliver_console;
}

/* ------------------------------------------------- handler side (irqs off) */

static unsigned int kbd_buf_unread(const struct kbd_buf *buf)
{
	return buf ? (unsigned int)(buf->len - buf->read) : 0;
}

static unsigned int kbd_emergency_count(const struct kbd *k)
{
	return k->em_head - k->em_tail;
}

static bool kbd_emergency_push(struct kbd *k, u8 code)
{
	unsigned int n = kbd_emergency_count(k);

	if (n == KBD_EMERGENCY_SIZE)
		return false;
	k->emergency[k->em_head++ % KBD_EMERGENCY_SIZE] = code;
	k->emergency_stored++;
	if (n + 1 > k->emergency_peak)
		k->emergency_peak = n + 1;
	return true;
}

/*
 * Take a fresh page for the handler. A separate, never-inlined function so
 * that a student can break on the allocation path of IRQ1 in gdb.
 * (__unused: lab 5's starter of kbd_buf_ready() does not call it.)
 */
static __attribute__((noinline)) __unused bool kbd_buf_grow(struct kbd *k)
{
	struct kbd_buf *buf = NULL;

	if (!k->fail_alloc)
		buf = refill_irq_page(k->room);
	if (!buf) {
		k->alloc_failures++;
		return false;
	}
	k->pages_taken++;
	k->cur = buf;
	k->cur->next = NULL;
	k->cur->len = 0;
	k->cur->read = 0;
	return true;
}

/*
 * Queue the full current page for the consumer, who owns it from now on.
 * (__unused: lab 5's starter of kbd_buf_ready() does not call it.)
 */
static __unused int kbd_buf_handoff(struct kbd *k)
{
	struct kbd_buf *buf = k->cur;
	int err = excl_page_handoff(virt_to_page(buf), k->consumer);

	if (err) {	/* mm reported it; the page stays ours, still read */
		k->handoff_failures++;
		return err;
	}
	buf->next = NULL;
	if (k->inbox_tail)
		k->inbox_tail->next = buf;
	else
		k->inbox = buf;
	k->inbox_tail = buf;
	k->cur = NULL;
	return 0;
}

/* A current page with space, or false: hand off a full one, take another. */
static bool kbd_buf_ready(struct kbd *k)
{
#ifndef LAB5_STARTER		/* lab 5 solution */
	if (k->cur && k->cur->len < KBD_BUF_CAPACITY)
		return true;
	if (k->cur && kbd_buf_handoff(k))
		return false;
	return kbd_buf_grow(k);
#else				/* lab 5 starter */
	/*
	 * LAB 5, exercise 4 (docs/labs/lab5-atomic.md, "The keyboard's
	 * page"). Return true when k->cur is a page with room for one more
	 * scancode. A full page belongs to the console thread now:
	 * kbd_buf_handoff() queues it for the thread (and may fail: the page
	 * then stays the handler's). A fresh page comes from kbd_buf_grow().
	 * Until you write it, the handler has no page: every scancode goes
	 * to the 64-byte emergency ring, and a burst the console thread does
	 * not drain in time is dropped (and counted).
	 */
	return false;
#endif				/* lab 5 */
}

void kbd_receive(struct kbd *k, u8 code)
{
	k->received++;
#ifndef LAB5_STARTER		/* lab 5 solution */
	/* While the emergency ring holds keys, newer ones queue behind them. */
	if (!kbd_emergency_count(k) && kbd_buf_ready(k))
		k->cur->codes[k->cur->len++] = code;
	else if (!kbd_emergency_push(k, code))
		k->dropped++;
#else				/* lab 5 starter */
	/*
	 * LAB 5, exercise 5 (docs/labs/lab5-atomic.md, "Keys in order").
	 * Store code in the handler's page; when there is none, in the
	 * emergency ring; when that is full too, count it dropped. The
	 * console thread reads the full pages first, then the current page,
	 * then the ring (kbd_take_batch()). Until you write it, a key that
	 * finds a page again after a failure goes into it, ahead of the
	 * older keys still waiting in the ring, and the shell gets them out
	 * of order.
	 */
	if (kbd_buf_ready(k))
		k->cur->codes[k->cur->len++] = code;
	else if (!kbd_emergency_push(k, code))
		k->dropped++;
#endif				/* lab 5 */
	if (k->notify)
		k->notify(k);
}

/*
 * Give back the current page (tests, shutdown): its unread scancodes count
 * as dropped. Producer context, irqs off.
 */
void kbd_release_current(struct kbd *k)
{
	if (!k->cur)
		return;
	k->dropped += kbd_buf_unread(k->cur);
	free_page(virt_to_page(k->cur));
	k->pages_freed++;
	k->cur = NULL;
}

/* ----------------------------------------------------------- consumer side */

bool kbd_pending(struct kbd *k)
{
	unsigned long flags;
	bool pending;

	local_irq_save(flags);
	pending = k->inbox || kbd_emergency_count(k) || kbd_buf_unread(k->cur);
	local_irq_restore(flags);
	return pending;
}

static void kbd_deliver_seq(struct kbd *k, const char *seq)
{
	for (; *seq; seq++) {
		k->chars++;
		k->deliver(k, *seq);
	}
}

/*
 * Count a Shift-PgUp (step 1) or Shift-PgDn (-1) for the console thread.
 * The screen may get output before the thread moves the view: that output
 * must win, as if it came after the key. So the steps carry the VGA
 * console's write count at the key, and steps counted before some output
 * are dropped when more come after it. Irqs off, consumer only.
 */
static void kbd_scroll(struct kbd *k, int step)
{
	unsigned int seen = vga_writes();

	if (k->scroll && seen != k->scroll_seen)
		k->scroll = 0;
	k->scroll += step;
	k->scroll_seen = seen;
}

/*
 * A key without a character: an arrow becomes the escape sequence a
 * serial terminal sends for it, so the shell reads arrows one way only;
 * Shift-PgUp/PgDn moves the VGA scrollback (left to the console thread,
 * which may wait for the consoles: here interrupts are off). Irqs off.
 */
static void kbd_key(struct kbd *k, int key)
{
	static const char *const seq[] = {
		[KBD_KEY_UP - KBD_KEY_UP] = "\x1b[A",
		[KBD_KEY_DOWN - KBD_KEY_UP] = "\x1b[B",
		[KBD_KEY_RIGHT - KBD_KEY_UP] = "\x1b[C",
		[KBD_KEY_LEFT - KBD_KEY_UP] = "\x1b[D",
		[KBD_KEY_PGUP - KBD_KEY_UP] = "\x1b[5~",
		[KBD_KEY_PGDN - KBD_KEY_UP] = "\x1b[6~",
	};

	unsigned int i = (unsigned int)(key & ~KBD_KEY_SHIFT) - KBD_KEY_UP;

	if (key == (KBD_KEY_PGUP | KBD_KEY_SHIFT))
		kbd_scroll(k, 1);
	else if (key == (KBD_KEY_PGDN | KBD_KEY_SHIFT))
		kbd_scroll(k, -1);
	else if (i < ARRAY_SIZE(seq))
		kbd_deliver_seq(k, seq[i]);
}

/* Decode one scancode and deliver its character or key. Irqs off. */
static void kbd_consume(struct kbd *k, u8 code)
{
	int c = kbd_decode(&k->dec, code);

	k->delivered++;
	if (c >= KBD_KEY_UP) {
		kbd_key(k, c);
	} else if (c != KBD_NO_CHAR) {
		k->chars++;
		k->deliver(k, (char)c);
	}
}

static unsigned int kbd_take_buf(struct kbd *k, struct kbd_buf *buf,
				 unsigned int max)
{
	unsigned int n = MIN(max, kbd_buf_unread(buf));

	for (unsigned int i = 0; i < n; i++)
		kbd_consume(k, buf->codes[buf->read++]);
	return n;
}

static unsigned int kbd_take_emergency(struct kbd *k, unsigned int max)
{
	unsigned int n = MIN(max, kbd_emergency_count(k));

	for (unsigned int i = 0; i < n; i++)
		kbd_consume(k, k->emergency[k->em_tail++ % KBD_EMERGENCY_SIZE]);
	return n;
}

/*
 * Take up to max scancodes from the oldest source. A page of the inbox read
 * to the end is unlinked and returned in *done, for the caller to free with
 * interrupts on. Irqs off.
 */
static unsigned int kbd_take_batch(struct kbd *k, unsigned int max,
				   struct kbd_buf **done)
{
	struct kbd_buf *buf = k->inbox;
	unsigned int n;

	if (!buf) {
		/* Unread keys in the current page are older than the ring. */
		if (kbd_buf_unread(k->cur))
			return kbd_take_buf(k, k->cur, max);
		return kbd_take_emergency(k, max);
	}
	n = kbd_take_buf(k, buf, max);
	if (!kbd_buf_unread(buf)) {	/* inbox pages are full: done */
		k->inbox = buf->next;
		if (!k->inbox)
			k->inbox_tail = NULL;
		*done = buf;
	}
	return n;
}

/* The consumer owns the page since the hand-off: its free is legal. */
static void kbd_buf_free(struct kbd *k, struct kbd_buf *buf)
{
	unsigned long flags;

	/* Free and count at once: the page is never free and in hand. */
	local_irq_save(flags);
	free_page(virt_to_page(buf));
	k->pages_freed++;
	local_irq_restore(flags);
}

unsigned int kbd_drain(struct kbd *k, unsigned int budget)
{
	unsigned int taken = 0;

	while (taken < budget) {
		struct kbd_buf *done = NULL;
		unsigned long flags;
		unsigned int n;

		local_irq_save(flags);
		n = kbd_take_batch(k, MIN(budget - taken, KBD_BATCH), &done);
		local_irq_restore(flags);
		if (done)
			kbd_buf_free(k, done);
		else if (!n)
			break;
		taken += n;
	}
	return taken;
}

/* ------------------------------------------------------------ counters */

void kbd_get_stats(struct kbd *k, struct kbd_stats *st)
{
	unsigned long flags;

	*st = (struct kbd_stats){ 0 };
	local_irq_save(flags);
	st->received = k->received;
	st->delivered = k->delivered;
	st->dropped = k->dropped;
	st->spurious = k->spurious;
	st->chars = k->chars;
	st->pages_taken = k->pages_taken;
	st->pages_freed = k->pages_freed;
	st->alloc_failures = k->alloc_failures;
	st->handoff_failures = k->handoff_failures;
	st->emergency_stored = k->emergency_stored;
	st->emergency_peak = k->emergency_peak;
	st->emergency_now = kbd_emergency_count(k);
	st->queued = st->emergency_now + kbd_buf_unread(k->cur);
	for (struct kbd_buf *b = k->inbox; b; b = b->next) {
		st->queued += kbd_buf_unread(b);
		st->pages_queued++;
	}
	st->pages_current = k->cur ? 1 : 0;
	local_irq_restore(flags);
}

bool kbd_stats_balanced(const struct kbd_stats *st)
{
	return st->received == st->delivered + st->dropped + st->queued;
}

/* ------------------------------------------------------------- the 8042 */

#define I8042_DATA		0x60
#define I8042_STATUS		0x64	/* read */
#define I8042_COMMAND		0x64	/* write */
#define I8042_STR_OBF		0x01	/* output buffer full: a byte to read */
#define I8042_STR_IBF		0x02	/* input buffer full: wait to write */
#define I8042_CMD_READ_CTR	0x20
#define I8042_CMD_WRITE_CTR	0x60
#define I8042_CMD_KBD_DISABLE	0xAD
#define I8042_CMD_KBD_ENABLE	0xAE
#define I8042_CTR_KBDINT	0x01	/* IRQ1 on a keyboard byte */
#define I8042_CTR_KBDDIS	0x10	/* keyboard clock off */
#define I8042_CTR_XLATE		0x40	/* translate set 2 to set 1 */
#define I8042_TIMEOUT		100000	/* status polls, about 100 ms */

struct kbd kbd_live;
static u8 i8042_ctr;		/* the configuration byte, as set */
static unsigned long i8042_drained;	/* stale bytes thrown away at init */

static bool i8042_wait_write(void)
{
	for (int i = 0; i < I8042_TIMEOUT; i++)
		if (!(inb(I8042_STATUS) & I8042_STR_IBF))
			return true;
	return false;
}

static int i8042_read(void)
{
	for (int i = 0; i < I8042_TIMEOUT; i++)
		if (inb(I8042_STATUS) & I8042_STR_OBF)
			return inb(I8042_DATA);
	return -1;
}

static void i8042_command(u8 cmd)
{
	if (i8042_wait_write())
		outb(I8042_COMMAND, cmd);
}

/*
 * Throw away whatever waits in the output buffer. A byte left there keeps
 * the 8042 from raising IRQ1 again (its buffer stays full), so this runs
 * before the line is unmasked.
 */
static void i8042_drain(void)
{
	for (int i = 0; i < 32 && (inb(I8042_STATUS) & I8042_STR_OBF); i++) {
		(void)inb(I8042_DATA);
		i8042_drained++;
	}
}

/*
 * With the keyboard port off (no key can slip in), make sure IRQ1 and set 1
 * translation are on in the configuration byte, then turn the port on.
 * Returns 0 or -EIO if the controller does not answer.
 */
static int i8042_setup(void)
{
	int ctr;

	i8042_command(I8042_CMD_KBD_DISABLE);
	i8042_drain();
	i8042_command(I8042_CMD_READ_CTR);
	ctr = i8042_read();
	if (ctr < 0)
		return -EIO;
	i8042_ctr = ((u8)ctr | I8042_CTR_KBDINT | I8042_CTR_XLATE) &
		    ~I8042_CTR_KBDDIS;
	i8042_command(I8042_CMD_WRITE_CTR);
	if (i8042_wait_write())
		outb(I8042_DATA, i8042_ctr);
	i8042_command(I8042_CMD_KBD_ENABLE);
	i8042_drain();
	return 0;
}

/* ----------------------------------------------------- the IRQ1 handler */

/* Test kernels only (tests/kernel/test_kbd.c): misbehave on purpose. */
void kbd_irq_test_hook(struct kbd *k) __attribute__((weak));

/*
 * IRQ1. Interrupts are off: never sleep, never wait on a lock. The 8042
 * raises IRQ1 when its output buffer fills; if the status says it is empty
 * the interrupt is spurious and there is nothing to read (reading anyway
 * would return the previous byte again).
 */
static void kbd_irq(unsigned int line __unused, void *arg)
{
	struct kbd *k = arg;

	if (!(inb(I8042_STATUS) & I8042_STR_OBF)) {
		k->spurious++;
		return;
	}
	if (kbd_irq_test_hook)
		kbd_irq_test_hook(k);
	kbd_receive(k, inb(I8042_DATA));
}

/* ------------------------------------------------------------- the view */

void kbd_show(struct seq *out)
{
	struct kbd_stats st;

	kbd_get_stats(&kbd_live, &st);
	seq_printf(out, "keyboard: IRQ%d, 8042 config %#x, %lu stale bytes "
		   "drained at init\n", KBD_IRQ, i8042_ctr, i8042_drained);
	seq_printf(out, "  received:   %8lu  scancodes read from the 8042\n",
		   st.received);
	seq_printf(out, "  delivered:  %8lu  decoded by the console thread\n",
		   st.delivered);
	seq_printf(out, "  dropped:    %8lu  no page and the emergency ring "
		   "full\n", st.dropped);
	seq_printf(out, "  queued:     %8lu  waiting in a page or the "
		   "emergency ring\n", st.queued);
	seq_printf(out, "  balance:    %8s  received = delivered + dropped + "
		   "queued\n", kbd_stats_balanced(&st) ? "ok" : "BROKEN");
	seq_printf(out, "  spurious:   %8lu  IRQ1 with nothing to read\n",
		   st.spurious);
	seq_printf(out, "  characters: %8lu  pushed to the shell's input\n",
		   st.chars);
	seq_printf(out, "  pages:      taken %lu, freed %lu, full queued %lu, "
		   "current %lu\n", st.pages_taken, st.pages_freed,
		   st.pages_queued, st.pages_current);
	seq_printf(out, "  room:       %u of %u pages in IRQ1's exclusive "
		   "room\n", excl_room_count(kbd_live.room), KBD_ROOM_TARGET);
	seq_printf(out, "  failures:   allocation %lu, hand-off %lu\n",
		   st.alloc_failures, st.handoff_failures);
	seq_printf(out, "  emergency:  stored %lu, now %lu, peak %lu of %u\n",
		   st.emergency_stored, st.emergency_now, st.emergency_peak,
		   KBD_EMERGENCY_SIZE);
	seq_printf(out, "  shell ring: %lu characters refused (its input ring "
		   "was full; serial and keyboard together)\n",
		   console_input_dropped);
}

/* ------------------------------------------------- the console thread */

static DECLARE_WAIT_QUEUE_HEAD(kbd_wait);

/* Called by the handler after each scancode: wake the console thread. */
static void kbd_wake_console(struct kbd *k __unused)
{
	wake_up(&kbd_wait);
}

/*
 * The consumer of the live keyboard: it owns every full page handed off by
 * IRQ1. It takes a bounded batch, then yields, so that under a flood the
 * shell gets to read its input ring between batches instead of watching it
 * overflow.
 */
/*
 * The console thread. A scancode gives at most KBD_KEY_SEQ_MAX characters
 * (an arrow its escape sequence), so draining no more scancodes than the
 * shell's input ring has room for that many never loses a character there;
 * when the shell falls behind, the thread waits for it and the keys stay
 * in their pages (or, past that, are counted as dropped by the handler).
 * But not while the shell sits in a wait that Ctrl-C can end (an alloc
 * that waits for pages, say): then the thread drains on, so that a Ctrl-C
 * typed behind a full ring reaches that wait; the characters that find
 * the ring full meanwhile are counted in console_input_dropped.
 * Shift-PgUp/PgDn were only counted by the drain, with interrupts off; the
 * scrollback moves here, where the thread may wait for the consoles.
 */
static int kbd_console_thread(void *arg)
{
	struct kbd *k = arg;
	unsigned int budget;

	for (;;) {
		wait_event(kbd_wait, kbd_pending(k));
		while ((budget = MIN(console_input_room() / KBD_KEY_SEQ_MAX,
				     KBD_DRAIN_BUDGET)) == 0) {
			if (console_reader_interruptible()) {
				budget = KBD_DRAIN_BUDGET;
				break;
			}
			msleep(10);
		}
		budget = kbd_drain(k, budget);
		if (k->scroll) {
			vga_scrollback(k->scroll, k->scroll_seen);
			k->scroll = 0;
		}
		if (budget == KBD_DRAIN_BUDGET)
			yield();
	}
	return 0;
}

/* IRQ1's exclusive room, filled now and kept filled by the refill thread. */
static int kbd_room_setup(void)
{
	int room = excl_room_create(OWNER_IRQ(KBD_IRQ), KBD_ROOM_TARGET,
				    "keyboard");

	if (room < 0) {
		pr_err("keyboard: no exclusive room (%d): IRQ1 allocates from "
		       "the zones only\n", room);
		return -1;
	}
	excl_room_refill(room);
	refill_register(room, KBD_ROOM_TARGET);
	return room;
}

/*
 * Does the decoder turn 'a' and Shift+'a' into characters? A handout of
 * lab 2 starts without it (drivers/keymap.c): then say so once, here,
 * rather than leave a student wondering why keys do nothing. Returns
 * whether it does.
 */
static bool keymap_selftest(void)
{
	struct kbd_decoder dec = { 0 };
	int a, shifted;

	a = kbd_decode(&dec, 0x1E);		/* a */
	kbd_decode(&dec, 0x9E);
	kbd_decode(&dec, 0x2A);			/* left Shift down */
	shifted = kbd_decode(&dec, 0x1E);
	if (a == 'a' && shifted == 'A')
		return true;
	pr_err("keyboard: scancodes are not turned into characters yet "
	       "(lab 2, drivers/keymap.c): keys are counted, not typed; type "
	       "on the serial console\n");
	return false;
}

/*
 * Lab 5's part of the pipeline, checked on a pipeline of its own, fed as
 * an interrupt on a line no handler uses, with this thread as the
 * consumer: a page's worth of scancodes and one more must make a full page
 * handed off and a fresh one; a key stored once pages can be had again,
 * after one that went to the emergency ring, must come out after it (seen
 * through the decoder, so only when lab 2's decoder works: decodes). A
 * handout of lab 5 starts without them: say what is missing. Every page
 * taken is given back; the trace is paused meanwhile.
 */
#define KBD_SELFTEST_LINE	15	/* no handler allocates on it */

static struct kbd kbd_selftest_pipe;
static char kbd_selftest_got[4];

static void kbd_selftest_deliver(struct kbd *k __unused, char c)
{
	size_t n = strlen(kbd_selftest_got);

	if (n + 1 < sizeof(kbd_selftest_got))
		kbd_selftest_got[n] = c;
}

/* Store n copies of code as the handler of KBD_SELFTEST_LINE would. */
static void kbd_selftest_feed(struct kbd *k, u8 code, unsigned int n)
{
	unsigned long flags;

	local_irq_save(flags);
	irq_enter(KBD_SELFTEST_LINE);
	while (n--)
		kbd_receive(k, code);
	irq_exit();
	local_irq_restore(flags);
}

/* Read everything as the consumer, then give back the handler's page. */
static void kbd_selftest_empty(struct kbd *k)
{
	unsigned long flags;

	kbd_drain(k, ~0u);
	local_irq_save(flags);
	irq_enter(KBD_SELFTEST_LINE);
	kbd_release_current(k);
	irq_exit();
	local_irq_restore(flags);
}

static void kbd_selftest(bool decodes)
{
	struct kbd *k = &kbd_selftest_pipe;
	bool was = trace_pause();
	struct kbd_stats st;

	kbd_setup(k, current_owner(), -1, kbd_selftest_deliver);
	kbd_selftest_feed(k, 0x9E, KBD_BUF_CAPACITY + 1); /* 'a' released */
	kbd_get_stats(k, &st);
	kbd_selftest_empty(k);
	if (!st.pages_taken)
		pr_err("keyboard: IRQ1 takes no page: every scancode goes to "
		       "the 64-byte emergency ring, and a burst beyond it is "
		       "dropped: kbd_buf_ready() in drivers/keyboard.c "
		       "(lab 5).\n");
	else if (st.pages_taken != 2 || st.pages_queued != 1)
		pr_err("keyboard: a full page is not handed to the console "
		       "thread for a fresh one (lab 5, kbd_buf_ready() in "
		       "drivers/keyboard.c): %lu pages taken, %lu handed off "
		       "(want 2 and 1).\n", st.pages_taken, st.pages_queued);

	if (!decodes)
		goto out;
	kbd_setup(k, current_owner(), -1, kbd_selftest_deliver);
	memset(kbd_selftest_got, 0, sizeof(kbd_selftest_got));
	k->fail_alloc = true;
	kbd_selftest_feed(k, 0x1E, 1);		/* 'a': to the ring */
	k->fail_alloc = false;
	kbd_selftest_feed(k, 0x30, 1);		/* then 'b' */
	kbd_selftest_empty(k);
	if (strcmp(kbd_selftest_got, "ab"))
		pr_err("keyboard: a key stored after a failure overtakes the "
		       "keys still in the emergency ring (typed \"ab\", the "
		       "shell gets \"%s\"): kbd_receive() in "
		       "drivers/keyboard.c (lab 5).\n", kbd_selftest_got);
out:
	trace_resume(was);
}

void keyboard_init(void)
{
	struct thread *t;
	bool decodes;
	int err;

	decodes = keymap_selftest();
	mm_irq_selftest();	/* before the first handler allocates */
	kbd_selftest(decodes);
	kbd_setup(&kbd_live, OWNER_NONE, kbd_room_setup(), NULL);
	t = kthread_create("console", kbd_console_thread, &kbd_live);
	if (!t) {
		pr_err("keyboard: no console thread: keyboard off\n");
		return;
	}
	kbd_live.consumer = OWNER_THREAD(t->tid);
	kbd_live.notify = kbd_wake_console;
	if (i8042_setup()) {
		pr_err("keyboard: the 8042 does not answer: keyboard off\n");
		return;
	}
	err = irq_register(KBD_IRQ, kbd_irq, &kbd_live, "keyboard");
	if (err) {
		pr_err("keyboard: IRQ1 taken (%d): keyboard off\n", err);
		return;
	}
	pr_info("keyboard: PS/2 on IRQ1, scancode set 1, console thread %u\n",
		t->tid);
}
