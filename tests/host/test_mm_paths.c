/*
 * test_mm_paths.c - each GFP class walks exactly its path: the hot room,
 * the zone rooms above their watermark, the reserve; collisions on busy
 * locks; sleeping and its hooks.
 */
#include "host.h"

static void setup(void)
{
	ht_boot(64);
}

/* Frames eaten by eat_zone(), to give back with give_back(). */
static struct page *eaten[20000];
static unsigned long nr_eaten;

/* Take frames out of z's buddy lists until it has `leave` free. */
static void eat_zone(struct zone *z, unsigned long leave)
{
	unsigned int poisoned;
	struct page *page;

	spin_lock(&z->lock);
	while (z->nr_free > leave) {
		page = __buddy_take(z, 0, &poisoned);
		page->flags = PG_head;
		page->order = 0;
		eaten[nr_eaten++] = page;
	}
	spin_unlock(&z->lock);
}

/* Every page back to the zones, through the allocator's own paths. */
static void give_back(void)
{
	while (nr_eaten)
		free_page(eaten[--nr_eaten]);
	EXPECT(ht_pages_come_back());
	EXPECT_CHECK();
}

static unsigned long wm(enum zone_type z, enum wmark m)
{
	return zones[z].wmark[m];
}

static bool in_zone(const struct page *page, enum zone_type z)
{
	return page && page_zone(page) == &zones[z];
}

static void path_kernel_hot_first(void)
{
	struct page *p = alloc_page(GFP_KERNEL), *q;

	free_page(p);
	EXPECT_EQ(hot_rooms[0].count, 1);
	q = alloc_page(GFP_KERNEL);
	EXPECT(q == p);
	EXPECT_EQ(hot_rooms[0].count, 0);
	EXPECT_EQ(hot_rooms[0].stats.served, 1);
	free_page(q);
	EXPECT_CHECK();
}

static void path_kernel_normal_before_dma(void)
{
	struct page *p = alloc_page(GFP_KERNEL);

	EXPECT(in_zone(p, ZONE_NORMAL));
	EXPECT_EQ(zones[ZONE_NORMAL].room.served, 1);
	EXPECT_EQ(zones[ZONE_DMA].room.served, 0);
	free_page(p);
}

