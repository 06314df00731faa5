/*
 * alloc.c - __alloc_pages_caller(): check the request, walk the path, sleep
 * if the class may, prepare the block.
 *
 * alloc_pages() itself is inline, in include/mm/gfp.h: it serves the common
 * case (order 0, plain GFP_ATOMIC or GFP_KERNEL) from the hot room in the
 * caller, and calls __alloc_pages_caller() for everything else, with the
 * call site as caller, for the reports.
 *
 * Calling context: GFP_ATOMIC anywhere; GFP_KERNEL in process context with
 * interrupts on and no lock held (otherwise reported and served without
 * sleeping). No lock is held on entry or exit; each room takes its own.
 *
 * GFP_KERNEL never waits forever: when and how long it waits is the rule
 * of mm/sleep.c, which alloc_sleep_walk() asks before every wait.
 */
#include "internal.h"
#include <lib/string.h>
#include <mm/sleep.h>

/*
 * Refuse unknown bits, a missing or double base class, bad combinations
 * (__GFP_NOFAIL needs GFP_KERNEL: only a caller that may wait can be
 * promised a page).
 */
static inline bool gfp_valid(gfp_t gfp, unsigned int order, void *caller)
{
	gfp_t base = gfp & (__GFP_WAIT | __GFP_HIGH);

	if ((gfp & ~__GFP_BITS) || (base != __GFP_WAIT && base != __GFP_HIGH) ||
	    ((gfp & __GFP_EXCLUSIVE) && (gfp & __GFP_DMA)) ||
	    ((gfp & __GFP_NOFAIL) && base != __GFP_WAIT)) {
		mm_report(MM_BUG_BAD_FLAGS, "alloc_pages", caller, ~0UL, order,
			  "invalid gfp 0x%x: give exactly one of GFP_KERNEL, "
			  "GFP_ATOMIC; GFP_EXCLUSIVE not with GFP_DMA; "
			  "__GFP_NOFAIL only with GFP_KERNEL", gfp);
		return false;
	}
	if (order > MAX_ORDER || ((gfp & __GFP_EXCLUSIVE) && order)) {
		mm_report(MM_BUG_BAD_ORDER, "alloc_pages", caller, ~0UL, order,
			  "invalid order %u (gfp 0x%x): at most %u, and 0 for "
			  "GFP_EXCLUSIVE", order, gfp, MAX_ORDER);
		return false;
	}
	return true;
}

/*
 * A GFP_KERNEL caller that must not sleep: report it once per call site
 * (the hint: use GFP_ATOMIC) and return true, so it is served as
 * GFP_ATOMIC minus the reserve.
 */
static bool sleep_forbidden(unsigned int order, void *caller)
{
	static void *sites[32];
	static unsigned int nr_sites;
	unsigned int i;

	if (likely(!mm_cannot_wait()))
		return false;
	for (i = 0; i < nr_sites; i++)
		if (sites[i] == caller)
			return true;
	if (nr_sites < ARRAY_SIZE(sites))
		sites[nr_sites++] = caller;
	mm_report(MM_BUG_SLEEP_ATOMIC, "alloc_pages", caller, ~0UL, order,
		  "sleeping allocation (GFP_KERNEL) in atomic context: use "
		  "GFP_ATOMIC here, or allocate before entering atomic context;"
		  " served without sleeping");
	return true;
}

/*
 * Check the poisoned frames of a block just taken (in transit: no other
 * context touches it); clear their mark.
 */
static void alloc_check_poison(struct page *page, const struct alloc_ctx *ac)
{
	unsigned int i, offset;

	for (i = 0; i < (1u << ac->order); i++) {
		if (!(page[i].flags & PG_poisoned))
			continue;
		page[i].flags &= (u16)~PG_poisoned;
		if (!page_poison_intact(&page[i], &offset))
			mm_report(MM_BUG_POISON, "alloc_pages", ac->caller,
				  page_to_pfn(&page[i]), ac->order,
				  "poisoned free page changed at offset %u: "
				  "written after it was freed", offset);
	}
}

/*
 * Make the block taken from a room (in transit, moved by this context) an
 * allocated block for ac. Its order, and its owner as an exclusive page
 * (the current context), are already what transit_begin() wrote, so the
 * one store of its flags turns a whole block in transit into a whole
 * allocated block: a check that runs at any point (in an interrupt, or
 * while this thread is switched out) sees one or the other.
 */
static inline void alloc_prep(struct page *page, const struct alloc_ctx *ac)
{
	if (unlikely(ac->poisoned || (page->flags & PG_poisoned)))
		alloc_check_poison(page, ac);
	page->order = (u8)ac->order;
	if (ac->gfp & __GFP_EXCLUSIVE) {
		page->owner = current_owner();
		page->flags = PG_head | PG_exclusive;
#ifndef LAB5_STARTER		/* lab 5 solution */
		if (!ac->from_pool)
			memset(page_address(page), 0, PAGE_SIZE);
#else				/* lab 5 starter */
		/*
		 * LAB 5, exercise 3 (docs/labs/lab5-atomic.md, "Zeroed
		 * before, poisoned after"). The page must reach its owner
		 * zeroed. Until you write it, every exclusive page is cleared
		 * here, in the handler that asked for it: 4 KiB of stores with
		 * interrupts off, even for a page from the owner's room.
		 */
		memset(page_address(page), 0, PAGE_SIZE);
#endif				/* lab 5 */
	} else {
		page->owner = OWNER_NONE;	/* the mover's, till now */
		page->flags = PG_head;
		if (ac->gfp & __GFP_ZERO)
			memset(page_address(page), 0, PAGE_SIZE << ac->order);
	}
}

