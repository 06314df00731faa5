/*
 * sampler.h - the timer sampler: tick jitter, measured from IRQ0.
 *
 * On every tick the IRQ0 handler records one sample, the tick number and the
 * TSC cycles since the previous tick, into the current page-sized block. A
 * full block is handed off (excl_page_handoff()) to the sampler thread and
 * replaced with alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE); the thread computes
 * the jitter of the block (min, median, max of the deltas) and frees it. If
 * no fresh block can be had, the fallback keeps the full block and writes
 * over it from the start: its samples are lost and the overrun is counted.
 * Nothing sleeps and nothing waits in the handler.
 *
 * Blocks (read with interrupts off): at every instant
 *
 *	taken == digested + discarded + in hand
 *
 * taken: blocks the handler allocated; digested: blocks the thread
 * digested and freed; discarded: blocks whose hand-off mm/ refused (freed
 * by the handler, should stay 0); in hand: the current block, the full
 * ones queued for the thread, and the one it is digesting.
 */
#ifndef LABYRINTH_DRIVERS_SAMPLER_H
#define LABYRINTH_DRIVERS_SAMPLER_H

#include <asm/context.h>
#include <asm/page.h>
#include <lib/seq.h>
#include <types.h>

#define SAMPLER_IRQ		0
/*
 * Pages in IRQ0's exclusive room: enough blocks for SAMPLER_ROOM_MS of
 * ticks, so that the room outlasts the refill thread's wait for the CPU
 * (a few threads' 10 ms slices) however fast the timer runs: 8 up to
 * about 50 kHz, 16 at 192 kHz (a block every 2.6 ms); never more than 32.
 */
#define SAMPLER_ROOM_MIN	8
#define SAMPLER_ROOM_MAX	32
#define SAMPLER_ROOM_MS		40
unsigned int sampler_room_target(unsigned int hz);
/*
 * The sampler is the tick's first user (asm/timer.h): the TSC it reads is
 * then nearest the interrupt's entry, so the jitter it shows is the
 * interrupt's, not the work of the users before it.
 */
#define SAMPLER_TICK_ORDER	10

struct sample {
	u32 tick;	/* jiffies when it was taken (low 32 bits) */
	u32 delta;	/* TSC cycles since the previous tick (saturated) */
};

struct sampler_block {
	struct sampler_block *next;	/* next full block in the inbox */
	u32 count;			/* samples written */
	u32 wraps;			/* times the fallback reused it */
	struct sample samples[];
};

#define SAMPLES_PER_BLOCK \
	((PAGE_SIZE - sizeof(struct sampler_block)) / sizeof(struct sample))

/* The jitter of one block, or of everything digested, in TSC cycles. */
struct jitter {
	u32 min, median, max;
};

/*
 * One sampler. The live one is fed by IRQ0; tests build their own and feed
 * it with sampler_record() from a simulated IRQ context. Fields above the
 * digest results are touched with interrupts off only.
 */
struct sampler {
	struct sampler_block *cur;	/* owner: the producer (IRQ0) */
	struct sampler_block *inbox;	/* full blocks, owner: the consumer */
	struct sampler_block *inbox_tail;
	unsigned int digesting;		/* blocks the consumer holds (0/1) */
	owner_t consumer;
	int room;			/* producer's exclusive room, or -1 */
	u64 last_tsc;			/* 0: no tick seen yet */
	bool fail_alloc;		/* tests: every allocation fails */
	void (*notify)(struct sampler *s); /* wake the consumer, or NULL */

	unsigned long samples, taken, digested, discarded, overruns, lost;
	unsigned long alloc_failures, no_block;

	/* Digest results: written by the consumer only. */
	struct jitter last;		/* the last block digested */
	u32 all_min, all_max;		/* over every block digested */
	u64 sum_cycles, sum_samples;	/* for the TSC calibration */
	unsigned long gaps;		/* ticks missing inside blocks */
	bool reset;			/* all_*, gaps: since since_tick */
	u32 since_tick;
};

struct sampler_stats {
	unsigned long samples, taken, digested, discarded, in_hand;
	unsigned long queued, overruns, lost, alloc_failures, no_block;
	unsigned long gaps;
	struct jitter last;
	u32 all_min, all_max;		/* 0, 0: no block digested since */
	u64 tsc_hz;			/* 0 until a block was digested */
	bool reset;			/* extremes and gaps since since_tick */
	u32 since_tick;
};

void sampler_setup(struct sampler *s, owner_t consumer, int room);
/* Record one tick at TSC value now. Producer context, irqs off. */
void sampler_record(struct sampler *s, u32 tick, u64 now);
/* Producer: give back the current block (tests, shutdown). Irqs off. */
void sampler_release_current(struct sampler *s);
/* Consumer: digest and free up to max queued blocks; returns how many. */
unsigned int sampler_drain(struct sampler *s, unsigned int max);
bool sampler_pending(struct sampler *s);
void sampler_get_stats(struct sampler *s, struct sampler_stats *st);
/*
 * Start the extremes of the jitter (all_min, all_max) and the ticks
 * missing afresh, from the next block digested on (the block being filled
 * now included). The counts of samples and blocks are left alone. Any
 * context.
 */
void sampler_reset_jitter(struct sampler *s);
/* taken == digested + discarded + in_hand */
bool sampler_stats_balanced(const struct sampler_stats *st);
/* Sort the deltas of n samples and return min, median and max. */
struct jitter sampler_jitter(struct sample *samples, u32 n);

/* The live sampler, fed from IRQ0. */
extern struct sampler sampler_live;
void sampler_init(void);
/*
 * On every tick, from the timer interrupt (interrupts off): registered at
 * sampler_init() as a tick handler, order SAMPLER_TICK_ORDER.
 */
void sampler_tick(void);
void sampler_show(struct seq *out);

#endif
