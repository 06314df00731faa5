/*
 * mm/sleep.h - how a GFP_KERNEL allocation sleeps: hooks the scheduler fills.
 *
 * When no room on its path can serve a GFP_KERNEL allocation in process
 * context, the allocator calls ops->wait_for_pages(gfp, order, seen). The
 * scheduler's version puts the thread on a wait queue and sleeps until
 * mm_frees_seen() differs from seen, then returns 0 and the allocator walks
 * the path again. A negative return gives up: the allocation returns NULL.
 *
 * No free can slip by unseen: the allocator counts itself as a sleeper and
 * reads `seen` BEFORE its last walk of the path, and from then on every
 * free moves mm_frees_seen() and calls ops->wake_waiters(). A free that
 * came before that walk was found by the walk; one after it ends the wait.
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
	int (*wait_for_pages)(gfp_t gfp, unsigned int order, unsigned long seen);
	void (*wake_waiters)(void);
};

/*
 * Install the hooks (NULL removes them) and return the previous ones, so a
 * test can swap its own in and put the scheduler's back. Process context.
 */
const struct mm_sleep_ops *mm_set_sleep_ops(const struct mm_sleep_ops *ops);

/* Frees made while an allocation waited; a wait ends when this moves. */
unsigned long mm_frees_seen(void);

/* Times a GFP_KERNEL allocation slept, or would have slept without hooks. */
unsigned long mm_sleep_count(void);
unsigned long mm_would_sleep_count(void);

#endif
