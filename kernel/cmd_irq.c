/*
 * cmd_irq.c - the irqstat shell command: interrupts per line since boot.
 */
#include <kernel/irq.h>
#include <kernel/shell.h>

SHELL_VIEW(irqstat, "interrupts per IRQ line: count, spurious, unhandled",
	   irq_show_stats);
