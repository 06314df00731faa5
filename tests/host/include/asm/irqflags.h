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
}

#define local_irq_save(flags)	((flags) = host_irq_save())
#define local_irq_restore(flags) host_irq_restore(flags)
#define local_irq_disable()	((void)(host_irqs_off = true))
#define local_irq_enable()	((void)(host_irqs_off = false))

static inline bool irqs_disabled(void)
{
	return host_irqs_off;
}

#endif
