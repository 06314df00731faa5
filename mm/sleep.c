/*
 * sleep.c - the sleeping step of GFP_KERNEL, through hooks the scheduler
 * fills (include/mm/sleep.h).
 *
 * mm_sleepers counts the allocations waiting now, so a free calls
 * wake_waiters() only when someone waits: the free path pays one test.
 */
#include "internal.h"
#include <mm/sleep.h>

static const struct mm_sleep_ops *sleep_ops;
unsigned int mm_sleepers;
static unsigned long nr_slept, nr_would_sleep;

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

/*
 * Process context, no lock held. Wait for frees; 0 means walk again, a
 * negative errno gives up. Without hooks: count and give up.
 */
int mm_sleep_wait(gfp_t gfp, unsigned int order)
{
	int ret;

	if (!sleep_ops || !sleep_ops->wait_for_pages) {
		stat_inc(&nr_would_sleep);
		return -EAGAIN;
	}
	stat_inc(&nr_slept);
	mm_sleepers++;
	ret = sleep_ops->wait_for_pages(gfp, order);
	mm_sleepers--;
	return ret;
}

/* Pages were freed while someone waits. Any context. */
void mm_wake_waiters(void)
{
	if (sleep_ops && sleep_ops->wake_waiters)
		sleep_ops->wake_waiters();
}
