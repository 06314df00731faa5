/*
 * exclusive.c - exclusive rooms, exclusive page ownership, poisoning.
 *
 * An exclusive room is a pool of zeroed order-0 pages kept for one owner
 * (an IRQ line or a thread). Its pages have PG_pool, room = the room's index
 * and owner = the room's owner; count is the length of its list and never
 * exceeds target. Rooms are touched with interrupts off and no lock (one
 * CPU), so an interrupt handler pops a page in a few instructions.
 *
 * An allocated exclusive page has PG_head | PG_exclusive and its owner.
 * Freed, it is filled with PAGE_POISON and marked PG_poisoned before it
 * returns to any room; alloc.c checks the poison when it is handed out again.
 *
 * A page popped from a room (by its owner's allocation, or by a destroy)
 * leaves in transit (PG_transit, with its mover) in the same section with
 * interrupts off, so mm_check() finds it while its mover is switched out.
 */
#include "internal.h"
#include <lib/string.h>

struct excl_room excl_rooms[NR_EXCL_ROOMS];

void excl_rooms_init(void)
{
	memset(excl_rooms, 0, sizeof(excl_rooms));
}

/* The room with this id, or NULL (and a report) for a bad id. */
static struct excl_room *excl_room_get(int id, const char *fn, void *caller)
{
	if (id >= 0 && id < NR_EXCL_ROOMS && excl_rooms[id].name)
		return &excl_rooms[id];
	mm_report(MM_BUG_BAD_CALL, fn, caller, ~0UL, 0,
		  "no exclusive room with id %d", id);
	return NULL;
}

int excl_room_find(owner_t owner)
{
	int id;

	for (id = 0; id < NR_EXCL_ROOMS; id++)
		if (excl_rooms[id].name && excl_rooms[id].owner == owner)
			return id;
	return -ENOENT;
}

unsigned int excl_room_count(int id)
{
	if (id < 0 || id >= NR_EXCL_ROOMS || !excl_rooms[id].name)
		return 0;
	return excl_rooms[id].count;
}

/* Report a bad argument of excl_room_create(); false if all are good. */
static bool excl_create_args_bad(owner_t owner, unsigned int target,
				 const char *name, void *caller)
{
	const char *fn = "excl_room_create";

	if (!owner_valid(owner))
		mm_report(MM_BUG_BAD_CALL, fn, caller, ~0UL, 0,
			  "bad owner %#x: neither an IRQ line nor a thread",
			  owner);
	else if (!target || target > EXCL_TARGET_MAX)
		mm_report(MM_BUG_BAD_CALL, fn, caller, ~0UL, 0,
			  "bad target %u: from 1 to %u pages", target,
			  EXCL_TARGET_MAX);
	else if (!name)
		mm_report(MM_BUG_BAD_CALL, fn, caller, ~0UL, 0,
			  "no name (NULL)");
	else
		return false;
	return true;
}

int excl_room_create(owner_t owner, unsigned int target, const char *name)
{
	void *caller = __builtin_return_address(0);
	struct excl_room *room;
	unsigned long flags;
	char who[48];
	int id;

	if (excl_create_args_bad(owner, target, name, caller))
		return -EINVAL;
	/*
	 * The owner test, the search and the claim in one step with
	 * interrupts off: two threads creating rooms at once (one CPU, so
	 * one preempting the other) never both see a slot free, nor an
	 * owner without a room.
	 */
	local_irq_save(flags);
	id = excl_room_find(owner);
	if (id >= 0) {
		local_irq_restore(flags);
		mm_report(MM_BUG_BAD_CALL, "excl_room_create", caller, ~0UL, 0,
			  "%s already has exclusive room %d",
			  owner_name(owner, who, sizeof(who)), id);
		return -EEXIST;
	}
	for (id = 0; id < NR_EXCL_ROOMS && excl_rooms[id].name; id++)
		;
	if (id == NR_EXCL_ROOMS) {
		local_irq_restore(flags);
		mm_report(MM_BUG_BAD_CALL, "excl_room_create", caller, ~0UL, 0,
			  "all %d exclusive rooms are in use", NR_EXCL_ROOMS);
		return -EBUSY;
	}
	room = &excl_rooms[id];
	*room = (struct excl_room){ .name = name, .owner = owner,
				    .target = target };
	pfn_list_init(&room->list);
	local_irq_restore(flags);
	return id;
}

