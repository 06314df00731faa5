/*
 * test_mm_collisions.c - the collision rule (zone_lock_or_collide() in
 * mm/room.c): a caller that cannot wait tries a zone's lock once, and when
 * it is busy counts a collision on that room, records it in the trace, and
 * moves on along its path; a free that collides keeps its frames in the
 * hot room. A caller that may wait takes the lock.
 *
 * The test holds a zone lock in process context and then runs a fake
 * interrupt, as the code an interrupt arrives in would hold it. A rule
 * that waits for the busy lock never returns in the kernel; here the
 * host's spin_lock() stub aborts at once with "host: deadlock".
 */
#include "host.h"
#include <mm/trace.h>

static struct zone *const normal = &zones[ZONE_NORMAL];
static struct zone *const dma = &zones[ZONE_DMA];

static void setup(void)
{
	ht_boot(64);
	trace_set_enabled(false);
	trace_clear();
}

static bool in_zone(const struct page *p, const struct zone *z)
{
	return p && page_zone(p) == z;
}

/* Allocate as the handler of IRQ line would: interrupts off. */
static struct page *irq_alloc(int line, gfp_t gfp, unsigned int order)
{
	struct page *p;

	host_irq_enter(line);
	p = alloc_pages(gfp, order);
	host_irq_exit();
	return p;
}

static void irq_free(int line, struct page *p, unsigned int order)
{
	host_irq_enter(line);
	free_pages(p, order);
	host_irq_exit();
}

/* Each room's collision counter, as the labyrinth view prints them. */
static void expect_collisions(unsigned long nroom, unsigned long nreserve,
			      unsigned long droom, unsigned long dreserve)
{
	EXPECT_EQ(normal->room.collisions, nroom);
	EXPECT_EQ(normal->reserve.collisions, nreserve);
	EXPECT_EQ(dma->room.collisions, droom);
	EXPECT_EQ(dma->reserve.collisions, dreserve);
}

/*
 * The scripted scenario: six steps, some of them with a zone lock held by
 * the "interrupted" thread. The collision counters of every room after
 * each step are in the comments; the labyrinth view shows the same.
 */
static void collisions_counted_per_room(void)
{
	struct page *a, *b, *c, *d, *e, *f;
	char view[4096];
	struct seq_buf sb;

	b = alloc_pages(GFP_KERNEL, 1);	/* a Normal block, for step 2 */
	EXPECT(in_zone(b, normal));

	/* 1. Normal busy: IRQ1's order-1 GFP_ATOMIC collides, DMA serves. */
	spin_lock(&normal->lock);
	a = irq_alloc(1, GFP_ATOMIC, 1);
	EXPECT(in_zone(a, dma));
	expect_collisions(1, 0, 0, 0);

	/* 2. Still busy: IRQ1 frees b, a Normal block: it collides, and
	 * its two frames wait in the hot room. */
	irq_free(1, b, 1);
	expect_collisions(2, 0, 0, 0);
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), 2);

	/* 3. The hot room needs no lock: it serves IRQ1's order 0. */
	c = irq_alloc(1, GFP_ATOMIC, 0);
	EXPECT(c != NULL);
	expect_collisions(2, 0, 0, 0);

	/* 4. Both zones busy: IRQ0 collides in all four rooms and fails. */
	spin_lock(&dma->lock);
	EXPECT(irq_alloc(0, GFP_ATOMIC | __GFP_NOWARN, 1) == NULL);
	spin_unlock(&dma->lock);
	spin_unlock(&normal->lock);
	expect_collisions(3, 1, 1, 1);
	EXPECT_EQ(gfp_classes[CLASS_ATOMIC].failures, 1);

	/* 5. No lock held: IRQ1 takes the free lock, Normal serves. */
	d = irq_alloc(1, GFP_ATOMIC, 2);
	EXPECT(in_zone(d, normal));

	/* 6. A thread that cannot wait (interrupts off) takes a free lock
	 * too; one that may wait (GFP_KERNEL) takes it as ever. */
	host_irqs_off = true;
	e = alloc_pages(GFP_ATOMIC, 1);
	host_irqs_off = false;
	f = alloc_pages(GFP_KERNEL, 1);
	EXPECT(in_zone(e, normal) && in_zone(f, normal));
	expect_collisions(3, 1, 1, 1);

	seq_buf_init(&sb, view, sizeof(view));
	mm_show_labyrinth(&sb.seq);
	EXPECT(strstr(view, "collisions 3") != NULL);
	EXPECT_CHECK();
	free_pages(a, 1);
	free_page(c);
	free_pages(d, 2);
	free_pages(e, 1);
	free_pages(f, 1);
	EXPECT_CHECK();
	EXPECT(ht_pages_come_back());
}

/*
 * Each collision is recorded where it happened: the room, the order, the
 * interrupt's context; then the room that served. A colliding free records
 * its collision and its free into the hot room.
 */
static void collisions_traced_in_order(void)
{
	struct page *a, *b = alloc_pages(GFP_KERNEL, 1);

	trace_set_enabled(true);
	spin_lock(&normal->lock);
	a = irq_alloc(2, GFP_ATOMIC, 1);
	irq_free(2, b, 1);
	spin_unlock(&normal->lock);
	trace_set_enabled(false);
	EXPECT(in_zone(a, dma));
	EXPECT_EQ(trace_entries(0), 4);
	EXPECT_EQ(trace_record_at(0, 0)->event, TRACE_COLLISION);
	EXPECT_EQ(trace_record_at(0, 0)->room, TROOM_ZONE + ZONE_NORMAL);
	EXPECT_EQ(trace_record_at(0, 0)->order, 1);
	EXPECT_EQ(trace_record_at(0, 0)->ctx, OWNER_IRQ(2));
	EXPECT_EQ(trace_record_at(0, 1)->event, TRACE_ALLOC);
	EXPECT_EQ(trace_record_at(0, 1)->room, TROOM_ZONE + ZONE_DMA);
	EXPECT_EQ(trace_record_at(0, 1)->pfn, page_to_pfn(a));
	EXPECT_EQ(trace_record_at(0, 2)->event, TRACE_COLLISION);
	EXPECT_EQ(trace_record_at(0, 2)->room, TROOM_ZONE + ZONE_NORMAL);
	EXPECT_EQ(trace_record_at(0, 2)->ctx, OWNER_IRQ(2));
	EXPECT_EQ(trace_record_at(0, 3)->event, TRACE_FREE);
	EXPECT_EQ(trace_record_at(0, 3)->room, TROOM_HOT);
	EXPECT_EQ(trace_record_at(0, 3)->pfn, page_to_pfn(b));
	free_pages(a, 1);
	EXPECT(ht_pages_come_back());
}

/* A caller that may wait is never turned away: no collision, no trace. */
static void waiting_caller_takes_the_lock(void)
{
	struct page *p;

	trace_set_enabled(true);
	p = alloc_pages(GFP_KERNEL, 3);
	free_pages(p, 3);
	trace_set_enabled(false);
	EXPECT(in_zone(p, normal));
	EXPECT_EQ(trace_entries(0), 2);
	expect_collisions(0, 0, 0, 0);
	EXPECT_CHECK();
}

static const struct host_test tests[] = {
	HT(waiting_caller_takes_the_lock),
	HT(collisions_counted_per_room),
	HT(collisions_traced_in_order),
};

int main(void)
{
	return ht_main("mm_collisions", tests, ARRAY_SIZE(tests), setup);
}
