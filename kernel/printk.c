/*
 * printk.c - the kernel log: a ring of text, and one console owner.
 *
 * printk() formats into a buffer on the stack, strips the level marker,
 * and, if the level is shown, appends the text to log_buf, a ring of
 * LOG_BUF_SIZE bytes. Interrupts are off for that copy only. Then it tries
 * to become the console owner (console_trylock()). The owner writes the
 * pending text to every console a chunk at a time (up to a newline, at
 * most CONSOLE_CHUNK bytes), with interrupts as its caller had them: on,
 * in a thread. Why: a real 16550 at 115200 baud takes ~87 us a byte, so a
 * line of 80 characters is ~7 ms, far too long to keep the timer and the
 * keyboard waiting.
 *
 * Whoever finds the consoles owned only appends and returns; the owner
 * writes that text too, in order, before it lets go. A printk in an
 * interrupt handler while a thread is writing therefore costs a copy.
 * When nobody owns the consoles, the handler becomes the owner and writes
 * itself, interrupts off as it runs: nobody else would. Shell output
 * (seq_console) takes the same path, so it stays in order with messages,
 * and then waits until it is written (console_flush()).
 *
 * Invariants. log_head, log_tail, log_lost and console_owner change with
 * interrupts off only. The indices run freely (they wrap at 2^32, which
 * LOG_BUF_SIZE divides), and 0 <= log_head - log_tail <= LOG_BUF_SIZE.
 * Bytes [log_tail, log_head) are not yet written: producers never touch
 * them, so the owner writes them in place. A message that does not fit is
 * dropped whole (the newest goes: what is queued is already promised to
 * the consoles) and counted in log_lost; "[N bytes of log lost]" is
 * queued where the loss happened: in front of the next message that fits
 * after it, or alone once the owner has emptied the ring.
 *
 * The dying (panic, oops) call console_emergency(): what is pending and
 * every message after it is written at once, whoever owns the consoles.
 *
 * The ring also keeps what was written, until newer text overwrites it:
 * log_dump() (the dmesg command) and gdb's dmesg read it back. dmesg
 * writes to the consoles as their owner, not through the ring: printed
 * through the ring, it would overwrite the oldest text it is printing, and
 * fill the ring with a copy of itself for the next dmesg to print again.
 */
#include <asm/context.h>
#include <asm/irqflags.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <lib/format.h>
#include <lib/seq.h>
#include <lib/string.h>

#define LOG_MASK	(LOG_BUF_SIZE - 1)
#define LOG_NOTE_MAX	48	/* "\n[4294967295 bytes of log lost]\n" */
_Static_assert((LOG_BUF_SIZE & LOG_MASK) == 0, "LOG_BUF_SIZE: a power of 2");

int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
unsigned long log_lost_total;

static char log_buf[LOG_BUF_SIZE];
static unsigned int log_head;	/* where the next message goes */
static unsigned int log_tail;	/* the next byte to write to the consoles */
static unsigned long log_lost;	/* bytes dropped since the last marker */
static owner_t console_owner;	/* who writes to the consoles, or none */
static bool console_dying;	/* panic or oops: write everything at once */

/* ---- the ring ---- */

/* Interrupts off. */
static unsigned int __log_room(void)
{
	return LOG_BUF_SIZE - (log_head - log_tail);
}

/* Interrupts off; the caller checked the room. */
static void __log_copy(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		log_buf[(log_head + i) & LOG_MASK] = text[i];
	log_head += len;
}

/*
 * Interrupts off. The marker for the bytes lost since the last one, on a
 * line of its own, into note; its length, 0 when nothing was lost.
 */
static size_t __log_loss_note(char *note, size_t size)
{
	size_t n = 0;

	if (!log_lost)
		return 0;
	/* Something was queued before the loss (it needs a full ring), so
	 * the byte before log_head is real text. */
	if (log_buf[(log_head - 1) & LOG_MASK] != '\n')
		note[n++] = '\n';	/* the loss cut a line short */
	n += snprintf(note + n, size - n, "[%lu bytes of log lost]\n",
		      log_lost);
	return MIN(n, size - 1);
}

/*
 * Interrupts off. Queue a whole message, after the loss marker if one is
 * due; or, if they do not both fit, count the message as lost.
 */
