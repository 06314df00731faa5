/*
 * mm/page.h - page frames: struct page, mem_map and the conversions.
 *
 * There is one struct page per physical frame, from pfn 0 to max_pfn - 1, in
 * the array mem_map[], so pfn_to_page() and page_to_pfn() are arithmetic and
 * page_address() is arithmetic through the direct map.
 *
 * struct page is 16 bytes on i686 AND on 64-bit hosts. Two list_head pointers
 * alone would take 16 bytes on a 64-bit host, so free lists link frames by
 * 32-bit frame numbers instead (next/prev hold pfns, PFN_NONE ends a list):
 * the same layout runs in the kernel and in the host tests.
 *
 * Which fields mean what depends on the state in flags (one state bit set at
 * a time, see PG_*): a free block's head has PG_buddy and its order; an
 * allocated block's head has PG_head and its order; an exclusive page also
 * has PG_exclusive and its owner; a block in transit (taken from a room,
 * not yet in another or handed out) has PG_transit, its order, and in
 * owner the context moving it. The frames inside a block (tails) keep
 * flags 0 apart from PG_poisoned.
 */
#ifndef LABYRINTH_MM_PAGE_H
#define LABYRINTH_MM_PAGE_H

#include <types.h>
#include <asm/page.h>
#include <asm/context.h>

struct page {
	u32 next;	/* pfn of the next frame in its list, or PFN_NONE */
	u32 prev;	/* pfn of the previous frame in its list, or PFN_NONE */
	u16 flags;	/* PG_* below */
	u8 order;	/* block order, for PG_buddy, PG_head and PG_transit */
	u8 room;	/* exclusive room index, for PG_pool */
	owner_t owner;	/* owner of a PG_exclusive page or of a PG_pool room;
			 * the mover of a PG_transit block */
};

_Static_assert(sizeof(struct page) == 16, "struct page must stay 16 bytes");

/*
 * Page states: at most one of PG_reserved, PG_buddy, PG_hot, PG_pool,
 * PG_head and PG_transit is set; PG_exclusive goes with PG_head, and
 * PG_poisoned with a free frame (or one on its way from or to a room).
 */
#define PG_reserved	0x0001u	/* never handed to the allocator */
#define PG_buddy	0x0002u	/* head of a free block on a zone free list */
#define PG_hot		0x0004u	/* free, in the hot room */
#define PG_pool		0x0008u	/* free, zero-filled, in an exclusive room */
#define PG_head		0x0010u	/* head of an allocated block */
#define PG_exclusive	0x0020u	/* allocated with GFP_EXCLUSIVE: has an owner */
#define PG_poisoned	0x0040u	/* free and filled with PAGE_POISON */
/*
 * In transit: the block left a room and its mover (owner) has not yet put
 * it in another room or handed it out. Set in the step that takes the
 * block out of its room (interrupts off, or under the zone lock), cleared
 * by the step that puts it in the next room or hands it out, so a mover
 * switched out in between leaves the block where mm_check() counts it.
 */
#define PG_transit	0x0080u

/* The byte a freed exclusive page is filled with (as Linux's POISON_FREE). */
#define PAGE_POISON	0x6b

#define PFN_NONE	0xffffffffu

/* A doubly linked list of frames linked by pfn (next/prev above). */
struct pfn_list {
	u32 first;	/* pfn of the first frame, or PFN_NONE */
};

extern struct page *mem_map;	/* one entry per frame below max_pfn */
extern pfn_t max_pfn;		/* one past the highest usable frame */

static inline pfn_t page_to_pfn(const struct page *page)
{
	return (pfn_t)(page - mem_map);
}

static inline struct page *pfn_to_page(pfn_t pfn)
{
	return mem_map + pfn;
}

static inline void *page_address(const struct page *page)
{
	return __va((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT);
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(__pa(addr) >> PAGE_SHIFT);
}

/* The owner of an allocated exclusive page, or OWNER_NONE. */
static inline owner_t page_owner(const struct page *page)
{
	return (page->flags & PG_exclusive) ? page->owner : OWNER_NONE;
}

#endif
