/*
 * check.c - mm_check(): recount every room from scratch.
 *
 * Two passes. The list pass walks every free list and room list and checks
 * links, flags, alignment, zone bounds, counts, and that no block's buddy
 * is left free and unmerged (a list that loops is reported, and no walk
 * goes round it more than once); it marks each frame a hot room holds
 * (PG_checked), so a frame held twice is found. The map pass walks mem_map
 * in frame order, block by block, and checks that every frame is in
 * exactly one place (reserved, a free block, a room, an allocated block, a
 * block in transit): no overlap, no lost frame, no PG_hot frame outside the
 * hot rooms, allocated heads aligned to an order up to MAX_ORDER, exclusive
 * pages with a real owner, and totals that match the counters. The marks
 * are cleared before mm_check() returns.
 *
 * Frames in transit. A move from one room to another, or from a room to
 * its caller, takes several steps, and the mover may be switched out (or
 * interrupted) between them, for as long as the scheduler likes. So the
 * step that takes a block out of its room marks it PG_transit, with its
 * order and its mover, and the step that puts it in the next room or
 * hands it out clears the mark (include/mm/page.h). The check counts such
 * a block as accounted for if its mover may be in the middle of a move
 * now: any thread but the one running the check (an interrupt handler
 * cannot be, seen from a thread: it runs to its end first). A block left
 * in transit by the caller, or by an interrupt, is lost. What the check
 * cannot tell: a thread that left a block in transit for good and went on
 * (or ended), seen from another thread.
 *
 * mm_check() holds both zone locks (DMA, then Normal: the only place two are
 * held) with interrupts off for the whole walk. Any context: it never
 * waits for a lock, so in an interrupt that arrived while a zone lock was
 * held it checks nothing and says so (-EBUSY).
 */
#include "internal.h"

struct tally {
	unsigned long zone_free[MAX_NR_ZONES];
	unsigned long zone_poisoned[MAX_NR_ZONES];
	unsigned long hot, pool, alloc, transit, reserved;
	int bad;
};

/* Frames the last mm_check() found in transit (mm_check_in_transit()). */
static unsigned long last_transit;

#define CHECK(t, cond, ...) do { \
	if (unlikely(!(cond))) { \
		(t)->bad++; \
		printk(KERN_ERR "mm_check: " __VA_ARGS__); \
	} \
} while (0)

/*
 * The number of frames on a list, each counted once, and in *again the
 * first frame met a second time (PFN_NONE if the list ends). Brent's
 * cycle finding: no marks and no memory, a few steps a frame, so that a
 * looping list cannot keep a walk going forever: the walks after it stop
 * after this many frames.
 */
static unsigned long list_frames(const struct pfn_list *l, u32 *again)
{
	unsigned long power = 1, lam = 1, n;
	u32 slow = l->first, fast;

	*again = PFN_NONE;
	if (slow == PFN_NONE)
		return 0;
	fast = mem_map[slow].next;
	for (n = 1; fast != PFN_NONE && fast != slow; n++, lam++) {
		if (lam == power) {	/* slow waits at each power of two */
			slow = fast;
			power <<= 1;
			lam = 0;
		}
		fast = mem_map[fast].next;
	}
	if (fast == PFN_NONE)
		return n;		/* no loop: fast went over every frame */
	/*
	 * A loop of lam frames. With fast lam frames ahead, the two meet
	 * where the loop closes: n is lam plus the frames before that one.
	 */
	slow = fast = l->first;
	for (n = 0; n < lam; n++)
		fast = mem_map[fast].next;
	for (n = lam; slow != fast; n++) {
		slow = mem_map[slow].next;
		fast = mem_map[fast].next;
	}
	*again = slow;
	return n;
}

/* Walk one list of frames; check links and return its length. */
static unsigned long check_list(struct tally *t, const struct pfn_list *l,
				const char *what)
{
	const struct page *page;
	u32 prev = PFN_NONE, again;
	unsigned long n = list_frames(l, &again), i = 0;

	pfn_list_for_each(page, l) {
		if (i++ == n)
			break;
		CHECK(t, page->prev == prev, "%s: pfn %#lx prev %#x, not %#x\n",
		      what, page_to_pfn(page), page->prev, prev);
		prev = (u32)page_to_pfn(page);
	}
	CHECK(t, again == PFN_NONE, "%s: list loops back to pfn %#x after "
	      "%lu frame%s\n", what, again, n, n == 1 ? "" : "s");
	return n;
}

