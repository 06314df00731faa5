/*
 * cmd_sched.c - the ps shell command: the kernel threads and their states.
 */
#include <kernel/shell.h>
#include <kernel/thread.h>

SHELL_VIEW(ps, "list kernel threads: state, what they wait on, ticks",
	   thread_show_all);