/* GFP_KERNEL stops at low in NORMAL, then in DMA, then would sleep. */
static void path_kernel_stops_at_low(void)
{
	struct page *p, *q;

	eat_zone(&zones[ZONE_NORMAL], wm(ZONE_NORMAL, WMARK_LOW) + 1);
	eat_zone(&zones[ZONE_DMA], wm(ZONE_DMA, WMARK_LOW) + 1);
	p = alloc_page(GFP_KERNEL);
	EXPECT(in_zone(p, ZONE_NORMAL));
	q = alloc_page(GFP_KERNEL);
	EXPECT(in_zone(q, ZONE_DMA));
	EXPECT(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	EXPECT_EQ(mm_would_sleep_count(), 1);
	EXPECT_EQ(gfp_classes[CLASS_KERNEL].failures, 1);
	EXPECT_EQ(zones[ZONE_NORMAL].nr_free, wm(ZONE_NORMAL, WMARK_LOW));
	EXPECT_EQ(zones[ZONE_DMA].nr_free, wm(ZONE_DMA, WMARK_LOW));
	EXPECT_EQ(zones[ZONE_NORMAL].reserve.served +
		  zones[ZONE_DMA].reserve.served, 0);
	free_page(p);
	free_page(q);
	give_back();
}

/* Between low and min only GFP_ATOMIC gets pages; never the reserve. */
static void path_kernel_never_enters_reserve(void)
{
	struct page *p;

	eat_zone(&zones[ZONE_NORMAL], wm(ZONE_NORMAL, WMARK_MIN) + 1);
	eat_zone(&zones[ZONE_DMA], wm(ZONE_DMA, WMARK_MIN) + 1);
	EXPECT(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	p = alloc_page(GFP_ATOMIC);
	EXPECT(in_zone(p, ZONE_NORMAL));
	EXPECT_EQ(zones[ZONE_NORMAL].reserve.served, 0);
	free_page(p);
	give_back();
}

/* GFP_ATOMIC: NORMAL down to min, DMA down to min, then the reserve. */
static void path_atomic_min_then_reserve(void)
{
	struct page *a, *b, *c, *d;

	eat_zone(&zones[ZONE_NORMAL], wm(ZONE_NORMAL, WMARK_MIN) + 1);
	eat_zone(&zones[ZONE_DMA], wm(ZONE_DMA, WMARK_MIN) + 1);
	a = alloc_page(GFP_ATOMIC);
	b = alloc_page(GFP_ATOMIC);
	EXPECT(in_zone(a, ZONE_NORMAL));
	EXPECT(in_zone(b, ZONE_DMA));
	EXPECT_EQ(zones[ZONE_NORMAL].reserve.served, 0);
	c = alloc_page(GFP_ATOMIC);	/* both at min: the reserve */
	EXPECT(in_zone(c, ZONE_NORMAL));
	EXPECT_EQ(zones[ZONE_NORMAL].reserve.served, 1);
	EXPECT_EQ(zones[ZONE_NORMAL].nr_free, wm(ZONE_NORMAL, WMARK_MIN) - 1);
	eat_zone(&zones[ZONE_NORMAL], 0);
	d = alloc_page(GFP_ATOMIC);	/* NORMAL empty: DMA's reserve */
	EXPECT(in_zone(d, ZONE_DMA));
	EXPECT_EQ(zones[ZONE_DMA].reserve.served, 1);
	free_page(a);
	free_page(b);
	free_page(c);
	free_page(d);
	give_back();
}

/* Every room empty: NULL at once, counted, reported, state unchanged. */
static void path_atomic_fails_cleanly(void)
{
	struct mm_snapshot snap;

	eat_zone(&zones[ZONE_NORMAL], 0);
	eat_zone(&zones[ZONE_DMA], 0);
	snap_take(&snap);
	EXPECT(alloc_page(GFP_ATOMIC) == NULL);
	EXPECT(snap_same(&snap));
	EXPECT_EQ(gfp_classes[CLASS_ATOMIC].failures, 1);
	EXPECT_EQ(mm_report_count(MM_WARN_ALLOC_FAIL), 1);
	EXPECT(host_log_has("page allocation failure"));
	EXPECT(alloc_page(GFP_ATOMIC | __GFP_NOWARN) == NULL);
	EXPECT_EQ(mm_report_count(MM_WARN_ALLOC_FAIL), 1);
	EXPECT_EQ(gfp_classes[CLASS_ATOMIC].failures, 2);
	EXPECT_CHECK();
	snap_free(&snap);
	give_back();
}

/* GFP_DMA: only the DMA zone's rooms, not the hot room. */
static void path_dma_only_dma_rooms(void)
{
	struct page *h = alloc_page(GFP_KERNEL), *p;

	free_page(h);
	EXPECT_EQ(hot_rooms[0].count, 1);
	p = alloc_page(GFP_KERNEL | GFP_DMA);
	EXPECT(in_zone(p, ZONE_DMA));
	EXPECT_EQ(hot_rooms[0].count, 1);
	free_page(p);
	p = alloc_pages(GFP_ATOMIC | GFP_DMA, 3);
	EXPECT(in_zone(p, ZONE_DMA));
	free_pages(p, 3);
	EXPECT_CHECK();
}

/* GFP_ATOMIC|GFP_DMA enters DMA's reserve, never NORMAL's rooms. */
static void path_dma_atomic_reserve(void)
{
	struct page *p;

	eat_zone(&zones[ZONE_DMA], wm(ZONE_DMA, WMARK_MIN));
	EXPECT(alloc_page(GFP_KERNEL | GFP_DMA | __GFP_NOWARN) == NULL);
	p = alloc_page(GFP_ATOMIC | GFP_DMA);
	EXPECT(in_zone(p, ZONE_DMA));
	EXPECT_EQ(zones[ZONE_DMA].reserve.served, 1);
	EXPECT_EQ(zones[ZONE_NORMAL].room.served, 0);
	free_page(p);
	give_back();
}

/* The hot room keeps at most high pages; the rest go to the zone. */
static void hot_room_keeps_high(void)
{
	struct page *p[100];
	unsigned int i;

	for (i = 0; i < 100; i++)
		p[i] = alloc_page(GFP_KERNEL);
	for (i = 0; i < 100; i++)
		free_page(p[i]);
	EXPECT_EQ(hot_rooms[0].count, HOT_HIGH_DEFAULT);
	EXPECT_EQ(zone_free_total(), mm_total_pages() - HOT_HIGH_DEFAULT);
	EXPECT_CHECK();
}

static void hot_room_order0_only(void)
{
	struct page *p = alloc_page(GFP_KERNEL), *q;

	free_page(p);
	q = alloc_pages(GFP_KERNEL, 1);
	EXPECT_EQ(hot_rooms[0].count, 1);
	free_pages(q, 1);
	EXPECT_EQ(hot_rooms[0].count, 1);
	EXPECT_CHECK();
}

/* An IRQ finds the NORMAL lock held by the code it interrupted. */
static void collision_atomic_skips_busy_zone(void)
{
	struct page *p;

	spin_lock(&zones[ZONE_NORMAL].lock);
	host_irq_enter(1);
	p = alloc_pages(GFP_ATOMIC, 1);
	host_irq_exit();
	spin_unlock(&zones[ZONE_NORMAL].lock);
	EXPECT(in_zone(p, ZONE_DMA));
	EXPECT_EQ(zones[ZONE_NORMAL].room.collisions, 1);
	EXPECT_EQ(zones[ZONE_NORMAL].reserve.collisions, 0);
	free_pages(p, 1);
	EXPECT_CHECK();
}

/* Every zone busy: NULL, a collision per room, state unchanged. */
static void collision_all_busy_fails(void)
{
	struct mm_snapshot snap;

	snap_take(&snap);
	spin_lock(&zones[ZONE_NORMAL].lock);
	spin_lock(&zones[ZONE_DMA].lock);
	host_irq_enter(0);
	EXPECT(alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1) == NULL);
	host_irq_exit();
	spin_unlock(&zones[ZONE_DMA].lock);
	spin_unlock(&zones[ZONE_NORMAL].lock);
	EXPECT(snap_same(&snap));
	EXPECT_EQ(zones[ZONE_NORMAL].room.collisions, 1);
	EXPECT_EQ(zones[ZONE_NORMAL].reserve.collisions, 1);
	EXPECT_EQ(zones[ZONE_DMA].room.collisions, 1);
	EXPECT_EQ(zones[ZONE_DMA].reserve.collisions, 1);
	EXPECT_EQ(gfp_classes[CLASS_ATOMIC].failures, 1);
	EXPECT_CHECK();
	snap_free(&snap);
}

/* The hot room needs no lock: it serves while both zones are busy. */
static void collision_hot_room_still_serves(void)
{
	struct page *p = alloc_page(GFP_KERNEL), *q;

	free_page(p);
	spin_lock(&zones[ZONE_NORMAL].lock);
	spin_lock(&zones[ZONE_DMA].lock);
	host_irq_enter(1);
	q = alloc_page(GFP_ATOMIC);
	host_irq_exit();
	spin_unlock(&zones[ZONE_DMA].lock);
	spin_unlock(&zones[ZONE_NORMAL].lock);
	EXPECT(q == p);
	free_page(q);
	EXPECT_CHECK();
}

/*
 * Collided frees past the end of the hot room's array go on its spill list:
 * two order-10 blocks (2048 frames) into a room of 1024 slots. Every frame
 * is served again, the array first, then the spill list.
 */
static void collision_hot_room_spills(void)
{
	static struct page *pages[2 << MAX_ORDER];
	struct page *a = alloc_pages(GFP_KERNEL, MAX_ORDER);
	struct page *b = alloc_pages(GFP_KERNEL, MAX_ORDER);
	struct zone *z = page_zone(a);
	unsigned int i;

	EXPECT(page_zone(b) == z);
	spin_lock(&z->lock);
	host_irq_enter(1);
	free_pages(a, MAX_ORDER);
	free_pages(b, MAX_ORDER);
	host_irq_exit();
	spin_unlock(&z->lock);
	EXPECT_EQ(hot_rooms[0].count, HOT_MAX);
	EXPECT_EQ(hot_rooms[0].nr_spill, (2u << MAX_ORDER) - HOT_MAX);
	EXPECT_CHECK();
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		pages[i] = alloc_page(GFP_ATOMIC);
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), 0);
	EXPECT_EQ(hot_rooms[0].stats.served, ARRAY_SIZE(pages));
	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		EXPECT(pages[i] != NULL);
		free_page(pages[i]);
	}
	mm_drain_hot();
	EXPECT_EQ(zone_free_total(), mm_total_pages());
	EXPECT_CHECK();
}

