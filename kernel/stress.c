/*
 * stress.c - the hog: drive free memory down to the reserve and back.
 *
 * One run, in the hog thread:
 *   1. take order-0 pages with GFP_ATOMIC until the free count reaches the
 *      reserve (the sum of the zones' min watermarks). Stopping there leaves
 *      the reserve to those who may enter it: the interrupt handlers;
 *   2. hold memory there for the run's seconds, counted in timer ticks
 *      (seconds * hz), waking every 10 ms or every tick, whichever is
 *      longer, to take back what others freed (the console and sampler
 *      threads free their pages all the time) and to note the lowest free
 *      count seen;
 *   3. give every page back, let the refill thread top the exclusive rooms
 *      up again (for up to a second), and print the summary: pages taken,
 *      lowest free count, pages served from the reserve, the handlers'
 *      allocation failures, the pages accounted for before and after (they
 *      must match), mm_check(), and the ticks the run held memory at which
 *      rate. If the shell waits for a key meanwhile, a fresh prompt
 *      follows.
 *
 * "Accounted for" is what the run must give back exactly: the free pages
 * (zones and hot room), the exclusive rooms, the pages the interrupt
 * users hold (keyboard pages, sampler blocks), and the blocks the shell's
 * alloc command holds. Free pages alone move with the rooms' refills and
 * with blocks in flight, by a few pages. One window is left open: an alloc
 * typed at the shell that returns between its allocation and its
 * bookkeeping just as the run takes a count would be off by its block.
 *
 * The held pages are chained through their own first word, so the hog
 * needs no memory of its own to remember them.
 *
 * Invariants: a page the hog took is on its chain until step 3 frees it;
 * held == the chain's length. Only the hog thread touches a run.
 *
 * Locking: stress_busy is set by the shell and cleared by the hog, each a
 * single store; zone counters are read under the zone lock.
 */
#include <kernel/console.h>
#include <drivers/keyboard.h>
#include <drivers/sampler.h>
#include <kernel/arch.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/refill.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/stress.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <asm/irqflags.h>
#include <mm/debug.h>
#include <mm/exclusive.h>
#include <mm/gfp.h>
#include <mm/view.h>
#include <mm/zone.h>

#define STRESS_STEP_MS	10

struct stress_run {
	unsigned int seconds;
	void *held;			/* chain of the pages held */
	unsigned long nr_held, taken, peak, hog_failures;
	unsigned long target;		/* free pages left: the reserve */
	unsigned long free_min;		/* lowest free count seen */
	unsigned long before, after;	/* pages accounted for */
	unsigned long reserve_served;	/* pages the reserve room served */
	unsigned long kbd_failures, sampler_failures;
	unsigned long ticks;		/* the run held memory this long */
};

static struct thread *stress_thread;
static DECLARE_WAIT_QUEUE_HEAD(stress_wait);
static volatile unsigned int stress_request;	/* seconds asked for */
static volatile bool stress_busy;
static struct stress_run run;

bool stress_running(void)
{
	return stress_busy;
}

/* The reserve: pages under the min watermark, all zones together. */
static unsigned long reserve_pages(void)
{
	unsigned long n = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		n += zones[i].wmark[WMARK_MIN];
	return n;
}

static unsigned long reserve_served(void)
{
	unsigned long n = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		spin_lock(&zones[i].lock);
		n += zones[i].reserve.served;
		spin_unlock(&zones[i].lock);
	}
	return n;
}

/*
 * Free pages, pages in exclusive rooms, pages the keyboard and the sampler
 * hold, and the shell's blocks, read together with interrupts off so that
 * a page moving between them (a handler taking a page from its room) is
 * counted once.
 */
static unsigned long pages_accounted(void)
{
	struct kbd_stats ks;
	struct sampler_stats ss;
	unsigned long flags, n;

	local_irq_save(flags);
	n = mm_free_pages();
	for (int id = 0; id < NR_EXCL_ROOMS; id++)
		n += excl_room_count(id);
	kbd_get_stats(&kbd_live, &ks);
	sampler_get_stats(&sampler_live, &ss);
	n += shell_pages_held();
	local_irq_restore(flags);
	return n + ks.pages_taken - ks.pages_freed + ss.in_hand;
}

