/*
 * panic.h - stopping the kernel when it cannot go on.
 *
 * panic() prints the message, the caller and a backtrace, then halts the
 * CPU with interrupts off (no reboot loop), so the screen and the serial
 * log keep the report and gdb can still attach and look.
 */
#ifndef LABYRINTH_KERNEL_PANIC_H
#define LABYRINTH_KERNEL_PANIC_H

#include <types.h>

void panic(const char *fmt, ...) __noreturn __printf(1, 2);

#define BUG_ON(cond) do { \
	if (unlikely(cond)) \
		panic("BUG at %s:%d in %s: %s", __FILE__, __LINE__, \
		      __func__, #cond); \
} while (0)

#endif
