/*
 * test_sampler.c - in-kernel tests of the timer sampler.
 *
 * As in test_kbd.c, each test builds its own struct sampler: ticks are
 * recorded in a simulated interrupt on an unused line (so the blocks are
 * owned by that line) and the test is the consumer. Block accounting must
 * hold after every step: taken == digested + discarded + in hand.
 */
#include <asm/irqflags.h>
#include <drivers/sampler.h>
#include <kernel/context.h>
#include <mm/debug.h>
#include <mm/gfp.h>
#include <mm/view.h>
#include <tests/kernel/ktest.h>

#define TEST_LINE	13
#define CYCLES		1000u	/* the test's TSC cycles per tick */

static struct sampler ts;
static u64 fake_tsc;
static u32 fake_tick;

/* n ticks, each CYCLES apart, plus a wobble every 7th one. */
static void ticks(struct sampler *s, unsigned int n)
{
	unsigned long flags;

	local_irq_save(flags);
	irq_enter(TEST_LINE);
	for (unsigned int i = 0; i < n; i++) {
		fake_tsc += CYCLES + (fake_tick % 7 == 0 ? 50 : 0);
		sampler_record(s, fake_tick++, fake_tsc);
	}
	irq_exit();
	local_irq_restore(flags);
}

static void release(struct sampler *s)
{
	unsigned long flags;

	local_irq_save(flags);
	irq_enter(TEST_LINE);
	sampler_release_current(s);
	irq_exit();
	local_irq_restore(flags);
}

static bool balanced(struct sampler *s, struct sampler_stats *st)
{
	sampler_get_stats(s, st);
	return sampler_stats_balanced(st);
}

static void start(void)
{
	sampler_setup(&ts, current_owner(), -1);
	fake_tsc = 1;
	fake_tick = 0;
}

static void sampler_jitter_min_median_max(struct ktest *t)
{
	struct sample s[5] = { { 0, 30 }, { 1, 10 }, { 2, 50 }, { 3, 20 },
			       { 4, 40 } };
	struct jitter j = sampler_jitter(s, 5);

	KTEST_EXPECT_EQ(t, j.min, 10);
	KTEST_EXPECT_EQ(t, j.median, 30);
	KTEST_EXPECT_EQ(t, j.max, 50);
}

/* A full block goes to the consumer, which digests and frees it. */
static void sampler_block_handoff_and_digest(struct ktest *t)
{
	unsigned long before = mm_free_pages();
	struct sampler_stats st;

	start();
	ticks(&ts, 1 + SAMPLES_PER_BLOCK + 1);	/* the first gives no delta */
	KTEST_EXPECT(t, balanced(&ts, &st));
	KTEST_EXPECT_EQ(t, st.taken, 2);
	KTEST_EXPECT_EQ(t, st.queued, 1);
	KTEST_EXPECT(t, sampler_pending(&ts));
	KTEST_EXPECT_EQ(t, sampler_drain(&ts, 10), 1);
	KTEST_EXPECT(t, balanced(&ts, &st));
	KTEST_EXPECT_EQ(t, st.digested, 1);
	KTEST_EXPECT_EQ(t, st.in_hand, 1);
	KTEST_EXPECT_EQ(t, st.last.min, CYCLES);
	KTEST_EXPECT_EQ(t, st.last.median, CYCLES);
	KTEST_EXPECT_EQ(t, st.last.max, CYCLES + 50);
	KTEST_EXPECT_EQ(t, st.gaps, 0);
	release(&ts);
	KTEST_EXPECT_EQ(t, mm_free_pages(), before);
}

/*
 * A refused hand-off (here: no valid consumer): mm/ reports it, and the
 * handler frees the full block itself, counts it discarded and its samples
 * lost (read before the free poisons them), and goes on in the fresh block.
 * It is no overrun. Once the hand-off works again, full blocks reach the
 * consumer as before.
 */
