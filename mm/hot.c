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
 * free_pages() can run them inline in their callers. A plain free keeps at
 * most high pages in it. When an interrupt-time free collides with a busy
 * zone lock, its frames are pushed anyway (force), so nothing is lost; if
 * the array is full they go on the spill list, a pfn-linked list with no
 * limit. Hot pages never merge, so process context gives that excess back
 * to the zones: a GFP_KERNEL allocation drains the whole room before it
 * sleeps, and a failed allocation that may wait trims it to high
 * (mm/alloc.c).
 *
 * Invariants: every page in pages[0..count) and on spill has PG_hot (and
 * maybe PG_poisoned) and nothing else, and order 0; nr_spill is the length
 * of spill. Its pages are not in any zone's nr_free, so the watermarks do
 * not see them. A page popped out of line (the slow pop, the give-back)
 * leaves in transit (PG_transit, with its mover), in the same section with
 * interrupts off, so mm_check() finds it while its mover is switched out.
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

/*
 * Interrupts are off. Pop the top page (spilled pages last), or NULL; it
 * leaves in transit, moved by mover.
 */
static struct page *__hot_pop(struct hot_room *hot, owner_t mover)
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
	transit_begin(page, 0, mover);
	return page;
}

/*
 * Pop a page from this CPU's hot room, or NULL, poisoned pages included
 * (the caller checks them). The page is in transit until alloc_prep()
 * hands it out. Any context. This is the hot step of a path; the common
 * case never gets here (hot_room_alloc(), mm/hot.h).
 */
struct page *hot_room_take(void)
{
	struct hot_room *hot = &hot_rooms[smp_processor_id()];
	struct page *page;
	unsigned long flags;
	owner_t mover;

	/*
	 * Plainly empty (read as a hint): a miss, without asking who moves
	 * the page. A page an interrupt frees just after is missed, as if
	 * it came a moment later.
	 */
	if (!hot_room_pages(hot)) {
		stat_inc(&hot->stats.misses);
		return NULL;
	}
	mover = current_owner();
	local_irq_save(flags);
	page = __hot_pop(hot, mover);
	if (page)
		hot->stats.served++;
	else
		hot->stats.misses++;
	local_irq_restore(flags);
	return page;
}

/*
 * Push a free order-0 page if the room is below its high mark, or always if
 * force. seen is the page's flags as the caller last saw them: they are
 * tested again here, with interrupts off, where the push claims the page.
 * Its flags become PG_hot (PG_poisoned kept), its order 0 and its owner
 * OWNER_NONE (the page may arrive in transit). Returns 0, or
 * -EBUSY (the room is full) or -EINVAL (the flags are no longer seen), the
 * page left alone.
 */
int hot_room_put(struct page *page, bool force, u16 seen)
{
	struct hot_room *hot = &hot_rooms[smp_processor_id()];
	unsigned long flags;
	int ret = 0;

	local_irq_save(flags);
	if (unlikely(page->flags != seen)) {
		ret = -EINVAL;
	} else if (hot->count >= hot->high && !force) {
		ret = -EBUSY;
	} else {
		page->flags = (u16)((page->flags & PG_poisoned) | PG_hot);
		page->order = 0;
		page->owner = OWNER_NONE;	/* no stale owner or mover */
		if (hot->count < HOT_MAX) {
			hot->pages[hot->count++] = page;
		} else {
			pfn_list_add(&hot->spill, page);
			hot->nr_spill++;
		}
	}
	local_irq_restore(flags);
	return ret;
}

/*
 * Interrupts are off. Pop a page to give back while the room holds more
 * than keep: spilled pages first, then the top of the stack. It leaves in
 * transit, moved by mover, until its zone (or the room again) takes it.
 */
static struct page *__hot_pop_excess(struct hot_room *hot, unsigned int keep,
				     owner_t mover)
{
	struct page *page;

	if (hot_room_pages(hot) <= keep)
		return NULL;
	page = pfn_list_pop(&hot->spill);
	if (page)
		hot->nr_spill--;
	else
		page = hot->pages[--hot->count];
	transit_begin(page, 0, mover);
	return page;
}

/*
 * Give hot pages back to their zones, where they merge, until the room
 * holds at most keep; wake sleeping allocations if any page went back.
 * cannot_wait: only trylock, and stop at a busy lock (that page goes back
 * on the room). Process context (the zone work runs with interrupts on).
 * Returns the number of pages given back.
 */
unsigned int hot_room_give_back(unsigned int keep, bool cannot_wait)
{
	struct hot_room *hot = &hot_rooms[smp_processor_id()];
	owner_t mover = current_owner();
	struct page *page;
	unsigned long flags;
	unsigned int n = 0;

	for (;;) {
		local_irq_save(flags);
		page = __hot_pop_excess(hot, keep, mover);
		local_irq_restore(flags);
		if (!page)
			break;
		if (zone_room_put(page, 0, cannot_wait) < 0) {
			hot_room_put(page, true, page->flags);
			break;
		}
		trace_mm_page_drain(page, TROOM_HOT);
		n++;
	}
	if (n && mm_sleepers)
		mm_wake_waiters();
	return n;
}

/*
 * Colliding frees push past high (up to HOT_MAX, then on the spill list),
 * and pages in the hot room never merge. A failed allocation that may wait
 * calls this: in process context, give back what the room holds above high
 * (trylocking the zones, so it never spins). Returns the pages given back.
 */
unsigned int hot_room_trim(void)
{
	struct hot_room *hot = &hot_rooms[smp_processor_id()];

	if (hot_room_pages(hot) <= hot->high || mm_cannot_wait())
		return 0;
	return hot_room_give_back(hot->high, true);
}

/*
 * Give every hot page back to its zone and wake sleepers. Process context:
 * it waits on the zone locks, so elsewhere (an interrupt that may have
 * interrupted a lock holder) it is refused with a report and -EPERM.
 */
int mm_drain_hot(void)
{
	if (mm_cannot_wait()) {
		mm_report(MM_BUG_BAD_CALL, "mm_drain_hot",
			  __builtin_return_address(0), ~0UL, 0,
			  "drain needs process context (it waits on the zone "
			  "locks)");
		return -EPERM;
	}
	return (int)hot_room_give_back(0, false);
}
