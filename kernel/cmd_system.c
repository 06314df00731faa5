/*
 * cmd_system.c - shell commands about the machine: time, command line,
 * version, halt.
 */
#include <kernel/arch.h>
#include <kernel/cmdline.h>
#include <kernel/shell.h>
#include <kernel/version.h>

static void show_uptime(struct seq *out)
{
	unsigned long t = jiffies;
	unsigned long secs = t / timer_hz;
	unsigned long ms = (t % timer_hz) * 1000 / timer_hz;

	seq_printf(out, "up %lu.%03lu s (%lu ticks at %u Hz)\n", secs, ms, t,
		   timer_hz);
}
SHELL_VIEW(uptime, "time since boot", show_uptime);

static void show_ticks(struct seq *out)
{
	seq_printf(out, "%lu\n", jiffies);
}
SHELL_VIEW(ticks, "timer ticks since boot", show_ticks);

static void show_cmdline(struct seq *out)
{
	seq_printf(out, "%s\n", boot_cmdline);
}
SHELL_VIEW(cmdline, "the kernel command line", show_cmdline);

static void show_version(struct seq *out)
{
	seq_printf(out, "Labyrinth %s (i686)\n", LABYRINTH_VERSION);
}
SHELL_VIEW(version, "the kernel version", show_version);

static int cmd_halt(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	seq_puts(out, "System halted.\n");
	/*
	 * Power off, not isa-debug-exit: its exit status is never 0, and
	 * `make run` should end as QEMU does when you close it.
	 */
	arch_power_off();
}
SHELL_COMMAND(halt, "power off (QEMU exits)", "halt", cmd_halt);
