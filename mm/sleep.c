/*
 * sleep.c - the sleeping step of GFP_KERNEL, through hooks the scheduler
 * fills (include/mm/sleep.h).
 *
 * mm_sleepers counts the allocations waiting now, so a free calls
 * wake_waiters() only when someone waits: the free path pays one test.
 * frees_seen counts those frees; a waiter sleeps until it moves past the
 * value it read before its last walk (see include/mm/sleep.h).
 */
#include "internal.h"
#include <mm/sleep.h>

static const struct mm_sleep_ops *sleep_ops;
unsigned int mm_sleepers;
static unsigned long nr_slept, nr_would_sleep;
static volatile unsigned long frees_seen;

void sleep_init(void)
{
	mm_sleepers = 0;
	nr_slept = nr_would_sleep = 0;
}

const struct mm_sleep_ops *mm_set_sleep_ops(const struct mm_sleep_ops *ops)
{
	const struct mm_sleep_ops *old = sleep_ops;

	sleep_ops = ops;
	return old;
}

unsigned long mm_sleep_count(void)
{
	return nr_slept;
}

unsigned long mm_would_sleep_count(void)
{
	return nr_would_sleep;
}

unsigned long mm_frees_seen(void)
{
	return frees_seen;
}

/*
 * Count the caller as a sleeper from now on, and return the frees seen so
 * far: the caller walks the path once more, then waits with this value.
 * Process context; interrupts never change mm_sleepers, so ++ is safe.
 */
unsigned long mm_sleep_begin(void)
{
	mm_sleepers++;
	return frees_seen;
}

void mm_sleep_end(void)
{
	mm_sleepers--;
}

/*
 * Process context, no lock held, between mm_sleep_begin() and
 * mm_sleep_end(). Wait until a free moves frees_seen past seen; 0 means
 * walk again, a negative errno gives up. Without hooks: count, give up.
 */
int mm_sleep_wait(gfp_t gfp, unsigned int order, unsigned long seen)
{
	if (!sleep_ops || !sleep_ops->wait_for_pages) {
		stat_inc(&nr_would_sleep);
		return -EAGAIN;
	}
	stat_inc(&nr_slept);
	return sleep_ops->wait_for_pages(gfp, order, seen);
}

/* Pages were freed while someone waits. Any context. */
void mm_wake_waiters(void)
{
	frees_seen++;
	if (sleep_ops && sleep_ops->wake_waiters)
		sleep_ops->wake_waiters();
}
