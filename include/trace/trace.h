/*
 * trace/trace.h - the event trace: a ring of fixed-size records per CPU.
 *
 * A trace point is one test of trace_on and a call only when it is set, so
 * a trace point that is off costs one predictable branch (a compare with
 * memory and a jump: 2 instructions, docs/PERFORMANCE.md). When on, the
 * record is written by __trace_event() (kernel/trace_ring.c) with interrupts off
 * for a few instructions: the slot is claimed and filled in one section,
 * so an interrupt that traces in the middle of a thread's event takes the
 * next slot and both records stay whole.
 *
 * The ring is static memory (TRACE_RING_SIZE records of 32 bytes per CPU,
 * 256 KiB on one CPU): tracing never allocates from the allocator it
 * traces. When the ring is full the oldest record is overwritten; the
 * records lost so are counted (written - TRACE_RING_SIZE).
 *
 * This file is portable: mm/ includes it, and so do the host tests. The
 * time stamp comes from trace_clock() in <asm/trace_clock.h>: the TSC in
 * the kernel, a counter the test sets in the host build. The trace points
 * themselves (trace_mm_page_alloc(), ...) are in trace/events.h.
 *
 * Built with TRACE_COMPILED_OUT defined, every trace point is empty (the
 * benchmark builds so to show what the trace points cost when off).
 */
#ifndef LABYRINTH_TRACE_TRACE_H
#define LABYRINTH_TRACE_TRACE_H

#include <types.h>
#include <asm/context.h>
#include <asm/trace_clock.h>

/* What happened; the dump's EVENT column gives the name after each. */
enum trace_event {
	TRACE_NONE,
	TRACE_ALLOC,		/* alloc: a block left ROOM for a caller */
	TRACE_ALLOC_FAIL,	/* alloc_fail: every room (and wait) failed */
	TRACE_FREE,		/* free: a block went into ROOM */
	TRACE_FREE_REFUSED,	/* free_refused: a bad free, reported */
	TRACE_MISS,		/* miss: ROOM could not serve */
	TRACE_COLLISION,	/* collision: ROOM's lock was busy */
	TRACE_SLEEP,		/* sleep: a GFP_KERNEL allocation waits */
	TRACE_WAKE,		/* wake: ... and its wait ended */
	TRACE_HANDOFF,		/* handoff: an exclusive page changed owner */
	TRACE_REFILL,		/* refill: a page went into exclusive ROOM */
	TRACE_DRAIN,		/* drain: a page went from ROOM to its zone */
	TRACE_IRQ_ENTER,	/* irq_enter: a handler starts */
	TRACE_IRQ_EXIT,		/* irq_exit: ... and returns */
	TRACE_SWITCH,		/* switch: CONTEXT leaves the CPU to ARG */
	NR_TRACE_EVENTS
};

/*
 * Rooms, as a record names them: the hot room, a zone room (zone index
 * added), a reserve room (zone index added), an exclusive room (its id
 * added). TROOM_NONE: the event concerns no room.
 */
#define TROOM_NONE	0u
#define TROOM_HOT	1u
#define TROOM_ZONE	2u	/* + enum zone_type */
#define TROOM_RESERVE	4u	/* + enum zone_type */
#define TROOM_EXCL	8u	/* + exclusive room id (NR_EXCL_ROOMS) */
#define TROOM_MAX	16u

#define TRACE_PFN_NONE	0xffffffffu	/* PFN column: "-" */
#define TRACE_ARG_NONE	0xffffffffu	/* ARG column: "-" */
#define TRACE_ORDER_NONE 0xffu
#define TRACE_GFP_NONE	0xffffu

#define TRACE_F_IRQS_OFF 0x01u	/* interrupts were off at the trace point */

/*
 * One event: 32 bytes, on i686 as on a 64-bit host (a power of two: the
 * slot's address is a shift). ARG depends on the
 * event (docs/TRACING.md): the ticks an alloc or free took, the new owner
 * of a hand-off, the thread switched to.
 */
