/*
 * sched_hooks.h - preemption control, filled in by the scheduler.
 *
 * preempt_disable() nests; while the count is above zero the timer tick
 * does not switch threads. Locks use it so that a lock holder is never
 * switched out while another thread spins.
 */
#ifndef LABYRINTH_KERNEL_SCHED_HOOKS_H
#define LABYRINTH_KERNEL_SCHED_HOOKS_H

extern volatile unsigned int preempt_count;

static inline void preempt_disable(void)
{
	preempt_count++;
	__asm__ volatile("" : : : "memory");
}

/* Re-enabling does not switch at once: the next tick will, if needed. */
static inline void preempt_enable(void)
{
	__asm__ volatile("" : : : "memory");
	preempt_count--;
}

#endif
