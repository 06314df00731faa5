/*
 * asm/irqflags.h - turn interrupts off and back on (x86: EFLAGS.IF).
 *
 * local_irq_save(flags) disables interrupts and remembers whether they were
 * on; local_irq_restore(flags) puts that state back. Nesting is safe.
 * This is part of the small machine interface mm/ uses; host tests supply
 * their own version.
 *
 * Each of them tells the interrupts-off tracer (asm/irqsoff.h) where a
 * section with interrupts off begins or ends, with the address of the
 * code that called it (_THIS_IP_: these are macros, so it is the
 * caller's). Nested calls, which find interrupts already off, tell it
 * nothing.
 */
#ifndef LABYRINTH_ASM_IRQFLAGS_H
#define LABYRINTH_ASM_IRQFLAGS_H

#include <asm/irqsoff.h>
#include <types.h>

#define X86_EFLAGS_IF	0x200

static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	__asm__ volatile("pushf; pop %0" : "=rm"(flags) : : "memory");
	return flags;
}

static inline __attribute__((always_inline)) void arch_local_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline __attribute__((always_inline)) void arch_local_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline __attribute__((always_inline)) unsigned long
__local_irq_save(unsigned long ip)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	if (flags & X86_EFLAGS_IF)
		irqsoff_begin(ip);
	return flags;
}

static inline __attribute__((always_inline)) void
__local_irq_restore(unsigned long flags, unsigned long ip)
{
	if (flags & X86_EFLAGS_IF) {
		irqsoff_end(ip);
		arch_local_irq_enable();
	}
}

/*
 * local_irq_disable() does not read the flags: it opens a section unless
 * one is open already (interrupts were off), which is the same thing once
 * the tracer runs.
 */
static inline __attribute__((always_inline)) void
__local_irq_disable(unsigned long ip)
{
	arch_local_irq_disable();
	if (unlikely(irqsoff_cpu.enabled) && !irqsoff_cpu.open)
		irqsoff_begin(ip);
}

static inline __attribute__((always_inline)) void
__local_irq_enable(unsigned long ip)
{
	irqsoff_end(ip);
	arch_local_irq_enable();
}

#define local_irq_save(flags)	((flags) = __local_irq_save(_THIS_IP_))
#define local_irq_restore(flags) __local_irq_restore((flags), _THIS_IP_)
#define local_irq_disable()	__local_irq_disable(_THIS_IP_)
#define local_irq_enable()	__local_irq_enable(_THIS_IP_)

static inline bool irqs_disabled(void)
{
	return !(arch_local_save_flags() & X86_EFLAGS_IF);
}

/* Were interrupts off when local_irq_save() returned flags? (Linux's.) */
static inline bool irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

#endif
