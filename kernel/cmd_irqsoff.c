/*
 * cmd_irqsoff.c - the irqsoff shell command: the longest sections with
 * interrupts off since the last look (kernel/irqsoff.c), then a reset.
 * "irqsoff on" and "irqsoff off" start and stop the tracer.
 */
#include <kernel/irqsoff.h>
#include <kernel/shell.h>
#include <lib/string.h>

static int cmd_irqsoff(struct seq *out, int argc, char **argv)
{
	if (argc > 2)
		return -EINVAL;
	if (argc == 2) {
		if (strcmp(argv[1], "on") && strcmp(argv[1], "off"))
			return -EINVAL;
		irqsoff_set_enabled(!strcmp(argv[1], "on"));
	}
	irqsoff_show(out);
	return 0;
}
SHELL_COMMAND(irqsoff, "longest sections with interrupts off; then reset",
	      "irqsoff [on|off]", cmd_irqsoff);
