/*
 * asm/trace_clock.h (host tests) - the trace's clock, a plain counter.
 *
 * Each read moves it on by one and returns the new value, so the time
 * stamps of a host test are known in advance (a test may set the counter;
 * it starts above 0, which the trace reads as "no start time").
 */
#ifndef LABYRINTH_HOST_ASM_TRACE_CLOCK_H
#define LABYRINTH_HOST_ASM_TRACE_CLOCK_H

#include <types.h>

extern u64 host_trace_clock;

static inline u64 trace_clock(void)
{
	return ++host_trace_clock;
}

#endif