/* Turn an allocated page into a zeroed pool page of room; false if full. */
static bool excl_room_push(struct excl_room *room, int id, struct page *page,
			   void *caller)
{
	unsigned long flags;
	bool taken = false;

#ifndef LAB5_STARTER		/* lab 5 solution */
	memset(page_address(page), 0, PAGE_SIZE);
#else				/* lab 5 starter */
	/*
	 * LAB 5, exercise 3 (docs/labs/lab5-atomic.md, "Zeroed before,
	 * poisoned after"). The owner's allocation must get a zeroed page,
	 * and this is the place to pay for it: process context, before any
	 * interrupt needs the page. Until you write it, the room keeps pages
	 * as they came, and alloc_prep() in mm/alloc.c clears every
	 * exclusive page in the handler that takes it.
	 */
#endif				/* lab 5 */
	local_irq_save(flags);
	if (room->name && room->count < room->target) {
		page->flags = PG_pool;
		page->room = (u8)id;
		page->owner = room->owner;
		pfn_list_add(&room->list, page);
		room->count++;
		room->refills++;
		taken = true;
	}
	local_irq_restore(flags);
	if (taken)
		trace_mm_room_refill(page, id, caller);
	return taken;
}

int excl_room_refill(int id)
{
	void *caller = __builtin_return_address(0);
	struct excl_room *room = excl_room_get(id, "excl_room_refill", caller);
	struct page *page;
	int added = 0;

	if (!room)
		return -EINVAL;
	if (mm_cannot_wait()) {
		mm_report(MM_BUG_BAD_CALL, "excl_room_refill", caller, ~0UL, 0,
			  "refill needs process context (it may sleep)");
		return -EPERM;
	}
	while (room->count < room->target) {
		page = __alloc_pages_caller(GFP_KERNEL | __GFP_NOWARN, 0,
					    caller);
		if (!page)
			return added ? added : -ENOMEM;
		if (!excl_room_push(room, id, page, caller)) {
			__free_pages_caller(page, 0, caller);
			break;
		}
		added++;
	}
	return added;
}

int excl_room_destroy(int id)
{
	void *caller = __builtin_return_address(0);
	owner_t mover = current_owner();
	struct excl_room *room;
	struct page *page;
	unsigned long flags;
	int freed = 0;

	room = excl_room_get(id, "excl_room_destroy", caller);
	if (!room)
		return -EINVAL;
	if (mm_cannot_wait()) {
		mm_report(MM_BUG_BAD_CALL, "excl_room_destroy", caller, ~0UL, 0,
			  "destroy needs process context (it waits on the zone "
			  "locks)");
		return -EPERM;
	}
	for (;;) {
		local_irq_save(flags);
		page = pfn_list_pop(&room->list);
		if (page) {
			room->count--;
			transit_begin(page, 0, mover);	/* to its zone */
		} else {
			room->name = NULL;	/* empty: free the slot */
		}
		local_irq_restore(flags);
		if (!page)
			break;
		zone_room_put(page, 0, false);
		trace_mm_page_drain(page, TROOM_EXCL + (unsigned int)id);
		freed++;
	}
	if (freed && mm_sleepers)
		mm_wake_waiters();
	return freed;
}

/*
 * Pop a zeroed page from owner's room (owner: the caller's context), or
 * NULL. The page is in transit until alloc_prep() hands it out. caller
 * names the allocation in the trace of a miss. Any context.
 */
struct page *excl_room_take(owner_t owner, void *caller)
{
	struct excl_room *room;
	struct page *page = NULL;
	unsigned long flags;
	int id;

