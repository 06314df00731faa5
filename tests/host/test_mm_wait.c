/*
 * test_mm_wait.c - GFP_KERNEL never waits forever: the rule of mm/sleep.c,
 * driven by fake hooks and a fake clock.
 *
 * Every test takes every free page first (the zones' lists down to 0, the
 * hot room empty), so no GFP_KERNEL walk can succeed until the fake wait
 * hook frees something. The hook plays "the rest of the machine": it moves
 * the fake clock, may free pages, and returns what the scheduler's would
 * (0 for a free, -ETIMEDOUT, -EINTR).
 *
 *   order > 3 (costly)   one wait that brought no larger free block: NULL
 *   order <= 3           waits until mm_wait_ms has passed: NULL
 *   __GFP_NOFAIL         waits on, "still waiting" every interval
 *   -EINTR               ends the wait at once, NULL, not reported
 */
#include "host.h"

static void setup(void)
{
	ht_boot(32);
}

/* ---- every free page, held by frame number ---- */

static struct page *held[(32UL << 20) >> PAGE_SHIFT];

static void take_everything(void)
{
	unsigned int poisoned;
	struct page *page;

	mm_drain_hot();
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];

		spin_lock(&z->lock);
		while (z->nr_free) {
			page = __buddy_take(z, 0, &poisoned);
			page->flags = PG_head;
			page->order = 0;
			held[page_to_pfn(page)] = page;
		}
		spin_unlock(&z->lock);
	}
}

/* Free the held frames [base, base + n): they merge once in a zone. */
static void free_run(pfn_t base, unsigned long n)
{
	for (pfn_t pfn = base; pfn < base + n; pfn++) {
		if (held[pfn]) {
			free_page(held[pfn]);
			held[pfn] = NULL;
		}
	}
}

static void give_everything_back(void)
{
	free_run(0, ARRAY_SIZE(held));
	mm_drain_hot();
	EXPECT_EQ(zone_free_total(), mm_total_pages());
	EXPECT_CHECK();
}

/* A run of 2^order held frames in ZONE_NORMAL, aligned, well inside. */
static pfn_t normal_run(unsigned int nth)
{
	return DMA_END_PFN + 256 + nth * 64;
}

/* ---- the fake hooks ---- */

#define MAX_WAITS	16

static unsigned long fake_ms;
static unsigned int waits;
static unsigned int asked[MAX_WAITS];	/* the ms each wait was given */
/* What the n-th wait (from 0) does; it may move fake_ms and free pages. */
static int (*on_wait)(unsigned int n, unsigned int ms);

static int fake_wait(unsigned long seen, unsigned int ms)
{
	unsigned int n = waits++;

	(void)seen;
	if (n < MAX_WAITS)
		asked[n] = ms;
	if (n >= 100)		/* a runaway loop: stop it, fail the test */
		return -EAGAIN;
	return on_wait(n, ms);
}

static unsigned long fake_clock(void)
{
	return fake_ms;
}

static const struct mm_sleep_ops fake_ops = {
	.wait_for_pages = fake_wait,
	.clock_ms = fake_clock,
};

static void hooks_on(int (*fn)(unsigned int n, unsigned int ms))
{
	fake_ms = 1000000;	/* any start: only differences count */
	waits = 0;
	memset(asked, 0, sizeof(asked));
	on_wait = fn;
	mm_set_sleep_ops(&fake_ops);
	host_log_clear();
}

static void hooks_off(void)
{
	mm_set_sleep_ops(NULL);
}

/* A wake-up by a free that someone else took: 100 ms, nothing for us. */
static int woken_100ms_for_nothing(unsigned int n, unsigned int ms)
{
	(void)n;
	(void)ms;
	fake_ms += 100;
	return 0;
}

/* Nobody frees anything: the whole time passes. */
static int times_out(unsigned int n, unsigned int ms)
{
	(void)n;
	fake_ms += ms;
	return -ETIMEDOUT;
}

/* ---- call sites: a report must name one of these ---- */