/* A free in an IRQ that finds the zone busy keeps the frames hot. */
static void collision_free_in_irq_goes_hot(void)
{
	struct page *blk = alloc_pages(GFP_KERNEL, 2);
	struct zone *z = page_zone(blk);

	spin_lock(&z->lock);
	host_irq_enter(1);
	free_pages(blk, 2);
	host_irq_exit();
	spin_unlock(&z->lock);
	EXPECT_EQ(hot_rooms[0].count, 4);
	EXPECT_EQ(z->room.collisions, 1);
	EXPECT_CHECK();
	mm_drain_hot();
	EXPECT_EQ(zone_free_total(), mm_total_pages());
	EXPECT_CHECK();
}

/*
 * After colliding frees, every page comes back through the allocator's own
 * paths, with no mm_drain_hot(): the hot room's frames are not stranded.
 */
static void collision_free_pages_come_back(void)
{
	struct page *blk = alloc_pages(GFP_KERNEL, 3);
	struct page *p = alloc_page(GFP_KERNEL);
	struct zone *z = page_zone(blk);

	EXPECT(page_zone(p) == z);
	spin_lock(&z->lock);
	host_irq_enter(1);
	free_pages(blk, 3);
	free_page(p);
	host_irq_exit();
	spin_unlock(&z->lock);
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), 9);
	EXPECT(ht_pages_come_back());
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), 0);
	EXPECT_CHECK();
}

