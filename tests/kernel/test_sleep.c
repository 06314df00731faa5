/*
 * test_sleep.c - GFP_KERNEL sleeps when no room can serve it, and a free
 * wakes it.
 *
 * A thread waits at a starting line while the test takes every free page
 * (GFP_ATOMIC, reserve included). Released, it calls alloc_page(GFP_KERNEL):
 * every room on its path fails, so it must sleep on the allocator's wait
 * queue, not fail and not spin. The test then frees one page and expects
 * the thread to wake and get a page well before the scheduler's safety
 * timeout (a second) would have retried the walk on its own.
 */
#include <kernel/arch.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <mm/debug.h>
#include <mm/gfp.h>
#include <mm/sleep.h>
#include <mm/view.h>
#include <tests/kernel/ktest.h>
#include <tests/kernel/ktest_pages.h>

static DECLARE_WAIT_QUEUE_HEAD(start_line);
static volatile bool started;
static struct page *volatile sleeper_got;
static volatile bool sleeper_done;

static int sleeper_fn(void *arg __unused)
{
	wait_event(start_line, started);
	sleeper_got = alloc_page(GFP_KERNEL);
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

static void sleep_gfp_kernel_woken_by_free(struct ktest *t)
{
	unsigned long slept = mm_sleep_count(), n, freed_at, took;
	struct thread *th;
	void *chain, *one;

	started = sleeper_done = false;
	sleeper_got = NULL;
	th = kthread_create("sleeper", sleeper_fn, NULL);
	KTEST_EXPECT(t, th != NULL);
	if (!th)
		return;
	chain = ktest_take_all(GFP_ATOMIC, &n);
	KTEST_EXPECT(t, n > 0);
	started = true;
	wake_up(&start_line);

	/* It must go to sleep on the allocator, not fail. */
	KTEST_EXPECT(t, yield_until(mm_sleep_count() > slept &&
				    th->state == THREAD_SLEEPING, timer_hz));
	KTEST_EXPECT(t, !sleeper_done);

	one = chain;		/* free one page: that is the wake-up */
	chain = *(void **)one;
	freed_at = jiffies;
	free_page_addr(one);
	KTEST_EXPECT(t, yield_until(sleeper_done, timer_hz));
	took = jiffies - freed_at;
	KTEST_EXPECT(t, sleeper_got != NULL);
	/* Woken by the free, not by the scheduler's timeout. */
	KTEST_EXPECT(t, took < timer_hz / 20 + 2);

	if (sleeper_got)
		free_page(sleeper_got);
	ktest_give_all(chain);
	KTEST_EXPECT_EQ(t, kthread_join(th), 0);
	KTEST_EXPECT_EQ(t, mm_check(), 0);
}

static const struct ktest_case sleep_cases[] = {
	KTEST_CASE(sleep_gfp_kernel_woken_by_free),
};
KTEST_SUITE(sleep_suite, "sleep", sleep_cases);
