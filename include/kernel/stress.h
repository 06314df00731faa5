/*
 * stress.h - the memory hog behind the stress command (kernel/stress.c).
 *
 * A hog thread takes free pages with GFP_ATOMIC until only the reserve is
 * left (the pages under the zones' min watermarks), holds memory there for
 * a while, taking back whatever others free, then gives everything back and
 * prints a summary. Meanwhile the interrupt handlers must live on their
 * exclusive rooms and the reserve, and the refill thread (GFP_KERNEL) waits.
 */
#ifndef LABYRINTH_KERNEL_STRESS_H
#define LABYRINTH_KERNEL_STRESS_H

#include <lib/seq.h>
#include <types.h>

#define STRESS_MAX_SECONDS	600

/*
 * Start a run of `seconds` in the background and return at once; the
 * summary is printed when it ends. -EBUSY if a run is going on, -ENOMEM if
 * the hog thread cannot be created. Process context.
 */
int stress_start(unsigned int seconds, struct seq *out);
/* True while a run is going on. */
bool stress_running(void);
/*
 * Pages in the blocks the shell's alloc command holds (kernel/cmd_alloc.c):
 * a run counts them as accounted for, so an alloc or free typed during a
 * run does not look like a lost page. Read it with interrupts off.
 */
unsigned long shell_pages_held(void);

#endif
