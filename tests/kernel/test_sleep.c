/*
 * test_sleep.c - GFP_KERNEL sleeps when no room can serve it, a free wakes
 * it, and it never waits forever: on the scheduler's real hooks.
 *
 * Each case starts a sleeper thread that waits at a starting line while
 * the test takes every free page (GFP_ATOMIC, reserve included). Released,
 * it calls alloc_pages(GFP_KERNEL...): every room on its path fails, so it
 * must sleep on the allocator's wait queue, not fail at once and not spin.
 * Then the test frees one page (the sleeper wakes and is served well
 * inside the bound), or frees nothing (it gives up after the bound), or
 * interrupts it (it gives up at once).
 *
 * These run from the boot thread before the keyboard and sampler threads
 * exist, so nobody else frees a page meanwhile. mm_wait_ms is set to
 * SLEEP_TEST_WAIT_MS here so that a give-up comes quickly.
 */
#include <kernel/arch.h>
#include <kernel/cmdline.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <mm/debug.h>
#include <mm/gfp.h>
#include <mm/sleep.h>
#include <mm/view.h>
#include <tests/kernel/ktest.h>
#include <tests/kernel/ktest_pages.h>
#include "mm/internal.h"

#define SLEEP_TEST_WAIT_MS	300

static DECLARE_WAIT_QUEUE_HEAD(start_line);
static volatile bool started;
static struct page *volatile sleeper_got;
static volatile bool sleeper_done;
static volatile bool sleeper_interrupted;
static volatile unsigned long sleeper_took;	/* ticks in alloc_pages() */
static gfp_t sleeper_gfp;
static unsigned int sleeper_order;
static bool sleeper_interruptible;

static int sleeper_fn(void *arg __unused)
{
	unsigned long t0;

	wait_event(start_line, started);
	if (sleeper_interruptible)
		thread_interruptible_begin();
	t0 = jiffies;
	sleeper_got = alloc_pages(sleeper_gfp, sleeper_order);
	sleeper_took = jiffies - t0;
	if (sleeper_interruptible)
		sleeper_interrupted = thread_interruptible_end();
	sleeper_done = true;
	return 0;
}

/* Let other threads run until cond holds or `ticks` pass. */
#define yield_until(cond, ticks) ({ \
	unsigned long __end = jiffies + (ticks); \
	while (!(cond) && (long)(jiffies - __end) < 0) \
		yield(); \
	(cond); \
})

static unsigned long ms_ticks(unsigned long ms)
{
	return (ms * timer_hz + 999) / 1000;
}

struct sleep_case {
	struct thread *th;
	void *chain;		/* every page the test took */
	unsigned long pages;	/* how many are on the chain */
	unsigned int old_wait_ms;
};

/*
 * Start a sleeper for gfp/order with every page taken, and check that it
 * went to sleep on the allocator (not failed, not spinning).
 */
static bool sleeper_start(struct ktest *t, struct sleep_case *c, gfp_t gfp,
			  unsigned int order, bool interruptible)
{
	unsigned long slept = mm_sleep_count();

	c->old_wait_ms = param_wait_ms;
	param_wait_ms = SLEEP_TEST_WAIT_MS;
	started = sleeper_done = sleeper_interrupted = false;
	sleeper_got = NULL;
	sleeper_gfp = gfp;
	sleeper_order = order;
	sleeper_interruptible = interruptible;
	c->th = kthread_create("sleeper", sleeper_fn, NULL);
	KTEST_EXPECT(t, c->th != NULL);
	if (!c->th) {
		param_wait_ms = c->old_wait_ms;
		return false;
	}
	c->chain = ktest_take_all(GFP_ATOMIC, &c->pages);
	KTEST_EXPECT(t, c->pages > 0);
	started = true;
	wake_up(&start_line);
	/* A sleeper that gave up at once ends the wait too (no busy second). */
	yield_until((mm_sleep_count() > slept &&
		     c->th->state == THREAD_SLEEPING) || sleeper_done,
		    timer_hz);
	KTEST_EXPECT(t, mm_sleep_count() > slept &&
		     c->th->state == THREAD_SLEEPING);
	KTEST_EXPECT(t, !sleeper_done);
	return true;
}

static void sleeper_finish(struct ktest *t, struct sleep_case *c)
{
	KTEST_EXPECT(t, yield_until(sleeper_done, 4 * timer_hz));
	if (sleeper_got)
		free_pages(sleeper_got, sleeper_order);
	ktest_give_all(c->chain, c->pages);
	KTEST_EXPECT_EQ(t, kthread_join(c->th), 0);
	param_wait_ms = c->old_wait_ms;
	KTEST_EXPECT_EQ(t, mm_check(), 0);
}

