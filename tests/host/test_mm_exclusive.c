/*
 * test_mm_exclusive.c - exclusive rooms, ownership, hand-off, zeroing and
 * poisoning.
 */
#include "host.h"

#define KBD	OWNER_IRQ(1)
#define CONSOLE	OWNER_THREAD(7)

static void setup(void)
{
	ht_boot(64);
}

/* As the keyboard IRQ: alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE). */
static struct page *kbd_alloc(void)
{
	struct page *p;

	host_irq_enter(1);
	p = alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE);
	host_irq_exit();
	return p;
}

static void excl_room_serves_owner_first(void)
{
	int id = excl_room_create(KBD, 4, "kbd");
	struct page *p;

	EXPECT(id >= 0);
	EXPECT_EQ(excl_room_refill(id), 4);
	EXPECT_EQ(excl_room_count(id), 4);
	EXPECT_CHECK();
	p = kbd_alloc();
	EXPECT(p != NULL);
	EXPECT_EQ(excl_room_count(id), 3);
	EXPECT_EQ(excl_rooms[id].stats.served, 1);
	EXPECT_EQ(page_owner(p), KBD);
	EXPECT(ht_all_bytes(page_address(p), 0, PAGE_SIZE));
	EXPECT_CHECK();
	host_irq_enter(1);
	free_page(p);
	host_irq_exit();
	EXPECT_CHECK();
}

/* Refill clears the pages it adds, even dirty recycled ones. */
static void excl_refill_clears_pages(void)
{
	struct page *dirty[8];
	int id, i;

	for (i = 0; i < 8; i++) {
		dirty[i] = alloc_page(GFP_KERNEL);
		memset(page_address(dirty[i]), 0xee, PAGE_SIZE);
	}
	for (i = 0; i < 8; i++)
		free_page(dirty[i]);	/* to the hot room, dirty */
	id = excl_room_create(KBD, 8, "kbd");
	EXPECT_EQ(excl_room_refill(id), 8);
	for (i = 0; i < 8; i++) {
		struct page *p = kbd_alloc();

		EXPECT(ht_all_bytes(page_address(p), 0, PAGE_SIZE));
	}
	EXPECT_EQ(excl_room_count(id), 0);
}

/* An empty room: the GFP_ATOMIC path, and the page is still zeroed. */
static void excl_empty_room_falls_back(void)
{
	int id = excl_room_create(KBD, 2, "kbd");
	struct page *d = alloc_page(GFP_KERNEL), *p;

	memset(page_address(d), 0xee, PAGE_SIZE);
	free_page(d);
	p = kbd_alloc();
	EXPECT(p == d);		/* from the hot room */
	EXPECT_EQ(excl_rooms[id].stats.misses, 1);
	EXPECT(ht_all_bytes(page_address(p), 0, PAGE_SIZE));
	EXPECT_EQ(page_owner(p), KBD);
}

/* No room at all: the GFP_ATOMIC path; a thread owner works too. */
static void excl_without_room(void)
{
	struct page *p;

	host_thread_set(7);
	p = alloc_page(GFP_KERNEL | GFP_EXCLUSIVE);
	EXPECT(p != NULL);
	EXPECT_EQ(page_owner(p), CONSOLE);
	free_page(p);
	host_thread_set(1);
	EXPECT_CHECK();
}

/* Freed by its owner: poisoned before it goes back to a room. */
static void excl_free_poisons(void)
{
	struct page *p = kbd_alloc();

	host_irq_enter(1);
	free_page(p);
	host_irq_exit();
	EXPECT(p->flags & PG_hot);
	EXPECT(p->flags & PG_poisoned);
	EXPECT(ht_all_bytes(page_address(p), PAGE_POISON, PAGE_SIZE));
	EXPECT_EQ(p->flags, PG_hot | PG_poisoned);
	EXPECT_EQ(p->owner, OWNER_NONE);	/* no stale owner left */
	EXPECT_CHECK();
}

/* A poisoned page written after its free is reported when handed out. */
static void excl_poison_changed_reported(void)
{
	struct page *p = kbd_alloc(), *q;

	host_irq_enter(1);
	free_page(p);
	host_irq_exit();
	((char *)page_address(p))[100] = 1;	/* a use after free */
	q = alloc_page(GFP_KERNEL);
	EXPECT(q == p);
	EXPECT_EQ(mm_report_count(MM_BUG_POISON), 1);
	EXPECT(host_log_has("changed at offset 100"));
	EXPECT(!(q->flags & PG_poisoned));
	free_page(q);
	EXPECT_CHECK();
}