	local_irq_save(flags);
	id = excl_room_find(owner);
	if (id >= 0) {
		room = &excl_rooms[id];
#ifndef LAB5_STARTER		/* lab 5 solution */
		page = pfn_list_pop(&room->list);
		if (page) {
			room->count--;
			room->stats.served++;
			transit_begin(page, 0, owner);
		} else {
			room->stats.misses++;
		}
#else				/* lab 5 starter */
		/*
		 * LAB 5, exercise 2 (docs/labs/lab5-atomic.md, "The owner's
		 * room"). Take a page off the room's list for its owner, keep
		 * the room's count and its served or missed statistics, and
		 * mark the page in transit, moved by owner, before interrupts
		 * come back on (transit_begin() in mm/internal.h says why).
		 * Until you write it, the room serves nothing: every page it
		 * holds stays there, and its owner goes on along the
		 * GFP_ATOMIC path.
		 */
		room->stats.misses++;
#endif				/* lab 5 */
	}
	local_irq_restore(flags);
	if (id >= 0 && !page)
		trace_mm_room_miss(TROOM_EXCL + (unsigned int)id, 0, caller);
	return page;
}

int excl_page_handoff(struct page *page, owner_t new_owner)
{
	void *caller = __builtin_return_address(0);
	const char *fn = "excl_page_handoff";
	char who[48];

	if (!page_valid(page) || !(page->flags & PG_head) ||
	    !(page->flags & PG_exclusive)) {
		mm_report(MM_BUG_BAD_CALL, fn, caller,
			  page_valid(page) ? page_to_pfn(page) : ~0UL, 0,
			  "hand-off of a page that is not an allocated "
			  "exclusive page");
		return -EINVAL;
	}
	if (!owner_valid(new_owner)) {
		/* Nobody could ever free the page: refuse. */
		mm_report(MM_BUG_BAD_CALL, fn, caller, page_to_pfn(page), 0,
			  "hand-off to owner %#x: neither an IRQ line nor a "
			  "thread", new_owner);
		return -EINVAL;
	}
	if (page->owner != current_owner()) {
		mm_report(MM_BUG_FOREIGN_HANDOFF, fn, caller, page_to_pfn(page),
			  0, "foreign hand-off: the page is owned by %s",
			  owner_name(page->owner, who, sizeof(who)));
		return -EPERM;
	}
	page->owner = new_owner;
	trace_mm_page_handoff(page, new_owner, caller);
	return 0;
}

/* Fill a freed exclusive page with PAGE_POISON and mark it. */
void page_poison(struct page *page)
{
#ifndef LAB5_STARTER		/* lab 5 solution */
	memset(page_address(page), PAGE_POISON, PAGE_SIZE);
	page->flags |= PG_poisoned;
#else				/* lab 5 starter */
	/*
	 * LAB 5, exercise 3 (docs/labs/lab5-atomic.md, "Zeroed before,
	 * poisoned after"). __free_pages_caller() calls this for an
	 * exclusive page it is about to give back, before any room holds
	 * it. Fill it with PAGE_POISON and mark it so that the allocation
	 * that takes it again checks the fill (alloc_check_poison() in
	 * mm/alloc.c). Until you write it, a freed exclusive page keeps
	 * what its owner wrote, and a write after the free goes unseen.
	 */
#endif				/* lab 5 */
}

/*
 * Is the poison intact? If not, *offset is the first changed byte.
 *
 * This runs where an exclusive page that was freed is handed out again,
 * maybe in an interrupt handler (its room empty, the hot room's top page
 * poisoned), where a whole period at 192 kHz is 5,200 instructions. So
 * it is kept short: each word is compared with the poison in place, a
 * compare and a branch, sixteen words to a step (written out, because
 * -Og does not unroll loops): about 2,300 instructions for the page.
 * Only a step found changed is searched byte by byte.
 */
bool page_poison_intact(const struct page *page, unsigned int *offset)
{
	const u32 poison = PAGE_POISON * 0x01010101u;
	const u32 *w = page_address(page), *end = w + PAGE_SIZE / sizeof(u32);
	const u8 *p;

#define POISON_4(k)	(w[k] == poison && w[k + 1] == poison && \
			 w[k + 2] == poison && w[k + 3] == poison)
	for (; w < end; w += 16)
		if (!(POISON_4(0) && POISON_4(4) && POISON_4(8) &&
		      POISON_4(12)))
			break;
#undef POISON_4
	if (w == end)
		return true;
	for (p = (const u8 *)w; *p == PAGE_POISON; p++)
		;			/* a word of this step differs */
	*offset = (unsigned int)(p - (const u8 *)page_address(page));
	return false;
}