/* An IRQ frees an order-10 block while process context holds its zone's
 * lock: all 1024 frames go to the hot room. Leave the zones just short. */
static void strand_big_block_in_hot_room(void)
{
	struct page *big = alloc_pages(GFP_KERNEL, MAX_ORDER);
	struct zone *z = page_zone(big);

	eat_zone(&zones[ZONE_NORMAL], wm(ZONE_NORMAL, WMARK_LOW) + 1);
	eat_zone(&zones[ZONE_DMA], wm(ZONE_DMA, WMARK_LOW) + 1);
	spin_lock(&z->lock);
	host_irq_enter(0);
	free_pages(big, MAX_ORDER);
	host_irq_exit();
	spin_unlock(&z->lock);
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), 1u << MAX_ORDER);
}

/* A failed GFP_KERNEL order-1 request trims the hot room to high and is
 * served from the merged frames, without sleeping. */
static void hot_trim_serves_kernel_order1(void)
{
	struct page *p;

	strand_big_block_in_hot_room();
	p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1);
	EXPECT(p != NULL);
	EXPECT_EQ(mm_would_sleep_count(), 0);
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), HOT_HIGH_DEFAULT);
	free_pages(p, 1);
	give_back();
}

/* The same for GFP_ATOMIC in process context, the zones empty: trimmed
 * (trylocking), served. */
static void hot_trim_serves_atomic_order1(void)
{
	struct page *p;

	strand_big_block_in_hot_room();
	eat_zone(&zones[ZONE_NORMAL], 0);
	eat_zone(&zones[ZONE_DMA], 0);
	p = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1);
	EXPECT(p != NULL);
	EXPECT_EQ(zones[ZONE_NORMAL].reserve.served +
		  zones[ZONE_DMA].reserve.served, 0);
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), HOT_HIGH_DEFAULT);
	free_pages(p, 1);
	give_back();
}

/* An interrupt cannot trim (it would merge 1024 frames with interrupts
 * off): its order-1 request leaves the hot room as it is. */