static void excl_poison_intact_silent(void)
{
	struct page *p = kbd_alloc(), *q;

	host_irq_enter(1);
	free_page(p);
	host_irq_exit();
	q = alloc_page(GFP_KERNEL);
	EXPECT(q == p);
	EXPECT_EQ(mm_report_count(MM_BUG_POISON), 0);
	free_page(q);
}

/* The order of the free buddy block that holds page. */
static unsigned int free_block_order(const struct page *page)
{
	pfn_t pfn = page_to_pfn(page);
	unsigned int o;

	for (o = 0; o <= MAX_ORDER; o++) {
		const struct page *head = pfn_to_page(pfn & ~((1UL << o) - 1));

		if ((head->flags & PG_buddy) && head->order >= o)
			return head->order;
	}
	return 0;
}

/* Poisoned frames in the buddy lists are counted, and checked when a
 * bigger block containing them is handed out. */
static void excl_poison_checked_in_blocks(void)
{
	struct page *p;
	struct page *blk;
	unsigned long n;
	unsigned int order;

	EXPECT_EQ(mm_setup_param("mm_hot_high", "1"), 0);
	ht_boot(64);
	p = kbd_alloc();
	host_irq_enter(1);
	free_page(p);		/* hot room has room for one */
	host_irq_exit();
	p = kbd_alloc();
	host_irq_enter(1);
	free_page(p);
	host_irq_exit();
	mm_drain_hot();
	n = zones[ZONE_NORMAL].nr_poisoned + zones[ZONE_DMA].nr_poisoned;
	EXPECT(n >= 1);
	EXPECT_CHECK();
	((char *)page_address(p))[7] = 0;
	order = free_block_order(p);
	EXPECT(order > 0);
	do {
		blk = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, order);
	} while (blk && !(page_to_pfn(p) >= page_to_pfn(blk) &&
			  page_to_pfn(p) < page_to_pfn(blk) + (1UL << order)));
	EXPECT(blk != NULL);
	EXPECT_EQ(mm_report_count(MM_BUG_POISON), 1);
	EXPECT(!(p->flags & PG_poisoned));
	EXPECT_EQ(zones[ZONE_NORMAL].nr_poisoned + zones[ZONE_DMA].nr_poisoned,
		  n - 1);
	EXPECT_CHECK();
}

static void excl_foreign_free_refused(void)
{
	struct page *p = kbd_alloc();
	struct mm_snapshot snap;

	snap_take(&snap);
	free_page(p);		/* thread 1, not IRQ1 */
	EXPECT(snap_same(&snap));
	EXPECT_EQ(mm_report_count(MM_BUG_FOREIGN_FREE), 1);
	EXPECT(host_log_has("owned by IRQ1"));
	host_irq_enter(0);
	free_page(p);		/* IRQ0, not IRQ1 */
	host_irq_exit();
	EXPECT(snap_same(&snap));
	EXPECT_EQ(mm_report_count(MM_BUG_FOREIGN_FREE), 2);
	EXPECT_CHECK();
	snap_free(&snap);
}

/* IRQ1 hands the full buffer to the console thread, which frees it. */
static void excl_handoff_moves_owner(void)
{
	struct page *p = kbd_alloc();

	host_irq_enter(1);
	EXPECT_EQ(excl_page_handoff(p, CONSOLE), 0);
	host_irq_exit();
	EXPECT_EQ(page_owner(p), CONSOLE);
	host_irq_enter(1);
	free_page(p);		/* no longer IRQ1's */
	host_irq_exit();
	EXPECT_EQ(mm_report_count(MM_BUG_FOREIGN_FREE), 1);
	host_thread_set(7);
	free_page(p);
	host_thread_set(1);
	EXPECT(p->flags & PG_poisoned);
	EXPECT_EQ(mm_report_count(MM_BUG_FOREIGN_FREE), 1);
	EXPECT_CHECK();
}

static void excl_foreign_handoff_refused(void)
{
	struct page *p = kbd_alloc();
	struct mm_snapshot snap;

	snap_take(&snap);
	EXPECT_EQ(excl_page_handoff(p, CONSOLE), -EPERM);
	EXPECT(snap_same(&snap));
	EXPECT_EQ(page_owner(p), KBD);
	EXPECT_EQ(mm_report_count(MM_BUG_FOREIGN_HANDOFF), 1);
	EXPECT(host_log_has("excl_page_handoff"));
	snap_free(&snap);
}