static void __log_store(const char *text, size_t len)
{
	char note[LOG_NOTE_MAX];
	size_t n = __log_loss_note(note, sizeof(note));

	if (n + len > __log_room()) {
		log_lost += len;
		log_lost_total += len;
		return;
	}
	__log_copy(note, n);
	__log_copy(text, len);
	log_lost = 0;
}

/*
 * Interrupts off. The ring is empty but bytes were lost since the last
 * marker: queue the marker alone (it fits now), so a loss is never left
 * unsaid when no message comes after it.
 */
static void __log_mark_trailing_loss(void)
{
	if (log_head == log_tail && log_lost)
		__log_store("", 0);
}

/*
 * Interrupts off. The length of the next piece to write, starting at
 * log_tail: up to and including a newline, at most CONSOLE_CHUNK bytes,
 * never across the end of log_buf. 0 when nothing is pending.
 */
static size_t __log_chunk_len(void)
{
	unsigned int start = log_tail & LOG_MASK;
	size_t len = 0, max;

	max = MIN(log_head - log_tail, LOG_BUF_SIZE - start);
	max = MIN(max, CONSOLE_CHUNK);
	while (len < max && log_buf[start + len++] != '\n')
		;
	return len;
}

/* ---- the console owner ---- */

bool console_trylock(void)
{
	unsigned long flags;
	bool got;

	local_irq_save(flags);
	got = console_owner == OWNER_NONE;
	if (got)
		console_owner = current_owner();
	local_irq_restore(flags);
	return got;
}

/*
 * Write the next chunk, if any; false when nothing is pending. Only the
 * bounds are taken with interrupts off; the write runs with the caller's
 * interrupt state. log_tail moves after the write, so the bytes stay out
 * of the producers' reach while the consoles read them; and only if it
 * did not move meanwhile (a forced flush, perhaps nested in this very
 * write, has written the chunk already).
 */
static bool console_write_chunk(void)
{
	unsigned long flags;
	unsigned int start;
	size_t len;

	local_irq_save(flags);
	__log_mark_trailing_loss();
	start = log_tail;
	len = __log_chunk_len();
	local_irq_restore(flags);
	if (!len)
		return false;
	console_write(log_buf + (start & LOG_MASK), len);
	local_irq_save(flags);
	if (log_tail == start)
		log_tail += len;
	local_irq_restore(flags);
	return true;
}

/*
 * Let go only when nothing is pending, tested in the same interrupts-off
 * step as the release: text appended while we wrote (its producer saw us
 * owning and left it to us) is never stranded.
 */
void console_unlock(void)
{
	unsigned long flags;
	bool done;

	do {
		while (console_write_chunk())
			;
		local_irq_save(flags);
		done = log_head == log_tail;
		if (done)
			console_owner = OWNER_NONE;
		local_irq_restore(flags);
	} while (!done);
}

/*
 * May the caller wait for the owner to finish? Only a thread that may
 * sleep (it yields to a preempted owner), and not the owner itself,
 * called back from inside a write: it would wait for itself.
 */
static bool may_wait_for_owner(void)
{
	return sched_can_sleep() && console_owner != current_owner();
}

/* True once every byte queued before position pos has been written. */
static bool log_written_up_to(unsigned int pos)
{
	return (int)(log_tail - pos) >= 0;
}

void console_flush(void)
{
	unsigned long flags;
	unsigned int target;

	local_irq_save(flags);
	target = log_head;
	local_irq_restore(flags);
	for (;;) {
		if (console_trylock())
			console_unlock();
		if (log_written_up_to(target))
			return;
		if (!may_wait_for_owner())
			return;
		yield();		/* the owner was preempted: let it run */
	}
}

bool console_lock(void)
{
	if (!may_wait_for_owner())
		return false;
	while (!console_trylock())
		yield();		/* the owner was preempted: let it end */
	return true;
}

void console_wait_idle(void)
{
	if (console_lock())
		console_unlock();
}

/*
 * A forced flush may run inside a console's write (a panic there): the
 * nested one starts again at log_tail, so it calls the same write with the
 * same chunk. If that write fails every time, this would never end; one
 * nested try is allowed, a deeper one only leaves its text queued.
 */
#define FORCE_DEPTH_MAX	2
static unsigned int force_depth;

