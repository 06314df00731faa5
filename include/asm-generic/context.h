/*
 * asm-generic/context.h - the part of the context interface that is the
 * same on every machine and in the host tests: how an owner is named, and
 * the calls the allocator makes to learn who is running.
 *
 * Every allocation knows its context: process (a thread) or interrupt (which
 * IRQ line), interrupts on or off, locks held. An owner_t names the context
 * that owns an exclusive page: an IRQ line or a thread. The kernel
 * implements the calls in kernel/context.c, the host tests in
 * tests/host/host.c; each asm/context.h adds its own in_atomic().
 */
#ifndef LABYRINTH_ASM_GENERIC_CONTEXT_H
#define LABYRINTH_ASM_GENERIC_CONTEXT_H

#include <types.h>

typedef unsigned int owner_t;

#define OWNER_NONE		0u
#define OWNER_IRQ_BASE		0x100u
#define OWNER_IRQ(line)		(OWNER_IRQ_BASE + (unsigned int)(line))
#define OWNER_THREAD_BASE	0x1000u
#define OWNER_THREAD(tid)	(OWNER_THREAD_BASE + (unsigned int)(tid))
#define OWNER_IS_IRQ(o) \
	((o) >= OWNER_IRQ_BASE && (o) < OWNER_THREAD_BASE)
#define OWNER_IS_THREAD(o)	((o) >= OWNER_THREAD_BASE)

/* Labyrinth runs on one CPU; per-CPU data is indexed by this anyway. */
static inline unsigned int smp_processor_id(void)
{
	return 0;
}

#define NR_CPUS 1

/* True inside a hardware interrupt or exception handler. */
bool in_interrupt(void);
/* The IRQ line being served (innermost), or -1 in process context. */
int current_irq(void);
/*
 * Number of spinlocks the current context holds: the running thread's own
 * (they go with it when it is switched out), plus, inside a handler, those
 * of the interrupt.
 */
unsigned int locks_held(void);
/* The IRQ line when in an interrupt, else the running thread. */
owner_t current_owner(void);
/* "IRQ1 (keyboard)", "thread 3 (shell)", "boot"... into buf. */
const char *owner_name(owner_t owner, char *buf, size_t size);
/*
 * One line describing the context for reports, for example
 * "IRQ1 (keyboard), irqs off, 0 locks held" or "thread shell, 1 lock held
 * (zone DMA)". Returns buf.
 */
const char *describe_context(char *buf, size_t size);

#endif