#define CALL_SITE	__attribute__((__noinline__, section("mm_wait_sites")))

extern const char __start_mm_wait_sites[], __stop_mm_wait_sites[];

static CALL_SITE struct page *site_alloc(gfp_t gfp, unsigned int order)
{
	return alloc_pages(gfp, order);
}

/* Every "caller 0x..." in the log lies among the call sites (and one does). */
static bool log_callers_are_sites(void)
{
	const char *s = host_log();
	unsigned int found = 0;

	while ((s = strstr(s, "caller 0x")) != NULL) {
		uintptr_t caller;

		s += strlen("caller ");
		caller = (uintptr_t)strtoull(s, NULL, 16);
		if (caller < (uintptr_t)__start_mm_wait_sites ||
		    caller >= (uintptr_t)__stop_mm_wait_sites)
			return false;
		found++;
	}
	return found > 0;
}

static unsigned int log_count(const char *text)
{
	const char *s = host_log();
	unsigned int n = 0;

	while ((s = strstr(s, text)) != NULL) {
		n++;
		s += strlen(text);
	}
	return n;
}

/* ---- the tests ---- */

/*
 * Order 4 is costly: the first wait brings no larger block (a free went to
 * someone else), and it gives up then, at 100 ms, not at the bound.
 */
static void wait_costly_gives_up_after_one_wait_without_progress(void)
{
	take_everything();
	hooks_on(woken_100ms_for_nothing);
	EXPECT(site_alloc(GFP_KERNEL, PAGE_ALLOC_COSTLY_ORDER + 1) == NULL);
	EXPECT_EQ(waits, 1);
	EXPECT_EQ(mm_wait_gave_up_count(), 1);
	EXPECT_EQ(mm_report_count(MM_WARN_ALLOC_FAIL), 1);
	EXPECT(host_log_has("gave up after 100 ms: order 4 is costly"));
	EXPECT(log_callers_are_sites());
	hooks_off();
	give_everything_back();
}

/*
 * Each wait that frees a run of pages larger than the largest free block
 * so far is progress, so the costly request waits again; the wait that
 * brings nothing ends it. Runs of 4 and 8 frames merge into blocks of
 * order 2 and 3 (too small for order 4, and under the low watermark).
 */
static int frees_growing_runs(unsigned int n, unsigned int ms)
{
	(void)ms;
	fake_ms += 10;
	if (n == 0)
		free_run(normal_run(0), 4);
	else if (n == 1)
		free_run(normal_run(1), 8);
	return n < 2 ? 0 : -ETIMEDOUT;
}

static void wait_costly_waits_again_while_blocks_grow(void)
{
	take_everything();
	hooks_on(frees_growing_runs);
	EXPECT(site_alloc(GFP_KERNEL, 4) == NULL);
	EXPECT_EQ(waits, 3);
	EXPECT(host_log_has("brought no larger free block (largest: order 3)"));
	hooks_off();
	give_everything_back();
}

/* Progress or not, a costly request is bounded by mm_wait_ms too. */
static int frees_growing_runs_slowly(unsigned int n, unsigned int ms)
{
	(void)ms;
	fake_ms += 1000;
	free_run(normal_run(n), 1UL << n);	/* orders 0, 1, 2, 3... */
	return 0;
}

static void wait_costly_bounded_by_wait_ms(void)
{
	take_everything();
	hooks_on(frees_growing_runs_slowly);
	EXPECT(site_alloc(GFP_KERNEL, 5) == NULL);
	EXPECT_EQ(waits, 3);		/* 3 x 1000 ms = the default bound */
	EXPECT(host_log_has("gave up after 3000 ms (mm_wait_ms=3000)"));
	hooks_off();
	give_everything_back();
}

/*
 * Order 3 is not costly: wake-ups that bring nothing do not end it, the
 * bound does. Each wait is given what is left of mm_wait_ms.
 */
