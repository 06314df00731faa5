/*
 * sched.c - the scheduler: nothing to schedule yet (one context, kmain).
 */
#include <kernel/sched.h>
#include <kernel/thread.h>

void sched_tick(void)
{
}

void sched_irq_exit(void)
{
}

bool thread_stack_bounds(unsigned long addr __unused,
			 unsigned long *lo __unused, unsigned long *hi __unused)
{
	return false;
}

const char *stack_guard_owner(unsigned long addr __unused,
			      char *buf __unused, size_t size __unused)
{
	return NULL;
}