static void sampler_handoff_refused_discards_block(struct ktest *t)
{
	unsigned long reports = mm_report_count(MM_BUG_BAD_CALL);
	unsigned long before = mm_free_pages();
	struct sampler_stats st;

	start();
	ts.consumer = OWNER_NONE;
	ticks(&ts, 1 + SAMPLES_PER_BLOCK + 1);	/* full, then one more */
	KTEST_EXPECT_EQ(t, mm_report_count(MM_BUG_BAD_CALL), reports + 1);
	KTEST_EXPECT(t, balanced(&ts, &st));
	KTEST_EXPECT_EQ(t, st.taken, 2);
	KTEST_EXPECT_EQ(t, st.discarded, 1);
	KTEST_EXPECT_EQ(t, st.lost, SAMPLES_PER_BLOCK);
	KTEST_EXPECT_EQ(t, st.samples, SAMPLES_PER_BLOCK + 1);
	KTEST_EXPECT_EQ(t, st.overruns, 0);
	KTEST_EXPECT_EQ(t, st.queued, 0);
	KTEST_EXPECT_EQ(t, st.in_hand, 1);
	KTEST_EXPECT(t, !sampler_pending(&ts));
	KTEST_EXPECT_EQ(t, mm_free_pages(), before - 1); /* the fresh one */
	KTEST_EXPECT_EQ(t, ts.cur ? ts.cur->count : 0, 1);
	ts.consumer = current_owner();		/* the hand-off works again */
	ticks(&ts, SAMPLES_PER_BLOCK);
	KTEST_EXPECT(t, balanced(&ts, &st));
	KTEST_EXPECT_EQ(t, st.queued, 1);
	KTEST_EXPECT_EQ(t, sampler_drain(&ts, 10), 1);
	KTEST_EXPECT(t, balanced(&ts, &st));
	KTEST_EXPECT_EQ(t, st.digested, 1);
	KTEST_EXPECT_EQ(t, st.discarded, 1);
	KTEST_EXPECT_EQ(t, st.lost, SAMPLES_PER_BLOCK);
	KTEST_EXPECT_EQ(t, mm_report_count(MM_BUG_BAD_CALL), reports + 1);
	release(&ts);
	KTEST_EXPECT_EQ(t, mm_free_pages(), before);
}

/*
 * The fallback: with allocation failing, a full block is reused (its
 * samples lost, the overrun counted); nothing is handed off or leaked; once
 * pages come back, the next full block goes to the consumer again.
 */
static void sampler_fallback_on_alloc_failure(struct ktest *t)
{
	struct sampler_stats st;

	start();
	ticks(&ts, 1 + SAMPLES_PER_BLOCK);	/* one block, just full */
	ts.fail_alloc = true;
	ticks(&ts, 1);
	KTEST_EXPECT(t, balanced(&ts, &st));
	KTEST_EXPECT_EQ(t, st.overruns, 1);
	KTEST_EXPECT_EQ(t, st.lost, SAMPLES_PER_BLOCK);
	KTEST_EXPECT_EQ(t, st.taken, 1);
	KTEST_EXPECT_EQ(t, st.queued, 0);
	ticks(&ts, 2 * SAMPLES_PER_BLOCK);	/* wraps twice more */
	KTEST_EXPECT(t, balanced(&ts, &st));
	KTEST_EXPECT_EQ(t, st.overruns, 3);
	KTEST_EXPECT(t, st.alloc_failures >= 3);
	ts.fail_alloc = false;
	ticks(&ts, SAMPLES_PER_BLOCK);
	KTEST_EXPECT(t, balanced(&ts, &st));
	KTEST_EXPECT_EQ(t, st.taken, 2);
	KTEST_EXPECT_EQ(t, st.queued, 1);
	sampler_drain(&ts, 10);
	KTEST_EXPECT(t, balanced(&ts, &st));
	KTEST_EXPECT_EQ(t, st.digested, 1);
	KTEST_EXPECT_EQ(t, st.samples, 4 * SAMPLES_PER_BLOCK + 1);
	release(&ts);
}

/* Real exhaustion: a hog holds every page; ticks keep being recorded. */
static void sampler_fallback_under_exhaustion(struct ktest *t)
{
	unsigned long before = mm_free_pages();
	struct sampler_stats st;
	void *hog = NULL, *p;

	start();
	ticks(&ts, 2);				/* a first block */
	while ((p = get_free_page(GFP_ATOMIC | __GFP_NOWARN))) {
		*(void **)p = hog;
		hog = p;
	}
	ticks(&ts, SAMPLES_PER_BLOCK + 10);
	KTEST_EXPECT(t, balanced(&ts, &st));
	KTEST_EXPECT_EQ(t, st.overruns, 1);
	KTEST_EXPECT_EQ(t, st.taken, 1);
	while (hog) {
		p = hog;
		hog = *(void **)p;
		free_page_addr(p);
	}
	release(&ts);
	KTEST_EXPECT_EQ(t, mm_free_pages(), before);
}

static const struct ktest_case sampler_cases[] = {
	KTEST_CASE(sampler_jitter_min_median_max),
	KTEST_CASE(sampler_block_handoff_and_digest),
	KTEST_CASE(sampler_handoff_refused_discards_block),
	KTEST_CASE(sampler_fallback_on_alloc_failure),
	KTEST_CASE(sampler_fallback_under_exhaustion),
};
KTEST_SUITE(sampler_suite, "sampler", sampler_cases);
