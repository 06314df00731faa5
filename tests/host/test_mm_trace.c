/*
 * test_mm_trace.c - the trace points of mm/: what each allocation, free,
 * miss, collision, refill, hand-off and drain records, in order, and the
 * ring's overflow, pause and dump.
 *
 * The host's trace clock moves on by one at each read
 * (tests/host/include/asm/trace_clock.h), so the time stamps and the
 * latencies of the records are known in advance.
 */
#include "host.h"
#include <mm/map.h>
#include <mm/trace.h>

#define KBD	OWNER_IRQ(1)

static void setup(void)
{
	ht_boot(64);
	trace_set_enabled(false);
	trace_clear();
}

static unsigned long nrec(void)
{
	return trace_entries(0);
}

static const struct trace_record *rec(unsigned long i)
{
	return trace_record_at(0, i);
}

static u32 pfn_of(const struct page *p)
{
	return (u32)page_to_pfn(p);
}

/* The record i is event ev of frame pfn, order, room (TRACE_* values). */
#define EXPECT_REC(i, ev, pfn_, order_, room_) do { \
	EXPECT_EQ(rec(i)->event, (ev)); \
	EXPECT_EQ(rec(i)->pfn, (pfn_)); \
	EXPECT_EQ(rec(i)->order, (order_)); \
	EXPECT_EQ(rec(i)->room, (room_)); \
} while (0)

/* Tracing off: the same calls record nothing. */
static void trace_off_records_nothing(void)
{
	struct page *p = alloc_page(GFP_ATOMIC);

	free_page(p);
	free_pages(alloc_pages(GFP_KERNEL, 3), 3);
	EXPECT_EQ(trace_rings[0].written, 0);
	EXPECT_EQ(nrec(), 0);
}

/*
 * The inline common case (a hot-room pop and push) and the full path (an
 * order-2 block from the Normal zone and back) are recorded in order,
 * with their frame, order, flags, room, caller, context and latency.
 */
static void trace_alloc_free_recorded_in_order(void)
{
	struct page *a, *b;
	u64 t;

	free_page(alloc_page(GFP_KERNEL));	/* a page in the hot room */
	trace_set_enabled(true);
	a = alloc_page(GFP_ATOMIC);
	b = alloc_pages(GFP_KERNEL, 2);
	free_pages(b, 2);
	free_page(a);
	trace_set_enabled(false);
	EXPECT_EQ(nrec(), 4);
	EXPECT_REC(0, TRACE_ALLOC, pfn_of(a), 0, TROOM_HOT);
	EXPECT_EQ(rec(0)->gfp, GFP_ATOMIC);
	EXPECT_REC(1, TRACE_ALLOC, pfn_of(b), 2, TROOM_ZONE + ZONE_NORMAL);
	EXPECT_EQ(rec(1)->gfp, GFP_KERNEL);
	EXPECT_REC(2, TRACE_FREE, pfn_of(b), 2, TROOM_ZONE + ZONE_NORMAL);
	EXPECT_EQ(rec(2)->gfp, TRACE_GFP_NONE);
	EXPECT_REC(3, TRACE_FREE, pfn_of(a), 0, TROOM_HOT);
	/* The hot pop reads the clock once before, once as it records. */
	EXPECT_EQ(rec(0)->arg, 1);
	EXPECT_EQ(rec(3)->arg, 1);
	for (t = 0; t < 4; t++) {
		EXPECT_EQ(rec(t)->ctx, OWNER_THREAD(1));
		EXPECT(rec(t)->caller != 0);
		EXPECT_EQ(rec(t)->flags, 0);	/* interrupts were on */
		if (t)
			EXPECT(rec(t)->tsc > rec(t - 1)->tsc);
	}
	EXPECT_CHECK();
}

/*
 * GFP_ATOMIC in an interrupt while the Normal zone's lock is held: the
 * hot room misses, Normal collides, and DMA serves.
 */
