/*
 * free.c - __free_pages_caller(): check the call, poison exclusive pages,
 * give the block back to the hot room or its zone.
 *
 * free_pages() itself is inline, in include/mm/gfp.h: it pushes a plain
 * order-0 page on the hot room in the caller, and calls
 * __free_pages_caller() for everything else (a full hot room included),
 * with the call site as caller, for the reports.
 *
 * Any context. A bad call (double free, a page never allocated, a reserved
 * frame, a wrong order, a foreign free of an exclusive page) is reported
 * and refused: nothing is changed.
 *
 * An order-0 page goes to the hot room while it is below its high mark,
 * else to its zone. A caller that cannot wait only trylocks the zone; if the
 * lock is busy, the block's frames are pushed on the hot room instead (at
 * most 2^MAX_ORDER pushes), so a free never waits and never loses a page.
 *
 * The check runs with interrupts on, so an interrupt may free the same
 * block between the check and the free's work. The room that takes the
 * block therefore tests its head's flags again where it claims it, with
 * interrupts off (in the hot room, or under the zone lock: page_claim()),
 * and refuses it if they changed: of two racing frees, the second is
 * reported, not done twice. If the interrupt also allocated the block
 * again, the flags are as the check saw them and the new allocation is
 * freed, unreported; only an exclusive page of another owner is caught
 * there (a foreign free). docs/mm.md, "What a double free check cannot
 * see", says why.
 */
#include "internal.h"

/* Does page lie inside a free buddy block (as its head or a tail)? */
static bool in_free_block(const struct page *page)
{
	pfn_t pfn = page_to_pfn(page);
	unsigned int order;

	for (order = 0; order <= MAX_ORDER; order++) {
		const struct page *head;

		head = pfn_to_page(pfn & ~((1UL << order) - 1));
		if ((head->flags & PG_buddy) && head->order >= order)
			return true;
	}
	return false;
}

/* Name the room a free page is in, for a double-free report. */
static const char *free_room_name(const struct page *page)
{
	if (page->flags & PG_hot)
		return "the hot room";
	if (page->flags & PG_pool)
		return "an exclusive room";
	return "a zone free list";
}

/* Report why free_pages(page, order) is refused. */
static noinline void free_bad(struct page *page, unsigned int order,
			      void *caller)
{
	const char *fn = "free_pages";
	char who[48];
	pfn_t pfn;

	trace_mm_page_free_refused(page_valid(page) ? trace_pfn(page) :
				   TRACE_PFN_NONE, order, caller);
	if (!page_valid(page)) {
		mm_report(MM_BUG_NOT_ALLOCATED, fn, caller, ~0UL, order,
			  "%p is not a frame in mem_map", (void *)page);
		return;
	}
	pfn = page_to_pfn(page);
	if (page->flags & PG_reserved)
		mm_report(MM_BUG_RESERVED, fn, caller, pfn, order,
			  "free of a reserved frame (never handed out)");
	else if ((page->flags & PG_head) && page->order != order)
		mm_report(MM_BUG_WRONG_ORDER, fn, caller, pfn, order,
			  "wrong order: the block was allocated as order %u",
			  page->order);
	else if (page->flags & PG_exclusive)
		/* An allocated exclusive page of the right order: free_ok()
		 * refused it, so the caller is not its owner. */
		mm_report(MM_BUG_FOREIGN_FREE, fn, caller, pfn, order,
			  "foreign free of an exclusive page owned by %s",
			  owner_name(page->owner, who, sizeof(who)));
	else if (page->flags & PG_head)
		/* A plain allocated block of the right order: it passed the
		 * check, but changed state before this free could claim it
		 * (an interrupt freed it, maybe allocated it again). */
		mm_report(MM_BUG_DOUBLE_FREE, fn, caller, pfn, order,
			  "double free: another context freed the block while "
			  "this free was under way");
	else if ((page->flags & (PG_hot | PG_pool)) || in_free_block(page))
		mm_report(MM_BUG_DOUBLE_FREE, fn, caller, pfn, order,
			  "double free: the page is already free, in %s",
			  free_room_name(page));
	else if (page->flags & PG_transit)
		mm_report(MM_BUG_DOUBLE_FREE, fn, caller, pfn, order,
			  "double free: the block is in transit between two "
			  "rooms (%s is moving it), not allocated",
			  owner_name(page->owner, who, sizeof(who)));
	else
		mm_report(MM_BUG_NOT_ALLOCATED, fn, caller, pfn, order,
			  "free of a page never allocated (not the head of an "
			  "allocated block)");
}

/* The common case in a few tests; free_bad() explains the rest. */
static bool free_ok(struct page *page, unsigned int order)
{
	if (unlikely(!page_valid(page)))
		return false;
	if ((page->flags & (PG_head | PG_exclusive)) == PG_head)
		return page->order == order;
	return (page->flags & PG_head) && page->order == order &&
	       page->owner == current_owner();
}

