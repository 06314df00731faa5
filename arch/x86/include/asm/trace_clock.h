/*
 * asm/trace_clock.h - the event trace's time stamp (include/trace/trace.h).
 *
 * The TSC: cycles since reset, at a rate the kernel learns by calibrating
 * it against the PIT (drivers/sampler.c). Under QEMU's -icount shift=0 it
 * counts guest instructions, one nanosecond each. Part of the small
 * machine interface mm/ uses; the host tests supply their own version.
 */
#ifndef LABYRINTH_ASM_TRACE_CLOCK_H
#define LABYRINTH_ASM_TRACE_CLOCK_H

#include <asm/tsc.h>

static inline u64 trace_clock(void)
{
	return rdtsc();
}

#endif
