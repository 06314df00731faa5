/*
 * cmd_sched.c - the ps shell command: the kernel threads and their states.
 */
#include <kernel/shell.h>
#include <kernel/thread.h>

static int cmd_ps(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	thread_show_all(out);
	return 0;
}
SHELL_COMMAND(ps, "list kernel threads: state, what they wait on, ticks",
	      "ps", cmd_ps);
