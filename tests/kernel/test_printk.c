/*
 * test_printk.c - in-kernel tests of the log ring and the console owner.
 *
 * A recording console keeps every byte it is given and, for each write,
 * where in the record it starts and whether interrupts were off. Interrupt
 * context is simulated as in test_kbd.c: interrupts off and irq_enter() on
 * a line nothing raises. To hold text in the ring, a case takes the
 * consoles itself (console_trylock()) and lets go later (console_unlock()).
 * The record console is on the list only while a case runs.
 */
#include <asm/io.h>
#include <asm/irqflags.h>
#include <kernel/console.h>
#include <kernel/context.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <lib/format.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

#define TEST_LINE	13	/* the FPU line: never raised here */
#define REC_SIZE	(LOG_BUF_SIZE + 4096)
#define REC_WRITES	1024

static char rec_text[REC_SIZE];
static size_t rec_len;
static struct {
	size_t start;	/* offset in rec_text */
	bool irqs_off;
} rec_writes[REC_WRITES];
static unsigned int rec_nr;
/* Called after each write, from inside the owner's console_write(). */
static void (*rec_hook)(const char *text, size_t len);

static void rec_write(const char *text, size_t len)
{
	if (rec_nr < REC_WRITES) {
		rec_writes[rec_nr].start = rec_len;
		rec_writes[rec_nr].irqs_off = irqs_disabled();
		rec_nr++;
	}
	len = MIN(len, REC_SIZE - 1 - rec_len);
	memcpy(rec_text + rec_len, text, len);
	rec_len += len;
	rec_text[rec_len] = '\0';
	if (rec_hook)
		rec_hook(text, len);
}

static struct console rec_console = { .name = "record",
				      .write = rec_write };
static int saved_loglevel;

/*
 * Start with everything queued so far written, and an empty record. The
 * cases' messages are at the default level: shown even under loglevel=0.
 */
static void rec_start(void)
{
	console_flush();
	saved_loglevel = console_loglevel;
	console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
	rec_len = 0;
	rec_nr = 0;
	rec_text[0] = '\0';
	rec_hook = NULL;
	console_register(&rec_console);
}

static void rec_stop(void)
{
	console_unregister(&rec_console);
	rec_hook = NULL;
	console_loglevel = saved_loglevel;
}

/* Offset of the first needle at or after from, or -1. */
static long rec_find(const char *needle, long from)
{
	size_t n = strlen(needle);

	for (size_t i = (size_t)from; i + n <= rec_len; i++)
		if (!memcmp(rec_text + i, needle, n))
			return (long)i;
	return -1;
}

static unsigned int rec_count(const char *needle)
{
	unsigned int count = 0;

	for (long at = rec_find(needle, 0); at >= 0;
	     at = rec_find(needle, at + 1))
		count++;
	return count;
}

/* The write that delivered the byte at offset at. */
static unsigned int rec_write_of(long at)
{
	unsigned int i = 0;

	while (i + 1 < rec_nr && rec_writes[i + 1].start <= (size_t)at)
		i++;
	return i;
}

static size_t rec_write_len(unsigned int i)
{
	size_t end = i + 1 < rec_nr ? rec_writes[i + 1].start : rec_len;

	return end - rec_writes[i].start;
}

static bool rec_irqs_off_at(long at)
{
	return rec_writes[rec_write_of(at)].irqs_off;
}

/*
 * rec_start(), then take the consoles for the case. False (the case fails,
 * the record console is gone again) if somebody owns them.
 */
static bool rec_start_owning(struct ktest *t)
{
	bool got;

	rec_start();
	got = console_trylock();
	KTEST_EXPECT(t, got);
	if (!got)
		rec_stop();
	return got;
}

/* printk as an interrupt handler on TEST_LINE would. */
static void printk_in_irq(const char *text)
{
	unsigned long flags;

	local_irq_save(flags);
	irq_enter(TEST_LINE);
	printk("%s", text);
	irq_exit();
	local_irq_restore(flags);
}

/*
 * A thread that finds the consoles free writes its message itself before
 * printk returns, in chunks of at most CONSOLE_CHUNK bytes, with
 * interrupts on during every chunk.
 */
