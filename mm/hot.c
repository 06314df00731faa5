/*
 * hot.c - the hot room: a short per-CPU stack of free order-0 pages.
 *
 * It is the first room on the GFP_KERNEL and GFP_ATOMIC paths. It has no
 * lock: it is touched only with interrupts off on its own CPU, so a push or
 * a pop is a handful of instructions and an interrupt handler may use it
 * while the code it interrupted holds a zone lock.
 *
 * Invariants: every page on the list has PG_hot (and maybe PG_poisoned) and
 * nothing else; count is the length of the list. A free keeps at most high
 * pages here, except when an interrupt-time free collides with a busy zone
 * lock: the page is pushed anyway, so nothing is lost. Its pages are not in
 * any zone's nr_free, so the watermarks do not see them.
 */
#include "internal.h"

struct hot_room hot_rooms[NR_CPUS];

void hot_room_init(unsigned int high)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		pfn_list_init(&hot_rooms[cpu].list);
		hot_rooms[cpu].count = 0;
		hot_rooms[cpu].high = high;
		hot_rooms[cpu].stats = (struct room_stats){ 0 };
	}
}

/* Interrupts are off. Pop the top page, or NULL. */
static struct page *__hot_pop(struct hot_room *hot)
{
	struct page *page = pfn_list_pop(&hot->list);

	if (page) {
		hot->count--;
		page->flags &= (u16)~PG_hot;
	}
	return page;
}

/* Pop a page from this CPU's hot room, or NULL. Any context. */
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
 * force. Its flags become PG_hot (PG_poisoned kept); if it is not taken
 * (false) they are left alone.
 */
bool hot_room_put(struct page *page, bool force)
{
	struct hot_room *hot = &hot_rooms[smp_processor_id()];
	unsigned long flags;
	bool taken = false;

	local_irq_save(flags);
	if (hot->count < hot->high || force) {
		page->flags = (u16)((page->flags & PG_poisoned) | PG_hot);
		pfn_list_add(&hot->list, page);
		hot->count++;
		taken = true;
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
