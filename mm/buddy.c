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
 * up to MAX_ORDER of them, and a call each would double the cost. They
 * keep each order's count; the zone's nr_free changes once per take or
 * free, by the size of the block handed out or given back. Alignment and
 * the counts are facts mm_check() verifies after every step of the tests,
 * so these inner loops carry no assertions of their own.
 */
#define mm_inline	inline __attribute__((always_inline))

/*
 * Zones start and end on 2^MAX_ORDER boundaries (but the last may end
 * early), and merging stops below MAX_ORDER, so a buddy is always in its
 * block's zone or past the zone's end: one compare tests it.
 */
_Static_assert(DMA_END_PFN % (1u << MAX_ORDER) == 0,
	       "ZONE_DMA must end on a MAX_ORDER boundary");

/*
 * Caller holds z->lock. List the free block at pfn, whose head has flags 0
 * or PG_poisoned (a tail or a block no room holds).
 */
static mm_inline void __freelist_add(struct zone *z, pfn_t pfn,
				     unsigned int order)
{
	struct page *blk = pfn_to_page(pfn);
	struct pfn_list *l = &z->free_area[order].free_list;

	blk->order = (u8)order;
	blk->flags |= PG_buddy;
	blk->next = l->first;
	blk->prev = PFN_NONE;
	if (l->first != PFN_NONE)
		mem_map[l->first].prev = (u32)pfn;
	l->first = (u32)pfn;
	z->free_area[order].nr_free++;
}

/*
 * Caller holds z->lock; blk heads a free block of this order. Its list
 * links are left as they were: a block off the lists has none to keep.
 */
static mm_inline void __freelist_del(struct zone *z, struct page *blk,
				     unsigned int order)
{
	__pfn_list_unlink(&z->free_area[order].free_list, blk);
	blk->flags &= (u16)~PG_buddy;
	z->free_area[order].nr_free--;
}

/*
 * Caller holds z->lock. Is the block at pfn a free block of this order,
 * one that a block of the same order may merge with?
 */
static mm_inline bool __buddy_is_free(const struct zone *z, pfn_t pfn,
				      unsigned int order)
{
#ifndef LAB3_STARTER		/* lab 3 solution */
	const struct page *page = pfn_to_page(pfn);

	return pfn < z->end_pfn && (page->flags & PG_buddy) &&
	       page->order == order;
#else				/* lab 3 starter */
	/*
	 * LAB 3, exercise 2 (docs/labs/lab3-buddy.md, "Freeing a block").
	 * True when the block at pfn is listed free at exactly this order.
	 * Three facts decide it: the frame lies inside the zone (pfn may be
	 * past its end), its head carries PG_buddy, and its order field is
	 * order. Until you write it, nothing merges.
	 */
	return false;
#endif				/* lab 3 */
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
	pfn_t pfn;

	while (cur <= MAX_ORDER && pfn_list_empty(&z->free_area[cur].free_list))
		cur++;
	if (cur > MAX_ORDER)
		return NULL;
	pfn = z->free_area[cur].free_list.first;
	blk = pfn_to_page(pfn);
	__freelist_del(z, blk, cur);
#ifndef LAB3_STARTER		/* lab 3 solution */
	while (cur > order) {
		cur--;
		__freelist_add(z, pfn + (1UL << cur), cur);
	}
#else				/* lab 3 starter */
	/*
	 * LAB 3, exercise 1 (docs/labs/lab3-buddy.md, "Taking a block").
	 * blk (frame pfn) heads a free block of order cur >= order, just
	 * taken off its list. Split it down to order: halve it, list the
	 * upper half at its new order with __freelist_add(), keep the lower
	 * half, until it has exactly the order asked for. Until you write
	 * it, a request that needs a split puts the block back and fails.
	 */
	if (cur > order) {
		__freelist_add(z, pfn, cur);
		return NULL;
	}
#endif				/* lab 3 */
	z->nr_free -= 1UL << order;
	*poisoned = 0;
	if (unlikely(z->nr_poisoned)) {
		*poisoned = __count_poisoned(blk, order);
		z->nr_poisoned -= *poisoned;
	}
	return blk;
}

/*
 * Caller holds z->lock; page heads a block of this order that no room
 * holds (flags 0 or PG_poisoned), aligned to its order. Merge it with its
 * buddy while the buddy is free, then list the result.
 */
void __buddy_free(struct zone *z, struct page *page, unsigned int order)
{
	pfn_t pfn = page_to_pfn(page);

	if (order == 0 && (page->flags & PG_poisoned))
		z->nr_poisoned++;
	z->nr_free += 1UL << order;
#ifndef LAB3_STARTER		/* lab 3 solution */
	while (order < MAX_ORDER) {
		pfn_t buddy = pfn ^ (1UL << order);

		if (!__buddy_is_free(z, buddy, order))
			break;
		__freelist_del(z, pfn_to_page(buddy), order);
		pfn &= ~(1UL << order);		/* the lower half heads */
		order++;
	}
#else				/* lab 3 starter */
	/*
	 * LAB 3, exercise 3 (docs/labs/lab3-buddy.md, "Freeing a block").
	 * Before listing the block at pfn, merge it with its buddy while the
	 * buddy is free (__buddy_is_free()) and order < MAX_ORDER: take the
	 * buddy off its list with __freelist_del(), and go on with the
	 * merged block, one order up. Which frame heads the merged block?
	 * Until you write it, every block is listed as it comes, unmerged.
	 */
#endif				/* lab 3 */
	__freelist_add(z, pfn, order);
}

/*
 * Caller holds z->lock. List every free frame of the zone on its own, at
 * order 0: the fallback of a kernel whose split does not work (the
 * handout of lab 3 before exercise 1 is done; see buddy_selftest() in
 * mm/init.c). Order-0 requests are then served without a split; larger
 * ones fail. It uses none of the code above that a lab asks for.
 */
void __buddy_list_order0(struct zone *z)
{
	unsigned int o, i;
	struct page *blk;

	for (o = 1; o <= MAX_ORDER; o++) {
		while ((blk = pfn_list_pop(&z->free_area[o].free_list))) {
			pfn_t pfn = page_to_pfn(blk);

			blk->flags &= (u16)~PG_buddy;
			z->free_area[o].nr_free--;
			for (i = 0; i < (1u << o); i++)
				__freelist_add(z, pfn + i, 0);
		}
	}
}