/* ---- the boot self-test of lab 5's code (mm_irq_selftest()) ---- */

#define SELFTEST_JUNK	0xa5	/* what a page held before its free */
#define SELFTEST_MARK	0x5a	/* left in a room page after refill */

static bool page_all(const struct page *page, u8 byte)
{
	const u8 *p = page_address(page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		if (p[i] != byte)
			return false;
	return true;
}

/* Free a page full of junk: it lands on top of the hot room. */
static struct page *selftest_dirty_page(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_NOWARN);

	if (page) {
		memset(page_address(page), SELFTEST_JUNK, PAGE_SIZE);
		free_page(page);
	}
	return page;
}

/*
 * An exclusive page that no room holds comes from the GFP_ATOMIC path,
 * here the dirty page on top of the hot room: it must be handed out
 * zeroed. Freed, it must be poisoned. Returns a bit per failure.
 */
static unsigned int excl_selftest_path(void)
{
	struct page *dirty = selftest_dirty_page(), *page;
	unsigned int bad = 0;

	page = alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE | __GFP_NOWARN);
	if (!page)
		return 0;
	if (page == dirty && !page_all(page, 0))
		bad |= 1;
	free_page(page);
	if (!(page->flags & PG_poisoned) || !page_all(page, PAGE_POISON))
		bad |= 2;
	return bad;
}

/*
 * A room of one page for the running context, refilled from the dirty
 * page on top of the hot room: the refill must clear it, the room must
 * serve it to its owner, and hand it out as the refill left it (the mark
 * written into it after the refill must still be there: no second clear).
 * Returns a bit per failure.
 */
static unsigned int excl_selftest_room(void)
{
	int id = excl_room_create(current_owner(), 1, "self-test");
	struct page *dirty, *pooled, *page;
	unsigned int bad = 0;
	unsigned long flags;
	u8 *mark;

	if (id < 0)
		return 0;
	dirty = selftest_dirty_page();
	excl_room_refill(id);
	local_irq_save(flags);
	pooled = pfn_list_empty(&excl_rooms[id].list) ? NULL :
		 pfn_to_page(excl_rooms[id].list.first);
	if (pooled && pooled == dirty && !page_all(pooled, 0))
		bad |= 4;
	if (pooled)
		*(u8 *)page_address(pooled) = SELFTEST_MARK;
	local_irq_restore(flags);
	page = alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE | __GFP_NOWARN);
	if (pooled && page != pooled)
		bad |= 8;
	if (page) {
		mark = page_address(page);
		if (page == pooled && !(bad & 4) && *mark != SELFTEST_MARK)
			bad |= 16;
		*mark = 0;
		free_page(page);
	}
	excl_room_destroy(id);
	return bad;
}

/* What each failure bit means: what is wrong, where, what follows. */
static const char *const excl_selftest_says[][3] = {
	{ "an exclusive page from the GFP_ATOMIC path is handed out dirty",
	  "alloc_prep() in mm/alloc.c", "" },
	{ "a freed exclusive page is not poisoned",
	  "page_poison() in mm/exclusive.c",
	  " A write after the free goes unseen." },
	{ "a refill puts pages in an exclusive room as they came, not "
	  "cleared", "excl_room_push() in mm/exclusive.c", "" },
	{ "exclusive rooms serve nothing yet",
	  "excl_room_take() in mm/exclusive.c",
	  " GFP_EXCLUSIVE allocations take the GFP_ATOMIC path, and the "
	  "rooms stay full." },
	{ "a page from its owner's exclusive room is cleared again when it "
	  "is handed out", "alloc_prep() in mm/alloc.c",
	  " That is 4 KiB of stores in the handler, with interrupts off." },
};

void mm_irq_selftest(void)
{
	bool was;
	unsigned int bad, i;

	zone_collision_selftest();
	was = trace_pause();
	bad = excl_selftest_path() | excl_selftest_room();
	trace_resume(was);
	for (i = 0; i < ARRAY_SIZE(excl_selftest_says); i++)
		if (bad & (1u << i))
			pr_err("mm: %s: %s (lab 5).%s\n",
			       excl_selftest_says[i][0],
			       excl_selftest_says[i][1],
			       excl_selftest_says[i][2]);
}
