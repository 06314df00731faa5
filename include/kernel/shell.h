/*
 * shell.h - the interactive shell and how commands plug into it.
 *
 * A command is one table entry: put
 *
 *	SHELL_COMMAND(meminfo, "show memory usage, like /proc/meminfo",
 *		      "meminfo", cmd_meminfo);
 *
 * in any kernel file and the shell finds it (the linker gathers the entries
 * into the .shell_commands section). The handler gets argc/argv like main()
 * and prints through the struct seq it is given; it returns 0, or a
 * negative errno after printing what went wrong. -EINVAL also prints the
 * usage line.
 *
 * A command that only shows a view and takes no arguments needs no handler:
 *
 *	SHELL_VIEW(buddyinfo, "free blocks per zone and order",
 *		   mm_show_buddyinfo);
 */
#ifndef LABYRINTH_KERNEL_SHELL_H
#define LABYRINTH_KERNEL_SHELL_H

#include <lib/seq.h>
#include <types.h>

#define SHELL_MAX_ARGS	8
#define SHELL_PROMPT	"labyrinth> "

struct shell_command {
	const char *name;
	const char *help;	/* one line for `help` */
	const char *usage;	/* "alloc ORDER [FLAGS]" */
	int (*run)(struct seq *out, int argc, char **argv);
	void (*show)(struct seq *out);	/* SHELL_VIEW: run is NULL */
};

#define SHELL_COMMAND(id, help_, usage_, fn) \
	static const struct shell_command shell_cmd_##id \
	__attribute__((used, section(".shell_commands"), aligned(4))) = \
	{ #id, help_, usage_, fn, NULL }

#define SHELL_VIEW(id, help_, show_) \
	static const struct shell_command shell_cmd_##id \
	__attribute__((used, section(".shell_commands"), aligned(4))) = \
	{ #id, help_, #id, NULL, show_ }

/* Read lines from the console and run them, forever. */
void shell_run(void) __noreturn;
/* Run one command line (also used by tests); returns the command's result. */
int shell_execute(struct seq *out, char *line);

#endif
