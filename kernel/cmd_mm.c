/*
 * cmd_mm.c - shell commands that show and check the page allocator.
 *
 * The views themselves live in mm/view.c and print through a struct seq,
 * so the same text reaches the shell, the host tests and gdb.
 */
#include <kernel/shell.h>
#include <mm/debug.h>
#include <mm/view.h>

SHELL_VIEW(meminfo, "memory usage, like /proc/meminfo", mm_show_meminfo);
SHELL_VIEW(buddyinfo, "free blocks per zone and order, like /proc/buddyinfo",
	   mm_show_buddyinfo);
SHELL_VIEW(zoneinfo, "each zone's size, watermarks and counters",
	   mm_show_zoneinfo);
SHELL_VIEW(labyrinth, "the map: rooms, free pages, paths, collisions",
	   mm_show_labyrinth);

/*
 * mm_check() prints each mismatch itself ("mm_check: ..." in the log);
 * this adds the verdict. gdb's lab-check applies the same rules from
 * outside, in the same words.
 */
static int cmd_check(struct seq *out, int argc, char **argv __unused)
{
	int bad;

	if (argc != 1)
		return -EINVAL;
	bad = mm_check();	/* after mm_init(): mem_map is set */
	if (bad == 0)
		seq_puts(out, "mm_check: ok\n");
	else
		seq_printf(out, "mm_check: %d mismatch%s (above)\n", -bad,
			   bad == -1 ? "" : "es");
	return 0;
}
SHELL_COMMAND(check, "recount every room with mm_check(); print mismatches",
	      "check", cmd_check);
