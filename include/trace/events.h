/*
 * trace/events.h - the trace points: one inline function per event, named
 * as Linux names its tracepoints (trace_mm_page_alloc(), ...).
 *
 * Each one is a test of trace_on (trace/trace.h) and, only when it is set,
 * a call that writes the record: when tracing is off a trace point costs
 * one predictable branch. Where the record needs work to compute its
 * fields (a pfn from a page pointer), the work is inside the branch.
 *
 * Who calls what:
 *   mm/alloc.c     trace_mm_page_alloc(), trace_mm_page_alloc_fail()
 *   mm/free.c      trace_mm_page_free(), trace_mm_page_free_refused()
 *   mm/hot.c, mm/room.c, mm/exclusive.c
 *                  trace_mm_room_miss(), trace_mm_room_collision(),
 *                  trace_mm_page_drain()
 *   mm/sleep.c     trace_mm_sleep(), trace_mm_wake()
 *   mm/exclusive.c trace_mm_page_handoff(), trace_mm_room_refill()
 *   include/mm/gfp.h  the inline common case: a traced variant out of line
 *   kernel/irq.c   trace_irq_handler_entry(), trace_irq_handler_exit()
 *   kernel/sched.c trace_sched_switch()
 *
 * The dump's columns and what each event puts in them: docs/TRACING.md.
 */
#ifndef LABYRINTH_TRACE_EVENTS_H
#define LABYRINTH_TRACE_EVENTS_H

#include <trace/trace.h>
#include <mm/page.h>

#define TRACE_INLINE	static inline __attribute__((always_inline))

/* The frame of page, for a record; page may be NULL. */
TRACE_INLINE u32 trace_pfn(const struct page *page)
{
	return page ? (u32)page_to_pfn(page) : TRACE_PFN_NONE;
}

/* A block of 2^order frames left room for a caller; t0: trace_start(). */
TRACE_INLINE void trace_mm_page_alloc(const struct page *page,
				      unsigned int order, unsigned int gfp,
				      unsigned int room, void *caller, u64 t0)
{
	if (trace_enabled())
		__trace_event_timed(TRACE_INFO(TRACE_ALLOC, order, room),
				    trace_pfn(page), gfp, caller, t0);
}

/* Every room of the path (and every wait) failed. */
TRACE_INLINE void trace_mm_page_alloc_fail(unsigned int order,
					   unsigned int gfp, void *caller,
					   u64 t0)
{
	if (trace_enabled())
		__trace_event_timed(TRACE_INFO(TRACE_ALLOC_FAIL, order, 0),
				    TRACE_PFN_NONE, gfp, caller, t0);
}

/* A block went into room (hot, a zone room) from a caller's free. */
TRACE_INLINE void trace_mm_page_free(const struct page *page,
				     unsigned int order, unsigned int room,
				     void *caller, u64 t0)
{
	if (trace_enabled())
		__trace_event_timed(TRACE_INFO(TRACE_FREE, order, room),
				    trace_pfn(page), TRACE_GFP_NONE, caller,
				    t0);
}

/* A free was refused (and reported); pfn may be TRACE_PFN_NONE. */
TRACE_INLINE void trace_mm_page_free_refused(u32 pfn, unsigned int order,
					     void *caller)
{
	if (trace_enabled())
		__trace_event(TRACE_INFO(TRACE_FREE_REFUSED, order, 0), pfn,
			      TRACE_ARG_NONE, TRACE_GFP_NONE, caller);
}

/* Room could not serve a block of this order. */
TRACE_INLINE void trace_mm_room_miss(unsigned int room, unsigned int order,
				     void *caller)
{
	if (trace_enabled())
		__trace_event(TRACE_INFO(TRACE_MISS, order, room),
			      TRACE_PFN_NONE, TRACE_ARG_NONE, TRACE_GFP_NONE,
			      caller);
}

/* Room's lock was busy and the caller could not wait: it moved on. */
TRACE_INLINE void trace_mm_room_collision(unsigned int room,
					  unsigned int order, void *caller)
{
	if (trace_enabled())
		__trace_event(TRACE_INFO(TRACE_COLLISION, order, room),
			      TRACE_PFN_NONE, TRACE_ARG_NONE, TRACE_GFP_NONE,
			      caller);
}

/* A free page left room (hot, exclusive) for its zone. */
TRACE_INLINE void trace_mm_page_drain(const struct page *page,
				      unsigned int room)
{
	if (trace_enabled())
		__trace_event(TRACE_INFO(TRACE_DRAIN, 0, room),
			      trace_pfn(page), TRACE_ARG_NONE, TRACE_GFP_NONE,
			      NULL);
}

/* A GFP_KERNEL allocation goes to sleep for at most ms. */
TRACE_INLINE void trace_mm_sleep(unsigned int order, unsigned int gfp,
				 unsigned int ms, void *caller)
{
	if (trace_enabled())
		__trace_event(TRACE_INFO(TRACE_SLEEP, order, 0),
			      TRACE_PFN_NONE, ms, gfp, caller);
}

/* ... and its wait ended, t0 (trace_start()) after it began. */
TRACE_INLINE void trace_mm_wake(unsigned int order, unsigned int gfp,
				void *caller, u64 t0)
{
	if (trace_enabled())
		__trace_event_timed(TRACE_INFO(TRACE_WAKE, order, 0),
				    TRACE_PFN_NONE, gfp, caller, t0);
}

/* An exclusive page passed from the current context to new_owner. */
TRACE_INLINE void trace_mm_page_handoff(const struct page *page,
					owner_t new_owner, void *caller)
{
	if (trace_enabled())
		__trace_event(TRACE_INFO(TRACE_HANDOFF, 0, 0),
			      trace_pfn(page), new_owner, TRACE_GFP_NONE,
			      caller);
}

/* A zeroed page went into exclusive room id. */
TRACE_INLINE void trace_mm_room_refill(const struct page *page, int id,
				       void *caller)
{
	if (trace_enabled())
		__trace_event(TRACE_INFO(TRACE_REFILL, 0,
					 TROOM_EXCL + (unsigned int)id),
			      trace_pfn(page), TRACE_ARG_NONE, TRACE_GFP_NONE,
			      caller);
}

#define TRACE_INFO_NO_ORDER(event) \
	TRACE_INFO((event), TRACE_ORDER_NONE, TROOM_NONE)

/* A handler for IRQ line starts (the context is already the IRQ). */
TRACE_INLINE void trace_irq_handler_entry(unsigned int line)
{
	if (trace_enabled())
		__trace_event(TRACE_INFO_NO_ORDER(TRACE_IRQ_ENTER),
			      TRACE_PFN_NONE, line, TRACE_GFP_NONE, NULL);
}

/* ... and returns. */
TRACE_INLINE void trace_irq_handler_exit(unsigned int line)
{
	if (trace_enabled())
		__trace_event(TRACE_INFO_NO_ORDER(TRACE_IRQ_EXIT),
			      TRACE_PFN_NONE, line, TRACE_GFP_NONE, NULL);
}

/* The current context (a thread) leaves the CPU to next. */
TRACE_INLINE void trace_sched_switch(owner_t next, void *caller)
{
	if (trace_enabled())
		__trace_event(TRACE_INFO_NO_ORDER(TRACE_SWITCH),
			      TRACE_PFN_NONE, next, TRACE_GFP_NONE, caller);
}

#endif
