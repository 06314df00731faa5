/*
 * mm/sleep.h - how a GFP_KERNEL allocation waits: the rule (mm/sleep.c),
 * and the hooks through which the scheduler makes it sleep.
 *
 * When no room on its path can serve a GFP_KERNEL allocation in process
 * context, the allocator sleeps until pages are freed and walks the path
 * again, but never forever: there is no reclaim and no compaction here, so
 * waiting helps only when someone frees. The rule, decided before each
 * wait:
 *
 *   order above PAGE_ALLOC_COSTLY_ORDER  gives up after a wait that brought
 *                                        no progress: no larger free block
 *                                        on its path than before the wait
 *   any smaller order                    gives up once mm_wait_ms
 *                                        (mm_wait_ms=, default 3000) of
 *                                        waiting have passed
 *   with __GFP_NOFAIL                    never gives up; says every
 *                                        mm_wait_ms (at least every second)
 *                                        that it still waits
 *   an interrupted wait                  ends the allocation at once
 *
 * A costly order is bounded by mm_wait_ms as well. Giving up returns NULL
 * with a report naming the caller and the reason (unless __GFP_NOWARN);
 * an interruption is the caller's own doing and is not reported.
 *
 * The hooks only sleep and tell the time. ops->wait_for_pages(seen, ms)
 * sleeps until mm_frees_seen() differs from seen, or ms milliseconds pass,
 * or the thread is interrupted, and returns 0 (a free came), -ETIMEDOUT
 * (ms passed), -EINTR (the thread's interruptible wait was interrupted) or
 * -EAGAIN (it cannot sleep here). After 0 or -ETIMEDOUT the allocator
 * walks again; the rule above decides whether it waits once more.
 * ops->clock_ms() is a clock in milliseconds; only differences are used,
 * so it may wrap. Both are needed: without them the allocator does not
 * sleep.
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
	int (*wait_for_pages)(unsigned long seen, unsigned int ms);
	void (*wake_waiters)(void);
	unsigned long (*clock_ms)(void);
};

#define MM_WAIT_MS_DEFAULT	3000
#define MM_WAIT_MS_MAX		600000	/* ten minutes */
/* __GFP_NOFAIL's "still waiting" reports come no more often than this. */
#define MM_NOFAIL_REPORT_MIN_MS	1000

/*
 * Install the hooks (NULL removes them) and return the previous ones, so a
 * test can swap its own in and put the scheduler's back. Process context.
 */
const struct mm_sleep_ops *mm_set_sleep_ops(const struct mm_sleep_ops *ops);

/* Frees made while an allocation waited; a wait ends when this moves. */
unsigned long mm_frees_seen(void);

/* The bound on a GFP_KERNEL wait, in milliseconds (mm_wait_ms=). */
unsigned int mm_wait_ms(void);

/*
 * What a GFP_KERNEL allocation of gfp and order does when no room serves
 * it, in one phrase for messages ("gives up after a wait that brings no
 * larger free block: order 10 is costly (above 3)"). Any gfp.
 */
const char *mm_wait_rule(gfp_t gfp, unsigned int order, char *buf,
			 size_t size);

/* Times a GFP_KERNEL allocation slept, or would have slept without hooks. */
unsigned long mm_sleep_count(void);
unsigned long mm_would_sleep_count(void);
/* Allocations that waited and gave up (bound, no progress); interrupted. */
unsigned long mm_wait_gave_up_count(void);
unsigned long mm_wait_interrupted_count(void);

#endif