void console_flush_force(void)
{
	unsigned long flags;

	local_irq_save(flags);
	if (force_depth < FORCE_DEPTH_MAX) {
		force_depth++;
		while (console_write_chunk())
			;
		force_depth--;
	}
	local_irq_restore(flags);
}

void console_emergency(void)
{
	console_dying = true;
	console_flush_force();
}

/* ---- reading the ring back (dmesg) ---- */

/* Bytes one log_read() copies at most: interrupts stay off that long. */
#define LOG_READ_MAX	256

/*
 * Bytes before log_head - LOG_BUF_SIZE are gone: the ring has wrapped onto
 * them. Positions run freely, so below 4 GiB of text since boot, log_head
 * is also the count of every byte queued.
 */
unsigned long log_reader_start(struct log_reader *r)
{
	unsigned long flags;
	unsigned int gone;

	local_irq_save(flags);
	r->end = log_head;
	gone = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;
	local_irq_restore(flags);
	r->pos = gone;
	return gone;
}

size_t log_read(struct log_reader *r, char *buf, size_t size,
		unsigned long *skipped)
{
	unsigned long flags;
	unsigned int oldest;
	size_t n;

	*skipped = 0;
	local_irq_save(flags);
	/* Writers moved on past what we had not read yet: skip to the oldest
	 * byte still held (or to the end, if all of the rest is gone). */
	oldest = log_head - LOG_BUF_SIZE;
	if (log_head > LOG_BUF_SIZE && (int)(r->pos - oldest) < 0) {
		if ((int)(r->end - oldest) < 0)
			oldest = r->end;
		*skipped = oldest - r->pos;
		r->pos = oldest;
	}
	n = MIN(size, (size_t)(r->end - r->pos));
	n = MIN(n, (size_t)LOG_READ_MAX);
	for (size_t i = 0; i < n; i++)
		buf[i] = log_buf[(r->pos + i) & LOG_MASK];
	local_irq_restore(flags);
	r->pos += n;
	return n;
}

static void log_dump_note(void (*write)(const char *text, size_t len),
			  const char *fmt, unsigned long n)
{
	char note[80];
	int len = snprintf(note, sizeof(note), fmt, n);

	write(note, MIN((size_t)len, sizeof(note) - 1));
}

/*
 * If the ring has wrapped, the oldest byte held is somewhere in a line:
 * start after that line's end, and count its piece with the bytes gone.
 */
static unsigned long log_dump_align(struct log_reader *r, unsigned long gone)
{
	unsigned long skipped;
	char c;

	if (!gone)
		return 0;
	while (log_read(r, &c, 1, &skipped)) {
		gone += 1 + skipped;
		if (c == '\n')
			break;
	}
	return gone;
}

int log_dump(void (*write)(const char *text, size_t len))
{
	unsigned long gone, skipped;
	struct log_reader r;
	char buf[CONSOLE_CHUNK];
	size_t n;

	if (!console_lock())
		return -EBUSY;
	while (console_write_chunk())
		;		/* what was queued before dmesg, first */
	gone = log_dump_align(&r, log_reader_start(&r));
	if (gone)
		log_dump_note(write, "[%lu earlier bytes of log overwritten]\n",
			      gone);
	while ((n = log_read(&r, buf, sizeof(buf), &skipped))) {
		if (skipped)
			log_dump_note(write, "\n[%lu bytes of log overwritten "
				      "while dmesg read them]\n", skipped);
		write(buf, n);
	}
	console_unlock();	/* writes what came meanwhile, lets go */
	return 0;
}

/* Queue text and write it, or leave it to the owner. Any context. */
static void log_emit(const char *text, size_t len)
{
	unsigned long flags;

	local_irq_save(flags);
	__log_store(text, len);
	local_irq_restore(flags);
	if (console_dying)
		console_flush_force();	/* the owner may never run again */
	else if (console_trylock())
		console_unlock();
}

/* ---- printk ---- */

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
	log_emit(text, strlen(text));
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

/*
 * Shell and view output: always shown, whatever the log level. Like a
 * terminal write, it returns once the text is out (when the caller may
 * wait): a command that stops the machine next loses nothing it said.
 */
static void seq_console_write(struct seq *s __unused, const char *text,
			      size_t len)
{
	log_emit(text, len);
	console_flush();
}

struct seq seq_console = { .write = seq_console_write };
