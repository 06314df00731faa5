/*
 * wait.c - wait queues (see include/kernel/wait.h for the protocol).
 *
 * A wait queue entry lives on the sleeper's stack, between prepare_to_wait()
 * and finish_wait(). The queue and the thread states change with
 * interrupts off, so wake_up() from an interrupt handler is safe.
 * wake_up() leaves the entries on the queue: each sleeper takes its own off
 * in finish_wait(), once its condition holds.
 */
#include <asm/irqflags.h>
#include <kernel/thread.h>
#include <kernel/wait.h>

void sched_wake_thread(struct thread *t);	/* kernel/sched.c */

void init_waitqueue_head(struct wait_queue_head *wq, const char *name)
{
	INIT_LIST_HEAD(&wq->waiters);
	wq->name = name;
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	struct thread *self = current_thread();
	unsigned long flags;

	local_irq_save(flags);
	if (list_empty(&w->node)) {
		w->thread = self;
		list_add_tail(&w->node, &wq->waiters);
	}
	self->state = THREAD_SLEEPING;
	self->wait_on = wq->name;
	local_irq_restore(flags);
}

void finish_wait(struct wait_queue_head *wq __unused,
		 struct wait_queue_entry *w)
{
	struct thread *self = current_thread();
	unsigned long flags;

	local_irq_save(flags);
	self->state = THREAD_RUNNING;
	self->wait_on = NULL;
	self->sleep_reported = false;	/* see might_sleep() */
	list_del(&w->node);	/* harmless if woken and not queued */
	local_irq_restore(flags);
}

void wake_up(struct wait_queue_head *wq)
{
	struct list_head *pos;
	unsigned long flags;

	local_irq_save(flags);
	list_for_each(pos, &wq->waiters)
		sched_wake_thread(list_entry(pos, struct wait_queue_entry,
					     node)->thread);
	local_irq_restore(flags);
}

bool waitqueue_active(struct wait_queue_head *wq)
{
	return !list_empty(&wq->waiters);
}