static void hot_trim_not_in_irq(void)
{
	strand_big_block_in_hot_room();
	eat_zone(&zones[ZONE_NORMAL], 0);
	eat_zone(&zones[ZONE_DMA], 0);
	host_irq_enter(1);
	EXPECT(alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1) == NULL);
	host_irq_exit();
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), 1u << MAX_ORDER);
	give_back();
}

static struct page *irq_kernel_alloc(void)
{
	return alloc_page(GFP_KERNEL);	/* one call site */
}

/* GFP_KERNEL in an IRQ: reported once per call site, served anyway. */
static void sleep_atomic_reported_once(void)
{
	unsigned int i;

	host_irq_enter(1);
	for (i = 0; i < 3; i++) {
		struct page *p = irq_kernel_alloc();

		EXPECT(p != NULL);
		free_page(p);
	}
	host_irq_exit();
	EXPECT_EQ(mm_report_count(MM_BUG_SLEEP_ATOMIC), 1);
	EXPECT(host_log_has("sleeping allocation"));
	EXPECT(host_log_has("use GFP_ATOMIC"));
	EXPECT(host_log_has("IRQ1, irqs off"));
	EXPECT_EQ(mm_would_sleep_count(), 0);
	EXPECT_CHECK();
}

static void sleep_atomic_irqs_off(void)
{
	struct page *p;

	host_irqs_off = true;
	p = alloc_page(GFP_KERNEL);
	host_irqs_off = false;
	EXPECT(p != NULL);
	EXPECT_EQ(mm_report_count(MM_BUG_SLEEP_ATOMIC), 1);
	free_page(p);
}

static void sleep_atomic_lock_held(void)
{
	struct page *p;

	host_extra_locks = 1;
	p = alloc_page(GFP_KERNEL);
	host_extra_locks = 0;
	EXPECT(p != NULL);
	EXPECT_EQ(mm_report_count(MM_BUG_SLEEP_ATOMIC), 1);
	EXPECT(host_log_has("1 locks held"));
	free_page(p);
}