static void check_block(struct tally *t, const struct zone *z,
			const struct page *blk, unsigned int o)
{
	pfn_t pfn = page_to_pfn(blk), buddy = pfn ^ (1UL << o);

	CHECK(t, (blk->flags & ~PG_poisoned) == PG_buddy && blk->order == o,
	      "%s order %u: pfn %#lx flags %#x order %u\n", z->name, o, pfn,
	      blk->flags, blk->order);
	CHECK(t, pfn_aligned(pfn, o), "%s: pfn %#lx not aligned to order %u\n",
	      z->name, pfn, o);
	CHECK(t, pfn >= z->start_pfn && pfn + (1UL << o) <= z->end_pfn,
	      "%s: block %#lx order %u outside the zone\n", z->name, pfn, o);
	CHECK(t, o == MAX_ORDER || buddy >= max_pfn || mm_buddy_degraded ||
	      !(mem_map[buddy].flags & PG_buddy) || mem_map[buddy].order != o,
	      "%s: blocks %#lx and %#lx of order %u left unmerged\n", z->name,
	      pfn, buddy, o);
}

static void check_zone_lists(struct tally *t, const struct zone *z)
{
	unsigned long total = 0, n, i;
	const struct page *blk;
	unsigned int o;

	for (o = 0; o <= MAX_ORDER; o++) {
		const struct free_area *fa = &z->free_area[o];

		n = check_list(t, &fa->free_list, z->name);
		CHECK(t, n == fa->nr_free, "%s order %u: %lu listed, nr_free "
		      "%lu\n", z->name, o, n, fa->nr_free);
		i = 0;
		pfn_list_for_each(blk, &fa->free_list) {
			if (i++ == n)
				break;		/* a loop: check_list() said so */
			check_block(t, z, blk, o);
		}
		total += fa->nr_free << o;
	}
	CHECK(t, total == z->nr_free, "%s: lists hold %lu, nr_free %lu\n",
	      z->name, total, z->nr_free);
	CHECK(t, !z->present || (z->wmark[WMARK_MIN] < z->wmark[WMARK_LOW] &&
	      z->wmark[WMARK_LOW] < z->wmark[WMARK_HIGH]),
	      "%s: watermarks %lu/%lu/%lu not ordered\n", z->name,
	      z->wmark[0], z->wmark[1], z->wmark[2]);
}

/*
 * One frame the hot room holds: a hot order-0 page, held once. Mark it
 * (PG_checked), so that a second entry for it, or a PG_hot frame the room
 * does not hold (check_map()), is found: either would let the room hand
 * out one page twice.
 */
static void check_hot_page(struct tally *t, struct page *page,
			   const char *where)
{
	CHECK(t, !(page->flags & PG_checked), "%s: pfn %#lx is in the hot "
	      "room twice\n", where, page_to_pfn(page));
	CHECK(t, (page->flags & ~(PG_poisoned | PG_checked)) == PG_hot &&
	      page->order == 0, "%s: pfn %#lx flags %#x order %u\n", where,
	      page_to_pfn(page), page->flags & ~PG_checked, page->order);
	page->flags |= PG_checked;
}

/* Every page on a hot room's stack and spill list is a hot order-0 page. */
static void check_hot(struct tally *t, struct hot_room *hot)
{
	struct page *page;
	unsigned int i;
	unsigned long n;

	CHECK(t, hot->count <= HOT_MAX, "hot: count %u\n", hot->count);
	for (i = 0; i < hot->count && i < HOT_MAX; i++) {
		page = hot->pages[i];
		if (!page || !page_valid(page)) {
			CHECK(t, false, "hot: pages[%u] = %p is no frame\n", i,
			      (const void *)page);
			continue;
		}
		check_hot_page(t, page, "hot");
	}
	n = check_list(t, &hot->spill, "hot spill");
	CHECK(t, n == hot->nr_spill, "hot: nr_spill %u does not match its "
	      "list\n", hot->nr_spill);
	i = 0;
	pfn_list_for_each(page, &hot->spill) {
		if (i++ == n)
			break;		/* a loop: check_list() said so */
		check_hot_page(t, page, "hot spill");
	}
}

/* Clear the marks check_hot() set. */
static void unmark_hot(struct hot_room *hot)
{
	struct page *page;
	unsigned int i;

	for (i = 0; i < hot->count && i < HOT_MAX; i++)
		if (hot->pages[i] && page_valid(hot->pages[i]))
			hot->pages[i]->flags &= (u16)~PG_checked;
	i = 0;
	pfn_list_for_each(page, &hot->spill) {
		if (++i > max_pfn)
			break;
		page->flags &= (u16)~PG_checked;
	}
}