static void trace_miss_collision_then_served(void)
{
	struct page *p;

	mm_drain_hot();
	trace_set_enabled(true);
	spin_lock(&zones[ZONE_NORMAL].lock);
	host_irq_enter(3);
	p = alloc_page(GFP_ATOMIC);
	host_irq_exit();
	spin_unlock(&zones[ZONE_NORMAL].lock);
	trace_set_enabled(false);
	EXPECT(p != NULL);
	EXPECT_EQ(nrec(), 3);
	EXPECT_REC(0, TRACE_MISS, TRACE_PFN_NONE, 0, TROOM_HOT);
	EXPECT_REC(1, TRACE_COLLISION, TRACE_PFN_NONE, 0,
		   TROOM_ZONE + ZONE_NORMAL);
	EXPECT_REC(2, TRACE_ALLOC, pfn_of(p), 0, TROOM_ZONE + ZONE_DMA);
	EXPECT_EQ(rec(2)->ctx, OWNER_IRQ(3));
	EXPECT_EQ(rec(2)->flags, TRACE_F_IRQS_OFF);
	free_page(p);
	EXPECT_CHECK();
}

/* A double free is refused, reported and recorded as such. */
static void trace_refused_free(void)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);

	free_pages(p, 1);
	trace_set_enabled(true);
	EXPECT_EQ(free_pages_checked(p, 1), -EINVAL);
	trace_set_enabled(false);
	EXPECT_EQ(nrec(), 1);
	EXPECT_REC(0, TRACE_FREE_REFUSED, pfn_of(p), 1, TROOM_NONE);
	EXPECT(host_log_has("double free"));
	EXPECT_CHECK();
}

/*
 * An exclusive room's life: each refilled page (its allocation, then the
 * push), the owner's allocation from the room, a hand-off, and the page a
 * destroy gives back to its zone. The refill's misses of the empty hot
 * room are left out of the comparison.
 */
static void trace_exclusive_refill_handoff_drain(void)
{
	static const u8 want[] = { TRACE_ALLOC, TRACE_REFILL, TRACE_ALLOC,
				   TRACE_REFILL, TRACE_ALLOC, TRACE_HANDOFF,
				   TRACE_DRAIN };
	const struct trace_record *r[ARRAY_SIZE(want)];
	int id = excl_room_create(KBD, 2, "kbd");
	unsigned long i, n = 0;
	struct page *p;

	trace_set_enabled(true);
	EXPECT_EQ(excl_room_refill(id), 2);
	host_irq_enter(1);
	p = alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE);
	EXPECT_EQ(excl_page_handoff(p, OWNER_THREAD(1)), 0);
	host_irq_exit();
	EXPECT_EQ(excl_room_destroy(id), 1);
	trace_set_enabled(false);
	for (i = 0; i < nrec(); i++) {
		if (rec(i)->event == TRACE_MISS)
			continue;
		if (n < ARRAY_SIZE(want))
			r[n] = rec(i);
		n++;
	}
	EXPECT_EQ(n, ARRAY_SIZE(want));
	for (i = 0; i < MIN(n, ARRAY_SIZE(want)); i++)
		EXPECT_EQ(r[i]->event, want[i]);
	if (n != ARRAY_SIZE(want))
		return;
	EXPECT_EQ(r[1]->room, TROOM_EXCL + (u32)id);
	EXPECT_EQ(r[1]->pfn, r[0]->pfn);	/* the page just allocated */
	EXPECT_EQ(r[3]->pfn, r[2]->pfn);
	EXPECT_EQ(r[4]->pfn, pfn_of(p));
	EXPECT_EQ(r[4]->room, TROOM_EXCL + (u32)id);
	EXPECT_EQ(r[4]->gfp, GFP_ATOMIC | GFP_EXCLUSIVE);
	EXPECT_EQ(r[4]->ctx, KBD);
	EXPECT_EQ(r[5]->pfn, pfn_of(p));
	EXPECT_EQ(r[5]->ctx, KBD);
	EXPECT_EQ(r[5]->arg, OWNER_THREAD(1));
	EXPECT_EQ(r[6]->room, TROOM_EXCL + (u32)id);
	EXPECT(r[6]->pfn == r[0]->pfn || r[6]->pfn == r[2]->pfn);
	EXPECT(r[6]->pfn != pfn_of(p));
	free_page(p);
	EXPECT_CHECK();
}