/*
 * Every room failed (and the waits, if any, gave up: why says how, or is
 * ""): count it, and say so unless __GFP_NOWARN.
 */
static void alloc_failed(struct alloc_ctx *ac, const char *why)
{
	stat_inc(&ac->cls->failures);
	trace_mm_page_alloc_fail(ac->order, ac->gfp, ac->caller, ac->t0);
	if (!(ac->gfp & __GFP_NOWARN))
		mm_report(MM_WARN_ALLOC_FAIL, "alloc_pages", ac->caller, ~0UL,
			  ac->order, "page allocation failure: %s, gfp 0x%x, "
			  "%lu pages free%s", ac->cls->name, ac->gfp,
			  mm_free_pages_quick(), why);
}

/*
 * The sleeping step: wait for frees and walk again, until served or until
 * the rule of mm/sleep.c gives up (then it reports, naming the caller; an
 * interrupted wait is counted but not reported: the caller asked for it).
 * Before each sleep, give the whole hot room back to the zones and walk
 * again: its pages (all 2^k frames of a block whose free collided, say)
 * serve no request above order 0, nor GFP_DMA, and count for no watermark
 * until they merge, and a free that lands there wakes nobody who needs
 * them.
 */
static struct page *alloc_sleep_walk(struct alloc_ctx *ac)
{
	struct page *page = NULL;
	struct mm_wait w;
	unsigned long seen;
	char why[128];
	int err = 0;

	mm_wait_init(&w);
	while (!page && !err) {
		/* A sleeper before the walks: no free can slip by unseen. */
		seen = mm_sleep_begin();
		page = path_walk(ac);
		if (!page && hot_room_give_back(0, false)) {
			/*
			 * Our own give-back counted as a free and moved
			 * the count: read it again, before the walk, or the
			 * wait would end at once with nothing freed.
			 */
			seen = mm_frees_seen();
			page = path_walk(ac);
		}
		if (!page)
			err = mm_sleep_wait(&w, ac, seen);
		mm_sleep_end();
	}
	if (page)
		return page;
	if (err == -EINTR) {
		stat_inc(&ac->cls->failures);
		trace_mm_page_alloc_fail(ac->order, ac->gfp, ac->caller,
					 ac->t0);
	} else {
		alloc_failed(ac, mm_wait_why(&w, ac, why, sizeof(why)));
	}
	return NULL;
}

/*
 * The full allocation: check the request and the context, then the owner's
 * exclusive room (GFP_EXCLUSIVE), the whole path (mm/path.c) (once more
 * after trimming a hot room that holds more than its high mark, where the
 * context allows), and sleep if the class may. Every call that is not the
 * common case of the inline alloc_pages() comes here; caller is its call
 * site. With tracing on, the allocation is recorded (alloc, or alloc_fail,
 * with the ticks it took) in the room that served it.
 */
noinline struct page *__alloc_pages_caller(gfp_t gfp, unsigned int order,
					   void *caller)
{
	struct alloc_ctx ac = { .gfp = gfp, .order = order, .caller = caller,
				.t0 = trace_start() };
	struct page *page = NULL;
	bool atomic_ctx;

	if (unlikely(!gfp_valid(gfp, order, caller))) {
		trace_mm_page_alloc_fail(order, gfp, caller, ac.t0);
		return NULL;
	}
	atomic_ctx = (gfp & __GFP_WAIT) && sleep_forbidden(order, caller);
	ac.cannot_wait = !(gfp & __GFP_WAIT) || atomic_ctx;
	ac.cls = gfp_class_of(gfp, atomic_ctx);
	if (gfp & __GFP_EXCLUSIVE) {
		page = excl_room_take(current_owner(), caller);
		ac.from_pool = page != NULL;
		if (page)
			ac.room = (u8)(TROOM_EXCL + page->room);
	}
	if (!page)
		page = path_walk(&ac);
	if (unlikely(!page) && hot_room_trim())
		page = path_walk(&ac);
	if (unlikely(!page)) {
		if ((gfp & __GFP_WAIT) && !atomic_ctx)
			page = alloc_sleep_walk(&ac);	/* reports its own */
		else
			alloc_failed(&ac, "");
		if (!page)
			return NULL;
	}
	alloc_prep(page, &ac);
	trace_mm_page_alloc(page, order, gfp, ac.room, caller, ac.t0);
	return page;
}

/*
 * The inline alloc_pages() found tracing on: the common case (an order-0
 * page, plain GFP_ATOMIC or GFP_KERNEL where it may sleep, mm/gfp.h) with
 * its record, out of line. Anything the hot room's inline pop does not
 * serve goes to __alloc_pages_caller(), which records it.
 */
noinline struct page *__alloc_page_traced(gfp_t gfp, void *caller)
{
	u64 t0 = trace_clock();
	struct page *page = hot_room_alloc();

	if (!page)
		return __alloc_pages_caller(gfp, 0, caller);
	/* The record without the trace point's test: tracing is on. */
	__trace_event_took(TRACE_INFO(TRACE_ALLOC, 0, TROOM_HOT),
			   (u32)page_to_pfn(page), gfp, caller, t0);
	return page;
}
