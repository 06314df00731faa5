/*
 * hot.c - the hot room: a short per-CPU stack of free order-0 pages.
 *
 * It is the first room on the GFP_KERNEL and GFP_ATOMIC paths. It has no
 * lock: it is touched only with interrupts off on its own CPU, so a push or
 * a pop is a handful of instructions and an interrupt handler may use it
 * while the code it interrupted holds a zone lock.
 *
 * The stack is an array of page pointers with a count: a pop is a load and
 * a decrement, with no list links to fix. The room's struct and its fast
 * pop and push are in include/mm/hot.h, public so that alloc_pages() and
 * free_pages() can run them inline in their callers. A free keeps at most
 * high pages in it. When an interrupt-time free collides with a busy zone
 * lock, its frames are pushed anyway (force), so nothing is lost; if the
 * array is full they go on the spill list, a pfn-linked list with no limit.
 *
 * Invariants: every page in pages[0..count) and on spill has PG_hot (and
 * maybe PG_poisoned) and nothing else, and order 0; nr_spill is the length
 * of spill. Its pages are not in any zone's nr_free, so the watermarks do
 * not see them.
 */
#include "internal.h"

struct hot_room hot_rooms[NR_CPUS];

void hot_room_init(unsigned int high)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct hot_room *hot = &hot_rooms[cpu];

		hot->count = 0;
		hot->high = MIN(high, HOT_MAX);
		pfn_list_init(&hot->spill);
		hot->nr_spill = 0;
		hot->stats = (struct room_stats){ 0 };
	}
}

/* Interrupts are off. Pop the top page (spilled pages last), or NULL. */
static struct page *__hot_pop(struct hot_room *hot)
{
	struct page *page;

	if (hot->count) {
		page = hot->pages[--hot->count];
	} else {
		page = pfn_list_pop(&hot->spill);
		if (!page)
			return NULL;
		hot->nr_spill--;
	}
	page->flags &= (u16)~PG_hot;
	return page;
}

/*
 * Pop a page from this CPU's hot room, or NULL, poisoned pages included
 * (the caller checks them). Any context. This is the hot step of a path;
 * the common case never gets here (hot_room_alloc(), mm/hot.h).
 */
struct page *hot_room_take(void)
{
	struct hot_room *hot = &hot_rooms[smp_processor_id()];
	struct page *page;
	unsigned long flags;

	local_irq_save(flags);
	page = __hot_pop(hot);
	if (page)
		hot->stats.served++;
	else
		hot->stats.misses++;
	local_irq_restore(flags);
	return page;
}

/*
 * Push a free order-0 page if the room is below its high mark, or always if
 * force. Its flags become PG_hot (PG_poisoned kept) and its order 0; if it
 * is not taken (false) it is left alone.
 */
bool hot_room_put(struct page *page, bool force)
{
	struct hot_room *hot = &hot_rooms[smp_processor_id()];
	unsigned long flags;
	bool taken = true;

	local_irq_save(flags);
	if (hot->count >= hot->high && !force) {
		taken = false;
	} else {
		page->flags = (u16)((page->flags & PG_poisoned) | PG_hot);
		page->order = 0;
		if (hot->count < HOT_MAX) {
			hot->pages[hot->count++] = page;
		} else {
			pfn_list_add(&hot->spill, page);
			hot->nr_spill++;
		}
	}
	local_irq_restore(flags);
	return taken;
}

/*
 * Give every hot page back to its zone. Process context: it waits on the
 * zone locks.
 */
void mm_drain_hot(void)
{
	struct hot_room *hot = &hot_rooms[smp_processor_id()];
	struct page *page;
	unsigned long flags;

	for (;;) {
		local_irq_save(flags);
		page = __hot_pop(hot);
		local_irq_restore(flags);
		if (!page)
			break;
		zone_room_put(page, 0, false);
	}
}
