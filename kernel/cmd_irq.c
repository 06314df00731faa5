/*
 * cmd_irq.c - the irqstat shell command: interrupts per line since boot,
 * and what each line's interrupts cost; "irqstat reset" starts the costs
 * afresh (the counts stay).
 */
#include <kernel/irq.h>
#include <kernel/shell.h>
#include <lib/string.h>

static int cmd_irqstat(struct seq *out, int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "reset")))
		return -EINVAL;
	if (argc == 2) {
		irq_reset_costs();
		seq_puts(out, "irqstat: costs start afresh\n");
		return 0;
	}
	irq_show_stats(out);
	return 0;
}
SHELL_COMMAND(irqstat, "interrupts per IRQ line, and their cost "
	      "(reset: the costs)", "irqstat [reset]", cmd_irqstat);
