/*
 * room.c - the zone rooms and the reserve rooms.
 *
 * A zone room serves a block from a zone's buddy lists while the zone keeps
 * at least a watermark free afterwards: low for GFP_KERNEL, min for
 * GFP_ATOMIC. The reserve room is the same lists below min: only GFP_ATOMIC
 * reaches it, as the last step of its path.
 *
 * The zone room's test, zone_watermark_ok(), is lab 4's exercise: at boot
 * zone_room_selftest() asks it about each watermark's edge and, if it
 * errs, the zone rooms ignore the watermarks instead (and the kernel says
 * so). A room that plainly cannot serve (the test read without the lock)
 * is a miss at once, with no lock taken. A caller that cannot wait
 * (interrupt, interrupts off, or GFP_ATOMIC) only trylocks the zone lock;
 * when it is busy the caller collides: the room's collision counter goes
 * up and the caller moves on along its path.
 * The lock is held with interrupts on, for at most MAX_ORDER split or merge
 * steps.
 */
#include "internal.h"

/*
 * Take z->lock, or count a collision on rs (room troom, for the trace) and
 * return false if the caller cannot wait and the lock is busy.
 */
static inline bool zone_lock_or_collide(struct zone *z, struct room_stats *rs,
					bool cannot_wait, unsigned int troom,
					unsigned int order, void *caller)
{
#ifndef LAB5_STARTER		/* lab 5 solution */
	if (!cannot_wait) {
		spin_lock(&z->lock);
		return true;
	}
	if (spin_trylock(&z->lock))
		return true;
	stat_inc(&rs->collisions);
	trace_mm_room_collision(troom, order, caller);
	return false;
#else				/* lab 5 starter */
	/*
	 * LAB 5, exercise 1 (docs/labs/lab5-atomic.md, "The collision
	 * rule"). Return true holding z->lock, or false to send the caller
	 * on to the next room of its path. A caller that may wait takes
	 * the lock, waiting for it if it must. A caller that cannot wait
	 * (cannot_wait: an interrupt handler, interrupts off, a lock held,
	 * or GFP_ATOMIC) must never wait for it: when the lock is busy, that
	 * is a collision, counted on rs and recorded in the event trace
	 * (include/trace/events.h has a trace point for it), and the caller
	 * moves on. Until you write it, every caller only tries the lock
	 * once, and a busy lock is passed by uncounted and untraced.
	 */
	return spin_trylock(&z->lock);
#endif				/* lab 5 */
}

/*
 * The collision rule, checked once at boot (mm_irq_selftest()) on the DMA
 * zone's lock, with a counter of its own (the zone's stay as they were)
 * and the trace paused: a caller that cannot wait must take the lock when
 * it is free, and when it is held, give up at once with one collision
 * counted. Process context, at boot: nothing else takes the lock. A rule
 * that spins on the held lock ends in spin_lock()'s deadlock report.
 * Returns true if the rule holds; says what it saw otherwise.
 */
bool zone_collision_selftest(void)
{
	struct zone *z = &zones[ZONE_DMA];
	struct room_stats rs = { 0 };
	bool was = trace_pause(), took_free, took_held;
	unsigned long flags;

	local_irq_save(flags);
	took_free = zone_lock_or_collide(z, &rs, true, zone_troom(z), 0, NULL);
	if (spin_is_locked(&z->lock))
		spin_unlock(&z->lock);
	spin_lock(&z->lock);
	took_held = zone_lock_or_collide(z, &rs, true, zone_troom(z), 0, NULL);
	spin_unlock(&z->lock);
	local_irq_restore(flags);
	trace_resume(was);
	if (took_free && !took_held && rs.collisions == 1)
		return true;
	if (took_free && !took_held && !rs.collisions)
		pr_err("mm: a busy zone lock is passed by without a collision "
		       "counted or traced: zone_lock_or_collide() in "
		       "mm/room.c (lab 5). The collision counters stay at "
		       "0.\n");
	else
		pr_err("mm: the collision rule is broken (lab 5, "
		       "zone_lock_or_collide() in mm/room.c): a caller that "
		       "cannot wait %s the free DMA lock, %s the held one, "
		       "and counted %lu collisions (want: took, gave up on, "
		       "1).\n", took_free ? "took" : "did not take",
		       took_held ? "claimed" : "gave up on", rs.collisions);
	return false;
}

