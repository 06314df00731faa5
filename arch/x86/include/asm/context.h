/*
 * asm/context.h - who is running now, as the allocator needs to know it.
 *
 * The owner encoding and the calls are in asm-generic/context.h, shared
 * with the host tests; this adds the kernel's in_atomic().
 * Implemented in kernel/context.c; host tests supply their own version.
 */
#ifndef LABYRINTH_ASM_CONTEXT_H
#define LABYRINTH_ASM_CONTEXT_H

#include <asm-generic/context.h>

/*
 * in_atomic() - true inside an interrupt handler or while a lock is held:
 * where sleeping is forbidden for a reason the kernel tracks in software.
 * It reads one word the kernel keeps up to date (the interrupt depth plus
 * the locks held), so the allocator's GFP_KERNEL check costs no call.
 * Interrupts turned off by hand are not in it: test irqs_disabled() too.
 */
extern unsigned int context_atomic_depth;

static inline bool in_atomic(void)
{
	return context_atomic_depth != 0;
}

#endif
