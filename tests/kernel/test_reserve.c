/*
 * test_reserve.c - real memory driven down to the reserve and back (lab
 * 4): GFP_KERNEL stops at low in every zone and never enters a reserve;
 * GFP_ATOMIC takes each zone down to min, then the reserve rooms, page by
 * page, then fails; every page comes back.
 *
 * These run from the boot thread before the keyboard and sampler exist,
 * so nothing else allocates or frees meanwhile and every count is exact.
 * The GFP_ATOMIC case runs with interrupts off as well. Pages taken are
 * chained through their own first word (ktest_pages.h).
 */
#include <asm/irqflags.h>
#include <mm/debug.h>
#include <mm/gfp.h>
#include <mm/sleep.h>
#include <mm/view.h>
#include <tests/kernel/ktest.h>
#include <tests/kernel/ktest_pages.h>
#include "mm/internal.h"

/*
 * False if a boot check of lab 4's code fell back: what follows would test
 * the fallback. reserve: the case needs a reserve, which the watermarks'
 * fallback (min 0) does not have.
 */
static bool checks_passed(struct ktest *t, bool reserve)
{
	KTEST_EXPECT(t, !mm_wmark_test_fallback);
	KTEST_EXPECT_EQ(t, mm_paths_broken, 0);
	if (reserve)
		KTEST_EXPECT(t, !mm_wmark_fallback);
	return !mm_wmark_test_fallback && !mm_paths_broken &&
	       !(reserve && mm_wmark_fallback);
}

static unsigned int would_sleep;

/* Observe that GFP_KERNEL would sleep, and let it fail instead. */
static int no_wait(unsigned long seen, unsigned int ms)
{
	(void)seen;
	(void)ms;
	would_sleep++;
	return -EAGAIN;
}

static unsigned long no_clock(void)
{
	return 0;
}

static const struct mm_sleep_ops no_sleep_ops = {
	.wait_for_pages = no_wait,
	.clock_ms = no_clock,
};

static unsigned long reserve_served(void)
{
	return zones[ZONE_DMA].reserve.served +
	       zones[ZONE_NORMAL].reserve.served;
}

/*
 * GFP_KERNEL, page by page until it would sleep: every zone is left with
 * exactly low free (the hot room given back on the way), no reserve page
 * served. Then everything back.
 */
static void reserve_kernel_stops_at_low(struct ktest *t)
{
	const struct mm_sleep_ops *old;
	unsigned long before, reserve, failures, n;
	void *chain;

	if (!checks_passed(t, false))
		return;
	old = mm_set_sleep_ops(&no_sleep_ops);
	would_sleep = 0;
	before = mm_free_pages();
	reserve = reserve_served();
	failures = gfp_classes[CLASS_KERNEL].failures;
	chain = ktest_take_all(GFP_KERNEL, &n);
	/* One failure, at the sleeping step (which lab 4's wait rule may
	 * leave before it calls the hook). */
	KTEST_EXPECT_EQ(t, gfp_classes[CLASS_KERNEL].failures, failures + 1);
	KTEST_EXPECT(t, would_sleep <= 1);
	KTEST_EXPECT_EQ(t, reserve_served(), reserve);
	for (unsigned int i = 0; i < MAX_NR_ZONES; i++)
		if (zones[i].present)
			KTEST_EXPECT_EQ(t, zones[i].nr_free,
					zones[i].wmark[WMARK_LOW]);
	KTEST_EXPECT_EQ(t, n + mm_free_pages(), before);
	KTEST_EXPECT_EQ(t, mm_check(), 0);
	ktest_give_all(chain, n);
	mm_set_sleep_ops(old);
	KTEST_EXPECT_EQ(t, mm_free_pages(), before);
	KTEST_EXPECT_EQ(t, mm_check(), 0);
}

/* Is any zone room still above min (able to serve GFP_ATOMIC a page)? */
static bool some_zone_above_min(void)
{
	for (unsigned int i = 0; i < MAX_NR_ZONES; i++)
		if (zones[i].present &&
		    zones[i].nr_free > zones[i].wmark[WMARK_MIN])
			return true;
	return false;
}

struct zone_counts {
	unsigned long free, room, reserve;
};

static void counts_read(struct zone_counts *c)
{
	for (unsigned int i = 0; i < MAX_NR_ZONES; i++) {
		c[i].free = zones[i].nr_free;
		c[i].room = zones[i].room.served;
		c[i].reserve = zones[i].reserve.served;
	}
}

/*
 * GFP_ATOMIC, page by page: while a zone room is above min, no page comes
 * from a reserve; then each zone's reserve serves exactly its min pages,
 * and the next allocation fails (counted). At exhaustion mm_check() is
 * clean; after every page is back, the free count is as before.
 */
static void reserve_atomic_takes_it_last(struct ktest *t)
{
	struct zone_counts c0[MAX_NR_ZONES];
	unsigned long flags, before, failures, early = 0, n = 0;
	void *chain = NULL, *p;

	if (!checks_passed(t, true))
		return;
	local_irq_save(flags);
	before = mm_free_pages();
	failures = gfp_classes[CLASS_ATOMIC].failures;
	counts_read(c0);
	for (;;) {
		bool above = some_zone_above_min();
		unsigned long reserve = reserve_served();

		p = get_free_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!p)
			break;
		early += above && reserve_served() != reserve;
		*(void **)p = chain;
		chain = p;
		n++;
	}
	KTEST_EXPECT_EQ(t, early, 0);	/* reserve pages too early */
	KTEST_EXPECT_EQ(t, n, before);
	for (unsigned int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &zones[i];

		if (!z->present)
			continue;
		KTEST_EXPECT_EQ(t, z->nr_free, 0);
		KTEST_EXPECT_EQ(t, z->reserve.served - c0[i].reserve,
				z->wmark[WMARK_MIN]);
		KTEST_EXPECT_EQ(t, z->room.served - c0[i].room,
				c0[i].free - z->wmark[WMARK_MIN]);
	}
	KTEST_EXPECT_EQ(t, gfp_classes[CLASS_ATOMIC].failures, failures + 1);
	KTEST_EXPECT_EQ(t, mm_check(), 0);	/* intact at exhaustion */
	ktest_give_all(chain, n);
	KTEST_EXPECT_EQ(t, mm_free_pages(), before);
	KTEST_EXPECT_EQ(t, mm_check(), 0);
	local_irq_restore(flags);
}

static const struct ktest_case reserve_cases[] = {
	KTEST_CASE(reserve_kernel_stops_at_low),
	KTEST_CASE(reserve_atomic_takes_it_last),
};

KTEST_SUITE(reserve_suite, "reserve", reserve_cases);
