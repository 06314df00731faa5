/*
 * asm/irqflags.h (host tests) - interrupts on/off as a plain flag.
 *
 * The host has no interrupts; tests set the flag (and enter a fake IRQ with
 * host_irq_enter()) to put the allocator in the context they want.
 */
#ifndef LABYRINTH_HOST_ASM_IRQFLAGS_H
#define LABYRINTH_HOST_ASM_IRQFLAGS_H

#include <types.h>

extern bool host_irqs_off;

/*
 * A test's interrupt (host tests only, not the benchmark): when set, it runs
 * once, as an interrupt arriving just before the next local_irq_save() that
 * finds interrupts on turns them off. That is the window between a check
 * made with interrupts on and the section that acts on it.
 */
extern void (*host_irq_hook)(void);
void host_irq_fire(void);

/*
 * A test's interrupt at every point (host tests only): when set, it runs
 * at each point the host can see where a real interrupt may arrive, and a
 * thread be switched out, in the middle of the allocator's work: before
 * interrupts go off (local_irq_save()), as they come back on
 * (local_irq_restore()), and as a spin lock is released, each time with
 * interrupts on. Unlike host_irq_hook it stays armed, across
 * host_ctx_reset() too, until the test clears it (the harness does after
 * each test). It is called with interrupts on; it enters its fake
 * interrupt itself.
 */
extern void (*host_point_hook)(void);
void host_point_fire(void);

/*
 * The kernel's versions are asm volatile with a "memory" clobber: the
 * compiler may not move memory accesses across them. The signal fences
 * keep that here, so the host build (and the benchmark) sees the same
 * code order as the kernel.
 */
static inline unsigned long host_irq_save(void)
{
	unsigned long was_on = !host_irqs_off;

#ifdef HOST_IRQ_HOOK
	if (unlikely(host_irq_hook != NULL) && was_on)
		host_irq_fire();
	if (unlikely(host_point_hook != NULL) && was_on)
		host_point_fire();
#endif
	host_irqs_off = true;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return was_on;
}

static inline void host_irq_restore(unsigned long was_on)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (was_on)
		host_irqs_off = false;
#ifdef HOST_IRQ_HOOK
	if (unlikely(host_point_hook != NULL) && was_on)
		host_point_fire();
#endif
}

#define local_irq_save(flags)	((flags) = host_irq_save())
#define local_irq_restore(flags) host_irq_restore(flags)
#define local_irq_disable()	((void)(host_irqs_off = true))
#define local_irq_enable()	((void)(host_irqs_off = false))

static inline bool irqs_disabled(void)
{
	return host_irqs_off;
}

/* Were interrupts off when local_irq_save() returned flags? */
static inline bool irqs_disabled_flags(unsigned long flags)
{
	return !flags;
}

#endif
