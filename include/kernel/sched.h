/*
 * sched.h - the scheduler: preemptive round robin over kernel threads.
 *
 * Threads that can run wait on one run queue, in order; the running thread
 * gets a time slice of SCHED_SLICE_MS and is preempted on the timer tick
 * when it expires and another thread is ready, unless preempt_count > 0
 * (a lock is held, or preempt_disable()). The idle thread runs when nothing
 * else can, and halts the CPU. All scheduler state is changed with
 * interrupts off: on one CPU that excludes everything else.
 */
#ifndef LABYRINTH_KERNEL_SCHED_H
#define LABYRINTH_KERNEL_SCHED_H

#include <types.h>

#define SCHED_SLICE_MS	10

/*
 * Make the boot context (kmain) thread 0 "boot", start the idle thread and
 * install the allocator's sleep hooks (mm/sleep.h). Process context, after
 * the page allocator is up; kthread_create() calls it if nobody did.
 * Returns 0, or -ENOMEM if the idle thread could not be created.
 */
int sched_init(void);
bool sched_ready(void);

/*
 * Give up the CPU. If the current thread is still running (it did not
 * mark itself sleeping, or was woken already), it goes to the back of the
 * run queue. Process context only, no lock held, preemption on: anywhere
 * else it reports "BUG: scheduling while atomic" (once per call site) and
 * returns at once, leaving the thread running; a wait loop around it then
 * polls its condition.
 */
void schedule(void);
void yield(void);
/*
 * With the current thread marked sleeping (prepare_to_wait), sleep until
 * woken or until ticks timer ticks pass. Returns the ticks left, 0 when it
 * timed out. Where schedule() refuses to switch, it waits busily instead,
 * with interrupts on, until the timeout, a wake-up or the next tick (so a
 * wait loop polls its condition); in an interrupt handler it times out at
 * once.
 */
long schedule_timeout(long ticks);
/*
 * Sleep for at least ms milliseconds. Where sleeping is forbidden it
 * reports (might_sleep()) and waits busily, interrupts on, for as long.
 */
void msleep(unsigned int ms);
/*
 * True if the scheduler is up and the caller may sleep: process context,
 * interrupts on, no lock held, preemption on.
 */
bool sched_can_sleep(void);
/* Times schedule()/schedule_timeout() refused to switch (atomic context). */
extern unsigned long sched_atomic_refusals;

/*
 * On every tick, from the timer interrupt (interrupts off): registered at
 * sched_init() as a tick handler (asm/timer.h), after the sampler: it
 * only counts and may ask for a switch, which waits for the interrupt's
 * exit anyway (sched_irq_exit()).
 */
#define SCHED_TICK_ORDER	20
void sched_tick(void);
/*
 * Called by irq_dispatch() on leaving the outermost interrupt handler,
 * interrupts off: switches threads if the tick asked for it and
 * preemption is allowed.
 */
void sched_irq_exit(void);

/* Times the idle thread halted the CPU. */
extern volatile unsigned long idle_halts;

/*
 * might_sleep() - put at the top of anything that may sleep. It reports
 * (rate-limited, with the call site and a backtrace) being called in
 * interrupt context, with interrupts off, with preemption disabled or with
 * locks held, and returns true then. might_sleep_reports counts every
 * detection, printed or not.
 */
#define _THIS_IP_ ({ __label__ __here; __here: (unsigned long)&&__here; })
#define might_sleep()	__might_sleep(__FILE__, __LINE__, _THIS_IP_)
bool __might_sleep(const char *file, int line, unsigned long ip);
extern unsigned long might_sleep_reports;

#endif