static void printk_thread_writes_chunks_with_irqs_on(struct ktest *t)
{
	char line[200];
	unsigned int first, last;
	long at;

	snprintf(line, sizeof(line), "printk-thread %0150u\n", 0u);
	rec_start();
	printk("%s", line);
	at = rec_find(line, 0);
	KTEST_EXPECT(t, at >= 0);
	KTEST_EXPECT_EQ(t, rec_count(line), 1);
	KTEST_EXPECT(t, rec_nr < REC_WRITES);
	if (at >= 0) {
		first = rec_write_of(at);
		last = rec_write_of(at + (long)strlen(line) - 1);
		KTEST_EXPECT(t,
			     last - first + 1 >= strlen(line) / CONSOLE_CHUNK);
		for (unsigned int i = first; i <= last; i++) {
			KTEST_EXPECT(t, !rec_writes[i].irqs_off);
			KTEST_EXPECT(t, rec_write_len(i) <= CONSOLE_CHUNK);
		}
	}
	rec_stop();
}

/*
 * While a thread owns the consoles, a printk in an interrupt handler only
 * queues its text; the owner writes it after its own, once, with
 * interrupts on.
 */
static void printk_irq_while_owned_only_queues(struct ktest *t)
{
	long a, b;

	if (!rec_start_owning(t))
		return;
	printk("printk-owner-A\n");
	printk_in_irq("printk-irq-B\n");
	KTEST_EXPECT_EQ(t, rec_find("printk-owner-A", 0), -1);
	KTEST_EXPECT_EQ(t, rec_find("printk-irq-B", 0), -1);
	console_unlock();
	a = rec_find("printk-owner-A\n", 0);
	b = rec_find("printk-irq-B\n", 0);
	KTEST_EXPECT(t, a >= 0 && b > a);
	KTEST_EXPECT_EQ(t, rec_count("printk-owner-A"), 1);
	KTEST_EXPECT_EQ(t, rec_count("printk-irq-B"), 1);
	if (b >= 0)
		KTEST_EXPECT(t, !rec_irqs_off_at(b));
	rec_stop();
}

static bool hook_fired, hook_irq_queued;

/* An interrupt arriving while the owner writes the trigger's first chunk. */
static void irq_on_trigger(const char *text, size_t len)
{
	if (hook_fired || len < 16 || memcmp(text, "printk-trigger-C", 16))
		return;
	hook_fired = true;
	printk_in_irq("printk-irq-D\n");
	hook_irq_queued = rec_find("printk-irq-D", 0) < 0;
}

/*
 * An interrupt's printk in the middle of a thread's message (between two
 * of its chunks) does not cut into it: it comes after the whole line.
 */
static void printk_irq_during_write_comes_after(struct ktest *t)
{
	char line[160];
	long c, d;

	snprintf(line, sizeof(line), "printk-trigger-C %0120u\n", 0u);
	hook_fired = hook_irq_queued = false;
	rec_start();
	rec_hook = irq_on_trigger;
	printk("%s", line);
	rec_hook = NULL;
	KTEST_EXPECT(t, hook_fired);
	KTEST_EXPECT(t, hook_irq_queued);
	c = rec_find(line, 0);
	d = rec_find("printk-irq-D\n", 0);
	KTEST_EXPECT(t, c >= 0);
	KTEST_EXPECT(t, d >= c + (long)strlen(line));
	KTEST_EXPECT_EQ(t, rec_count("printk-irq-D"), 1);
	if (d >= 0)
		KTEST_EXPECT(t, !rec_irqs_off_at(d));
	rec_stop();
}

/*
 * With nobody owning the consoles, the handler writes its text itself
 * (interrupts off, as it runs): nobody else would.
 */
static void printk_irq_with_no_owner_writes_itself(struct ktest *t)
{
	long e;

	rec_start();
	printk_in_irq("printk-irq-E\n");
	e = rec_find("printk-irq-E\n", 0);
	KTEST_EXPECT(t, e >= 0);
	if (e >= 0)
		KTEST_EXPECT(t, rec_irqs_off_at(e));
	rec_stop();
}

