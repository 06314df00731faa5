/*
 * asm/tsc.h - the time stamp counter: cycles since reset (rdtsc).
 *
 * The TSC counts at a rate the kernel does not know in advance; whoever
 * needs seconds calibrates it against the PIT (drivers/sampler.c does, from
 * the ticks it samples). Under QEMU's TCG it follows the host clock; with
 * -icount it counts guest instructions exactly.
 */
#ifndef LABYRINTH_ASM_TSC_H
#define LABYRINTH_ASM_TSC_H

#include <types.h>

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

#endif
