/*
 * panic.c - the last words of the kernel.
 *
 * They go out through console_emergency(): printk writes each line at
 * once, even if the code we interrupted was writing to the consoles and
 * will never run again.
 */
#include <asm/irqflags.h>
#include <kernel/arch.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <lib/format.h>

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	local_irq_disable();
	console_emergency();	/* write at once, even if we owned the consoles */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic: %s\n", msg);
	printk(KERN_EMERG "called from %pB\n", __builtin_return_address(0));
	dump_stack();
	printk(KERN_EMERG "System halted.\n");
	arch_halt();
}
