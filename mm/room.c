/*
 * room.c - the zone rooms and the reserve rooms.
 *
 * A zone room serves a block from a zone's buddy lists while the zone keeps
 * at least a watermark free afterwards: low for GFP_KERNEL, min for
 * GFP_ATOMIC. The reserve room is the same lists below min: only GFP_ATOMIC
 * reaches it, as the last step of its path.
 *
 * A room that plainly cannot serve (too few free frames, read without the
 * lock) is a miss at once, with no lock taken. A caller that cannot wait
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
	if (!cannot_wait) {
		spin_lock(&z->lock);
		return true;
	}
	if (spin_trylock(&z->lock))
		return true;
	stat_inc(&rs->collisions);
	trace_mm_room_collision(troom, order, caller);
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
 * Too few free frames for a block of this order above need_after? Read
 * without the lock, as a hint: a room that plainly cannot serve is a miss
 * at once, with no lock taken, so a walk past empty zones stays cheap. A
 * room that looks able is checked again under the lock.
 */
static inline bool zone_plainly_short(const struct zone *z, unsigned int order,
				      unsigned long need_after)
{
	return z->nr_free < (1UL << order) + need_after;
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

/* Serve ac from z if z keeps at least wmark[mark] free frames after. */
struct page *zone_room_take(struct zone *z, struct alloc_ctx *ac,
			    enum wmark mark)
{
	unsigned long need = (1UL << ac->order) + z->wmark[mark];
	struct page *page = NULL;

	if (!z->present)
		return NULL;
	if (zone_plainly_short(z, ac->order, z->wmark[mark])) {
		room_miss(&z->room, ac->room, ac);
		return NULL;
	}
	if (!zone_lock_or_collide(z, &z->room, ac->cannot_wait, ac->room,
				  ac->order, ac->caller))
		return NULL;
	if (z->nr_free >= need)
		page = __zone_take(z, ac);
	if (page)
		z->room.served++;
	spin_unlock(&z->lock);
	if (!page)
		room_miss(&z->room, ac->room, ac);
	return page;
}

/* Serve ac from whatever z has left: the pages under min included. */
struct page *reserve_room_take(struct zone *z, struct alloc_ctx *ac)
{
	struct page *page;

	if (!z->present)
		return NULL;
	if (zone_plainly_short(z, ac->order, 0)) {
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
