/*
 * cmd_system.c - shell commands about the machine: time, command line, halt.
 */
#include <asm/irqflags.h>
#include <kernel/arch.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/version.h>

static int cmd_uptime(struct seq *out, int argc, char **argv __unused)
{
	unsigned long t = jiffies;
	unsigned long secs = t / timer_hz;
	unsigned long ms = (t % timer_hz) * 1000 / timer_hz;

	if (argc != 1)
		return -EINVAL;
	seq_printf(out, "up %lu.%03lu s (%lu ticks at %u Hz)\n", secs, ms, t,
		   timer_hz);
	return 0;
}
SHELL_COMMAND(uptime, "time since boot", "uptime", cmd_uptime);

static int cmd_ticks(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	seq_printf(out, "%lu\n", jiffies);
	return 0;
}
SHELL_COMMAND(ticks, "timer ticks since boot", "ticks", cmd_ticks);

static int cmd_cmdline(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	seq_printf(out, "%s\n", boot_cmdline);
	return 0;
}
SHELL_COMMAND(cmdline, "the kernel command line", "cmdline", cmd_cmdline);

static int cmd_version(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	seq_printf(out, "Labyrinth %s (i686)\n", LABYRINTH_VERSION);
	return 0;
}
SHELL_COMMAND(version, "the kernel version", "version", cmd_version);

static int cmd_halt(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	seq_puts(out, "System halted.\n");
	qemu_exit(0);		/* under QEMU with isa-debug-exit: leave */
	arch_halt();
}
SHELL_COMMAND(halt, "stop the machine", "halt", cmd_halt);
