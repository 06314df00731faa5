/*
 * mm/gfp.h - GFP flags and the page allocator's entry points.
 *
 * "GFP" is "get free pages", as in Linux. The flags an allocation carries
 * choose its path through the labyrinth: the ordered list of rooms it may
 * be served from (see docs/mm.md and mm/path.c):
 *
 *   GFP_KERNEL            hot, NORMAL above low, DMA above low; then sleeps
 *                         (never forever: mm/sleep.h)
 *   GFP_ATOMIC            hot, NORMAL above min, DMA above min, reserve
 *   GFP_ATOMIC|EXCLUSIVE  the owner's exclusive room, then the GFP_ATOMIC path
 *   GFP_DMA (with either) the DMA zone's rooms only
 *
 * Exactly one of GFP_KERNEL and GFP_ATOMIC must be given; the others are
 * modifiers. Any other combination, an unknown bit or an order above
 * MAX_ORDER is refused with a report.
 *
 * alloc_pages() and free_pages() are inline, at the end of this file: the
 * common case (an order-0 page, plain GFP_ATOMIC or GFP_KERNEL) runs in the
 * caller from the hot room (mm/hot.h); everything else calls the
 * out-of-line __alloc_pages_caller() (mm/alloc.c) or __free_pages_caller()
 * (mm/free.c).
 */
#ifndef LABYRINTH_MM_GFP_H
#define LABYRINTH_MM_GFP_H

#include <types.h>
#include <mm/page.h>

typedef unsigned int gfp_t;

#define __GFP_DMA	0x01u	/* only ZONE_DMA (below 16 MiB) */
#define __GFP_HIGH	0x02u	/* high priority: may enter the reserve */
#define __GFP_WAIT	0x04u	/* may sleep */
#define __GFP_EXCLUSIVE	0x08u	/* one owner; the owner's room first */
/*
 * __GFP_ZERO - add to either class: the whole block is filled with zeroes
 * before it is returned (2^order * 4 KiB of writes, so think twice in an
 * interrupt handler: an exclusive room hands out zeroed pages for free).
 * Changes no path or watermark; on NULL, as the base class.
 */
#define __GFP_ZERO	0x10u
/*
 * __GFP_NOWARN - add to either class: a failure returns NULL without the
 * "page allocation failure" report (it is still counted). For callers
 * whose fallback makes failure normal. Bad calls are reported regardless.
 */
#define __GFP_NOWARN	0x20u
/*
 * __GFP_NOFAIL - add to GFP_KERNEL (refused with GFP_ATOMIC: it cannot
 * wait): the caller cannot handle NULL, so the allocation waits for as
 * long as it takes, whatever its order, and reports every mm_wait_ms (at
 * least every second) that it still waits, naming the caller. It still
 * returns NULL where it cannot wait at all (atomic context, before the
 * scheduler, both reported) and when a wait its thread made interruptible
 * is interrupted (the shell's Ctrl-C; such a caller handles NULL). Use it
 * sparingly: a request no free can ever serve waits forever.
 */
#define __GFP_NOFAIL	0x40u
#define __GFP_BITS	0x7fu

/*
 * GFP_KERNEL - the caller may sleep: process context only, no lock held,
 * interrupts on. Stays above the low watermark, never enters the reserve.
 * When no room on its path can serve it, it sleeps until pages are freed and
 * walks again (through the hooks of mm/sleep.h), but never forever: there
 * is no reclaim and no compaction, so waiting helps only when someone
 * frees. An order above PAGE_ALLOC_COSTLY_ORDER (3) gives up after a wait that
 * brought no larger free block; a smaller one gives up once mm_wait_ms
 * (mm_wait_ms= on the command line, default 3000) has passed; both with a
 * report naming the caller (unless __GFP_NOWARN). Before the scheduler
 * exists it returns NULL at once, counted as a "would sleep". So the
 * caller must check for NULL (or add __GFP_NOFAIL).
 * Used where sleeping is forbidden (interrupt, interrupts off, lock held) it
 * is reported once per call site and served without sleeping, as
 * GFP_ATOMIC minus the reserve.
 */
#define GFP_KERNEL	__GFP_WAIT