/* ...served as GFP_ATOMIC minus the reserve: it stops at min, no sleep. */
static void sleep_atomic_served_without_reserve(void)
{
	struct page *p;

	eat_zone(&zones[ZONE_NORMAL], wm(ZONE_NORMAL, WMARK_MIN) + 1);
	eat_zone(&zones[ZONE_DMA], wm(ZONE_DMA, WMARK_MIN));
	host_irq_enter(0);
	p = alloc_page(GFP_KERNEL);	/* above min: served */
	EXPECT(in_zone(p, ZONE_NORMAL));
	EXPECT(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	host_irq_exit();
	EXPECT_EQ(zones[ZONE_NORMAL].reserve.served, 0);
	EXPECT_EQ(gfp_classes[CLASS_NOSLEEP].failures, 1);
	EXPECT_EQ(mm_would_sleep_count(), 0);
	free_page(p);
	give_back();
}

static unsigned int waits, wakes;
static int wait_result;
static unsigned long fake_ms;	/* the hooks' clock */

/* A wait hook: frees one eaten page (as another thread would). */
static bool seen_moved;	/* the free in test_wait moved mm_frees_seen() */

/*
 * The scheduler would sleep until mm_frees_seen() != seen; here the "other
 * thread" frees at once, and we check that this free is what ends the wait.
 * (tests/host/test_mm_wait.c checks when the allocator gives up.)
 */
static int test_wait(unsigned long seen, unsigned int ms)
{
	waits++;
	seen_moved = false;
	if (mm_frees_seen() != seen)	/* nothing freed since the last walk */
		return -EIO;
	if (wait_result == 0 && nr_eaten) {
		free_page(eaten[--nr_eaten]);
		seen_moved = mm_frees_seen() != seen;
	}
	if (wait_result == -ETIMEDOUT)
		fake_ms += ms;
	return wait_result;
}

static void test_wake(void)
{
	wakes++;
}

static unsigned long test_clock(void)
{
	return fake_ms;
}

static const struct mm_sleep_ops test_ops = {
	.wait_for_pages = test_wait,
	.wake_waiters = test_wake,
	.clock_ms = test_clock,
};

/* No room serves: sleep, a free wakes us, walk again, served. */
static void sleep_hook_walks_again(void)
{
	struct page *p;

	waits = wakes = 0;
	wait_result = 0;
	eat_zone(&zones[ZONE_NORMAL], wm(ZONE_NORMAL, WMARK_LOW));
	eat_zone(&zones[ZONE_DMA], wm(ZONE_DMA, WMARK_LOW));
	mm_set_sleep_ops(&test_ops);
	p = alloc_page(GFP_KERNEL);
	EXPECT(p != NULL);
	EXPECT_EQ(waits, 1);
	EXPECT_EQ(wakes, 1);
	EXPECT(seen_moved);	/* a free while we wait ends the wait */
	EXPECT_EQ(mm_sleep_count(), 1);
	EXPECT_EQ(mm_sleepers, 0);
	free_page(p);
	EXPECT_EQ(wakes, 1);	/* nobody waits now: no wake */
	mm_set_sleep_ops(NULL);
	give_back();
}

/*
 * GFP_KERNEL|GFP_DMA does not walk the hot room, whose pages (freed DMA
 * pages here, within high) keep the DMA zone at low. Before it sleeps it
 * gives the hot room back to the zones, walks again, and is served.
 */
static void sleep_walk_drains_hot_room(void)
{
	struct page *a, *b, *p;

	waits = 0;
	wait_result = -EAGAIN;
	eat_zone(&zones[ZONE_DMA], wm(ZONE_DMA, WMARK_LOW) + 2);
	a = alloc_page(GFP_KERNEL | GFP_DMA);
	b = alloc_page(GFP_KERNEL | GFP_DMA);
	free_page(a);
	free_page(b);		/* both to the hot room */
	EXPECT_EQ(hot_rooms[0].count, 2);
	EXPECT_EQ(zones[ZONE_DMA].nr_free, wm(ZONE_DMA, WMARK_LOW));
	mm_set_sleep_ops(&test_ops);
	p = alloc_page(GFP_KERNEL | GFP_DMA | __GFP_NOWARN);
	EXPECT(in_zone(p, ZONE_DMA));
	EXPECT_EQ(waits, 0);
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), 0);
	free_page(p);
	mm_set_sleep_ops(NULL);
	give_back();
}

/* Pages mm_drain_hot() gives back wake sleeping allocations. */
static void hot_drain_wakes_sleepers(void)
{
	free_page(alloc_page(GFP_KERNEL));
	wakes = 0;
	mm_set_sleep_ops(&test_ops);
	mm_sleepers = 1;	/* as if a GFP_KERNEL allocation slept */
	EXPECT_EQ(mm_drain_hot(), 1);
	EXPECT_EQ(wakes, 1);
	mm_sleepers = 0;
	mm_set_sleep_ops(NULL);
	EXPECT_CHECK();
}

/* mm_drain_hot() waits on the zone locks: refused in an interrupt. */
static void hot_drain_atomic_refused(void)
{
	struct mm_snapshot snap;

	free_page(alloc_page(GFP_KERNEL));
	snap_take(&snap);
	host_log_clear();
	host_irq_enter(1);
	EXPECT_EQ(mm_drain_hot(), -EPERM);
	host_irq_exit();
	EXPECT(snap_same(&snap));
	EXPECT_EQ(hot_rooms[0].count, 1);
	EXPECT_EQ(mm_report_count(MM_BUG_BAD_CALL), 1);
	EXPECT(host_log_has("mm_drain_hot()"));
	EXPECT(host_log_has("caller 0x"));
	EXPECT(host_log_has("context: IRQ1, irqs off"));
	EXPECT_CHECK();
	snap_free(&snap);
}

/*
 * The window the protocol closes: a free after the allocation's last walk
 * but before it sleeps. It was counted as a sleeper before that walk, so
 * the free moves mm_frees_seen() and the wait's condition already holds.
 */
static void sleep_free_before_wait_not_missed(void)
{
	struct page *p = alloc_page(GFP_KERNEL);
	unsigned long seen;

	seen = mm_sleep_begin();	/* as alloc_sleep_walk() does */
	free_page(p);			/* after the walk, before the wait */
	EXPECT(mm_frees_seen() != seen);
	mm_sleep_end();
	EXPECT_EQ(mm_sleepers, 0);
	EXPECT_CHECK();
}