/* An order-0 sleeper is woken by a free, well inside the bound. */
static void sleep_gfp_kernel_woken_by_free(struct ktest *t)
{
	struct sleep_case c;
	unsigned long freed_at, took;
	void *one;

	if (!sleeper_start(t, &c, GFP_KERNEL, 0, false))
		return;
	one = c.chain;		/* free one page: that is the wake-up */
	c.chain = *(void **)one;
	c.pages--;
	freed_at = jiffies;
	free_page_addr(one);
	KTEST_EXPECT(t, yield_until(sleeper_done, timer_hz));
	took = jiffies - freed_at;
	KTEST_EXPECT(t, sleeper_got != NULL);
	/* Woken by the free, not by the end of its wait. */
	KTEST_EXPECT(t, took < timer_hz / 20 + 2);
	KTEST_EXPECT(t, sleeper_took < ms_ticks(SLEEP_TEST_WAIT_MS));
	sleeper_finish(t, &c);
}

/* With nothing freed, it gives up once mm_wait_ms has passed, not before. */
static void sleep_gfp_kernel_gives_up_after_the_bound(struct ktest *t)
{
	unsigned long gave_up = mm_wait_gave_up_count();
	struct sleep_case c;

	if (!sleeper_start(t, &c, GFP_KERNEL | __GFP_NOWARN, 0, false))
		return;
	KTEST_EXPECT(t, yield_until(sleeper_done, 4 * timer_hz));
	KTEST_EXPECT(t, sleeper_got == NULL);
	KTEST_EXPECT(t, sleeper_took + 1 >= ms_ticks(SLEEP_TEST_WAIT_MS));
	KTEST_EXPECT(t, sleeper_took <= ms_ticks(2 * SLEEP_TEST_WAIT_MS));
	KTEST_EXPECT_EQ(t, mm_wait_gave_up_count(), gave_up + 1);
	sleeper_finish(t, &c);
}

/*
 * A costly order gives up after its first wait: with nothing freed, no
 * larger block appeared. (When a free ends the wait early, it gives up
 * then: tests/host/test_mm_wait.c.)
 */
static void sleep_costly_gives_up_after_one_wait(struct ktest *t)
{
	unsigned long gave_up = mm_wait_gave_up_count();
	unsigned long slept = mm_sleep_count();
	struct sleep_case c;

	if (!sleeper_start(t, &c, GFP_KERNEL | __GFP_NOWARN, 5, false))
		return;
	KTEST_EXPECT(t, yield_until(sleeper_done, 4 * timer_hz));
	KTEST_EXPECT(t, sleeper_got == NULL);
	KTEST_EXPECT_EQ(t, mm_sleep_count(), slept + 1);
	KTEST_EXPECT_EQ(t, mm_wait_gave_up_count(), gave_up + 1);
	sleeper_finish(t, &c);
}

/*
 * thread_interrupt() ends an interruptible wait at once, with NULL; a
 * thread outside an interruptible section takes no interrupt.
 */
static void sleep_interrupt_ends_the_wait(struct ktest *t)
{
	unsigned long intr = mm_wait_interrupted_count(), at;
	struct sleep_case c;

	KTEST_EXPECT(t, !thread_interrupt(current_thread()));
	if (!sleeper_start(t, &c, GFP_KERNEL, 0, true))
		return;
	at = jiffies;
	KTEST_EXPECT(t, thread_interrupt(c.th));
	KTEST_EXPECT(t, yield_until(sleeper_done, timer_hz));
	KTEST_EXPECT(t, jiffies - at < timer_hz / 20 + 2);
	KTEST_EXPECT(t, sleeper_got == NULL);
	KTEST_EXPECT(t, sleeper_interrupted);
	KTEST_EXPECT_EQ(t, mm_wait_interrupted_count(), intr + 1);
	KTEST_EXPECT(t, !thread_interrupt(c.th));	/* its section ended */
	sleeper_finish(t, &c);
}

static const struct ktest_case sleep_cases[] = {
	KTEST_CASE(sleep_gfp_kernel_woken_by_free),
	KTEST_CASE(sleep_gfp_kernel_gives_up_after_the_bound),
	KTEST_CASE(sleep_costly_gives_up_after_one_wait),
	KTEST_CASE(sleep_interrupt_ends_the_wait),
};
KTEST_SUITE(sleep_suite, "sleep", sleep_cases);
