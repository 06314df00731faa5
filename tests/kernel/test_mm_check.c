/*
 * test_mm_check.c - mm_check() tells the truth while others allocate.
 *
 * Two mover threads allocate and free in every way that moves frames
 * between rooms (orders 0 to 3, GFP_KERNEL, GFP_ATOMIC and __GFP_ZERO; the
 * hot room's slow pop of a poisoned page and its give-back; an exclusive
 * room's refill, pop and destroy), while the test thread runs mm_check()
 * over and over for a bounded time. The scheduler switches the movers out
 * wherever their time slice ends, often in the middle of a move: a block
 * taken from one room and not yet in the next. No check may report a
 * problem, and some must have seen a block in transit, or the test did not
 * look where it meant to.
 */
#include <kernel/arch.h>
#include <kernel/context.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <mm/debug.h>
#include <mm/exclusive.h>
#include <mm/gfp.h>
#include <tests/kernel/ktest.h>

#define CHECK_MS	2500	/* how long the checks run */
#define CHECKS_MAX	2000	/* ...or how many, whichever comes first */
#define BAD_MAX		3	/* stop after this many failed checks */
#define NR_MOVERS	2

static volatile bool movers_stop;
static volatile unsigned long mover_rounds[NR_MOVERS];

/* Orders 0 to 3 with each class, out of line (the order is not constant). */
static void move_orders(void)
{
	static const gfp_t gfps[] = {
		GFP_KERNEL, GFP_ATOMIC | __GFP_NOWARN, GFP_KERNEL | __GFP_ZERO,
	};
	struct page *p;
	unsigned int i, o;

	for (i = 0; i < ARRAY_SIZE(gfps); i++) {
		for (o = 0; o <= 3; o++) {
			p = alloc_pages(gfps[i], o);
			if (p)
				free_pages(p, o);
		}
	}
}

/* Fill the hot room a little, and give it all back to the zones. */
static void move_hot_give_back(void)
{
	struct page *p[16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++)
		p[i] = alloc_page(GFP_KERNEL);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		if (p[i])
			free_page(p[i]);
	mm_drain_hot();
}

/*
 * An exclusive room of this thread: refill, pop a page and free it
 * (poisoned, to the hot room), take that page back through the hot room's
 * slow pop (its poison is checked while it is in transit), destroy.
 */
static void move_exclusive(void)
{
	int id = excl_room_create(current_owner(), 8, "mm_check movers");
	struct page *p;

	if (id < 0)
		return;
	excl_room_refill(id);
	p = alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE | __GFP_NOWARN);
	if (p) {
		free_page(p);
		p = alloc_page(GFP_KERNEL);
		if (p)
			free_page(p);
	}
	excl_room_destroy(id);
}

static int mover_fn(void *arg)
{
	unsigned int i = (unsigned int)(unsigned long)arg;

	while (!movers_stop) {
		move_orders();
		move_hot_give_back();
		move_exclusive();
		mover_rounds[i]++;
	}
	return 0;
}

static unsigned long ms_to_ticks(unsigned int ms)
{
	return ((unsigned long)ms * timer_hz + 999) / 1000;
}

static bool jiffies_before(unsigned long end)
{
	return (long)(end - jiffies) > 0;
}

struct check_run {
	unsigned long checks, bad, transit, most;
};

/* mm_check() until the time is up, counting what it found. */
static void check_run(struct check_run *r)
{
	unsigned long end = jiffies + ms_to_ticks(CHECK_MS);

	while (jiffies_before(end) && r->checks < CHECKS_MAX &&
	       r->bad < BAD_MAX) {
		int ret = mm_check();

		r->checks++;
		if (ret) {
			r->bad++;
		} else if (mm_check_in_transit()) {
			r->transit++;
			r->most = MAX(r->most, mm_check_in_transit());
		}
	}
}

static void mm_check_beside_allocating_threads(struct ktest *t)
{
	struct thread *movers[NR_MOVERS];
	struct check_run r = { 0 };
	unsigned int i;

	movers_stop = false;
	for (i = 0; i < NR_MOVERS; i++) {
		mover_rounds[i] = 0;
		movers[i] = kthread_create("mover", mover_fn,
					   (void *)(unsigned long)i);
		KTEST_EXPECT(t, movers[i] != NULL);
	}
	check_run(&r);
	movers_stop = true;
	for (i = 0; i < NR_MOVERS; i++) {
		if (!movers[i])
			continue;
		KTEST_EXPECT_EQ(t, kthread_join(movers[i]), 0);
		KTEST_EXPECT(t, mover_rounds[i] > 0);
	}
	printk("# %lu checks, %lu saw frames in transit (at most %lu); "
	       "mover rounds %lu and %lu\n", r.checks, r.transit, r.most,
	       mover_rounds[0], mover_rounds[1]);
	KTEST_EXPECT_EQ(t, r.bad, 0);
	KTEST_EXPECT(t, r.checks >= 20);
	KTEST_EXPECT(t, r.transit > 0);	/* it caught movers mid-move */
	KTEST_EXPECT_EQ(t, mm_check(), 0);
	KTEST_EXPECT_EQ(t, mm_check_in_transit(), 0);
}

static const struct ktest_case mm_check_cases[] = {
	KTEST_CASE(mm_check_beside_allocating_threads),
};

KTEST_SUITE(mm_check_suite, "mm_check", mm_check_cases);
