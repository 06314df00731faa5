/*
 * mm/internal.h - what only the files of mm/ share.
 *
 * Lock order: mm/ takes one lock at a time, a zone lock, with interrupts on.
 * The hot room and the exclusive rooms have no lock: they are touched with
 * interrupts off (one CPU) for a few instructions, never while a zone lock
 * is awaited. An interrupt can arrive while process context holds a zone
 * lock, so interrupt-time callers only ever trylock a zone (a collision).
 */
#ifndef LABYRINTH_MM_INTERNAL_H
#define LABYRINTH_MM_INTERNAL_H

#include <types.h>
#include <asm/page.h>
#include <asm/irqflags.h>
#include <asm/spinlock.h>
#include <asm/context.h>
#include <kernel/printk.h>
#include <mm/page.h>
#include <mm/gfp.h>
#include <mm/hot.h>
#include <mm/zone.h>
#include <mm/exclusive.h>
#include <mm/debug.h>
#include <lib/seq.h>
#include <trace/events.h>

/* The caller's address in reports: %pS names the symbol in the kernel. */
#ifdef HOST_TEST
#define CALLER_FMT	"%p"
#else
#define CALLER_FMT	"%pS"
#endif

#define noinline	__attribute__((noinline))

/* ---- reports (report.c) ---- */

noinline void mm_report(enum mm_bug kind, const char *func, void *caller,
			pfn_t pfn, unsigned int order, const char *fmt, ...)
	__printf(6, 7);
noinline void mm_assert_failed(const char *cond, const char *func,
			       const char *file, int line);

/* A cheap entry check: report (and carry on) when cond is false. */
#define MM_ASSERT(cond) do { \
	if (unlikely(!(cond))) \
		mm_assert_failed(#cond, __func__, __FILE__, __LINE__); \
} while (0)

/* Bump a counter an interrupt may also bump. */
static inline void stat_inc(unsigned long *counter)
{
	unsigned long flags;

	local_irq_save(flags);
	(*counter)++;
	local_irq_restore(flags);
}

/*
 * A context where the caller must not wait (an interrupt, interrupts off,
 * a lock held: where GFP_KERNEL may not sleep either): it may only trylock.
 */
static inline bool mm_cannot_wait(void)
{
	return in_atomic() || irqs_disabled();
}

/* Can an exclusive page or room belong to o (an IRQ line or a thread)? */
static inline bool owner_valid(owner_t o)
{
	return OWNER_IS_IRQ(o) || OWNER_IS_THREAD(o);
}

/*
 * mm_check()'s mark: set on the frames it finds in a hot room and cleared
 * before it returns, all with both zone locks held and interrupts off.
 */
#define PG_checked	0x8000u

/* ---- frame lists linked by pfn (struct page next/prev) ---- */

static inline void pfn_list_init(struct pfn_list *l)
{
	l->first = PFN_NONE;
}

static inline bool pfn_list_empty(const struct pfn_list *l)
{
	return l->first == PFN_NONE;
}

static inline void pfn_list_add(struct pfn_list *l, struct page *page)
{
	u32 pfn = (u32)page_to_pfn(page);

	page->next = l->first;
	page->prev = PFN_NONE;
	if (l->first != PFN_NONE)
		mem_map[l->first].prev = pfn;
	l->first = pfn;
}

/* Unlink page from l; its own links are left as they were. */
static inline void __pfn_list_unlink(struct pfn_list *l, struct page *page)
{
	if (page->prev != PFN_NONE)
		mem_map[page->prev].next = page->next;
	else
		l->first = page->next;
	if (page->next != PFN_NONE)
		mem_map[page->next].prev = page->prev;
}

static inline void pfn_list_del(struct pfn_list *l, struct page *page)
{
	__pfn_list_unlink(l, page);
	page->next = PFN_NONE;
	page->prev = PFN_NONE;
}

/* Pop the first frame, or NULL. Only prev of the new first needs fixing. */
static inline struct page *pfn_list_pop(struct pfn_list *l)
{
	struct page *page;

	if (l->first == PFN_NONE)
		return NULL;
	page = &mem_map[l->first];
	l->first = page->next;
	if (page->next != PFN_NONE)
		mem_map[page->next].prev = PFN_NONE;
	page->next = PFN_NONE;
	return page;
}

#define pfn_list_for_each(page, l) \
	for (page = ((l)->first == PFN_NONE ? NULL : &mem_map[(l)->first]); \
	     page; \
	     page = (page->next == PFN_NONE ? NULL : &mem_map[page->next]))

/* ---- buddy free lists (buddy.c), caller holds z->lock ---- */

struct page *__buddy_take(struct zone *z, unsigned int order,
			  unsigned int *poisoned);
void __buddy_free(struct zone *z, struct page *page, unsigned int order);
void __buddy_list_order0(struct zone *z);

