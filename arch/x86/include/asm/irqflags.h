/*
 * asm/irqflags.h - turn interrupts off and back on (x86: EFLAGS.IF).
 *
 * local_irq_save(flags) disables interrupts and remembers whether they were
 * on; local_irq_restore(flags) puts that state back. Nesting is safe.
 * This is part of the small machine interface mm/ uses; host tests supply
 * their own version.
 */
#ifndef LABYRINTH_ASM_IRQFLAGS_H
#define LABYRINTH_ASM_IRQFLAGS_H

#include <types.h>

#define X86_EFLAGS_IF	0x200

static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	__asm__ volatile("pushf; pop %0" : "=rm"(flags) : : "memory");
	return flags;
}

static inline void arch_local_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void arch_local_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		arch_local_irq_enable();
}

#define local_irq_save(flags)	((flags) = arch_local_irq_save())
#define local_irq_restore(flags) arch_local_irq_restore(flags)
#define local_irq_disable()	arch_local_irq_disable()
#define local_irq_enable()	arch_local_irq_enable()

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
