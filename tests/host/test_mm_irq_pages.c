/*
 * test_mm_irq_pages.c - the pages an interrupt handler gets with
 * alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE), as lab 5 asks for them: served
 * first from the owner's exclusive room, and only to its owner; zeroed,
 * by the refill in process context for a room's page (and not again in
 * the handler), by the allocation itself for a page from the GFP_ATOMIC
 * path. (Poisoning on free: test_mm_exclusive.c.)
 */
#include "host.h"

#define KBD	OWNER_IRQ(1)

static void setup(void)
{
	ht_boot(64);
	trace_set_enabled(false);
	trace_clear();
}

static struct page *irq_alloc(int line)
{
	struct page *p;

	host_irq_enter(line);
	p = alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE);
	host_irq_exit();
	return p;
}

static void irq_free(int line, struct page *p)
{
	host_irq_enter(line);
	free_page(p);
	host_irq_exit();
}

/* Is p one of the room's pages as they were listed (pool[0..n))? */
static bool was_pooled(struct page *const *pool, unsigned int n,
		       const struct page *p)
{
	while (n--)
		if (pool[n] == p)
			return true;
	return false;
}

/* The room's pages, in its list's order; returns how many. */
static unsigned int room_pages(int id, struct page **pool, unsigned int max)
{
	struct page *p;
	unsigned int n = 0;

	pfn_list_for_each(p, &excl_rooms[id].list)
		if (n < max)
			pool[n++] = p;
	return n;
}

/* Dirty order-0 pages on top of the hot room: the next ones handed out. */
static void dirty_hot_pages(unsigned int n)
{
	struct page *p[16];
	unsigned int i;

	for (i = 0; i < n; i++) {
		p[i] = alloc_page(GFP_KERNEL);
		EXPECT(p[i] != NULL);
		if (!p[i])
			break;
		memset(page_address(p[i]), 0xee, PAGE_SIZE);
	}
	while (i--)
		free_page(p[i]);
}

/*
 * IRQ1's room of two: another line's exclusive allocation never comes
 * from it; IRQ1's first two come from it (counted served, recorded as the
 * room's), its third from the GFP_ATOMIC path (counted a miss). Every
 * step leaves the rooms as mm_check() wants them.
 */
static void owner_served_first_from_its_room(void)
{
	int id = excl_room_create(KBD, 2, "kbd");
	struct page *pool[2], *other, *a, *b, *c;

	EXPECT_EQ(excl_room_refill(id), 2);
	EXPECT_EQ(room_pages(id, pool, 2), 2);
	other = irq_alloc(0);
	EXPECT(other && !was_pooled(pool, 2, other));
	EXPECT_EQ(excl_room_count(id), 2);
	trace_set_enabled(true);
	a = irq_alloc(1);
	trace_set_enabled(false);
	EXPECT(a && was_pooled(pool, 2, a));
	EXPECT_EQ(excl_room_count(id), 1);
	EXPECT_EQ(excl_rooms[id].stats.served, 1);
	EXPECT(a && a->flags == (PG_head | PG_exclusive));
	EXPECT_EQ(page_owner(a), KBD);
	EXPECT_EQ(trace_entries(0), 1);
	EXPECT_EQ(trace_record_at(0, 0)->room, TROOM_EXCL + (unsigned int)id);
	EXPECT_CHECK();
	b = irq_alloc(1);
	EXPECT(b && b != a && was_pooled(pool, 2, b));
	EXPECT_EQ(excl_room_count(id), 0);
	c = irq_alloc(1);
	EXPECT(c && !was_pooled(pool, 2, c));
	EXPECT_EQ(excl_rooms[id].stats.served, 2);
	EXPECT_EQ(excl_rooms[id].stats.misses, 1);
	EXPECT_CHECK();
	irq_free(0, other);
	irq_free(1, a);
	irq_free(1, b);
	irq_free(1, c);
	ht_destroy_rooms();
	EXPECT_CHECK();
	EXPECT(ht_pages_come_back());
}

/*
 * A refill takes the dirty pages on top of the hot room, and clears each
 * before it goes into the room: every page the room holds is zero.
 */
static void refill_clears_room_pages(void)
{
	struct page *pool[8];
	unsigned int i, n;
	int id;

	dirty_hot_pages(8);
	id = excl_room_create(KBD, 8, "kbd");
	EXPECT_EQ(excl_room_refill(id), 8);
	n = room_pages(id, pool, 8);
	EXPECT_EQ(n, 8);
	for (i = 0; i < n; i++)
		if (!ht_all_bytes(page_address(pool[i]), 0, PAGE_SIZE))
			ht_fail(__FILE__, __LINE__, "room page %u of %u (pfn "
				"%#lx) is not zero: first byte %#x", i + 1, n,
				page_to_pfn(pool[i]),
				*(u8 *)page_address(pool[i]));
	ht_destroy_rooms();
	EXPECT_CHECK();
}

/*
 * The handler does not clear a room's page again: the refill did, and a
 * second 4 KiB clear with interrupts off is time taken from every other
 * interrupt. A mark written into the room's page after the refill is
 * still there when IRQ1 gets it. A page from the GFP_ATOMIC path (the
 * room empty), dirty on top of the hot room, is handed out zeroed.
 */
static void room_page_not_cleared_again(void)
{
	int id = excl_room_create(KBD, 1, "kbd");
	struct page *pool[1], *a, *b;

	EXPECT_EQ(excl_room_refill(id), 1);
	EXPECT_EQ(room_pages(id, pool, 1), 1);
	((u8 *)page_address(pool[0]))[PAGE_SIZE - 1] = 0x5a;
	a = irq_alloc(1);
	EXPECT(a == pool[0]);
	if (a == pool[0] && ((u8 *)page_address(a))[PAGE_SIZE - 1] != 0x5a)
		ht_fail(__FILE__, __LINE__, "the room's page was cleared again "
			"when it was handed out");
	dirty_hot_pages(1);
	b = irq_alloc(1);		/* the room is empty: the path */
	EXPECT(b && b != a);
	EXPECT(b && ht_all_bytes(page_address(b), 0, PAGE_SIZE));
	irq_free(1, a);
	irq_free(1, b);
	ht_destroy_rooms();
	EXPECT_CHECK();
}

static const struct host_test tests[] = {
	HT(owner_served_first_from_its_room),
	HT(refill_clears_room_pages),
	HT(room_page_not_cleared_again),
};

int main(void)
{
	return ht_main("mm_irq_pages", tests, ARRAY_SIZE(tests), setup);
}