/*
 * GFP_ATOMIC - the caller cannot sleep (interrupt handler, interrupts off,
 * lock held); legal anywhere. Never blocks and never spins on a busy lock
 * (it collides and moves on); may go down to the min watermark and then
 * enter the reserve room below it. Returns NULL when every room on its path
 * fails, counted and reported (unless __GFP_NOWARN), so the caller must have
 * a fallback.
 */
#define GFP_ATOMIC	__GFP_HIGH

/*
 * GFP_EXCLUSIVE - add to GFP_ATOMIC (or GFP_KERNEL) for an order-0 page owned
 * by the current context (an IRQ line or a thread). Served first from the
 * owner's exclusive room (include/mm/exclusive.h), always zero-filled, and
 * poisoned when freed. Only the owner may free it or hand it off
 * (excl_page_handoff()). Not with GFP_DMA, not above order 0. On NULL the
 * caller runs its fallback, as for its base class.
 */
#define GFP_EXCLUSIVE	__GFP_EXCLUSIVE

/*
 * GFP_DMA - add to GFP_KERNEL or GFP_ATOMIC for memory below 16 MiB (ISA
 * DMA). Only the DMA zone's rooms are walked (not the hot room), with the
 * base class's watermark. On NULL: as the base class.
 */
#define GFP_DMA		__GFP_DMA

/* MAX_ORDER is the largest order: 2^10 pages = 4 MiB. */
#define MAX_ORDER	10
#define NR_ORDERS	(MAX_ORDER + 1)
/*
 * Orders above this are "costly" (Linux's name and value): without
 * compaction, only frees that merge into larger blocks can serve them, so
 * GFP_KERNEL waits for them only while its waits bring larger blocks.
 */
#define PAGE_ALLOC_COSTLY_ORDER	3

/*
 * The out-of-line allocator: every request, checked in full (mm/alloc.c,
 * mm/free.c). caller is the address reports name: the call site of
 * alloc_pages() or free_pages(). The inline functions below call them for
 * everything but the common case.
 */
struct page *__alloc_pages_caller(gfp_t gfp, unsigned int order,
				  void *caller);
int __free_pages_caller(struct page *page, unsigned int order, void *caller);
/*
 * A checked order-0 page the hot room did not take (full, or the page
 * changed state since the check): to its zone, or reported.
 */
void __free_page_hot_full(struct page *page);
/* free_pages_addr() of an address that is no page of mem_map: report. */
void __free_pages_addr_bad(const void *addr, unsigned int order,
			   void *caller);
/*
 * The common case while tracing is on (trace/trace.h): the same work out
 * of line, with its record, so the inline code pays one branch when off.
 */
struct page *__alloc_page_traced(gfp_t gfp, void *caller);
void __free_page_traced(struct page *page, void *caller);

#include <mm/hot.h>	/* the hot room, for the inline common case */
#include <trace/trace.h>	/* trace_enabled(), the common case's test */

/*
 * The address of the code where this is written, as in Linux. In an inline
 * function it is an address in the function it was inlined into, so a
 * report printed with %pS names the function that called alloc_page().
 * (__builtin_return_address(0) there would name that function's caller.)
 */
#ifndef _THIS_IP_
#define _THIS_IP_ ({ __label__ __here; __here: (unsigned long)&&__here; })
#endif
#define MM_CALL_SITE	((void *)_THIS_IP_)

/*
 * Where alloc_page() goes:
 *
 *   alloc_page(gfp) = alloc_pages(gfp, 0)              here, inline
 *     the common case: hot_room_alloc()                 mm/hot.h, inline
 *     anything else: __alloc_pages_caller()             mm/alloc.c
 *       check the request, exclusive room, path_walk()  mm/path.c
 *
 * and free_page() the same way: free_pages() inline, hot_room_free(), a
 * full room __free_page_hot_full(), else __free_pages_caller() (mm/free.c).
 *
 * The common case is an order-0 page for a plain GFP_ATOMIC caller, or a
 * plain GFP_KERNEL caller where it may sleep, both known when compiling
 * (so the test costs nothing at run time): such a request is valid and its
 * path starts at the hot room, whose top page serves it at once.
 */
