/*
 * asm/trace_clock.h (host tests) - the trace's clock, a plain counter.
 *
 * Each read returns the counter and moves it on by host_trace_clock_step
 * (1 unless a test sets it; 0 stops time), so the time stamps of a host
 * test are known in advance and every read is seen as one tick.
 */
#ifndef LABYRINTH_HOST_ASM_TRACE_CLOCK_H
#define LABYRINTH_HOST_ASM_TRACE_CLOCK_H

#include <types.h>

extern u64 host_trace_clock;
extern u64 host_trace_clock_step;

static inline u64 trace_clock(void)
{
	u64 now = host_trace_clock;

	host_trace_clock += host_trace_clock_step;
	return now;
}

#endif
