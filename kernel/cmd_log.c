/*
 * cmd_log.c - the dmesg shell command: the kernel log ring, read back.
 *
 * The ring (kernel/printk.c) holds the last 16 KiB the consoles were
 * given: the kernel's messages and, since shell output takes the same
 * road, the shell's too. dmesg prints it oldest first; it writes straight
 * to the consoles, so its own output does not land in the ring.
 */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/shell.h>

static int cmd_dmesg(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	if (log_dump(console_write) == -EBUSY) {
		seq_puts(out, "dmesg: cannot wait for the consoles here\n");
		return -EBUSY;
	}
	return 0;
}
SHELL_COMMAND(dmesg, "the kernel log ring, oldest first (the last 16 KiB)",
	      "dmesg", cmd_dmesg);
