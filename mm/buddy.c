/*
 * buddy.c - the zone rooms' free lists: take a block, split it, free and
 * merge.
 *
 * Invariants (checked by mm_check()):
 *  - a free block of order k starts at a frame number aligned to 2^k, lies
 *    inside one zone, and its head alone carries PG_buddy and order = k;
 *  - free_area[k].nr_free is the length of free_area[k].free_list and
 *    zone->nr_free is the sum of 2^k * nr_free over k;
 *  - no two free buddies of the same order are left unmerged: the buddy of
 *    the block at pfn p, order k, is the block at p ^ 2^k.
 *
 * Every function here runs with z->lock held, which is what the leading
 * underscores say. Each does at most MAX_ORDER steps.
 */
#include "internal.h"

/*
 * The list steps below are inlined (always_inline): a split or merge runs
 * up to MAX_ORDER of them, and a call each would double the cost.
 */
#define mm_inline	inline __attribute__((always_inline))

/* Caller holds z->lock; blk is free and aligned to its order. */
static mm_inline void __freelist_add(struct zone *z, struct page *blk,
			   unsigned int order)
{
	MM_ASSERT(pfn_aligned(page_to_pfn(blk), order));
	blk->order = (u8)order;
	blk->flags = (u16)((blk->flags & PG_poisoned) | PG_buddy);
	pfn_list_add(&z->free_area[order].free_list, blk);
	z->free_area[order].nr_free++;
	z->nr_free += 1UL << order;
}

/* Caller holds z->lock; blk heads a free block of this order. */
static mm_inline void __freelist_del(struct zone *z, struct page *blk,
			   unsigned int order)
{
	pfn_list_del(&z->free_area[order].free_list, blk);
	blk->flags &= (u16)~PG_buddy;
	z->free_area[order].nr_free--;
	z->nr_free -= 1UL << order;
}

/* Caller holds z->lock. Is the block at pfn a free block of this order? */
static mm_inline bool __buddy_is_free(const struct zone *z, pfn_t pfn,
			    unsigned int order)
{
	const struct page *page;

	if (pfn - z->start_pfn >= z->end_pfn - z->start_pfn)
		return false;	/* outside the zone (one unsigned compare) */
	page = pfn_to_page(pfn);
	return (page->flags & PG_buddy) && page->order == order;
}

/* Caller holds z->lock. PG_poisoned frames in [page, page + 2^order). */
static unsigned int __count_poisoned(const struct page *page,
				     unsigned int order)
{
	unsigned int i, n = 0;

	for (i = 0; i < (1u << order); i++)
		n += (page[i].flags & PG_poisoned) != 0;
	return n;
}

/*
 * Caller holds z->lock. Take a free block of exactly this order: the first
 * block of the smallest order that has one, halved until it fits; each half
 * cut off goes back on its list. Returns NULL if no order can serve.
 * *poisoned gets the number of poisoned frames in the block (they are
 * checked by the caller, outside the lock).
 */
struct page *__buddy_take(struct zone *z, unsigned int order,
			  unsigned int *poisoned)
{
	unsigned int cur = order;
	struct page *blk;

	while (cur <= MAX_ORDER && pfn_list_empty(&z->free_area[cur].free_list))
		cur++;
	if (cur > MAX_ORDER)
		return NULL;
	blk = pfn_to_page(z->free_area[cur].free_list.first);
	__freelist_del(z, blk, cur);
	while (cur > order) {
		cur--;
		__freelist_add(z, blk + (1UL << cur), cur);
	}
	*poisoned = 0;
	if (unlikely(z->nr_poisoned)) {
		*poisoned = __count_poisoned(blk, order);
		z->nr_poisoned -= *poisoned;
	}
	return blk;
}

/*
 * Caller holds z->lock; page heads a block of this order that no room holds.
 * Merge it with its buddy while the buddy is free, then list the result.
 */
void __buddy_free(struct zone *z, struct page *page, unsigned int order)
{
	pfn_t pfn = page_to_pfn(page);

	MM_ASSERT(pfn_aligned(pfn, order));
	if (order == 0 && (page->flags & PG_poisoned))
		z->nr_poisoned++;
	while (order < MAX_ORDER) {
		pfn_t buddy = pfn ^ (1UL << order);

		if (!__buddy_is_free(z, buddy, order))
			break;
		__freelist_del(z, pfn_to_page(buddy), order);
		pfn &= ~(1UL << order);		/* the lower half heads */
		order++;
	}
	__freelist_add(z, pfn_to_page(pfn), order);
}
