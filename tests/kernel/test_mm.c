/*
 * test_mm.c - the page allocator on real memory, in QEMU.
 *
 * Exhaustion tests run with interrupts off so no handler allocates in the
 * middle and the counts are exact (ktest_pages.h takes and gives back).
 */
#include <asm/irqflags.h>
#include <mm/gfp.h>
#include <mm/view.h>
#include <mm/sleep.h>
#include <mm/debug.h>
#include <tests/kernel/ktest.h>
#include <tests/kernel/ktest_pages.h>
#include "mm/internal.h"

static unsigned long reserve_served(void)
{
	return zones[ZONE_DMA].reserve.served +
	       zones[ZONE_NORMAL].reserve.served;
}

/* Every free page, one by one, then all back: mm_check() clean. */
static void mm_every_page_and_back(struct ktest *t)
{
	unsigned long flags, before, n;
	void *chain;

	local_irq_save(flags);
	before = mm_free_pages();
	KTEST_EXPECT(t, before > 1000);
	chain = ktest_take_all(GFP_ATOMIC, &n);
	KTEST_EXPECT_EQ(t, n, before);
	KTEST_EXPECT_EQ(t, mm_free_pages(), 0);
	KTEST_EXPECT_EQ(t, mm_check(), 0);
	ktest_give_all(chain, n);
	KTEST_EXPECT_EQ(t, mm_free_pages(), before);
	KTEST_EXPECT_EQ(t, mm_check(), 0);
	local_irq_restore(flags);
}

/* GFP_ATOMIC goes below min into the reserve, then fails cleanly. */
static void mm_atomic_reserve_then_null(struct ktest *t)
{
	unsigned long flags, reserve, failures, n;
	void *chain;

	local_irq_save(flags);
	reserve = reserve_served();
	failures = gfp_classes[CLASS_ATOMIC].failures;
	chain = ktest_take_all(GFP_ATOMIC, &n);
	KTEST_EXPECT(t, reserve_served() > reserve);
	KTEST_EXPECT_EQ(t, gfp_classes[CLASS_ATOMIC].failures, failures + 1);
	KTEST_EXPECT(t, alloc_page(GFP_ATOMIC | __GFP_NOWARN) == NULL);
	KTEST_EXPECT_EQ(t, gfp_classes[CLASS_ATOMIC].failures, failures + 2);
	KTEST_EXPECT_EQ(t, mm_check(), 0);	/* state intact at exhaustion */
	ktest_give_all(chain, n);
	KTEST_EXPECT_EQ(t, mm_check(), 0);
	local_irq_restore(flags);
}

static unsigned int would_sleep;

static int test_wait_for_pages(unsigned long seen, unsigned int ms)
{
	(void)seen;
	(void)ms;
	would_sleep++;
	return -EAGAIN;		/* observe the sleep, do not sleep */
}

static unsigned long test_clock_ms(void)
{
	return 0;
}

static const struct mm_sleep_ops test_sleep_ops = {
	.wait_for_pages = test_wait_for_pages,
	.clock_ms = test_clock_ms,
};

/* GFP_KERNEL stops at low in every zone and never enters the reserve. */
static void mm_kernel_never_reserve(struct ktest *t)
{
	const struct mm_sleep_ops *old = mm_set_sleep_ops(&test_sleep_ops);
	unsigned long reserve = reserve_served(), n, i;
	void *chain;

	would_sleep = 0;
	chain = ktest_take_all(GFP_KERNEL, &n);
	KTEST_EXPECT(t, n > 0);
	KTEST_EXPECT_EQ(t, would_sleep, 1);
	KTEST_EXPECT_EQ(t, reserve_served(), reserve);
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];

		if (z->present)
			KTEST_EXPECT(t, z->nr_free >= z->wmark[WMARK_LOW]);
	}
	ktest_give_all(chain, n);
	mm_set_sleep_ops(old);
	KTEST_EXPECT_EQ(t, mm_check(), 0);
}

/* Exclusive pages: zeroed, owned, poisoned on free; foreign free refused. */
static void mm_exclusive_owner(struct ktest *t)
{
	unsigned long before = mm_report_count(MM_BUG_FOREIGN_FREE), flags;
	struct page *page = alloc_page(GFP_KERNEL | GFP_EXCLUSIVE);
	const u8 *p;

	KTEST_EXPECT(t, page != NULL);
	if (!page)
		return;
	p = page_address(page);
	KTEST_EXPECT(t, p[0] == 0 && p[PAGE_SIZE - 1] == 0);
	KTEST_EXPECT_EQ(t, page_owner(page), current_owner());
	KTEST_EXPECT_EQ(t, excl_page_handoff(page, OWNER_IRQ(9)), 0);
	free_page(page);	/* no longer ours: refused */
	KTEST_EXPECT_EQ(t, mm_report_count(MM_BUG_FOREIGN_FREE), before + 1);
	page->owner = current_owner();	/* take it back by hand */
	local_irq_save(flags);
	free_page(page);
	KTEST_EXPECT(t, page->flags & PG_poisoned);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, mm_check(), 0);
}

static const struct ktest_case mm_cases[] = {
	KTEST_CASE(mm_every_page_and_back),
	KTEST_CASE(mm_atomic_reserve_then_null),
	KTEST_CASE(mm_kernel_never_reserve),
	KTEST_CASE(mm_exclusive_owner),
};

KTEST_SUITE(mm_suite, "mm", mm_cases);
