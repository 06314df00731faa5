/*
 * thread.h - kernel threads (kernel/thread.c).
 */
#ifndef LABYRINTH_KERNEL_THREAD_H
#define LABYRINTH_KERNEL_THREAD_H

#include <types.h>

/*
 * If addr lies on a thread's stack, set [*lo, *hi) to that stack and
 * return true. Any context, oops included.
 */
bool thread_stack_bounds(unsigned long addr, unsigned long *lo,
			 unsigned long *hi);
/*
 * If addr lies in the unmapped guard page(s) below a thread's stack, write
 * "thread 3 (worker)" into buf and return it; else return NULL.
 */
const char *stack_guard_owner(unsigned long addr, char *buf, size_t size);

#endif