/* A full ring overwrites its oldest records and counts them lost. */
static void trace_overflow_counts_lost(void)
{
	struct page *p = alloc_page(GFP_KERNEL);
	unsigned long i, pairs = TRACE_RING_SIZE / 2 + 5;

	free_page(p);
	trace_set_enabled(true);
	for (i = 0; i < pairs; i++)
		free_page(alloc_page(GFP_ATOMIC));
	trace_set_enabled(false);
	EXPECT_EQ(trace_rings[0].written, 2 * pairs);
	EXPECT_EQ(nrec(), TRACE_RING_SIZE);
	EXPECT_EQ(trace_lost(0), 10);
	/* the oldest left is the 11th record: an alloc, then its free */
	EXPECT_EQ(rec(0)->event, TRACE_ALLOC);
	EXPECT_EQ(rec(1)->event, TRACE_FREE);
	EXPECT(rec(1)->tsc > rec(0)->tsc);
	EXPECT_EQ(rec(TRACE_RING_SIZE - 1)->event, TRACE_FREE);
	trace_clear();
	EXPECT_EQ(nrec(), 0);
	EXPECT_EQ(trace_lost(0), 0);
}

/* Paused, the trace points write nothing; resumed, they write again. */
static void trace_pause_stops_records(void)
{
	bool was;

	trace_set_enabled(true);
	was = trace_pause();
	EXPECT(was);
	free_page(alloc_page(GFP_ATOMIC));
	EXPECT_EQ(nrec(), 0);
	trace_resume(was);
	free_page(alloc_page(GFP_ATOMIC));
	trace_set_enabled(false);
	EXPECT_EQ(nrec(), 2);
}

/* The dump: its header, one record's line field by field, its end. */
static void trace_dump_format(void)
{
	static char buf[8192];
	char pfn[16], line[160];
	struct seq_buf sb;
	struct page *p;

	free_page(alloc_page(GFP_KERNEL));	/* one page in the hot room */
	trace_set_enabled(true);
	p = alloc_pages(GFP_KERNEL, 1);
	trace_set_enabled(false);
	seq_buf_init(&sb, buf, sizeof(buf));
	trace_dump(&sb.seq, 0, "unknown");
	EXPECT(!strncmp(buf, "# labyrinth-trace 1\n# tsc_hz 0 unknown\n", 39));
	EXPECT(strstr(buf, "\n# zone Normal start 0x1000 ") != NULL);
	EXPECT(strstr(buf, "\n# room hot free 1\n") != NULL);
	EXPECT(strstr(buf, "\n# cpu 0 size 8192 record 32 entries 1 written 1 "
		       "lost 0\n# fields TSC CPU CONTEXT IRQS EVENT PFN ORDER "
		       "GFP ROOM ARG CALLER\n") != NULL);
	snprintf(pfn, sizeof(pfn), "0x%x", pfn_of(p));
	snprintf(line, sizeof(line), " 0 thread1   on  alloc        %7s  1 "
		 " 0x4 Normal          ", pfn);
	EXPECT(strstr(buf, line) != NULL);
	EXPECT(strstr(buf, "\n# end cpu 0 records 1\n") != NULL);
	free_pages(p, 1);
}

/*
 * The dump's room counts walked back through the records give the counts
 * before the first record: what tools/trace-report's picture rests on.
 */