/* Count a miss on rs (room troom, for the trace). */
static inline void room_miss(struct room_stats *rs, unsigned int troom,
			     const struct alloc_ctx *ac)
{
	stat_inc(&rs->misses);
	trace_mm_room_miss(troom, ac->order, ac->caller);
}

/*
 * Would z keep at least its watermark `mark` free frames after giving a
 * block of this order? The zone room's test: GFP_KERNEL's steps ask it
 * with WMARK_LOW, GFP_ATOMIC's with WMARK_MIN (mm/path.c). Any context;
 * without z->lock the answer is a hint (nr_free may change right after
 * it is read), which is why zone_room_take() asks again under the lock.
 */
static inline bool zone_watermark_ok(const struct zone *z, unsigned int order,
				     enum wmark mark)
{
#ifndef LAB4_STARTER		/* lab 4 solution */
	return z->nr_free >= (1UL << order) + z->wmark[mark];
#else				/* lab 4 starter */
	/*
	 * LAB 4, exercise 3 (docs/labs/lab4-watermarks.md, "The zone
	 * room's test"). True when z has a block's worth of free frames
	 * (2^order) and keeps at least the watermark z->wmark[mark] free
	 * after it. Until you write it, mm_init() finds the watermark
	 * ignored and says so: every zone room serves down to the last
	 * page, for every class.
	 */
	(void)mark;
	return z->nr_free >= (1UL << order);
#endif				/* lab 4 */
}

/*
 * Set at boot by zone_room_selftest() when zone_watermark_ok() fails it:
 * the zone rooms then serve while a block's worth of frames is free, as
 * if every watermark were 0, rather than trust a test that may refuse
 * every page (and leave the kernel unable to start a thread).
 */
bool mm_wmark_test_fallback;

/* The zone room's test, or the fallback's. */
static inline bool zone_room_may_serve(const struct zone *z,
				       unsigned int order, enum wmark mark)
{
	if (unlikely(mm_wmark_test_fallback))
		return z->nr_free >= (1UL << order);
	return zone_watermark_ok(z, order, mark);
}

/*
 * Caller holds z->lock. Take a block of ac's order from z's lists, in
 * transit (moved by the current context) until alloc_prep() hands it out:
 * marked under the lock, so mm_check(), which takes every zone lock, never
 * sees it off the lists and unmarked. NULL if no order can serve.
 */
static struct page *__zone_take(struct zone *z, struct alloc_ctx *ac)
{
	struct page *page = __buddy_take(z, ac->order, &ac->poisoned);

	if (page)
		transit_begin(page, ac->order, current_owner());
	return page;
}

/*
 * Serve ac from z if z keeps at least wmark[mark] free frames after. A room
 * that plainly cannot serve (the test read without the lock) is a miss at
 * once, with no lock taken, so a walk past short zones stays cheap; a room
 * that looks able is tested again under the lock.
 */
struct page *zone_room_take(struct zone *z, struct alloc_ctx *ac,
			    enum wmark mark)
{
	struct page *page = NULL;

	if (!z->present)
		return NULL;
	if (!zone_room_may_serve(z, ac->order, mark)) {
		room_miss(&z->room, ac->room, ac);
		return NULL;
	}
	if (!zone_lock_or_collide(z, &z->room, ac->cannot_wait, ac->room,
				  ac->order, ac->caller))
		return NULL;
	if (zone_room_may_serve(z, ac->order, mark))
		page = __zone_take(z, ac);
	if (page)
		z->room.served++;
	spin_unlock(&z->lock);
	if (!page)
		room_miss(&z->room, ac->room, ac);
	return page;
}

/*
 * Serve ac from whatever z has left: the pages under min included. Its
 * own test, not the zone room's: the reserve has no watermark to keep.
 */
struct page *reserve_room_take(struct zone *z, struct alloc_ctx *ac)
{
	struct page *page;