static void wait_small_gives_up_after_the_bound(void)
{
	EXPECT_EQ(mm_setup_param("mm_wait_ms", "500"), 0);
	take_everything();
	hooks_on(woken_100ms_for_nothing);
	EXPECT(site_alloc(GFP_KERNEL, PAGE_ALLOC_COSTLY_ORDER) == NULL);
	EXPECT_EQ(waits, 5);
	EXPECT_EQ(asked[0], 500);
	EXPECT_EQ(asked[1], 400);
	EXPECT_EQ(asked[4], 100);
	EXPECT_EQ(mm_wait_gave_up_count(), 1);
	EXPECT(host_log_has("gave up after 500 ms (mm_wait_ms=500)"));
	EXPECT(host_log_has("page allocation failure: GFP_KERNEL, gfp 0x4"));
	EXPECT(log_callers_are_sites());
	hooks_off();
	give_everything_back();
}

/* The same for GFP_DMA, order 0, one long wait that times out. */
static void wait_small_dma_times_out(void)
{
	take_everything();
	hooks_on(times_out);
	EXPECT(site_alloc(GFP_KERNEL | GFP_DMA, 0) == NULL);
	EXPECT_EQ(waits, 1);
	EXPECT_EQ(asked[0], MM_WAIT_MS_DEFAULT);
	EXPECT(host_log_has("GFP_KERNEL|GFP_DMA"));
	EXPECT(host_log_has("gave up after 3000 ms"));
	EXPECT(log_callers_are_sites());
	hooks_off();
	give_everything_back();
}

/* A free inside the bound serves the sleeper: no report. */
static int frees_one_at_200ms(unsigned int n, unsigned int ms)
{
	(void)n;
	(void)ms;
	fake_ms += 200;
	free_run(normal_run(0), 1);
	return 0;
}

static void wait_small_served_by_a_free_inside_the_bound(void)
{
	struct page *p;

	take_everything();
	hooks_on(frees_one_at_200ms);
	p = site_alloc(GFP_KERNEL, 0);
	EXPECT(p != NULL);
	EXPECT_EQ(waits, 1);
	EXPECT_EQ(mm_report_count(MM_WARN_ALLOC_FAIL), 0);
	EXPECT_EQ(mm_wait_gave_up_count(), 0);
	hooks_off();
	if (p)
		free_page(p);
	give_everything_back();
}