/* The dying's flush writes past the owner, and the owner does not repeat. */
static void printk_forced_flush_ignores_owner(struct ktest *t)
{
	long f;

	if (!rec_start_owning(t))
		return;
	printk("printk-forced-F\n");
	KTEST_EXPECT_EQ(t, rec_find("printk-forced-F", 0), -1);
	console_flush_force();
	f = rec_find("printk-forced-F\n", 0);
	KTEST_EXPECT(t, f >= 0);
	if (f >= 0)
		KTEST_EXPECT(t, rec_irqs_off_at(f));
	console_unlock();
	KTEST_EXPECT_EQ(t, rec_count("printk-forced-F"), 1);
	rec_stop();
}

static unsigned int nested_calls;

/* A console whose write fails on G's line by panicking: a forced flush. */
static void force_on_g(const char *text, size_t len)
{
	if (len < 15 || memcmp(text, "printk-nested-G", 15))
		return;
	nested_calls++;
	console_flush_force();
}

/*
 * A forced flush nested in a console's write starts again at the chunk
 * being written. If that write forces a flush every time, the nesting
 * stops after one level more (FORCE_DEPTH_MAX is 2): G is written three
 * times (the owner's write, then two forced ones), the line after it once,
 * and printk returns.
 */
static void printk_nested_forced_flush_ends(struct ktest *t)
{
	long g, h;

	nested_calls = 0;
	if (!rec_start_owning(t))
		return;
	printk("printk-nested-G\n");
	printk("printk-after-G\n");
	rec_hook = force_on_g;
	console_unlock();
	rec_hook = NULL;
	KTEST_EXPECT_EQ(t, nested_calls, 3);
	KTEST_EXPECT_EQ(t, rec_count("printk-nested-G\n"), 3);
	KTEST_EXPECT_EQ(t, rec_count("printk-after-G\n"), 1);
	g = rec_find("printk-nested-G\n", 0);
	h = rec_find("printk-after-G\n", 0);
	KTEST_EXPECT(t, g >= 0 && h > g);
	rec_stop();
}

#define FILLER_LEN	400	/* bytes per filler line, newline included */
#define NR_FILLERS	(LOG_BUF_SIZE / FILLER_LEN + 4)

/* Queue NR_FILLERS numbered lines of FILLER_LEN bytes, KTAP comments. */
static void queue_fillers(void)
{
	char line[FILLER_LEN + 1];
	int n;

	for (unsigned int i = 0; i < NR_FILLERS; i++) {
		n = snprintf(line, sizeof(line),
			     "    # printk overflow filler %03u ", i);
		memset(line + n, '.', FILLER_LEN - 1 - n);
		line[FILLER_LEN - 1] = '\n';
		line[FILLER_LEN] = '\0';
		printk("%s", line);
	}
}

/*
 * More than the ring holds, queued while we own the consoles: the newest
 * lines are dropped whole and counted, and "[N bytes of log lost]" is
 * written where they were lost, with N the bytes counted.
 */
static void printk_overflow_counts_and_marks(struct ktest *t)
{
	unsigned long lost0 = log_lost_total, lost;
	unsigned int written;
	char note[48], last[48];
	long before, mark, after;

	if (!rec_start_owning(t))
		return;
	printk("printk-before-loss\n");
	queue_fillers();
	printk("printk-after-loss\n");
	lost = log_lost_total - lost0;
	console_unlock();
	snprintf(note, sizeof(note), "[%lu bytes of log lost]\n", lost);
	written = rec_count("printk overflow filler");
	snprintf(last, sizeof(last), "filler %03u ", written - 1);
	before = rec_find("printk-before-loss\n", 0);
	mark = rec_find(note, 0);
	after = rec_find("printk-after-loss\n", 0);
	KTEST_EXPECT(t, lost > 0);
	KTEST_EXPECT(t, written > 0 && written < NR_FILLERS);
	KTEST_EXPECT(t, before >= 0 && mark > before);
	KTEST_EXPECT_EQ(t, rec_count("bytes of log lost]"), 1);
	/* The oldest kept, in order, the newest dropped: mark after them. */
	KTEST_EXPECT(t, rec_find("filler 000 ", 0) > before);
	KTEST_EXPECT(t, rec_find(last, 0) >= 0 && rec_find(last, 0) < mark);
	if (after >= 0) {	/* room was left for it: right after the mark */
		KTEST_EXPECT_EQ(t, after, mark + (long)strlen(note));
		KTEST_EXPECT_EQ(t, lost, (NR_FILLERS - written) * FILLER_LEN);
	} else {
		KTEST_EXPECT_EQ(t, lost, (NR_FILLERS - written) * FILLER_LEN +
				strlen("printk-after-loss\n"));
	}
	printk("printk-after-unlock\n");
	KTEST_EXPECT(t, rec_find("printk-after-unlock\n", 0) > mark);
	rec_stop();
}

