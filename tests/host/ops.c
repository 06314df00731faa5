/*
 * ops.c - the random-operation machine (see ops.h).
 */
#include "ops.h"

static const owner_t owners[] = {
	OWNER_THREAD(1), OWNER_THREAD(2), OWNER_IRQ(0), OWNER_IRQ(1),
};

#define FAIL(st, msg) do { if (!(st)->error) (st)->error = (msg); \
	return false; } while (0)

/* Become owner: an IRQ line (interrupts off) or a thread. */
static void ctx_enter(owner_t owner)
{
	host_ctx_reset();
	if (OWNER_IS_IRQ(owner))
		host_irq_enter((int)(owner - OWNER_IRQ_BASE));
	else
		host_thread_set(owner - OWNER_THREAD_BASE);
}

void ops_begin(struct ops_state *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	mm_params_reset();
	ht_boot(32);
	for (i = 0; i < OPS_NR_ROOMS; i++)
		st->rooms[i] = excl_room_create(owners[i + 1], 8, "ops");
}

static void tag_block(struct ops_block *b)
{
	u64 *first = page_address(b->page);
	u64 *last = (u64 *)((char *)first + (PAGE_SIZE << b->order)) - 1;

	*first = b->tag;
	*last = ~b->tag;
}

static bool tag_intact(const struct ops_block *b)
{
	const u64 *first = page_address(b->page);
	const char *end = (const char *)first + (PAGE_SIZE << b->order);
	const u64 *last = (const u64 *)end - 1;

	return *first == b->tag && *last == ~b->tag;
}

/* Zeroed as promised (first and last words of the block)? */
static bool looks_zero(const struct page *page, unsigned int order)
{
	const u64 *first = page_address(page);

	return first[0] == 0 &&
	       first[(PAGE_SIZE << order) / sizeof(u64) - 1] == 0;
}

static gfp_t ops_gfp(u32 w, bool *excl, unsigned int *order)
{
	gfp_t gfp = (w & 1) ? GFP_ATOMIC : GFP_KERNEL;

	*order = (w >> 8) & 3 ? (w >> 10) & 1 : (w >> 12) % (MAX_ORDER + 1);
	*excl = ((w >> 16) & 7) == 0;
	if (*excl) {
		*order = 0;
		gfp |= GFP_EXCLUSIVE;
	} else if (((w >> 19) & 7) == 0) {
		gfp |= GFP_DMA;
	}
	if ((w >> 22) & 1)
		gfp |= __GFP_ZERO;
	return gfp | __GFP_NOWARN;
}

static bool op_alloc(struct ops_state *st, u32 w)
{
	owner_t owner = owners[(w >> 24) & 3];
	unsigned int order;
	bool excl;
	gfp_t gfp = ops_gfp(w, &excl, &order);
	struct ops_block *b;
	struct page *page;

	if (st->nr_live == OPS_MAX_LIVE)
		return true;
	ctx_enter(owner);
	page = alloc_pages(gfp, order);
	host_ctx_reset();
	if (!page) {
		st->fails++;
		return true;
	}
	st->allocs++;
	if ((excl || (gfp & __GFP_ZERO)) && !looks_zero(page, order))
		FAIL(st, "exclusive or __GFP_ZERO block not zeroed");
	if ((gfp & GFP_DMA) && page_to_pfn(page) + (1UL << order) > DMA_END_PFN)
		FAIL(st, "GFP_DMA block above 16 MiB");
	b = &st->live[st->nr_live++];
	*b = (struct ops_block){ page, order, owner, excl, ++st->next_tag };
	tag_block(b);
	return true;
}

static bool op_free(struct ops_state *st, u32 w)
{
	struct ops_block *b;

	if (!st->nr_live)
		return true;
	b = &st->live[(w >> 4) % st->nr_live];
	if (!tag_intact(b))
		FAIL(st, "a live block's memory was changed by the allocator");
	ctx_enter(b->owner);
	free_pages(b->page, b->order);
	host_ctx_reset();
	if (b->page->flags & PG_head)
		FAIL(st, "free_pages left the block allocated");
	*b = st->live[--st->nr_live];
	st->frees++;
	return true;
}

/* Hand an exclusive block to another owner (by its owner). */
static bool op_handoff(struct ops_state *st, u32 w)
{
	struct ops_block *b;
	owner_t to = owners[(w >> 24) & 3];

	if (!st->nr_live)
		return true;
	b = &st->live[(w >> 4) % st->nr_live];
	if (!b->exclusive)
		return true;
	ctx_enter(b->owner);
	if (excl_page_handoff(b->page, to))
		FAIL(st, "hand-off by the owner was refused");
	host_ctx_reset();
	b->owner = to;
	if (page_owner(b->page) != to)
		FAIL(st, "hand-off did not move the owner");
	return true;
}