/* Take pages until only the reserve is free; note the lowest free count. */
static void stress_take(struct stress_run *r)
{
	unsigned long free;

	while ((free = mm_free_pages()) > r->target) {
		void *p = get_free_page(GFP_ATOMIC | __GFP_NOWARN);

		if (!p) {
			r->hog_failures++;
			break;
		}
		*(void **)p = r->held;
		r->held = p;
		r->nr_held++;
		r->taken++;
	}
	r->free_min = MIN(r->free_min, free);
	r->peak = MAX(r->peak, r->nr_held);
}

static void stress_give_back(struct stress_run *r)
{
	while (r->held) {
		void *p = r->held;

		r->held = *(void **)p;
		free_page_addr(p);
		r->nr_held--;
	}
}

static void stress_begin(struct stress_run *r, unsigned int seconds)
{
	*r = (struct stress_run){ .seconds = seconds };
	r->target = reserve_pages();
	r->before = pages_accounted();
	r->free_min = mm_free_pages();
	r->reserve_served = reserve_served();
	r->kbd_failures = kbd_live.alloc_failures;
	r->sampler_failures = sampler_live.alloc_failures;
}

/* After the give-back: wait (up to 1 s) for the rooms to be full again. */
static void stress_settle(struct stress_run *r)
{
	unsigned long start = jiffies;

	do
		msleep(STRESS_STEP_MS);
	while (refill_pending() && jiffies - start < timer_hz);
	msleep(STRESS_STEP_MS);
	r->after = pages_accounted();
	r->reserve_served = reserve_served() - r->reserve_served;
	r->kbd_failures = kbd_live.alloc_failures - r->kbd_failures;
	r->sampler_failures = sampler_live.alloc_failures -
			      r->sampler_failures;
}

static void stress_report(const struct stress_run *r)
{
	int check = mm_check();

	printk(KERN_NOTICE "stress: done after %u s\n"
	       "  pages taken:     %lu (held at most %lu)\n"
	       "  free pages:      min seen %lu\n"
	       "  accounted for:   before %lu, after %lu (%s)\n"
	       "  reserve:         %lu pages under min; %lu served from it\n"
	       "  atomic failures: keyboard %lu, sampler %lu, hog %lu\n"
	       "  mm_check:        %s\n"
	       "  ran:             %lu ticks at %u Hz\n",
	       r->seconds, r->taken, r->peak, r->free_min, r->before,
	       r->after, r->after == r->before ?
	       "all given back" : "MISMATCH", r->target, r->reserve_served,
	       r->kbd_failures, r->sampler_failures, r->hog_failures,
	       check ? "FAILED" : "ok", r->ticks, timer_hz);
	/* Printed behind the shell's prompt: give it a fresh one. */
	if (console_reader_waiting())
		seq_puts(&seq_console, SHELL_PROMPT);
}

/*
 * Hold memory for seconds * hz ticks: the clock, not a count of sleeps,
 * says when to stop, since a 10 ms sleep lasts a whole tick or two at a
 * slow rate (53 ms a tick at hz=19).
 */
static void stress_hold(struct stress_run *r)
{
	unsigned long start = jiffies;
	unsigned long ticks = (unsigned long)r->seconds * timer_hz;

	while (jiffies - start < ticks) {
		msleep(STRESS_STEP_MS);
		stress_take(r);
	}
	r->ticks = jiffies - start;
}

static void stress_run_once(struct stress_run *r, unsigned int seconds)
{
	stress_begin(r, seconds);
	stress_take(r);
	printk(KERN_NOTICE "stress: holding %lu pages, %lu free (the "
	       "reserve), for %u s\n", r->nr_held, mm_free_pages(), seconds);
	stress_hold(r);
	stress_give_back(r);
	stress_settle(r);
	stress_report(r);
}

static int stress_thread_fn(void *arg __unused)
{
	for (;;) {
		unsigned int seconds;

		wait_event(stress_wait, stress_request);
		seconds = stress_request;
		stress_request = 0;
		stress_run_once(&run, seconds);
		stress_busy = false;
	}
	return 0;
}

int stress_start(unsigned int seconds, struct seq *out)
{
	if (stress_busy) {
		seq_puts(out, "stress: a run is going on already\n");
		return -EBUSY;
	}
	if (!stress_thread) {
		stress_thread = kthread_create("hog", stress_thread_fn, NULL);
		if (!stress_thread) {
			seq_puts(out, "stress: no hog thread\n");
			return -ENOMEM;
		}
	}
	stress_busy = true;
	stress_request = seconds;
	wake_up(&stress_wait);
	seq_printf(out, "stress: hog thread %u runs for %u s; summary when it "
		   "ends\n", stress_thread->tid, seconds);
	return 0;
}
