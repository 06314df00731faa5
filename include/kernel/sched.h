/*
 * sched.h - the scheduler (kernel/sched.c).
 */
#ifndef LABYRINTH_KERNEL_SCHED_H
#define LABYRINTH_KERNEL_SCHED_H

#include <types.h>

/* Called by the timer interrupt on every tick (interrupts off). */
void sched_tick(void);
/*
 * Called by irq_dispatch() on leaving the outermost interrupt handler,
 * interrupts off: switches threads if the tick asked for it and
 * preemption is allowed.
 */
void sched_irq_exit(void);

#endif