	if (!z->present)
		return NULL;
	if (z->nr_free < (1UL << ac->order)) {
		room_miss(&z->reserve, ac->room, ac);
		return NULL;
	}
	if (!zone_lock_or_collide(z, &z->reserve, ac->cannot_wait, ac->room,
				  ac->order, ac->caller))
		return NULL;
	page = __zone_take(z, ac);
	if (page)
		z->reserve.served++;
	spin_unlock(&z->lock);
	if (!page)
		room_miss(&z->reserve, ac->room, ac);
	return page;
}

static const char *const probe_mark_names[] = { "min", "low", "high" };

/*
 * Ask zone_watermark_ok() about a block of this order from probe, with
 * free frames just enough to keep the watermark (above) or one frame
 * fewer. False, having said what it answered, if the answer is wrong.
 */
static bool wmark_probe(struct zone *probe, unsigned int order,
			enum wmark mark, bool above)
{
	probe->nr_free = (1UL << order) + probe->wmark[mark] - !above;
	if (zone_watermark_ok(probe, order, mark) == above)
		return true;
	pr_err("mm: zone_watermark_ok() in mm/room.c says %s to order %u "
	       "from %lu free frames with %s at %lu, which leaves %lu (lab 4): "
	       "the zone rooms ignore watermarks instead: GFP_KERNEL takes "
	       "the last page, and no one reaches the reserve\n",
	       above ? "no" : "yes", order, probe->nr_free,
	       probe_mark_names[mark], probe->wmark[mark],
	       probe->nr_free - (1UL << order));
	return false;
}

/*
 * Ask zone_watermark_ok() about a made-up zone (min 4, low 8, high 16) at
 * each watermark's edge, for orders 0 and 2. The kernel depends on it for
 * every zone room, and a handout of lab 4 (or of an earlier lab) starts
 * without it: say what is wrong, and fall back (mm_wmark_test_fallback).
 * Boot, from mm_init().
 */
void zone_room_selftest(void)
{
	struct zone probe = { .name = "probe", .present = 64,
			      .wmark = { 4, 8, 16 } };
	unsigned int order, mark;

	mm_wmark_test_fallback = false;
	for (order = 0; order <= 2; order += 2)
		for (mark = WMARK_MIN; mark < NR_WMARK; mark++)
			if (!wmark_probe(&probe, order, mark, true) ||
			    !wmark_probe(&probe, order, mark, false)) {
				mm_wmark_test_fallback = true;
				return;
			}
}

/*
 * Give a block being freed back to its zone. seen is its head's flags as
 * the caller's check saw them, with interrupts on: they are tested again
 * under the lock, where the block is claimed (flags cleared but
 * PG_poisoned), so a block an interrupt freed meanwhile is not listed
 * twice. The lock keeps other threads out but not an interrupt, which
 * never waits for it: the test and the claim are one step with interrupts
 * off (page_claim()), or an interrupt's free could land between them.
 * Returns -EBUSY, having done nothing, if the caller cannot wait and the
 * zone lock is busy (a collision); -EINVAL, having done nothing, if the
 * flags are no longer seen.
 */
int zone_room_free(struct page *page, unsigned int order, bool cannot_wait,
		   u16 seen)
{
	struct zone *z = page_zone(page);

	if (!zone_lock_or_collide(z, &z->room, cannot_wait, zone_troom(z),
				  order, NULL))
		return -EBUSY;
	if (unlikely(!page_claim(page, seen, seen & PG_poisoned))) {
		spin_unlock(&z->lock);
		return -EINVAL;
	}
	page->owner = OWNER_NONE;	/* claimed: no interrupt reaches it */
	__buddy_free(z, page, order);
	spin_unlock(&z->lock);
	return 0;
}

/*
 * Give a block that no room holds back to its zone: one the caller took
 * from a hot or exclusive room (in transit: the zone's claim ends that), or
 * one with head flags 0 or PG_poisoned. -EBUSY, having done nothing, on a
 * collision.
 */
int zone_room_put(struct page *page, unsigned int order, bool cannot_wait)
{
	return zone_room_free(page, order, cannot_wait, page->flags);
}
