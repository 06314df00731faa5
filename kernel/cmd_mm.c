/*
 * cmd_mm.c - shell commands that show the page allocator.
 *
 * The views themselves live in mm/view.c and print through a struct seq,
 * so the same text reaches the shell, the host tests and gdb.
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

static int cmd_buddyinfo(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	mm_show_buddyinfo(out);
	return 0;
}
SHELL_COMMAND(buddyinfo, "free blocks per zone and order, like "
	      "/proc/buddyinfo", "buddyinfo", cmd_buddyinfo);

static int cmd_zoneinfo(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	mm_show_zoneinfo(out);
	return 0;
}
SHELL_COMMAND(zoneinfo, "each zone's size, watermarks and counters",
	      "zoneinfo", cmd_zoneinfo);

static int cmd_labyrinth(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	mm_show_labyrinth(out);
	return 0;
}
SHELL_COMMAND(labyrinth, "the map: rooms, free pages, paths, collisions",
	      "labyrinth", cmd_labyrinth);
