/*
 * test_trace.c - the event trace in the kernel: a known sequence of
 * allocations and frees is recorded exactly and in order, a full ring
 * counts what it overwrites, and interrupts and switches are recorded.
 *
 * The sequences run with interrupts off, so that no handler allocates or
 * traces in the middle and the records are exactly the test's. Each case
 * leaves tracing as it found it (the command line may have turned it on),
 * with the ring cleared.
 */
#include <asm/irqflags.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <lib/format.h>
#include <lib/string.h>
#include <mm/gfp.h>
#include <mm/debug.h>
#include <tests/kernel/ktest.h>
#include <kernel/kallsyms.h>
#include <trace/trace.h>
#include "mm/internal.h"

static const struct trace_record *rec(unsigned long i)
{
	return trace_record_at(0, i);
}

/* Does the code address lie in the function named fn? */
static bool caller_in(unsigned long addr, const char *fn)
{
	const char *name = symbol_lookup(addr, NULL);

	return name && !strcmp(name, fn);
}

static void expect_rec(struct ktest *t, unsigned long i, unsigned int ev,
		       const struct page *p, unsigned int order,
		       unsigned int room)
{
	const struct trace_record *r = rec(i);

	KTEST_EXPECT_EQ(t, r->event, ev);
	KTEST_EXPECT_EQ(t, r->pfn, page_to_pfn(p));
	KTEST_EXPECT_EQ(t, r->order, order);
	KTEST_EXPECT_EQ(t, r->room, room);
	KTEST_EXPECT_EQ(t, r->ctx, current_owner());
	KTEST_EXPECT_EQ(t, r->flags, TRACE_F_IRQS_OFF);
	KTEST_EXPECT(t, caller_in(r->caller, "trace_sequence_recorded"));
	if (i)
		KTEST_EXPECT(t, r->tsc > rec(i - 1)->tsc);
}

/*
 * alloc (hot room), alloc of order 3 (a zone), its free (the zone), the
 * page's free (the hot room), and a double free (refused): five records,
 * in this order, naming this function as the caller.
 */
static void trace_sequence_recorded(struct ktest *t)
{
	unsigned long flags, refused = mm_report_count(MM_BUG_DOUBLE_FREE);
	bool was = trace_pause();
	struct page *a, *b;
	unsigned int zroom;

	local_irq_save(flags);
	free_page(alloc_page(GFP_ATOMIC));	/* the hot room's top page */
	trace_clear();
	trace_set_enabled(true);
	a = alloc_page(GFP_ATOMIC);
	b = alloc_pages(GFP_ATOMIC, 3);
	free_pages(b, 3);
	free_page(a);
	KTEST_EXPECT_EQ(t, free_pages_checked(b, 3), -EINVAL);
	trace_set_enabled(false);
	local_irq_restore(flags);
	KTEST_EXPECT(t, a && b);
	if (!a || !b)
		return;
	zroom = TROOM_ZONE + (unsigned int)(page_zone(b) - zones);
	KTEST_EXPECT_EQ(t, trace_entries(0), 5);
	KTEST_EXPECT_EQ(t, trace_lost(0), 0);
	expect_rec(t, 0, TRACE_ALLOC, a, 0, TROOM_HOT);
	expect_rec(t, 1, TRACE_ALLOC, b, 3, zroom);
	expect_rec(t, 2, TRACE_FREE, b, 3, zroom);
	expect_rec(t, 3, TRACE_FREE, a, 0, TROOM_HOT);
	expect_rec(t, 4, TRACE_FREE_REFUSED, b, 3, TROOM_NONE);
	KTEST_EXPECT_EQ(t, rec(0)->gfp, GFP_ATOMIC);
	KTEST_EXPECT_EQ(t, rec(1)->gfp, GFP_ATOMIC);
	KTEST_EXPECT(t, rec(1)->arg > 0 && rec(1)->arg != TRACE_ARG_NONE);
	KTEST_EXPECT_EQ(t, mm_report_count(MM_BUG_DOUBLE_FREE), refused + 1);
	KTEST_EXPECT_EQ(t, mm_check(), 0);
	trace_clear();
	trace_resume(was);
}

