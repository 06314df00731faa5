/*
 * mm/view.h - text views of the allocator (shell commands, gdb, tests).
 *
 * Each view prints a consistent picture: it reads each zone under its lock
 * and the hot and exclusive rooms with interrupts off. Process context only.
 */
#ifndef LABYRINTH_MM_VIEW_H
#define LABYRINTH_MM_VIEW_H

#include <lib/seq.h>
#include <types.h>

void mm_show_meminfo(struct seq *s);	/* /proc/meminfo style, in kB */
void mm_show_buddyinfo(struct seq *s);	/* free blocks per zone and order */
void mm_show_zoneinfo(struct seq *s);	/* watermarks, sizes, counters */
void mm_show_labyrinth(struct seq *s);	/* rooms, paths, collisions */

/*
 * The name the labyrinth view gives exclusive room id ("exclusive
 * keyboard") in buf, for other views that list rooms; "exclusive room N
 * (none)" for an id with no room. Any context.
 */
const char *mm_excl_room_name(int id, char *buf, size_t size);

/* Frames handed to the allocator at boot (not reserved). */
unsigned long mm_total_pages(void);
/* Free frames anyone may get: the zones' free lists plus the hot room. */
unsigned long mm_free_pages(void);

#endif