/* A hook that cannot sleep here: the allocation gives up at once. */
static void sleep_hook_gives_up(void)
{
	waits = 0;
	wait_result = -EAGAIN;
	eat_zone(&zones[ZONE_NORMAL], wm(ZONE_NORMAL, WMARK_LOW));
	eat_zone(&zones[ZONE_DMA], wm(ZONE_DMA, WMARK_LOW));
	mm_set_sleep_ops(&test_ops);
	EXPECT(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	EXPECT_EQ(waits, 1);
	EXPECT_EQ(gfp_classes[CLASS_KERNEL].failures, 1);
	mm_set_sleep_ops(NULL);
	give_back();
}

/* GFP_ATOMIC never sleeps, even with hooks. */
static void sleep_never_for_atomic(void)
{
	waits = 0;
	wait_result = 0;
	eat_zone(&zones[ZONE_NORMAL], 0);
	eat_zone(&zones[ZONE_DMA], 0);
	mm_set_sleep_ops(&test_ops);
	EXPECT(alloc_page(GFP_ATOMIC | __GFP_NOWARN) == NULL);
	EXPECT_EQ(waits, 0);
	mm_set_sleep_ops(NULL);
	give_back();
}

static void zero_flag_zeroes(void)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2), *q;

	memset(page_address(p), 0x5a, 4 * PAGE_SIZE);
	free_pages(p, 2);
	q = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	EXPECT(q == p);
	EXPECT(ht_all_bytes(page_address(q), 0, 4 * PAGE_SIZE));
	free_pages(q, 2);
	EXPECT_CHECK();
}

static void address_forms_roundtrip(void)
{
	void *a = get_free_page(GFP_KERNEL);
	void *b = get_free_pages(GFP_KERNEL, 3);

	EXPECT(a && b);
	EXPECT(page_address(virt_to_page(a)) == a);
	EXPECT(virt_to_page(b)->flags & PG_head);
	EXPECT_EQ(virt_to_page(b)->order, 3);
	EXPECT(pfn_to_page(page_to_pfn(virt_to_page(a))) == virt_to_page(a));
	free_page_addr(a);
	free_pages_addr(b, 3);
	free_page_addr(NULL);
	mm_drain_hot();
	EXPECT_EQ(zone_free_total(), mm_total_pages());
	EXPECT_CHECK();
}

static const struct host_test tests[] = {
	HT(path_kernel_hot_first),
	HT(path_kernel_normal_before_dma),
	HT(path_kernel_stops_at_low),
	HT(path_kernel_never_enters_reserve),
	HT(path_atomic_min_then_reserve),
	HT(path_atomic_fails_cleanly),
	HT(path_dma_only_dma_rooms),
	HT(path_dma_atomic_reserve),
	HT(hot_room_keeps_high),
	HT(hot_room_order0_only),
	HT(collision_atomic_skips_busy_zone),
	HT(collision_all_busy_fails),
	HT(collision_hot_room_still_serves),
	HT(collision_hot_room_spills),
	HT(collision_free_in_irq_goes_hot),
	HT(collision_free_pages_come_back),
	HT(hot_trim_serves_kernel_order1),
	HT(hot_trim_serves_atomic_order1),
	HT(hot_trim_not_in_irq),
	HT(hot_drain_wakes_sleepers),
	HT(hot_drain_atomic_refused),
	HT(sleep_atomic_reported_once),
	HT(sleep_atomic_irqs_off),
	HT(sleep_atomic_lock_held),
	HT(sleep_atomic_served_without_reserve),
	HT(sleep_hook_walks_again),
	HT(sleep_walk_drains_hot_room),
	HT(sleep_hook_gives_up),
	HT(sleep_free_before_wait_not_missed),
	HT(sleep_never_for_atomic),
	HT(zero_flag_zeroes),
	HT(address_forms_roundtrip),
};

int main(void)
{
	return ht_main("mm_paths", tests, ARRAY_SIZE(tests), setup);
}
