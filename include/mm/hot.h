/*
 * mm/hot.h - the hot room, exposed for the inline alloc_page()/free_page().
 *
 * THIS IS THE ALLOCATOR'S INSIDE, MADE PUBLIC FOR SPEED ONLY. The common
 * allocation and free (an order-0 page, a plain GFP_ATOMIC or GFP_KERNEL
 * request) are served from the hot room inline in the caller, with no call
 * at all (include/mm/gfp.h). For that, the code compiled into every caller
 * must see the room: the per-CPU stack, its count and high mark, its served
 * counter, and mm_sleepers, the count of allocations waiting for a free.
 * Linux does the same with its per-CPU page lists in a few fast paths.
 *
 * Who may touch it: the inline functions of this file and of mm/gfp.h, and
 * the files of mm/. Nothing else reads or writes these fields: a driver or
 * a shell command uses alloc_pages()/free_pages() and the views (meminfo,
 * labyrinth). The rest of the hot room (the slow step of a path, the spill
 * list, draining) is in mm/hot.c.
 *
 * Rule: the room is touched only with interrupts off on its own CPU, for a
 * handful of instructions; it has no lock. Every page in pages[0..count)
 * and on spill has flags PG_hot (maybe with PG_poisoned) and order 0.
 *
 * A free keeps at most high pages here; a free that collides on a busy zone
 * lock pushes its frames anyway (count up to HOT_MAX, the rest on spill),
 * so the room can hold more. Process context gives the excess back to the
 * zones (mm/hot.c): a GFP_KERNEL allocation drains the room before it
 * sleeps, and a failed allocation that may wait trims it to high.
 */
#ifndef LABYRINTH_MM_HOT_H
#define LABYRINTH_MM_HOT_H

#include <types.h>
#include <asm/irqflags.h>
#include <asm/context.h>
#include <mm/page.h>

/* What happened in a room; shown by the labyrinth view. */
struct room_stats {
	unsigned long served;	 /* allocations it served */
	unsigned long misses;	 /* times it could not serve (I) */
	unsigned long collisions; /* times its lock was busy (I) */
};

#define HOT_MAX		1024	/* size of pages[]; mm_hot_high at most */

struct hot_room {
	unsigned int count;	/* pages in pages[]; top: pages[count - 1] */
	unsigned int high;	/* a plain free keeps at most this many here */
	struct page *pages[HOT_MAX];	/* order-0 pages, used as a stack */
	struct pfn_list spill;	/* forced pushes that found pages[] full */
	unsigned int nr_spill;	/* pages on spill */
	struct room_stats stats;	/* all fields with interrupts off */
};

extern struct hot_room hot_rooms[NR_CPUS];

/* Allocations asleep until pages are freed (mm/sleep.c); a free wakes them. */
extern unsigned int mm_sleepers;
void mm_wake_waiters(void);

/*
 * Is page a pointer to an entry of mem_map? Its byte offset must be a
 * multiple of 16 below max_pfn * 16: rotating the offset right by 4 bits
 * moves any misaligned low bits to the top, so one compare tests both.
 */
static inline bool page_valid(const struct page *page)
{
	uintptr_t off = (uintptr_t)page - (uintptr_t)mem_map;
	uintptr_t idx = off >> 4 | off << (sizeof(off) * 8 - 4);

	_Static_assert(sizeof(struct page) == 1 << 4, "page_valid() shift");
	return idx < max_pfn;
}

/*
 * The common allocation: pop the top page if it is plainly PG_hot (not
 * poisoned) and make it an allocated order-0 block, else NULL. An empty
 * stack (and its miss counter) and a poisoned page are left to the hot
 * step of the path, hot_room_take() in mm/hot.c. Any context.
 */
static inline __attribute__((always_inline))
struct page *hot_room_alloc(void)
{
	struct hot_room *hot = &hot_rooms[smp_processor_id()];
	struct page *page = NULL;
	unsigned long flags;

	local_irq_save(flags);
	if (likely(hot->count) && hot->pages[hot->count - 1]->flags == PG_hot) {
		page = hot->pages[--hot->count];
		page->flags = PG_head;	/* order is 0 in the hot room */
		hot->stats.served++;
	}
	local_irq_restore(flags);
	return page;
}

/*
 * The common free: push a checked order-0 page (flags exactly PG_head)
 * while the room is below its high mark. The caller tested the flags with
 * interrupts on; an interrupt may have freed the same page since, so they
 * are tested again here, with interrupts off, where the push claims the
 * page. (An interrupt that freed it and allocated it again leaves it
 * PG_head: that is not seen, see page_claim() in mm/internal.h.) False:
 * the room is full or the page is no longer PG_head, and the page is left
 * as it was. Any context.
 */
static inline __attribute__((always_inline))
bool hot_room_free(struct page *page)
{
	struct hot_room *hot = &hot_rooms[smp_processor_id()];
	unsigned long flags;
	bool taken = false;

	local_irq_save(flags);
	if (likely(hot->count < hot->high) && likely(page->flags == PG_head)) {
		page->flags = PG_hot;
		hot->pages[hot->count++] = page;
		taken = true;
	}
	local_irq_restore(flags);
	return taken;
}

#endif