/*
 * The zone lock was busy: keep every frame in the hot room instead. The
 * head's push claims the block: -EINVAL, nothing pushed, if its flags are
 * no longer seen.
 */
static int free_collided(struct page *page, unsigned int order, u16 seen)
{
	unsigned int i;

	if (hot_room_put(page, true, seen) < 0)
		return -EINVAL;
	for (i = 1; i < (1u << order); i++)
		hot_room_put(&page[i], true, page[i].flags);
	return 0;
}

/*
 * A checked block, whose head's flags the check saw as seen: to the zone
 * room, or the hot room on a collision. Returns the room it went to
 * (TROOM_*, for the trace), or -EINVAL, nothing done, if the flags changed
 * meanwhile (the block was freed by someone else).
 */
static int free_to_zone(struct page *page, unsigned int order, u16 seen)
{
	int ret = zone_room_free(page, order, mm_cannot_wait(), seen);

	if (ret == -EBUSY)
		return free_collided(page, order, seen) ?: (int)TROOM_HOT;
	return ret ?: (int)zone_troom(page_zone(page));
}

/*
 * The full free: check the call (a refused one is reported and changes
 * nothing), poison an exclusive page, then the hot room or the zone, and
 * wake sleepers. The check runs with interrupts on; the room that takes
 * the block tests its flags again where it claims it (interrupts off, or
 * the zone lock), so of two racing frees the second is reported. Every call
 * that is not the common case of the inline free_pages() comes here;
 * caller is its call site. Returns 0, or -EINVAL for a refused call.
 */
noinline int __free_pages_caller(struct page *page, unsigned int order,
				 void *caller)
{
	u64 t0 = trace_start();
	int ret = -EBUSY;
	u16 seen;

	if (unlikely(!free_ok(page, order))) {
		free_bad(page, order, caller);
		return -EINVAL;
	}
	/*
	 * The owner stays until a room claims the page (it means nothing
	 * there): cleared here, the page would look like an exclusive page
	 * with no owner to a check that ran before the claim.
	 */
	if (page->flags & PG_exclusive)
		page_poison(page);
	seen = page->flags;
	if (order == 0)
		ret = hot_room_put(page, false, seen) ?: (int)TROOM_HOT;
	if (ret == -EBUSY)
		ret = free_to_zone(page, order, seen);
	if (unlikely(ret < 0)) {
		free_bad(page, order, caller);
		return -EINVAL;
	}
	trace_mm_page_free(page, order, (unsigned int)ret, caller, t0);
	if (unlikely(mm_sleepers))
		mm_wake_waiters();
	return 0;
}

/*
 * The inline free_pages() checked this order-0 page (flags exactly
 * PG_head) but the hot room did not take it: it is full, or the page
 * changed state since the check. Give it to its zone, which tests the
 * flags again under the lock (a change is reported), and wake sleepers.
 * Any context. The return address lies in the function free_pages() was
 * inlined into: the caller reports name.
 */
noinline void __free_page_hot_full(struct page *page)
{
	if (unlikely(free_to_zone(page, 0, PG_head) < 0)) {
		free_bad(page, 0, __builtin_return_address(0));
		return;
	}
	if (unlikely(mm_sleepers))
		mm_wake_waiters();
}

/*
 * The inline free_pages() checked this order-0 page (flags exactly
 * PG_head) and found tracing on: the common case, with its record, out of
 * line: the hot room, or its zone when the room is full (or the page
 * changed state since the check: then reported, as free_pages() does).
 */
noinline void __free_page_traced(struct page *page, void *caller)
{
	u64 t0 = trace_clock();
	int room = TROOM_HOT;

	if (!hot_room_free(page))
		room = free_to_zone(page, 0, PG_head);
	if (unlikely(room < 0)) {
		free_bad(page, 0, caller);
		return;
	}
	/* The record without the trace point's test: tracing is on. */
	__trace_event_took(TRACE_INFO(TRACE_FREE, 0, room),
			   (u32)page_to_pfn(page), TRACE_GFP_NONE, caller, t0);
	if (unlikely(mm_sleepers))
		mm_wake_waiters();
}

/*
 * free_pages_addr() found an address that no allocation handed out: not
 * page aligned, or outside mem_map. Report it with the address as passed.
 */
noinline void __free_pages_addr_bad(const void *addr, unsigned int order,
				    void *caller)
{
	struct page *page = virt_to_page(addr);

	if (page_valid(page))
		mm_report(MM_BUG_NOT_ALLOCATED, "free_pages_addr", caller,
			  page_to_pfn(page), order, "address %p is not page "
			  "aligned: get_free_pages() never handed it out",
			  addr);
	else
		mm_report(MM_BUG_NOT_ALLOCATED, "free_pages_addr", caller,
			  ~0UL, order, "address %p is in no frame of mem_map",
			  addr);
}