static void check_rooms(struct tally *t)
{
	const struct page *page;
	unsigned int id, cpu;
	unsigned long n, i;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		check_hot(t, &hot_rooms[cpu]);
	for (id = 0; id < NR_EXCL_ROOMS; id++) {
		const struct excl_room *r = &excl_rooms[id];

		if (!r->name)
			continue;
		n = check_list(t, &r->list, r->name);
		CHECK(t, n == r->count && r->count <= r->target, "room %s: "
		      "count %u target %u\n", r->name, r->count, r->target);
		CHECK(t, owner_valid(r->owner), "room %s: owner %#x is no IRQ "
		      "and no thread\n", r->name, r->owner);
		i = 0;
		pfn_list_for_each(page, &r->list) {
			if (i++ == n)
				break;	/* a loop: check_list() said so */
			CHECK(t, page->flags == PG_pool && page->room == id &&
			      page->owner == r->owner, "room %s: pfn %#lx "
			      "flags %#x\n", r->name, page_to_pfn(page),
			      page->flags);
		}
	}
}

/*
 * The head of a block that is not free (allocated, or in transit): an
 * order up to MAX_ORDER, aligned to it, in one zone. Returns the order to
 * step over (0 if it is not believable).
 */
static unsigned int check_block_head(struct tally *t, pfn_t pfn,
				     const struct page *page, const char *what)
{
	unsigned int order = page->order;

	if (order > MAX_ORDER || !pfn_aligned(pfn, order) ||
	    pfn + (1UL << order) > pfn_zone(pfn)->end_pfn) {
		CHECK(t, false, "pfn %#lx: %s block of order %u is not "
		      "aligned, too big or past its zone\n", pfn, what, order);
		return 0;
	}
	return order;
}

/*
 * An allocated block's head (check_block_head()); an exclusive page is
 * order 0 with an IRQ or thread owner.
 */
static unsigned int check_alloc(struct tally *t, pfn_t pfn,
				const struct page *page)
{
	unsigned int order = check_block_head(t, pfn, page, "allocated");

	if (page->flags & PG_exclusive)
		CHECK(t, order == 0 && owner_valid(page->owner), "pfn %#lx: "
		      "exclusive page of order %u, owner %#x\n", pfn, order,
		      page->owner);
	return order;
}

/*
 * Could mover be in the middle of a move while this check runs? Not if it
 * is the context running the check; and not if it is an interrupt handler
 * while the check runs in a thread: a handler runs to its end before any
 * thread runs again. Any other thread may have been switched out mid-move.
 */
static bool mover_may_be_moving(owner_t mover)
{
	if (!owner_valid(mover) || mover == current_owner())
		return false;
	return in_interrupt() || OWNER_IS_THREAD(mover);
}

/*
 * A block in transit (PG_transit): shaped as an allocated block, and moved
 * by a context that may be in the middle of the move now. A block whose
 * mover cannot be is lost: a move that never ended.
 */
static unsigned int check_transit(struct tally *t, pfn_t pfn,
				  const struct page *page)
{
	unsigned int order = check_block_head(t, pfn, page, "in-transit");
	char who[48];

	CHECK(t, mover_may_be_moving(page->owner), "pfn %#lx order %u: in "
	      "transit, moved by %s, which cannot be moving it now: lost\n",
	      pfn, order, owner_name(page->owner, who, sizeof(who)));
	return order;
}

/* Frames inside a block after its head carry no state of their own. */
static void check_tails(struct tally *t, pfn_t pfn, unsigned int order)
{
	pfn_t i;

	for (i = pfn + 1; i < pfn + (1UL << order) && i < max_pfn; i++)
		CHECK(t, !(mem_map[i].flags & ~PG_poisoned), "pfn %#lx "
		      "(flags %#x) overlaps the block at %#lx order %u\n", i,
		      mem_map[i].flags, pfn, order);
}

/* Count a free block's poisoned frames into its zone's tally. */
static void tally_poison(struct tally *t, pfn_t pfn, unsigned int order)
{
	pfn_t i;

	for (i = pfn; i < pfn + (1UL << order) && i < max_pfn; i++)
		if (mem_map[i].flags & PG_poisoned)
			t->zone_poisoned[pfn_zone(pfn) - zones]++;
}

