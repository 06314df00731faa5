/*
 * mm/sleep.h - how a GFP_KERNEL allocation sleeps: hooks the scheduler fills.
 *
 * When no room on its path can serve a GFP_KERNEL allocation in process
 * context, the allocator calls ops->wait_for_pages(). The scheduler's version
 * puts the thread on a wait queue and sleeps until ops->wake_waiters() is
 * called (the allocator calls it after pages were freed while someone
 * waits), then returns 0 and the allocator walks the path again. A negative
 * return gives up: the allocation returns NULL.
 *
 * Without hooks (before the scheduler exists) the allocator does not sleep:
 * it counts a "would sleep" and returns NULL.
 *
 * wake_waiters() may be called from interrupt context: it must not sleep.
 */
#ifndef LABYRINTH_MM_SLEEP_H
#define LABYRINTH_MM_SLEEP_H

#include <types.h>
#include <mm/gfp.h>

struct mm_sleep_ops {
	int (*wait_for_pages)(gfp_t gfp, unsigned int order);
	void (*wake_waiters)(void);
};

/*
 * Install the hooks (NULL removes them) and return the previous ones, so a
 * test can swap its own in and put the scheduler's back. Process context.
 */
const struct mm_sleep_ops *mm_set_sleep_ops(const struct mm_sleep_ops *ops);

/* Times a GFP_KERNEL allocation slept, or would have slept without hooks. */
unsigned long mm_sleep_count(void);
unsigned long mm_would_sleep_count(void);

#endif
