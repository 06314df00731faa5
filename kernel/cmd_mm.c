/*
 * cmd_mm.c - shell commands that show the page allocator.
 *
 * The views themselves live in mm/view.c and print through a struct seq,
 * so the same text reaches the shell, the host tests and gdb.
 */
#include <kernel/shell.h>
#include <mm/view.h>

SHELL_VIEW(meminfo, "memory usage, like /proc/meminfo", mm_show_meminfo);
SHELL_VIEW(buddyinfo, "free blocks per zone and order, like /proc/buddyinfo",
	   mm_show_buddyinfo);
SHELL_VIEW(zoneinfo, "each zone's size, watermarks and counters",
	   mm_show_zoneinfo);
SHELL_VIEW(labyrinth, "the map: rooms, free pages, paths, collisions",
	   mm_show_labyrinth);
