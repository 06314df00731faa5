/*
 * mm/zone.h - zones, their buddy free lists, watermarks and room counters.
 *
 * ZONE_DMA spans frames below 16 MiB, ZONE_NORMAL the rest of the direct map.
 * A zone keeps its free memory as buddy blocks of 2^order frames, aligned to
 * their size, on one list per order; two free buddies (frame numbers that
 * differ only in bit `order`) are always merged.
 *
 * Watermarks (pages), min < low < high:
 *   GFP_KERNEL takes a zone block only if the zone keeps >= low free after;
 *   GFP_ATOMIC takes one if the zone keeps >= min free after, and otherwise
 *   enters the reserve room: the pages under min. high is where kswapd-like
 *   reclaim would stop; it is shown and checked, not used by a path yet.
 *
 * Locking: lock protects every field marked (L). It is taken with interrupts
 * ON; a caller that cannot wait uses spin_trylock() and collides. Fields
 * marked (I) are counters updated with interrupts off. Other fields are set
 * by mm_init() and read-only after.
 */
#ifndef LABYRINTH_MM_ZONE_H
#define LABYRINTH_MM_ZONE_H

#include <types.h>
#include <asm/spinlock.h>
#include <mm/gfp.h>	/* and mm/hot.h: struct room_stats */

enum zone_type { ZONE_DMA, ZONE_NORMAL, MAX_NR_ZONES };

#define DMA_LIMIT	(16UL << 20)		/* ZONE_DMA ends here */
#define DMA_END_PFN	(DMA_LIMIT >> PAGE_SHIFT)

enum wmark { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK, WMARK_NONE };

struct free_area {
	struct pfn_list free_list;	/* heads of free blocks of this order */
	unsigned long nr_free;		/* blocks on free_list */
};

struct zone {
	spinlock_t lock;
	const char *name;
	pfn_t start_pfn, end_pfn;	/* frames [start, end) it may hold */
	unsigned long present;		/* frames handed to it at boot */
	unsigned long wmark[NR_WMARK];
	unsigned long nr_free;		/* (L) free frames on free_area */
	unsigned long nr_poisoned;	/* (L) poisoned frames in free blocks */
	struct free_area free_area[NR_ORDERS];	/* (L) */
	struct room_stats room;		/* (L) the zone room, above watermark */
	struct room_stats reserve;	/* (L) the reserve room, under min */
};

extern struct zone zones[MAX_NR_ZONES];

static inline struct zone *pfn_zone(pfn_t pfn)
{
	return &zones[pfn >= DMA_END_PFN ? ZONE_NORMAL : ZONE_DMA];
}

static inline struct zone *page_zone(const struct page *page)
{
	return pfn_zone(page_to_pfn(page));
}

#endif