static unsigned long reports_total(void)
{
	unsigned long n = 0;
	unsigned int kind;

	for (kind = 0; kind < NR_MM_BUGS; kind++)
		n += mm_report_count(kind);
	return n;
}

/*
 * A refused call: wrong order, or a foreign free. Nothing may change, and
 * exactly one report is made, of the right kind.
 */
static bool op_bad(struct ops_state *st, u32 w)
{
	unsigned long total = reports_total(), n;
	enum mm_bug kind = MM_BUG_WRONG_ORDER;
	struct ops_block *b;
	owner_t other;

	if (!st->nr_live)
		return true;
	b = &st->live[(w >> 4) % st->nr_live];
	other = owners[((w >> 24) & 3)];
	if (b->exclusive && other != b->owner)
		kind = MM_BUG_FOREIGN_FREE;
	n = mm_report_count(kind);
	if (kind == MM_BUG_FOREIGN_FREE) {
		ctx_enter(other);
		free_pages(b->page, 0);
	} else {
		free_pages(b->page, b->order + 1);
	}
	host_ctx_reset();
	st->refused++;
	if (!(b->page->flags & PG_head) || b->page->order != b->order ||
	    !tag_intact(b))
		FAIL(st, "a refused free changed the block");
	if (mm_report_count(kind) != n + 1 || reports_total() != total + 1)
		FAIL(st, "a refused free was not reported once, as its kind");
	return true;
}

/* An interrupt allocates while process context holds a zone lock. */
static bool op_collide(struct ops_state *st, u32 w)
{
	struct zone *z = &zones[(w >> 4) & 1];

	spin_lock(&z->lock);
	host_irq_enter(1);
	{
		struct page *page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN,
						(w >> 8) & 1);
		if (page)
			free_pages(page, (w >> 8) & 1);
	}
	host_irq_exit();
	spin_unlock(&z->lock);
	(void)st;
	return true;
}

bool ops_step(struct ops_state *st, u32 w)
{
	unsigned int kind = (w >> 27) & 31;

	st->ops++;
	if (kind < 14)
		return op_alloc(st, w);
	if (kind < 27)
		return op_free(st, w);
	if (kind < 28)
		return op_handoff(st, w);
	if (kind < 29)
		return op_bad(st, w);
	if (kind < 30)
		return op_collide(st, w);
	if (kind < 31) {
		excl_room_refill(st->rooms[w % OPS_NR_ROOMS]);
		return true;
	}
	mm_drain_hot();
	return true;
}

/*
 * Reports that none of the ops calls for: each would mean the allocator
 * itself went wrong (a double free or a poisoned page it made, a report
 * from a call made correctly, a failed assertion). The ops make only
 * wrong-order and foreign frees (op_bad) and GFP_KERNEL calls in an IRQ.
 */
static const enum mm_bug never_reported[] = {
	MM_BUG_DOUBLE_FREE, MM_BUG_NOT_ALLOCATED, MM_BUG_RESERVED,
	MM_BUG_FOREIGN_HANDOFF, MM_BUG_POISON, MM_BUG_BAD_FLAGS,
	MM_BUG_BAD_ORDER, MM_BUG_BAD_CALL, MM_BUG_ASSERT,
	MM_WARN_ALLOC_FAIL,
};

static bool reports_expected(struct ops_state *st)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(never_reported); i++)
		if (mm_report_count(never_reported[i]))
			FAIL(st, "a report no operation calls for");
	if (mm_report_count(MM_BUG_WRONG_ORDER) +
	    mm_report_count(MM_BUG_FOREIGN_FREE) != st->refused)
		FAIL(st, "refused frees and their reports do not match");
	return true;
}

/*
 * Free everything and destroy the rooms; every page must come back to the
 * zones through the allocator's own paths (no mm_drain_hot() here, so
 * pages stranded in the hot room are caught).
 */
bool ops_end(struct ops_state *st)
{
	while (st->nr_live)
		if (!op_free(st, 0))
			return false;
	ht_destroy_rooms();
	if (mm_check())
		FAIL(st, "mm_check() failed at the end");
	if (!ht_pages_come_back())
		FAIL(st, "not every page came back");
	if (mm_check())
		FAIL(st, "mm_check() failed after every page came back");
	return reports_expected(st);
}
