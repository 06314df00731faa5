/*
 * setup.c - bringing up the x86 machine layer (placeholder until the
 * descriptor tables and interrupt controller land).
 */
#include <asm/io.h>
#include <asm/irqflags.h>
#include <kernel/arch.h>
#include <kernel/printk.h>

volatile unsigned long jiffies;

void arch_init(void)
{
}

void arch_halt(void)
{
	for (;;) {
		local_irq_disable();
		cpu_halt();
	}
}

void qemu_exit(u8 code)
{
	outb(0xf4, code);
}

void dump_stack(void)
{
}
