/*
 * test_mm_transit.c - mm_check() tells the truth while others allocate.
 *
 * A move between rooms takes several steps, and in the kernel the mover may
 * be interrupted, or switched out, between any two of them. Here a test
 * interrupt runs mm_check() at every such point the host can see (before
 * and after each section with interrupts off, after each unlock: see
 * host_point_hook), all through one move at a time: the hot room's slow
 * pop, a zone and a reserve take, an exclusive room's pop, refill and
 * destroy, the hot room's give-back and trim, and the free of an exclusive
 * page. No check may find a problem; one that finds a zone lock busy must
 * say so (-EBUSY) and check nothing; and in every move that has a step
 * between two rooms, some check must have seen the block in transit, or
 * the test did not look where it meant to.
 */
#include "ops.h"

static void setup(void)
{
	ht_boot(32);
}

/* What the checks at the points found. */
static struct {
	unsigned int checks;	/* mm_check() calls that checked */
	unsigned int busy;	/* calls that found a zone lock busy */
	unsigned int bad;	/* calls that found a problem */
	unsigned int transit;	/* clean calls that saw frames in transit */
	unsigned long most;	/* the most frames in transit one saw */
	char first_bad[200];	/* what the first failed check printed */
} pt;

/* The test interrupt at each point: mm_check(), as IRQ5. */
static void point_check(void)
{
	bool locked = zones[ZONE_DMA].lock.locked ||
		      zones[ZONE_NORMAL].lock.locked;
	size_t logged = strlen(host_log());
	int ret;

	host_irq_enter(5);
	ret = mm_check();
	host_irq_exit();
	if (locked) {
		pt.busy++;
		EXPECT_EQ(ret, -EBUSY);	/* checked nothing, and said so */
		return;
	}
	pt.checks++;
	if (ret) {
		if (!pt.bad++ && strlen(host_log()) > logged)
			snprintf(pt.first_bad, sizeof(pt.first_bad), "%s",
				 host_log() + logged);
		return;
	}
	if (mm_check_in_transit()) {
		pt.transit++;
		pt.most = MAX(pt.most, mm_check_in_transit());
	}
}

static void points_arm(void)
{
	memset(&pt, 0, sizeof(pt));
	host_log_clear();
	host_point_hook = point_check;
}

/*
 * Disarm; no check found a problem. If moved, some check saw the block in
 * transit (frames: at least that many at once).
 */
static void points_done(bool moved, unsigned long frames, int line)
{
	host_point_hook = NULL;
	if (pt.bad)
		ht_fail(__FILE__, line, "%u of %u checks failed; the first "
			"said: %s", pt.bad, pt.checks, pt.first_bad);
	if (!pt.checks)
		ht_fail(__FILE__, line, "no check ran");
	if (moved && !pt.transit)
		ht_fail(__FILE__, line, "no check saw the move in transit");
	if (moved && pt.most < frames)
		ht_fail(__FILE__, line, "at most %lu frames seen in transit, "
			"not %lu", pt.most, frames);
	EXPECT_CHECK();
	EXPECT_EQ(mm_check_in_transit(), 0);
}

#define POINTS_DONE(moved, frames) points_done((moved), (frames), __LINE__)

/* A poisoned page on top of the hot room: the inline pop leaves it. */
static struct page *hot_top_poisoned(void)
{
	struct page *p = alloc_page(GFP_KERNEL | GFP_EXCLUSIVE);

	free_page(p);		/* poisoned, on top of the hot room */
	EXPECT_EQ(p->flags, PG_hot | PG_poisoned);
	return p;
}

/* The hot room's slow pop: poisoned, checked while in transit. */
static void transit_hot_take(void)
{
	struct page *top = hot_top_poisoned(), *p;

	points_arm();
	p = alloc_page(GFP_KERNEL);
	POINTS_DONE(true, 1);
	EXPECT(p == top);
	EXPECT_EQ(p->flags, PG_head);
	EXPECT_EQ(p->owner, OWNER_NONE);	/* not the mover's */
	free_page(p);
}

/* Zone takes of orders 0 to 3, GFP_KERNEL and GFP_ATOMIC, and frees. */
static void transit_zone_take(void)
{
	gfp_t gfp[] = { GFP_KERNEL, GFP_ATOMIC, GFP_KERNEL | __GFP_ZERO };
	unsigned int o, i;
	struct page *p;

	mm_drain_hot();		/* order 0 comes from a zone too */
	for (i = 0; i < ARRAY_SIZE(gfp); i++) {
		for (o = 0; o <= 3; o++) {
			points_arm();
			p = alloc_pages(gfp[i], o);
			POINTS_DONE(true, 1UL << o);
			EXPECT(p && p->flags == PG_head && p->order == o);
			points_arm();
			free_pages(p, o);
			POINTS_DONE(false, 0);
			mm_drain_hot();
		}
	}
}

/*
 * The reserve room: with every frame above the zones' min watermarks
 * taken (and frees going to the zones), GFP_ATOMIC takes from the reserve.
 */
