/*
 * wait.h - wait queues: how a thread sleeps until something happens.
 *
 * A wait queue head is a list of sleeping threads and a name (shown by ps
 * as what a thread sleeps on). The sleeper's side, written out:
 *
 *	DEFINE_WAIT(w);
 *
 *	for (;;) {
 *		prepare_to_wait(&wq, &w);	(on the queue, state sleeping)
 *		if (condition)
 *			break;
 *		schedule();			(sleeps unless woken already)
 *	}
 *	finish_wait(&wq, &w);
 *
 * which is what wait_event(wq, condition) does. The waker sets the
 * condition first, then calls wake_up(&wq). Because the sleeper is on the
 * queue and marked sleeping before it tests the condition, a wake-up between
 * the test and schedule() only makes schedule() return at once: no wake-up
 * is lost. wake_up() may be called from interrupt handlers; the rest needs
 * process context (it sleeps). All of it runs with interrupts off inside,
 * which is the only lock a one-CPU kernel needs here.
 */
#ifndef LABYRINTH_KERNEL_WAIT_H
#define LABYRINTH_KERNEL_WAIT_H

#include <kernel/sched.h>
#include <lib/list.h>
#include <types.h>

struct thread;

struct wait_queue_head {
	struct list_head waiters;	/* of struct wait_queue_entry */
	const char *name;
};

struct wait_queue_entry {
	struct thread *thread;
	struct list_head node;
};

/* A wait queue entry for the current thread, not on any queue yet. */
#define DEFINE_WAIT(w) \
	struct wait_queue_entry w = { NULL, LIST_HEAD_INIT((w).node) }

#define WAIT_QUEUE_HEAD_INIT(wq, name_) \
	{ LIST_HEAD_INIT((wq).waiters), (name_) }
#define DECLARE_WAIT_QUEUE_HEAD(wq) \
	struct wait_queue_head wq = WAIT_QUEUE_HEAD_INIT(wq, #wq)

void init_waitqueue_head(struct wait_queue_head *wq, const char *name);
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* Wake every thread sleeping on wq. Any context. */
void wake_up(struct wait_queue_head *wq);
bool waitqueue_active(struct wait_queue_head *wq);

/* Sleep until cond is true. Process context, no lock held, irqs on. */
#define wait_event(wq, cond) do { \
	DEFINE_WAIT(__w); \
	might_sleep(); \
	for (;;) { \
		prepare_to_wait(&(wq), &__w); \
		if (cond) \
			break; \
		schedule(); \
	} \
	finish_wait(&(wq), &__w); \
} while (0)

/*
 * Sleep until cond is true or ticks timer ticks have passed. Evaluates to
 * the ticks left (at least 1) if cond became true, 0 on timeout.
 */
#define wait_event_timeout(wq, cond, ticks) ({ \
	DEFINE_WAIT(__w); \
	long __left = (long)(ticks); \
	might_sleep(); \
	for (;;) { \
		prepare_to_wait(&(wq), &__w); \
		if (cond) { \
			__left = __left ? __left : 1; \
			break; \
		} \
		if (!__left) \
			break; \
		__left = schedule_timeout(__left); \
	} \
	finish_wait(&(wq), &__w); \
	__left; \
})

#endif