static void trace_room_counts_walk_back(void)
{
	unsigned long dma0 = zones[ZONE_DMA].nr_free;
	unsigned long normal0 = zones[ZONE_NORMAL].nr_free;
	unsigned long hot0 = hot_room_pages(&hot_rooms[0]), i;
	struct trace_rooms now;
	long free[MAX_NR_ZONES], hot;
	struct page *pages[40];
	int id = excl_room_create(KBD, 3, "kbd");

	trace_set_enabled(true);
	excl_room_refill(id);
	for (i = 0; i < 40; i++)
		pages[i] = alloc_pages(i % 3 ? GFP_KERNEL : GFP_ATOMIC, i % 4);
	for (i = 0; i < 40; i += 2)
		free_pages(pages[i], i % 4);
	mm_drain_hot();
	trace_pause_snapshot(&now);
	free[0] = (long)now.zone_free[0];
	free[1] = (long)now.zone_free[1];
	hot = (long)now.hot;
	for (i = nrec(); i-- > 0;) {
		const struct trace_record *r = rec(i);
		long n = 1L << r->order, sign = r->event == TRACE_FREE ? 1 : -1;
		unsigned int room = r->room;

		if (r->event == TRACE_ALLOC || r->event == TRACE_FREE) {
			if (room == TROOM_HOT)
				hot -= sign * n;
			else if (room >= TROOM_ZONE && room < TROOM_EXCL)
				free[(room - TROOM_ZONE) % 2] -= sign * n;
		} else if (r->event == TRACE_DRAIN && room == TROOM_HOT) {
			hot += 1;
			free[pfn_zone(r->pfn) - zones] -= 1;
		}
	}
	EXPECT_EQ(free[ZONE_DMA], dma0);
	EXPECT_EQ(free[ZONE_NORMAL], normal0);
	EXPECT_EQ(hot, hot0);
	trace_set_enabled(false);
	for (i = 1; i < 40; i += 2)
		free_pages(pages[i], i % 4);
	excl_room_destroy(id);
	EXPECT_CHECK();
}

/* ---- the map of frames ---- */

static void count_run(const struct frame_run *run, void *arg)
{
	unsigned long *n = arg;

	n[run->state] += run->count;
	n[NR_FRAME_STATES] += run->count;
}

/* Every frame is in exactly one run; an allocated block is one. */
static void map_runs_cover_every_frame(void)
{
	unsigned long n[NR_FRAME_STATES + 1] = { 0 };
	struct page *p = alloc_pages(GFP_KERNEL, 4);
	struct map_cell cell[1];

	mm_frame_runs(0, max_pfn, count_run, n);
	EXPECT_EQ(n[NR_FRAME_STATES], max_pfn);
	EXPECT_EQ(n[FRAME_FREE] + n[FRAME_HOT], mm_free_pages());
	EXPECT(n[FRAME_ALLOCATED] >= 16);
	EXPECT_EQ(mm_map_cells(page_to_pfn(p), 16, cell, 1), 1);
	EXPECT_EQ(cell[0].state, FRAME_ALLOCATED);
	free_pages(p, 4);
	EXPECT_EQ(mm_map_cells(page_to_pfn(p), 16, cell, 1), 1);
	EXPECT(cell[0].state == FRAME_FREE || cell[0].state == FRAME_HOT);
}

static const struct host_test tests[] = {
	HT(trace_off_records_nothing),
	HT(trace_alloc_free_recorded_in_order),
	HT(trace_miss_collision_then_served),
	HT(trace_refused_free),
	HT(trace_exclusive_refill_handoff_drain),
	HT(trace_overflow_counts_lost),
	HT(trace_pause_stops_records),
	HT(trace_dump_format),
	HT(trace_room_counts_walk_back),
	HT(map_runs_cover_every_frame),
};

int main(void)
{
	return ht_main("mm_trace", tests, ARRAY_SIZE(tests), setup);
}