/*
 * Set at boot by the buddy self-test (mm/init.c), for a handout of lab 3:
 * degraded when blocks cannot be split (every free frame is then listed at
 * order 0); merge_missing when a freed block does not merge with its free
 * buddy. mm_check() then does not ask for merged buddies, and says why.
 */
extern bool mm_buddy_degraded, mm_buddy_merge_missing;

static inline bool pfn_aligned(pfn_t pfn, unsigned int order)
{
	return (pfn & ((1UL << order) - 1)) == 0;
}

/* ---- rooms (hot.c, room.c, exclusive.c) ---- */

/*
 * Claim a page being freed: if its flags are still seen, set them to
 * claimed and return true; else change nothing and return false. One step
 * with interrupts off, so of a thread and an interrupt freeing the same
 * page at once, exactly one claims it, and the other finds the page free
 * (or on its way to a room) and is reported.
 *
 * What this does not catch: if the interrupt frees the page and allocates
 * it again before the thread claims it, the flags are seen again (PG_head,
 * the same order) and the thread's free claims the interrupt's new
 * allocation, unreported. Nothing in struct page can tell the two
 * allocations apart, because the freeing caller holds only the pointer: it
 * is the same as the interrupt running just before the thread's free. The
 * one case caught is a new allocation that is an exclusive page of another
 * owner: the thread's free is then a foreign free (docs/mm.md, "Checks").
 */
static inline bool page_claim(struct page *page, u16 seen, u16 claimed)
{
	unsigned long flags;
	bool ok;

	local_irq_save(flags);
	ok = page->flags == seen;
	if (ok)
		page->flags = claimed;
	local_irq_restore(flags);
	return ok;
}

/*
 * A block leaves its room: mark it in transit, with its order and the
 * context moving it (mover: current_owner()). Call it in the step that
 * takes the block out (interrupts off, or under the zone lock), so that no
 * moment leaves the block in no room and not in transit. The step that
 * puts it in another room or hands it out clears PG_transit (page_claim(),
 * hot_room_put(), alloc_prep()). PG_poisoned is kept.
 */
static inline void transit_begin(struct page *page, unsigned int order,
				 owner_t mover)
{
	page->order = (u8)order;
	page->owner = mover;
	page->flags = (u16)((page->flags & PG_poisoned) | PG_transit);
}

#define HOT_HIGH_DEFAULT	64

/* struct hot_room, hot_rooms[] and the inline pop and push: mm/hot.h. */

struct excl_room {
	const char *name;	/* NULL: slot unused */
	owner_t owner;
	struct pfn_list list;	/* zeroed PG_pool pages */
	unsigned int count, target;
	unsigned long refills;	/* pages added by refills */
	struct room_stats stats;
};

extern struct excl_room excl_rooms[NR_EXCL_ROOMS];

struct page *hot_room_take(void);
int hot_room_put(struct page *page, bool force, u16 seen);
void hot_room_init(unsigned int high);
unsigned int hot_room_give_back(unsigned int keep, bool cannot_wait);
unsigned int hot_room_trim(void);

/* Pages in the hot room, spilled ones included. */
static inline unsigned long hot_room_pages(const struct hot_room *hot)
{
	return hot->count + hot->nr_spill;
}

/* The trace's name for z's zone room (trace/trace.h). */
static inline unsigned int zone_troom(const struct zone *z)
{
	return TROOM_ZONE + (unsigned int)(z - zones);
}

struct alloc_ctx;
struct page *zone_room_take(struct zone *z, struct alloc_ctx *ac,
			    enum wmark mark);
struct page *reserve_room_take(struct zone *z, struct alloc_ctx *ac);
int zone_room_put(struct page *page, unsigned int order, bool cannot_wait);
int zone_room_free(struct page *page, unsigned int order, bool cannot_wait,
		   u16 seen);

struct page *excl_room_take(owner_t owner, void *caller);
bool zone_collision_selftest(void);
void excl_rooms_init(void);
void page_poison(struct page *page);
bool page_poison_intact(const struct page *page, unsigned int *offset);

/* ---- paths and allocation (path.c, alloc.c, free.c) ---- */

enum room_kind { ROOM_END, ROOM_HOT, ROOM_ZONE, ROOM_RESERVE };

struct path_step {
	u8 kind;	/* enum room_kind */
	u8 zone;	/* enum zone_type, for ROOM_ZONE and ROOM_RESERVE */
	u8 mark;	/* enum wmark, for ROOM_ZONE */
};

/* One allocation class: a path and what happens when it fails. */
struct gfp_class {
	const char *name;
	const struct path_step *path;
	const char *on_fail;
	unsigned long failures;	/* NULL returns (I) */
};