static void transit_reserve_take(void)
{
	unsigned long served = zones[ZONE_NORMAL].reserve.served +
			       zones[ZONE_DMA].reserve.served;
	void *chain = NULL, *p;

	hot_rooms[0].high = 0;		/* frees go to the zones */
	while (zones[ZONE_NORMAL].reserve.served +
	       zones[ZONE_DMA].reserve.served == served) {
		p = get_free_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!p)
			break;
		*(void **)p = chain;
		chain = p;
	}
	p = chain;
	chain = *(void **)p;
	free_page_addr(p);		/* the reserve's page, back to it */
	points_arm();
	p = get_free_page(GFP_ATOMIC);
	POINTS_DONE(true, 1);
	EXPECT(p != NULL);
	EXPECT_EQ(zones[ZONE_NORMAL].reserve.served +
		  zones[ZONE_DMA].reserve.served, served + 2);
	free_page_addr(p);
	while ((p = chain)) {
		chain = *(void **)p;
		free_page_addr(p);
	}
}

/* An exclusive room's refill, pop and destroy (thread 1 owns it). */
static void transit_exclusive_room(void)
{
	int id = excl_room_create(OWNER_THREAD(1), 4, "transit");
	struct page *p;

	points_arm();
	EXPECT_EQ(excl_room_refill(id), 4);
	POINTS_DONE(true, 1);		/* each page's allocation */
	points_arm();
	p = alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE);
	POINTS_DONE(true, 1);		/* out of the room */
	EXPECT(p && p->flags == (PG_head | PG_exclusive));
	EXPECT_EQ(page_owner(p), OWNER_THREAD(1));
	EXPECT_EQ(excl_room_count(id), 3);
	points_arm();
	EXPECT_EQ(excl_room_destroy(id), 3);
	POINTS_DONE(true, 1);		/* each page, to its zone */
	points_arm();
	free_page(p);			/* poisoned, to the hot room */
	POINTS_DONE(false, 0);
}

/*
 * The free of an exclusive page: the owner stays until a room claims the
 * page, so a check before the claim sees an owned exclusive page.
 */
static void transit_exclusive_free(void)
{
	struct page *p = alloc_page(GFP_KERNEL | GFP_EXCLUSIVE);

	points_arm();
	free_page(p);
	POINTS_DONE(false, 0);
	EXPECT_EQ(p->flags, PG_hot | PG_poisoned);
	EXPECT_EQ(p->owner, OWNER_NONE);
}

/* The hot room gives pages back to the zones: drained, and trimmed. */
static void transit_hot_give_back(void)
{
	struct page *p[8];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++)
		p[i] = alloc_page(GFP_KERNEL);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		free_page(p[i]);
	hot_rooms[0].high = 4;
	points_arm();
	EXPECT_EQ(hot_room_trim(), 4);
	POINTS_DONE(true, 1);
	points_arm();
	EXPECT_EQ(mm_drain_hot(), 4);
	POINTS_DONE(true, 1);
}

/*
 * A check in an interrupt that arrives while the code it interrupted holds
 * a zone lock checks nothing and says so: waiting would never end.
 */
static void transit_check_in_irq_with_zone_locked(void)
{
	struct mm_snapshot snap;

	snap_take(&snap);
	spin_lock(&zones[ZONE_NORMAL].lock);
	host_irq_enter(5);
	EXPECT_EQ(mm_check(), -EBUSY);
	host_irq_exit();
	spin_unlock(&zones[ZONE_NORMAL].lock);
	EXPECT(host_log_has("the Normal zone lock is busy"));
	EXPECT(host_log_has("not checked"));
	EXPECT(snap_same(&snap));
	snap_free(&snap);
	EXPECT_CHECK();
}

/*
 * Everything at once: a random sequence of operations (every order, flag,
 * context and room; collisions; refused calls) with the check at every
 * point of every process-context step.
 */
static void transit_random_ops(void)
{
	static struct ops_state st;
	u64 seed = 0x7a5e;
	unsigned long i;

	ops_begin(&st);
	points_arm();
	for (i = 0; i < 4000 && !st.error; i++) {
		seed ^= seed >> 12;
		seed ^= seed << 25;
		seed ^= seed >> 27;
		ops_step(&st, (u32)((seed * 0x2545F4914F6CDD1DULL) >> 32));
	}
	POINTS_DONE(true, 1);
	printf("    # %u checks (%u saw frames in transit, at most %lu), "
	       "%u found a zone lock busy\n", pt.checks, pt.transit,
	       pt.most, pt.busy);
	if (st.error)
		printf("    # op %lu: %s\n", st.ops, st.error);
	EXPECT(st.error == NULL);
	EXPECT(ops_end(&st));
}

static const struct host_test tests[] = {
	HT(transit_hot_take),
	HT(transit_zone_take),
	HT(transit_reserve_take),
	HT(transit_exclusive_room),
	HT(transit_exclusive_free),
	HT(transit_hot_give_back),
	HT(transit_check_in_irq_with_zone_locked),
	HT(transit_random_ops),
};

int main(void)
{
	return ht_main("mm_transit", tests, ARRAY_SIZE(tests), setup);
}