static void excl_handoff_bad_page_refused(void)
{
	struct page *p = alloc_page(GFP_KERNEL);
	struct page *q = kbd_alloc();
	struct mm_snapshot snap;

	snap_take(&snap);
	EXPECT_EQ(excl_page_handoff(p, CONSOLE), -EINVAL);
	EXPECT_EQ(excl_page_handoff(NULL, CONSOLE), -EINVAL);
	host_irq_enter(1);
	EXPECT_EQ(excl_page_handoff(q, OWNER_NONE), -EINVAL);
	host_irq_exit();
	EXPECT(snap_same(&snap));
	EXPECT_EQ(mm_report_count(MM_BUG_BAD_CALL), 3);
	snap_free(&snap);
}

/* A hand-off to an owner that is no IRQ and no thread: nobody could
 * ever free the page, so it is refused. */
static void excl_handoff_bad_owner_refused(void)
{
	struct page *q = kbd_alloc();
	struct mm_snapshot snap;

	snap_take(&snap);
	host_log_clear();
	host_irq_enter(1);
	EXPECT_EQ(excl_page_handoff(q, 7), -EINVAL);
	host_irq_exit();
	EXPECT(snap_same(&snap));
	EXPECT_EQ(page_owner(q), KBD);
	EXPECT_EQ(mm_report_count(MM_BUG_BAD_CALL), 1);
	EXPECT(host_log_has("hand-off to owner 0x7"));
	EXPECT(host_log_has("excl_page_handoff()"));
	EXPECT(host_log_has("context: IRQ1"));
	snap_free(&snap);
}

/* Each bad argument is reported, saying which; nothing is created. */
static void excl_create_bad_args_reported(void)
{
	struct mm_snapshot snap;

	snap_take(&snap);
	host_log_clear();
	EXPECT_EQ(excl_room_create(OWNER_NONE, 4, "x"), -EINVAL);
	EXPECT(host_log_has("bad owner 0:"));
	EXPECT_EQ(excl_room_create(KBD, 0, "x"), -EINVAL);
	EXPECT(host_log_has("bad target 0:"));
	EXPECT_EQ(excl_room_create(KBD, EXCL_TARGET_MAX + 1, "x"), -EINVAL);
	EXPECT(host_log_has("bad target 1025:"));
	EXPECT_EQ(excl_room_create(KBD, 4, NULL), -EINVAL);
	EXPECT(host_log_has("no name"));
	EXPECT_EQ(mm_report_count(MM_BUG_BAD_CALL), 4);
	EXPECT(host_log_has("excl_room_create()"));
	EXPECT(host_log_has("caller 0x"));
	EXPECT(snap_same(&snap));
	EXPECT_EQ(excl_room_find(KBD), -ENOENT);
	snap_free(&snap);
}

/* An owner that is no IRQ and no thread has no room. */
static void excl_create_bad_owner_refused(void)
{
	EXPECT_EQ(excl_room_create(7, 4, "x"), -EINVAL);
	EXPECT_EQ(mm_report_count(MM_BUG_BAD_CALL), 1);
	EXPECT(host_log_has("bad owner 0x7"));
	EXPECT_EQ(excl_room_find(7), -ENOENT);
}

static unsigned int wakes;

static void count_wake(void)
{
	wakes++;
}

static const struct mm_sleep_ops wake_ops = { .wake_waiters = count_wake };

/* Pages a destroyed room gives back wake sleeping allocations. */
static void excl_destroy_wakes_sleepers(void)
{
	int id = excl_room_create(KBD, 4, "kbd");

	EXPECT_EQ(excl_room_refill(id), 4);
	wakes = 0;
	mm_set_sleep_ops(&wake_ops);
	mm_sleepers = 1;	/* as if a GFP_KERNEL allocation slept */
	EXPECT_EQ(excl_room_destroy(id), 4);
	EXPECT_EQ(wakes, 1);
	mm_sleepers = 0;
	mm_set_sleep_ops(NULL);
	EXPECT_CHECK();
}

/* Destroy waits on the zone locks: refused in an interrupt. */
static void excl_destroy_atomic_refused(void)
{
	int id = excl_room_create(KBD, 4, "kbd");
	struct mm_snapshot snap;

	EXPECT_EQ(excl_room_refill(id), 4);
	snap_take(&snap);
	host_log_clear();
	host_irq_enter(1);
	EXPECT_EQ(excl_room_destroy(id), -EPERM);
	host_irq_exit();
	EXPECT(snap_same(&snap));
	EXPECT_EQ(excl_room_count(id), 4);
	EXPECT_EQ(excl_room_find(KBD), id);
	EXPECT_EQ(mm_report_count(MM_BUG_BAD_CALL), 1);
	EXPECT(host_log_has("excl_room_destroy()"));
	EXPECT(host_log_has("context: IRQ1, irqs off"));
	EXPECT_CHECK();
	snap_free(&snap);
}