enum gfp_class_id {
	CLASS_KERNEL, CLASS_ATOMIC, CLASS_NOSLEEP,
	CLASS_DMA_KERNEL, CLASS_DMA_ATOMIC, CLASS_DMA_NOSLEEP,
	NR_GFP_CLASSES
};

extern struct gfp_class gfp_classes[NR_GFP_CLASSES];

struct alloc_ctx {
	gfp_t gfp;
	unsigned int order;
	bool cannot_wait;	/* trylock only */
	bool from_pool;		/* served by an exclusive room: already zero */
	unsigned int poisoned;	/* PG_poisoned frames in the block taken */
	struct gfp_class *cls;
	void *caller;
	u8 room;		/* TROOM_* of the room that served, for the trace */
	u64 t0;			/* trace_start() on entry: 0 when not tracing */
};

struct gfp_class *gfp_class_of(gfp_t gfp, bool atomic_ctx);
struct page *path_walk(struct alloc_ctx *ac);
void path_show(struct seq *s, const struct gfp_class *cls);

unsigned long mm_free_pages_quick(void);

/* ---- sleeping (sleep.c) ---- */

/* Why a GFP_KERNEL allocation stopped waiting without a page. */
enum mm_wait_why {
	MM_WAIT_NONE,
	MM_WAIT_TIMED_OUT,	/* mm_wait_ms of waiting passed */
	MM_WAIT_NO_PROGRESS,	/* costly order: the wait brought nothing */
	MM_WAIT_INTERRUPTED,	/* the thread's interruptible wait ended */
	MM_WAIT_CANNOT,		/* no hooks, or the hook cannot sleep here */
	MM_WAIT_NO_RULE,	/* lab 4: wait_budget() starter, or broken */
};

/* One allocation's waiting so far (on its stack, in alloc_sleep_walk()). */
struct mm_wait {
	unsigned long start_ms;		/* ops->clock_ms() at the first wait */
	unsigned long waited_ms;	/* since then, at the last look */
	unsigned long next_report_ms;	/* __GFP_NOFAIL: "still waiting" */
	int largest;		/* costly: largest free order before the wait */
	unsigned int waits;
	enum mm_wait_why why;
};

void mm_wait_init(struct mm_wait *w);
unsigned long mm_sleep_begin(void);
void mm_sleep_end(void);
int mm_sleep_wait(struct mm_wait *w, const struct alloc_ctx *ac,
		  unsigned long seen);
const char *mm_wait_why(const struct mm_wait *w, const struct alloc_ctx *ac,
			char *buf, size_t size);
/* mm_sleepers and mm_wake_waiters(): mm/hot.h, for the inline free. */
void sleep_init(void);

/* ---- set-up (init.c, param.c) ---- */

struct wmark_param {
	bool set;
	unsigned long mark[NR_WMARK];
};

extern unsigned long param_min_free_kbytes;	/* 0: the formula */
extern struct wmark_param param_wmark[MAX_NR_ZONES];
extern unsigned int param_hot_high;
extern unsigned int param_wait_ms;		/* mm_wait_ms= */
extern unsigned long mm_reserved_pages;		/* frames not handed over */
extern unsigned long mm_map_pages;		/* frames mem_map occupies */

void wmark_setup(void);
unsigned long int_sqrt(unsigned long x);
/* The formula's parts (lab 4, exercises 1 and 2). */
unsigned long min_free_kbytes_for(unsigned long pages);
void zone_wmark_formula(struct zone *z, unsigned long total_min,
			unsigned long total);

/*
 * mm_init()'s checks of lab 4's code, after wmark_setup(). A handout of
 * lab 4, or of any earlier lab, starts without that code: each check says
 * at boot what is missing, and the kernel falls back where it must.
 *   wmark_check()         a zone without 0 < min < low < high gets min 0,
 *                         low 1, high 2 (mm_wmark_fallback): no reserve;
 *   zone_room_selftest()  zone_watermark_ok() at each watermark's edge;
 *                         if it errs, the zone rooms ignore watermarks
 *                         (mm_wmark_test_fallback);
 *   path_check()          the path tables against docs/mm.md's rules;
 *                         they are walked as they are (mm_paths_broken:
 *                         how many classes break a rule);
 *   sleep_selftest()      wait_budget() on a first wait and at the bound
 *                         (mm_wait_rule_broken); one that waits past the
 *                         bound makes GFP_KERNEL not sleep at all
 *                         (mm_wait_fallback).
 */
void wmark_check(void);
void zone_room_selftest(void);
void path_check(void);
void sleep_selftest(void);
extern bool mm_wmark_fallback, mm_wmark_test_fallback;
extern unsigned int mm_paths_broken;
extern bool mm_wait_rule_broken, mm_wait_fallback;
void mm_params_reset(void);	/* back to defaults (host tests) */
void mm_reports_reset(void);

#endif