static volatile bool owner_holding, owner_go;

/* Own the consoles and keep them, preemptible, until told to let go. */
static int hold_consoles(void *arg __unused)
{
	if (!console_trylock())
		return -EBUSY;
	printk("printk-held-by-thread\n");
	owner_holding = true;
	while (!owner_go)
		cpu_relax();	/* interrupts on: the tick preempts us */
	console_unlock();
	return 0;
}

/* Start hold_consoles() and wait until it owns the consoles. */
static struct thread *start_holding_owner(struct ktest *t)
{
	struct thread *th;

	owner_holding = owner_go = false;
	th = kthread_create("printk-owner", hold_consoles, NULL);
	KTEST_EXPECT(t, th != NULL);
	for (unsigned int ms = 0; th && !owner_holding && ms < 1000; ms++)
		msleep(1);
	KTEST_EXPECT(t, owner_holding);
	return th;
}

/*
 * A thread that owns the consoles and is preempted holds back what others
 * print; console_flush() waits for it (yielding), and then everything is
 * out, in order.
 */
static void printk_flush_waits_for_preempted_owner(struct ktest *t)
{
	struct thread *th;
	long h, q;

	rec_start();
	th = start_holding_owner(t);
	printk("printk-queued-behind\n");
	KTEST_EXPECT_EQ(t, rec_find("printk-queued-behind", 0), -1);
	owner_go = true;
	console_flush();
	h = rec_find("printk-held-by-thread\n", 0);
	q = rec_find("printk-queued-behind\n", 0);
	KTEST_EXPECT(t, h >= 0 && q > h);
	KTEST_EXPECT_EQ(t, rec_count("printk-queued-behind"), 1);
	if (th)
		KTEST_EXPECT_EQ(t, kthread_join(th), 0);
	rec_stop();
}

/*
 * Where it may not sleep (interrupts off here), console_flush() cannot
 * wait for an owner that was preempted: it returns, the text still queued
 * for that owner, and nothing is lost.
 */
static void printk_flush_cannot_wait_returns(struct ktest *t)
{
	unsigned long flags;
	struct thread *th;

	rec_start();
	th = start_holding_owner(t);
	printk("printk-atomic-J\n");
	local_irq_save(flags);
	console_flush();		/* returns: it may not yield */
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, rec_find("printk-atomic-J", 0), -1);
	owner_go = true;
	console_flush();
	KTEST_EXPECT_EQ(t, rec_count("printk-atomic-J\n"), 1);
	if (th)
		KTEST_EXPECT_EQ(t, kthread_join(th), 0);
	rec_stop();
}

static const struct ktest_case printk_cases[] = {
	KTEST_CASE(printk_thread_writes_chunks_with_irqs_on),
	KTEST_CASE(printk_irq_while_owned_only_queues),
	KTEST_CASE(printk_irq_during_write_comes_after),
	KTEST_CASE(printk_irq_with_no_owner_writes_itself),
	KTEST_CASE(printk_forced_flush_ignores_owner),
	KTEST_CASE(printk_overflow_counts_and_marks),
	KTEST_CASE(printk_flush_waits_for_preempted_owner),
	KTEST_CASE(printk_nested_forced_flush_ends),
	KTEST_CASE(printk_flush_cannot_wait_returns),
};
KTEST_SUITE(printk_suite, "printk", printk_cases);