/* A full ring keeps the newest records and counts the ones it dropped. */
static void trace_overflow_counted(struct ktest *t)
{
	unsigned long flags, i, pairs = TRACE_RING_SIZE / 2 + 7;
	bool was = trace_pause();
	struct page *p;

	local_irq_save(flags);
	free_page(alloc_page(GFP_ATOMIC));
	trace_clear();
	trace_set_enabled(true);
	for (i = 0; i < pairs; i++) {
		p = alloc_page(GFP_ATOMIC);
		free_page(p);
	}
	trace_set_enabled(false);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, trace_rings[0].written, 2 * pairs);
	KTEST_EXPECT_EQ(t, trace_entries(0), TRACE_RING_SIZE);
	KTEST_EXPECT_EQ(t, trace_lost(0), 14);
	for (i = 0; i < TRACE_RING_SIZE; i += 2) {
		if (rec(i)->event != TRACE_ALLOC ||
		    rec(i + 1)->event != TRACE_FREE ||
		    rec(i + 1)->pfn != rec(i)->pfn ||
		    rec(i + 1)->tsc <= rec(i)->tsc) {
			ktest_fail(t, __FILE__, __LINE__, "records %lu, %lu "
				   "are not an alloc and its free", i, i + 1);
			break;
		}
	}
	trace_clear();
	trace_resume(was);
}

/* Timer interrupts and a sleep leave irq_enter, irq_exit and switch. */
static void trace_irq_and_switch_recorded(struct ktest *t)
{
	bool was = trace_pause(), enter = false, exit = false, away = false;
	unsigned long i;

	trace_clear();
	trace_set_enabled(true);
	msleep(30);
	trace_set_enabled(false);
	for (i = 0; i < trace_entries(0); i++) {
		const struct trace_record *r = rec(i);

		if (r->event == TRACE_IRQ_ENTER && r->ctx == OWNER_IRQ(0) &&
		    r->arg == 0)
			enter = true;
		if (r->event == TRACE_IRQ_EXIT && r->ctx == OWNER_IRQ(0) &&
		    enter)
			exit = true;
		if (r->event == TRACE_SWITCH && r->ctx == current_owner())
			away = true;
	}
	KTEST_EXPECT(t, enter);
	KTEST_EXPECT(t, exit);
	KTEST_EXPECT(t, away);
	trace_clear();
	trace_resume(was);
}

/*
 * What tracing costs in the kernel, measured: the TSC over hot-room pairs
 * (free_page(alloc_page(GFP_ATOMIC))) with tracing off, then on. Under
 * QEMU's -icount shift=0 (the icount flag) the TSC counts instructions,
 * and the figures are printed for docs/PERFORMANCE.md; elsewhere they are
 * host time and only printed.
 */
#define COST_PAIRS	1000

/* Interrupts off, so that no handler traces meanwhile: the pairs only. */
static u64 pairs_ticks(bool traced)
{
	unsigned long flags, i;
	u64 t0;

	local_irq_save(flags);
	trace_clear();
	trace_set_enabled(traced);
	t0 = trace_clock();
	for (i = 0; i < COST_PAIRS; i++)
		free_page(alloc_page(GFP_ATOMIC));
	t0 = trace_clock() - t0;
	trace_set_enabled(false);
	local_irq_restore(flags);
	return t0;
}

static void trace_cost_measured(struct ktest *t)
{
	bool was = trace_pause();
	u64 off, on;

	free_page(alloc_page(GFP_ATOMIC));
	pairs_ticks(true);		/* warm: every path run once */
	off = pairs_ticks(false);
	on = pairs_ticks(true);
	printk(KERN_NOTICE "        # trace cost: a hot-room pair takes %llu "
	       "ticks off, %llu on: %llu per event%s\n", off / COST_PAIRS,
	       on / COST_PAIRS, (on - off) / (2 * COST_PAIRS),
	       cmdline_has("icount") ? " (instructions: icount)" : "");
	KTEST_EXPECT(t, on > off);
	KTEST_EXPECT_EQ(t, trace_rings[0].written, 2 * COST_PAIRS);
	trace_clear();
	trace_resume(was);
}

static const struct ktest_case trace_cases[] = {
	KTEST_CASE(trace_sequence_recorded),
	KTEST_CASE(trace_overflow_counted),
	KTEST_CASE(trace_irq_and_switch_recorded),
	KTEST_CASE(trace_cost_measured),
};

KTEST_SUITE(trace_suite, "trace", trace_cases);