/* __GFP_NOWARN: gives up the same way, counted, without a report. */
static void wait_nowarn_gives_up_silently(void)
{
	take_everything();
	hooks_on(times_out);
	EXPECT(site_alloc(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	EXPECT_EQ(mm_wait_gave_up_count(), 1);
	EXPECT_EQ(gfp_classes[CLASS_KERNEL].failures, 1);
	EXPECT_EQ(mm_report_count(MM_WARN_ALLOC_FAIL), 0);
	hooks_off();
	give_everything_back();
}

/* mm_wait_ms=0: no wait at all, reported as a give-up. */
static void wait_zero_bound_never_sleeps(void)
{
	EXPECT_EQ(mm_setup_param("mm_wait_ms", "0"), 0);
	take_everything();
	hooks_on(times_out);
	EXPECT(site_alloc(GFP_KERNEL, 0) == NULL);
	EXPECT_EQ(waits, 0);
	EXPECT(host_log_has("gave up after 0 ms (mm_wait_ms=0)"));
	hooks_off();
	give_everything_back();
}

/*
 * __GFP_NOFAIL, even for a costly order with no progress, waits on and
 * says so every interval (mm_wait_ms, at least 1 s: here 100 asks for
 * 1000), naming the caller; the sixth wait brings its page.
 */
static int times_out_then_frees(unsigned int n, unsigned int ms)
{
	fake_ms += ms;
	if (n < 5)
		return -ETIMEDOUT;
	free_run(normal_run(0), 1);
	return 0;
}

static void wait_nofail_waits_on_and_reports(void)
{
	struct page *p;

	EXPECT_EQ(mm_setup_param("mm_wait_ms", "100"), 0);
	take_everything();
	hooks_on(times_out_then_frees);
	p = site_alloc(GFP_KERNEL | __GFP_NOFAIL, 0);
	EXPECT(p != NULL);
	EXPECT_EQ(waits, 6);
	EXPECT_EQ(asked[0], MM_NOFAIL_REPORT_MIN_MS);
	EXPECT_EQ(asked[5], MM_NOFAIL_REPORT_MIN_MS);
	EXPECT_EQ(log_count("still waiting"), 5);
	EXPECT(host_log_has("(__GFP_NOFAIL) still waiting after 5000 ms"));
	EXPECT(log_callers_are_sites());
	EXPECT_EQ(mm_report_count(MM_WARN_ALLOC_FAIL), 0);
	hooks_off();
	if (p)
		free_page(p);
	give_everything_back();
}

static int times_out_8_times_then_interrupted(unsigned int n, unsigned int ms)
{
	fake_ms += ms;
	return n < 8 ? -ETIMEDOUT : -EINTR;
}

static void wait_nofail_costly_never_gives_up(void)
{
	take_everything();
	hooks_on(times_out_8_times_then_interrupted);
	EXPECT(site_alloc(GFP_KERNEL | __GFP_NOFAIL, 6) == NULL);
	EXPECT_EQ(waits, 9);		/* only the interrupt ended it */
	EXPECT_EQ(log_count("still waiting"), 8);
	EXPECT_EQ(mm_wait_gave_up_count(), 0);
	hooks_off();
	give_everything_back();
}

/* An interrupted wait ends at once: NULL, counted, not reported. */
static int interrupted_at_50ms(unsigned int n, unsigned int ms)
{
	(void)n;
	(void)ms;
	fake_ms += 50;
	return -EINTR;
}

static void wait_interrupted_ends_at_once(void)
{
	take_everything();
	hooks_on(interrupted_at_50ms);
	EXPECT(site_alloc(GFP_KERNEL, 0) == NULL);
	EXPECT_EQ(waits, 1);
	EXPECT_EQ(mm_wait_interrupted_count(), 1);
	EXPECT_EQ(mm_wait_gave_up_count(), 0);
	EXPECT_EQ(gfp_classes[CLASS_KERNEL].failures, 1);
	EXPECT_EQ(mm_report_count(MM_WARN_ALLOC_FAIL), 0);
	hooks_off();
	give_everything_back();
}

/* __GFP_NOFAIL promises a wait: refused with GFP_ATOMIC, reported. */
static void wait_nofail_atomic_refused(void)
{
	EXPECT(site_alloc(GFP_ATOMIC | __GFP_NOFAIL, 0) == NULL);
	EXPECT_EQ(mm_report_count(MM_BUG_BAD_FLAGS), 1);
	EXPECT(host_log_has("__GFP_NOFAIL only with GFP_KERNEL"));
	EXPECT_CHECK();
}

static void wait_param_checked(void)
{
	host_log_clear();
	EXPECT_EQ(mm_setup_param("mm_wait_ms", "soon"), -EINVAL);
	EXPECT_EQ(mm_setup_param("mm_wait_ms", "600001"), -EINVAL);
	EXPECT_EQ(mm_wait_ms(), MM_WAIT_MS_DEFAULT);
	EXPECT(host_log_has("mm_wait_ms=soon: expected a number from 0 to "
			    "600000"));
	EXPECT_EQ(log_count("mm_wait_ms="), 2);	/* one line each */
	EXPECT_EQ(mm_setup_param("mm_wait_ms", "250"), 0);
	EXPECT_EQ(mm_wait_ms(), 250);
}

static void wait_rule_in_words(void)
{
	char buf[128];

	EXPECT(strstr(mm_wait_rule(GFP_KERNEL, 4, buf, sizeof(buf)),
		      "order 4 is costly"));
	EXPECT(strstr(mm_wait_rule(GFP_KERNEL, 3, buf, sizeof(buf)),
		      "mm_wait_ms=3000"));
	EXPECT(strstr(mm_wait_rule(GFP_ATOMIC, 0, buf, sizeof(buf)),
		      "never waits"));
	EXPECT(strstr(mm_wait_rule(GFP_KERNEL | __GFP_NOFAIL, 9, buf,
				   sizeof(buf)), "until served"));
}

/* The boot check of the rule (sleep_selftest()) finds nothing wrong. */
static void wait_selftest_quiet(void)
{
	EXPECT(!mm_wait_rule_broken);
	EXPECT(!mm_wait_fallback);
	EXPECT(!host_log_has("wait_budget()"));
}

/*
 * A rule that failed its boot check for waiting past the bound: GFP_KERNEL
 * gives up before any wait, says why once, and the report says it too.
 */
static void wait_fallback_never_sleeps(void)
{
	const char *note = "gives up at once: wait_budget() in mm/sleep.c "
			   "gave it no time (lab 4; said once)";

	mm_wait_fallback = true;
	take_everything();
	hooks_on(times_out);
	EXPECT(site_alloc(GFP_KERNEL, 0) == NULL);
	EXPECT(site_alloc(GFP_KERNEL | __GFP_NOFAIL, 0) == NULL);
	EXPECT_EQ(waits, 0);
	EXPECT_EQ(log_count(note), 1);
	EXPECT(host_log_has("GFP_KERNEL order 0, caller 0x"));
	EXPECT(host_log_has("; did not wait: see wait_budget() in mm/sleep.c"));
	EXPECT_EQ(mm_wait_gave_up_count(), 2);
	mm_wait_fallback = false;
	hooks_off();
	give_everything_back();
}

/*
 * Before it sleeps, the walk gives the hot room back to the zones, and
 * that give-back counts as a free (it wakes sleepers). The wait must not
 * take our own give-back for the free it waits for: it is asked with the
 * count as it stands after the give-back, so a real scheduler would sleep
 * instead of returning at once with nothing freed.
 */
static unsigned long seen_asked, seen_then;

static int note_seen(unsigned int n, unsigned int ms)
{
	(void)n;
	seen_then = mm_frees_seen();
	fake_ms += ms;
	return -ETIMEDOUT;
}

static int fake_wait_noting_seen(unsigned long seen, unsigned int ms)
{
	seen_asked = seen;
	return fake_wait(seen, ms);
}

static void wait_not_ended_by_own_hot_room_give_back(void)
{
	static const struct mm_sleep_ops noting_ops = {
		.wait_for_pages = fake_wait_noting_seen,
		.clock_ms = fake_clock,
	};
	pfn_t run = normal_run(0);

	take_everything();
	free_run(run, 1);		/* one page, into the hot room */
	EXPECT(hot_room_pages(&hot_rooms[0]) > 0);
	hooks_on(note_seen);
	mm_set_sleep_ops(&noting_ops);
	EXPECT(site_alloc(GFP_KERNEL, PAGE_ALLOC_COSTLY_ORDER + 1) == NULL);
	EXPECT(waits >= 1);
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), 0);	/* it was given back */
	EXPECT_EQ(seen_asked, seen_then);	/* nothing freed since */
	hooks_off();
	give_everything_back();
}

static const struct host_test tests[] = {
	HT(wait_costly_gives_up_after_one_wait_without_progress),
	HT(wait_costly_waits_again_while_blocks_grow),
	HT(wait_costly_bounded_by_wait_ms),
	HT(wait_small_gives_up_after_the_bound),
	HT(wait_small_dma_times_out),
	HT(wait_small_served_by_a_free_inside_the_bound),
	HT(wait_nowarn_gives_up_silently),
	HT(wait_zero_bound_never_sleeps),
	HT(wait_nofail_waits_on_and_reports),
	HT(wait_nofail_costly_never_gives_up),
	HT(wait_interrupted_ends_at_once),
	HT(wait_nofail_atomic_refused),
	HT(wait_param_checked),
	HT(wait_rule_in_words),
	HT(wait_selftest_quiet),
	HT(wait_fallback_never_sleeps),
	HT(wait_not_ended_by_own_hot_room_give_back),
};

int main(void)
{
	return ht_main("mm_wait", tests, ARRAY_SIZE(tests), setup);
}
