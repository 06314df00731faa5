/*
 * view.c - the text views: meminfo, buddyinfo, zoneinfo, labyrinth; and the
 * fragmentation indexes buddyinfo shows (lab 6).
 *
 * Each zone is read under its lock and the hot and exclusive rooms with
 * interrupts off, one at a time, so each line is consistent (the whole
 * picture may move between lines). Process context. The index functions
 * are pure: they read only their arguments, so host tests call them on
 * made-up free lists.
 */
#include "internal.h"
#include <lib/string.h>
#include <lib/format.h>
#include <mm/view.h>
#include <mm/sleep.h>

#define KB(pages)	((pages) * (PAGE_SIZE / 1024))

unsigned long mm_total_pages(void)
{
	return zones[ZONE_DMA].present + zones[ZONE_NORMAL].present;
}

/* Free frames, read without locks (for messages). */
unsigned long mm_free_pages_quick(void)
{
	return zones[ZONE_DMA].nr_free + zones[ZONE_NORMAL].nr_free +
	       hot_room_pages(&hot_rooms[smp_processor_id()]);
}

/* The free and pooled counts at one moment. */
struct mm_counts {
	unsigned long free;	/* zones and hot room */
	unsigned long hot;	/* hot room */
	unsigned long pool;	/* exclusive rooms */
};

/*
 * Read every count at one moment: interrupts off (no handler allocates or
 * frees meanwhile) and both zone locks held. Process context.
 */
static void mm_counts_snapshot(struct mm_counts *c)
{
	unsigned long flags;
	unsigned int i;

	local_irq_save(flags);
	for (i = 0; i < MAX_NR_ZONES; i++)
		spin_lock(&zones[i].lock);
	c->hot = hot_room_pages(&hot_rooms[smp_processor_id()]);
	c->free = c->hot;
	for (i = 0; i < MAX_NR_ZONES; i++)
		c->free += zones[i].nr_free;
	c->pool = 0;
	for (i = 0; i < NR_EXCL_ROOMS; i++)
		c->pool += excl_rooms[i].name ? excl_rooms[i].count : 0;
	for (i = MAX_NR_ZONES; i-- > 0;)
		spin_unlock(&zones[i].lock);
	local_irq_restore(flags);
}

unsigned long mm_free_pages(void)
{
	struct mm_counts c;

	mm_counts_snapshot(&c);
	return c.free;
}

static void show_kb(struct seq *s, const char *name, unsigned long pages)
{
	char label[24];

	snprintf(label, sizeof(label), "%s:", name);
	seq_printf(s, "%-16s%8lu kB\n", label, KB(pages));
}

/*
 * The counts come from one snapshot, so MemUsed = MemTotal - MemFree -
 * ExclusiveRooms holds; it is clamped at 0 all the same, so that a count
 * gone wrong shows as 0, not as an unsigned wrap.
 */
void mm_show_meminfo(struct seq *s)
{
	unsigned long total = mm_total_pages();
	struct mm_counts c;

	mm_counts_snapshot(&c);
	show_kb(s, "MemTotal", total);
	show_kb(s, "MemFree", c.free);
	show_kb(s, "MemUsed", total > c.free + c.pool ?
		total - c.free - c.pool : 0);
	show_kb(s, "HotRoom", c.hot);
	show_kb(s, "ExclusiveRooms", c.pool);
	show_kb(s, "DmaTotal", zones[ZONE_DMA].present);
	show_kb(s, "DmaFree", zones[ZONE_DMA].nr_free);
	show_kb(s, "NormalTotal", zones[ZONE_NORMAL].present);
	show_kb(s, "NormalFree", zones[ZONE_NORMAL].nr_free);
	show_kb(s, "Reserved", mm_reserved_pages);
	show_kb(s, "MemMap", mm_map_pages);
}

/* One zone's free blocks per order, copied under its lock. */
static void zone_snapshot(struct zone *z, unsigned long *nr)
{
	unsigned int o;

	spin_lock(&z->lock);
	for (o = 0; o < NR_ORDERS; o++)
		nr[o] = z->free_area[o].nr_free;
	spin_unlock(&z->lock);
}

/* ---- the fragmentation indexes (lab 6) ---- */

/*
 * Count the free memory of one zone as a request of 2^order frames sees
 * it, from nr_free[k], the number of free blocks of order k (k = 0 to
 * MAX_ORDER): every free frame, every free block, and the blocks of
 * exactly 2^order frames that the free blocks of order >= order could be
 * split into (the only ones such a request can use).
 */