/* Walk mem_map block by block; every frame must be in one place. */
static void check_map(struct tally *t)
{
	pfn_t pfn = 0;

	while (pfn < max_pfn) {
		const struct page *page = &mem_map[pfn];
		unsigned int order = 0;

		if (page->flags & PG_reserved) {
			t->reserved++;
		} else if (page->flags & PG_buddy) {
			order = MIN(page->order, MAX_ORDER);
			t->zone_free[pfn_zone(pfn) - zones] += 1UL << order;
			tally_poison(t, pfn, order);
		} else if (page->flags & PG_head) {
			order = check_alloc(t, pfn, page);
			t->alloc += 1UL << order;
		} else if (page->flags & PG_transit) {
			order = check_transit(t, pfn, page);
			t->transit += 1UL << order;
		} else if (page->flags & PG_hot) {
			CHECK(t, page->flags & PG_checked, "pfn %#lx is PG_hot "
			      "but in no hot room\n", pfn);
			t->hot++;
		} else if (page->flags & PG_pool) {
			t->pool++;
		} else {
			CHECK(t, false, "pfn %#lx (flags %#x) is in no room "
			      "and no allocation: lost\n", pfn, page->flags);
		}
		check_tails(t, pfn, order);
		pfn += 1UL << order;
	}
}

static void check_totals(struct tally *t)
{
	unsigned long pool = 0, hot = 0, free = 0, managed = 0;
	unsigned int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		CHECK(t, t->zone_free[i] == zones[i].nr_free, "%s: map has %lu "
		      "free, nr_free %lu\n", zones[i].name, t->zone_free[i],
		      zones[i].nr_free);
		CHECK(t, t->zone_poisoned[i] == zones[i].nr_poisoned, "%s: map "
		      "has %lu poisoned, nr_poisoned %lu\n", zones[i].name,
		      t->zone_poisoned[i], zones[i].nr_poisoned);
	}
	for (i = 0; i < NR_EXCL_ROOMS; i++)
		pool += excl_rooms[i].name ? excl_rooms[i].count : 0;
	for (i = 0; i < NR_CPUS; i++)
		hot += hot_room_pages(&hot_rooms[i]);
	for (i = 0; i < MAX_NR_ZONES; i++) {
		free += t->zone_free[i];
		managed += zones[i].present;
	}
	CHECK(t, t->hot == hot, "map has %lu hot, rooms %lu\n", t->hot, hot);
	CHECK(t, t->alloc + t->transit + free + t->hot + t->pool == managed,
	      "map has %lu allocated + %lu in transit + %lu free + %lu hot + "
	      "%lu pool, zones manage %lu\n", t->alloc, t->transit, free,
	      t->hot, t->pool, managed);
	CHECK(t, t->pool == pool, "map has %lu pool pages, rooms %lu\n",
	      t->pool, pool);
	CHECK(t, t->reserved == mm_reserved_pages, "map has %lu reserved, "
	      "expected %lu\n", t->reserved, mm_reserved_pages);
}

/*
 * Take every zone lock, without waiting: in a thread they are free (a
 * holder is never switched out), so only an interrupt that arrived while
 * the code it interrupted held one finds one busy; waiting there would
 * never end. False, with no lock held, if one is busy.
 */
static bool check_lock_zones(void)
{
	unsigned int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		if (spin_trylock(&zones[i].lock))
			continue;
		printk(KERN_ERR "mm_check: the %s zone lock is busy (held by "
		       "this context, or by the code this interrupt "
		       "interrupted): not checked\n",
		       zones[i].name);
		while (i-- > 0)
			spin_unlock(&zones[i].lock);
		return false;
	}
	return true;
}

static void check_unlock_zones(void)
{
	unsigned int i;

	for (i = MAX_NR_ZONES; i-- > 0;)
		spin_unlock(&zones[i].lock);
}

int mm_check(void)
{
	struct tally t = { 0 };
	unsigned long flags;
	unsigned int i;

	if (!mem_map)
		return -EINVAL;
	local_irq_save(flags);
	if (!check_lock_zones()) {
		local_irq_restore(flags);
		return -EBUSY;
	}
	for (i = 0; i < MAX_NR_ZONES; i++)
		check_zone_lists(&t, &zones[i]);
	check_rooms(&t);
	check_map(&t);
	check_totals(&t);
	for (i = 0; i < NR_CPUS; i++)
		unmark_hot(&hot_rooms[i]);
	check_unlock_zones();
	last_transit = t.transit;
	local_irq_restore(flags);
	return -t.bad;
}

unsigned long mm_check_in_transit(void)
{
	return last_transit;
}
