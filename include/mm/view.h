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
#include <mm/gfp.h>	/* NR_ORDERS */

void mm_show_meminfo(struct seq *s);	/* /proc/meminfo style, in kB */
/* Free blocks per zone and order, and the fragmentation indexes below. */
void mm_show_buddyinfo(struct seq *s);
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

/*
 * Fragmentation indexes (lab 6; docs/labs/lab6-measurement.md defines
 * them): how much of a zone's free memory a request of 2^order frames
 * could use, from the counts of its free lists alone. Linux computes the
 * same for /sys/kernel/debug/extfrag/ (mm/vmstat.c), under the same names.
 * Both are in thousandths, printed as 0.xxx; pure functions of their
 * arguments (any context, no locks), so host tests feed them made-up
 * lists. order is at most MAX_ORDER.
 */
struct contig_page_info {
	unsigned long free_pages;		/* free frames, every order */
	unsigned long free_blocks_total;	/* free blocks, every order */
	unsigned long free_blocks_suitable;	/* blocks of 2^order frames
						 * the free blocks could be
						 * split into */
};

/* What the lab 6 starters return: not a value either index can take. */
#define FRAG_NOT_COMPUTED	(-1)

/* The three counts, from nr_free[k]: the free blocks of order k. */
void fill_contig_page_info(const unsigned long nr_free[NR_ORDERS],
			   unsigned int order, struct contig_page_info *info);
/* 0 (every free frame usable) to 1000 (none): Linux's unusable_index. */
int unusable_free_index(unsigned int order,
			const struct contig_page_info *info);
/*
 * -1000 if a block of the order is free; else 0 (the request fails for
 * lack of memory) to 1000 (it fails because free memory is fragmented):
 * Linux's extfrag_index.
 */
int fragmentation_index(unsigned int order,
			const struct contig_page_info *info);

/*
 * Try the three functions above on a known list once, at boot (mm_init()),
 * and note which of them a lab 6 handout has not written yet: buddyinfo
 * says so, and gdb's buddyinfo (which computes the indexes itself) shows
 * "-" where the kernel's does.
 */
void frag_index_probe(void);
extern bool frag_fill_missing, frag_unusable_missing, frag_extfrag_missing;

#endif