void fill_contig_page_info(const unsigned long nr_free[NR_ORDERS],
			   unsigned int order, struct contig_page_info *info)
{
#ifndef LAB6_STARTER		/* lab 6 solution */
	unsigned int k;

	*info = (struct contig_page_info){ 0 };
	for (k = 0; k < NR_ORDERS; k++) {
		info->free_blocks_total += nr_free[k];
		info->free_pages += nr_free[k] << k;
		if (k >= order)
			info->free_blocks_suitable += nr_free[k] << (k - order);
	}
#else				/* lab 6 starter */
	/*
	 * LAB 6, exercise 1 (docs/labs/lab6-measurement.md, "Counting free
	 * memory"): fill in the three counts of info from nr_free[], as
	 * struct contig_page_info (include/mm/view.h) describes them.
	 * Until then every count stays 0, and buddyinfo says so.
	 */
	(void)nr_free;
	(void)order;
	*info = (struct contig_page_info){ 0 };
#endif				/* lab 6 */
}

/*
 * The share of free memory, in thousandths, that a request of 2^order
 * frames cannot use because it lies in blocks smaller than 2^order.
 */
int unusable_free_index(unsigned int order,
			const struct contig_page_info *info)
{
#ifndef LAB6_STARTER		/* lab 6 solution */
	u64 usable = (u64)info->free_blocks_suitable << order;

	if (!info->free_pages)
		return 1000;	/* nothing free: nothing usable either */
	return (int)((info->free_pages - usable) * 1000 / info->free_pages);
#else				/* lab 6 starter */
	/*
	 * LAB 6, exercise 2 (docs/labs/lab6-measurement.md, "The unusable
	 * free space index"): return the index in thousandths, 0 to 1000.
	 * Until then buddyinfo shows "-".
	 */
	(void)order;
	(void)info;
	return FRAG_NOT_COMPUTED;
#endif				/* lab 6 */
}

/*
 * Why a request of 2^order frames would fail: -1000 if it would not (a
 * block of that order or larger is free), else from 0 (too little free
 * memory) to 1000 (enough, but in blocks too small), in thousandths.
 */
int fragmentation_index(unsigned int order,
			const struct contig_page_info *info)
{
#ifndef LAB6_STARTER		/* lab 6 solution */
	u64 requests = (u64)info->free_pages * 1000 >> order;
	long index;

	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	index = 1000 - (long)((1000 + requests) / info->free_blocks_total);
	return index < 0 ? 0 : (int)index;
#else				/* lab 6 starter */
	/*
	 * LAB 6, exercise 3 (docs/labs/lab6-measurement.md, "The
	 * fragmentation index"): return -1000, or the index in thousandths,
	 * 0 to 1000. Until then buddyinfo shows "-".
	 */
	(void)order;
	(void)info;
	return FRAG_NOT_COMPUTED;
#endif				/* lab 6 */
}

bool frag_fill_missing, frag_unusable_missing, frag_extfrag_missing;

void frag_index_probe(void)
{
	/* 3 free frames: a block of order 0 and one of order 1. */
	static const unsigned long nr[NR_ORDERS] = { 1, 1 };
	struct contig_page_info info;

	fill_contig_page_info(nr, 0, &info);
	frag_fill_missing = !info.free_pages && !info.free_blocks_total &&
			    !info.free_blocks_suitable;
	frag_unusable_missing = unusable_free_index(0, &info) ==
				FRAG_NOT_COMPUTED;
	frag_extfrag_missing = fragmentation_index(0, &info) ==
			       FRAG_NOT_COMPUTED;
}

/* An index as Linux prints it (0.250, -1.000), or "-" if not computed. */
static void show_index(struct seq *s, int index)
{
	unsigned int v = index < 0 ? (unsigned int)-index : (unsigned int)index;

	if (index == FRAG_NOT_COMPUTED)
		seq_printf(s, " %6s", "-");
	else
		seq_printf(s, " %s%u.%03u", index < 0 ? "-" : " ", v / 1000,
			   v % 1000);
}

/* One row of an index, for a zone whose free-list counts are nr. */
static void show_index_row(struct seq *s, const char *name,
			   const unsigned long *nr,
			   int (*index)(unsigned int,
					const struct contig_page_info *))
{
	struct contig_page_info info;
	unsigned int o;

	seq_printf(s, "  %-12s", name);
	for (o = 0; o < NR_ORDERS; o++) {
		fill_contig_page_info(nr, o, &info);
		show_index(s, index(o, &info));
	}
	seq_puts(s, "\n");
}

/* What the boot probe found missing, on one line; nothing if nothing. */
static void show_frag_missing(struct seq *s)
{
	if (!frag_fill_missing && !frag_unusable_missing &&
	    !frag_extfrag_missing)
		return;
	seq_printf(s, "lab 6: not written yet in mm/view.c:%s%s%s (see "
		   "docs/labs/lab6-measurement.md)\n",
		   frag_fill_missing ? " fill_contig_page_info()" : "",
		   frag_unusable_missing ? " unusable_free_index()" : "",
		   frag_extfrag_missing ? " fragmentation_index()" : "");
}

/*
 * Each zone's free blocks per order, as /proc/buddyinfo, and under them
 * the zone's two indexes per order, computed from the same counts.
 */
