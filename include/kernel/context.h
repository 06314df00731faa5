/*
 * context.h - bookkeeping of the current context (kernel/context.c).
 *
 * The interrupt entry code calls irq_enter()/irq_exit() around every
 * handler, so in_interrupt() and current_irq() (asm/context.h) are always
 * right. spin_lock()/spin_unlock() count the locks held. The scheduler
 * sets the running thread with context_set_thread(), and swaps the locks
 * held with context_switch_locks(): they belong to a thread, like
 * preempt_count.
 */
#ifndef LABYRINTH_KERNEL_CONTEXT_H
#define LABYRINTH_KERNEL_CONTEXT_H

#include <asm/context.h>

#define IRQ_NEST_MAX 8

void irq_enter(int line);
void irq_exit(void);
/* The last lock taken, for reports ("zone DMA"), or NULL. */
const char *last_lock_name(void);
void context_note_lock(const char *name);
void context_note_unlock(void);

/* The locks a thread holds: kept in its struct thread while off the CPU. */
struct lock_state {
	unsigned int count;
	const char *names[IRQ_NEST_MAX];	/* the first IRQ_NEST_MAX */
};

/*
 * Scheduler only, interrupts off, outside any interrupt handler: save the
 * running context's locks into prev and make next's the running ones.
 */
void context_switch_locks(struct lock_state *prev,
			  const struct lock_state *next);

/* Set by the scheduler on every switch; tid 0 is the boot/idle context. */
void context_set_thread(unsigned int tid, const char *name);

/* A name for IRQ lines that have one ("timer", "keyboard"). */
void irq_set_name(int line, const char *name);
const char *irq_name(int line);

#endif