static inline __attribute__((always_inline))
bool alloc_is_common(gfp_t gfp, unsigned int order)
{
	if (!__builtin_constant_p(order) || order != 0 ||
	    !__builtin_constant_p(gfp))
		return false;
	return gfp == GFP_ATOMIC ||
	       (gfp == GFP_KERNEL && !in_atomic() && !irqs_disabled());
}

/*
 * Allocate 2^order contiguous frames; NULL when every room of the path
 * fails. The common case is a pop from the hot room, inline; everything
 * else (other flags or orders, an empty hot room, a poisoned page, a
 * sleeping allocation in atomic context to report) is checked in full and
 * walks the path in __alloc_pages_caller(). While tracing, the common case
 * goes out of line to be recorded (its trace point: one branch when off).
 */
static inline __attribute__((always_inline))
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = NULL;

	if (alloc_is_common(gfp, order)) {
		if (trace_enabled())
			return __alloc_page_traced(gfp, MM_CALL_SITE);
		page = hot_room_alloc();
	}
	if (likely(page))
		return page;
	return __alloc_pages_caller(gfp, order, MM_CALL_SITE);
}

/*
 * Free a block of 2^order frames that alloc_pages() returned. The common
 * case is a plain order-0 page: a valid frame whose state is exactly
 * PG_head, order 0, pushed on the hot room. That one test is also the
 * check: a double free (PG_hot, PG_buddy, ...), a tail, a reserved frame,
 * an exclusive page or a wrong order fails it, and __free_pages_caller()
 * checks in full and reports. A checked page that finds the hot room full
 * goes to its zone through __free_page_hot_full(); so does one whose state
 * changed between the test and the push (an interrupt freed it meanwhile),
 * which is tested again there and reported. While tracing, the checked
 * page goes out of line to be recorded (one branch when off).
 */
static inline __attribute__((always_inline))
void free_pages(struct page *page, unsigned int order)
{
	if (!__builtin_constant_p(order) || order != 0 || !page_valid(page) ||
	    page->flags != PG_head || page->order != 0) {
		__free_pages_caller(page, order, MM_CALL_SITE);
		return;
	}
	if (trace_enabled()) {
		__free_page_traced(page, MM_CALL_SITE);
		return;
	}
	if (unlikely(!hot_room_free(page)))
		__free_page_hot_full(page);
	else if (unlikely(mm_sleepers))
		mm_wake_waiters();
}

/*
 * free_pages() for a caller that must know whether the free was done (the
 * shell's free command, tests): 0, or -EINVAL when it was refused, and
 * reported as free_pages() reports it, with nothing changed. Always the
 * full checks, out of line.
 */
static inline __attribute__((always_inline))
int free_pages_checked(struct page *page, unsigned int order)
{
	return __free_pages_caller(page, order, MM_CALL_SITE);
}

static inline __attribute__((always_inline))
struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

static inline __attribute__((always_inline))
void free_page(struct page *page)
{
	free_pages(page, 0);
}

/* The address forms: NULL on failure; free by the address handed out. */
static inline __attribute__((always_inline))
void *get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? page_address(page) : NULL;
}

/*
 * NULL is ignored, as free(NULL) is. An address that is not page aligned,
 * or not in a frame of mem_map, was never handed out: reported (with the
 * address) and refused.
 */
static inline __attribute__((always_inline))
void free_pages_addr(void *addr, unsigned int order)
{
	struct page *page;

	if (!addr)
		return;
	page = virt_to_page(addr);
	if (unlikely(((uintptr_t)addr & (PAGE_SIZE - 1)) || !page_valid(page)))
		__free_pages_addr_bad(addr, order, MM_CALL_SITE);
	else
		free_pages(page, order);
}

static inline __attribute__((always_inline))
void *get_free_page(gfp_t gfp)
{
	return get_free_pages(gfp, 0);
}

static inline __attribute__((always_inline))
void free_page_addr(void *addr)
{
	free_pages_addr(addr, 0);
}

/*
 * Give every page in this CPU's hot room back to the zones, and wake
 * sleeping allocations if any. Process context: it waits on the zone locks.
 * Returns the number of pages given back, or -EPERM (reported) where it
 * may not wait (an interrupt, interrupts off, a lock held).
 */
int mm_drain_hot(void);

#endif
