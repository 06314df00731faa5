/*
 * cmd_mm.c - shell commands that show the page allocator (views in mm/).
 */
#include <kernel/shell.h>
#include <mm/view.h>

static int cmd_meminfo(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	mm_show_meminfo(out);
	return 0;
}
SHELL_COMMAND(meminfo, "memory usage, like /proc/meminfo", "meminfo",
	      cmd_meminfo);
