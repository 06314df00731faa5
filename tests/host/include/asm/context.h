/*
 * asm/context.h (host tests) - the kernel's context API, set by tests.
 *
 * The owner encoding and the calls are shared with the kernel
 * (asm-generic/context.h); host.c implements them. host_irq_enter(line)/
 * host_irq_exit() fake an interrupt (and turn interrupts off, as the
 * hardware does); host_thread_set(tid) picks the running thread;
 * host_extra_locks pretends locks other than mm/'s are held.
 */
#ifndef LABYRINTH_HOST_ASM_CONTEXT_H
#define LABYRINTH_HOST_ASM_CONTEXT_H

#include <asm-generic/context.h>

/*
 * in_atomic() - in a (fake) interrupt or with a lock held, as the kernel's:
 * host.c keeps context_atomic_depth (fake IRQ plus spinlocks held); tests
 * add host_extra_locks by hand.
 */
extern unsigned int context_atomic_depth;
extern unsigned int host_extra_locks;

static inline bool in_atomic(void)
{
	return context_atomic_depth + host_extra_locks != 0;
}

/* Test controls. */
void host_irq_enter(int line);
void host_irq_exit(void);
void host_thread_set(unsigned int tid);

#endif