static void excl_create_errors(void)
{
	int i;

	EXPECT_EQ(excl_room_create(OWNER_NONE, 4, "x"), -EINVAL);
	EXPECT_EQ(excl_room_create(KBD, 0, "x"), -EINVAL);
	EXPECT_EQ(excl_room_create(KBD, EXCL_TARGET_MAX + 1, "x"), -EINVAL);
	EXPECT_EQ(excl_room_create(KBD, 4, NULL), -EINVAL);
	EXPECT(excl_room_create(KBD, 4, "kbd") >= 0);
	EXPECT_EQ(excl_room_create(KBD, 4, "again"), -EEXIST);
	for (i = 1; i < NR_EXCL_ROOMS; i++)
		EXPECT(excl_room_create(OWNER_THREAD(i), 1, "t") >= 0);
	EXPECT_EQ(excl_room_create(OWNER_IRQ(5), 1, "full"), -EBUSY);
	EXPECT_EQ(excl_room_find(KBD), 0);
	EXPECT_EQ(excl_room_find(OWNER_IRQ(9)), -ENOENT);
}

static void excl_refill_atomic_refused(void)
{
	int id = excl_room_create(KBD, 4, "kbd");

	host_irq_enter(1);
	EXPECT_EQ(excl_room_refill(id), -EPERM);
	host_irq_exit();
	EXPECT_EQ(excl_room_count(id), 0);
	EXPECT_EQ(excl_room_refill(99), -EINVAL);
	EXPECT_EQ(mm_report_count(MM_BUG_BAD_CALL), 2);
	EXPECT_CHECK();
}

/* Refill stops short, without sleeping, when memory is short. */
static void excl_refill_short(void)
{
	int id = excl_room_create(KBD, EXCL_TARGET_MAX, "kbd");
	unsigned long n = 0;

	while (alloc_page(GFP_KERNEL | __GFP_NOWARN))
		n++;
	EXPECT(n > 0);
	EXPECT_EQ(excl_room_refill(id), -ENOMEM);
	EXPECT_CHECK();
}

static void excl_destroy_returns_pages(void)
{
	int id = excl_room_create(KBD, 16, "kbd");

	excl_room_refill(id);
	EXPECT_EQ(excl_room_destroy(id), 16);
	EXPECT_EQ(excl_room_find(KBD), -ENOENT);
	EXPECT_EQ(excl_room_destroy(id), -EINVAL);
	mm_drain_hot();
	EXPECT_EQ(zone_free_total(), mm_total_pages());
	EXPECT_CHECK();
}

static void excl_bad_combinations_refused(void)
{
	host_irq_enter(1);
	EXPECT(alloc_pages(GFP_ATOMIC | GFP_EXCLUSIVE, 1) == NULL);
	EXPECT(alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE | GFP_DMA) == NULL);
	host_irq_exit();
	EXPECT_EQ(mm_report_count(MM_BUG_BAD_ORDER), 1);
	EXPECT_EQ(mm_report_count(MM_BUG_BAD_FLAGS), 1);
	EXPECT_CHECK();
}

static const struct host_test tests[] = {
	HT(excl_room_serves_owner_first),
	HT(excl_refill_clears_pages),
	HT(excl_empty_room_falls_back),
	HT(excl_without_room),
	HT(excl_free_poisons),
	HT(excl_poison_changed_reported),
	HT(excl_poison_intact_silent),
	HT(excl_poison_checked_in_blocks),
	HT(excl_foreign_free_refused),
	HT(excl_handoff_moves_owner),
	HT(excl_foreign_handoff_refused),
	HT(excl_handoff_bad_page_refused),
	HT(excl_handoff_bad_owner_refused),
	HT(excl_create_errors),
	HT(excl_create_bad_args_reported),
	HT(excl_create_bad_owner_refused),
	HT(excl_destroy_wakes_sleepers),
	HT(excl_destroy_atomic_refused),
	HT(excl_refill_atomic_refused),
	HT(excl_refill_short),
	HT(excl_destroy_returns_pages),
	HT(excl_bad_combinations_refused),
};

int main(void)
{
	return ht_main("mm_exclusive", tests, ARRAY_SIZE(tests), setup);
}