struct trace_record {
	u64 tsc;		/* trace_clock() when recorded */
	u64 caller;		/* call site, or 0 (64 bits: 32-byte records) */
	u32 pfn;		/* frame, or TRACE_PFN_NONE */
	u32 arg;		/* per event, or TRACE_ARG_NONE */
	u16 gfp;		/* GFP flags, or TRACE_GFP_NONE */
	u16 ctx;		/* current_owner(): an IRQ line or a thread */
	union {
		struct {
			u8 event;	/* enum trace_event */
			u8 order;	/* block order, or TRACE_ORDER_NONE */
			u8 room;	/* TROOM_* */
			u8 flags;	/* TRACE_F_* */
		};
		u32 info;	/* the four as one word: TRACE_INFO() */
	};
};

/*
 * The event, order and room of a record as one word (little-endian, as
 * the union above lays them out), built where the trace point is: most of
 * it is known when compiling, and the writer stores it at once.
 */
#define TRACE_INFO(event, order, room) \
	((u32)(event) | (u32)((order) & 0xff) << 8 | (u32)(room) << 16)
#define TRACE_INFO_FLAGS_SHIFT	24

#define TRACE_RING_SIZE	8192	/* records per CPU, a power of two */

_Static_assert(sizeof(struct trace_record) == 32, "trace record: 32 bytes");

struct trace_ring {
	unsigned long written;	/* records since the last clear */
	struct trace_record rec[TRACE_RING_SIZE];
};

extern struct trace_ring trace_rings[NR_CPUS];

/*
 * Set while tracing: every trace point tests it. Changed by
 * trace_set_enabled() only; tested again with interrupts off where a
 * record is written, so a record never lands after trace_pause() returns.
 */
extern bool trace_on;

#ifdef TRACE_COMPILED_OUT
#define trace_enabled()	false
#else
/* The one branch a trace point costs when off. */
#define trace_enabled()	unlikely(trace_on)
#endif

/*
 * Write one record now (tsc = trace_clock()); info is TRACE_INFO(). Any
 * context.
 */
void __trace_event(u32 info, u32 pfn, u32 arg, u32 gfp, void *caller);
/*
 * Write one record whose ARG is the ticks since t0 (at most 0xfffffffe;
 * "-" if t0 is 0: tracing came on in the middle). Any context.
 */
void __trace_event_timed(u32 info, u32 pfn, u32 gfp, void *caller, u64 t0);
/*
 * The same for a caller whose t0 is a real trace_clock() reading (the
 * traced common case of alloc_page()/free_page()): no test for 0.
 */
void __trace_event_took(u32 info, u32 pfn, u32 gfp, void *caller, u64 t0);

/* trace_clock() if tracing, else 0: the start of a timed event. */
static inline __attribute__((always_inline)) u64 trace_start(void)
{
	return trace_enabled() ? trace_clock() : 0;
}

/* ---- control and reading (kernel/trace_ring.c) ---- */

/* Start or stop recording. Any context. */
void trace_set_enabled(bool on);
/* Empty every CPU's ring (written and lost back to 0). Any context. */
void trace_clear(void);
/*
 * Stop recording and return whether it was on, so that a reader sees a
 * ring that no longer moves; trace_resume(was) puts it back. As Linux's
 * trace file, which pauses tracing while it is read.
 */
bool trace_pause(void);
void trace_resume(bool was_on);

/* Records in cpu's ring now, and records overwritten before being read. */
unsigned long trace_entries(unsigned int cpu);
unsigned long trace_lost(unsigned int cpu);
/*
 * The i-th record of cpu's ring, oldest first (i < trace_entries(cpu)).
 * Read it with tracing paused, or a newer record may overwrite it.
 */
const struct trace_record *trace_record_at(unsigned int cpu, unsigned long i);

/* The dump's name of an event ("alloc"), or "?" for a bad value. */
const char *trace_event_name(unsigned int event);

#endif
