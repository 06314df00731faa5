/*
 * cmd_irq.c - the irqstat shell command: interrupts per line since boot.
 */
#include <kernel/irq.h>
#include <kernel/shell.h>

static int cmd_irqstat(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	irq_show_stats(out);
	return 0;
}
SHELL_COMMAND(irqstat, "interrupts per IRQ line: count, spurious, unhandled",
	      "irqstat", cmd_irqstat);