void mm_show_buddyinfo(struct seq *s)
{
	unsigned long nr[NR_ORDERS];
	unsigned int i, o;

	seq_printf(s, "%-14s", "order:");
	for (o = 0; o < NR_ORDERS; o++)
		seq_printf(s, " %6u", o);
	seq_puts(s, "\n");
	for (i = 0; i < MAX_NR_ZONES; i++) {
		if (!zones[i].present)
			continue;
		zone_snapshot(&zones[i], nr);
		seq_printf(s, "zone %8s:", zones[i].name);
		for (o = 0; o < NR_ORDERS; o++)
			seq_printf(s, " %6lu", nr[o]);
		seq_puts(s, "\n");
		show_index_row(s, "unusable:", nr, unusable_free_index);
		show_index_row(s, "extfrag:", nr, fragmentation_index);
	}
	show_frag_missing(s);
}

static void show_zone(struct seq *s, struct zone *z)
{
	unsigned long nr[NR_ORDERS];
	unsigned int o;

	zone_snapshot(z, nr);
	seq_printf(s, "zone %s\n", z->name);
	seq_printf(s, "  pages free     %lu\n", z->nr_free);
	seq_printf(s, "        min      %lu\n", z->wmark[WMARK_MIN]);
	seq_printf(s, "        low      %lu\n", z->wmark[WMARK_LOW]);
	seq_printf(s, "        high     %lu\n", z->wmark[WMARK_HIGH]);
	seq_printf(s, "        spanned  %lu\n", z->end_pfn - z->start_pfn);
	seq_printf(s, "        present  %lu\n", z->present);
	seq_printf(s, "        poisoned %lu\n", z->nr_poisoned);
	seq_printf(s, "  pfns           %#lx-%#lx\n", z->start_pfn, z->end_pfn);
	seq_puts(s, "  free blocks    ");
	for (o = 0; o < NR_ORDERS; o++)
		seq_printf(s, " %lu", nr[o]);
	seq_printf(s, "\n  zone room      served %lu misses %lu "
		   "collisions %lu\n", z->room.served, z->room.misses,
		   z->room.collisions);
	seq_printf(s, "  reserve room   served %lu misses %lu collisions %lu\n",
		   z->reserve.served, z->reserve.misses, z->reserve.collisions);
}

void mm_show_zoneinfo(struct seq *s)
{
	unsigned int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		if (zones[i].present)
			show_zone(s, &zones[i]);
}

static void show_room(struct seq *s, const char *name, unsigned long pages,
		      const struct room_stats *rs)
{
	seq_printf(s, "  %-22s %8lu pages  served %lu  misses %lu  "
		   "collisions %lu\n", name, pages, rs->served, rs->misses,
		   rs->collisions);
}

const char *mm_excl_room_name(int id, char *buf, size_t size)
{
	const char *name = NULL;

	if (id >= 0 && id < NR_EXCL_ROOMS)
		name = excl_rooms[id].name;
	if (name)
		snprintf(buf, size, "exclusive %s", name);
	else
		snprintf(buf, size, "exclusive room %d (none)", id);
	return buf;
}

static void show_rooms(struct seq *s)
{
	const struct hot_room *hot = &hot_rooms[smp_processor_id()];
	char name[40], who[32];
	unsigned int i;

	seq_puts(s, "rooms:\n");
	show_room(s, "hot (cpu 0)", hot_room_pages(hot), &hot->stats);
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];
		unsigned long min = z->wmark[WMARK_MIN];
		unsigned long free = z->nr_free;

		if (!z->present)
			continue;
		snprintf(name, sizeof(name), "zone %s", z->name);
		show_room(s, name, free > min ? free - min : 0, &z->room);
		snprintf(name, sizeof(name), "reserve %s", z->name);
		show_room(s, name, MIN(free, min), &z->reserve);
	}
	for (i = 0; i < NR_EXCL_ROOMS; i++) {
		const struct excl_room *r = &excl_rooms[i];

		if (!r->name)
			continue;
		show_room(s, mm_excl_room_name((int)i, name, sizeof(name)),
			  r->count, &r->stats);
		seq_printf(s, "    owner %s, target %u, refilled %lu\n",
			   owner_name(r->owner, who, sizeof(who)), r->target,
			   r->refills);
	}
}

void mm_show_labyrinth(struct seq *s)
{
	unsigned int i;

	show_rooms(s);
	seq_puts(s, "paths (GFP_EXCLUSIVE: the owner's room first):\n");
	for (i = 0; i < NR_GFP_CLASSES; i++)
		path_show(s, &gfp_classes[i]);
	seq_printf(s, "sleeps %lu, would-sleep %lu, gave up %lu, interrupted "
		   "%lu (mm_wait_ms=%u)\n", mm_sleep_count(),
		   mm_would_sleep_count(), mm_wait_gave_up_count(),
		   mm_wait_interrupted_count(), mm_wait_ms());
	seq_puts(s, "reports:");
	for (i = 0; i < NR_MM_BUGS; i++)
		if (mm_report_count(i))
			seq_printf(s, " [%s: %lu]", mm_bug_name(i),
				   mm_report_count(i));
	seq_puts(s, "\n");
}
