/*
 * sleep.c - the sleeping step of GFP_KERNEL: when to wait, when to give up
 * (the rule of include/mm/sleep.h), and the hooks the scheduler fills.
 *
 * mm_sleepers counts the allocations waiting now, so a free calls
 * wake_waiters() only when someone waits: the free path pays one test.
 * frees_seen counts those frees; a waiter sleeps until it moves past the
 * value it read before its last walk (see include/mm/sleep.h).
 *
 * The rule lives here, not in the scheduler, so that host tests check it
 * with fake hooks and a fake clock: the hooks only sleep and tell the time.
 * The time waited runs from the first wait on, walks and wake-ups
 * included, so frees that keep waking a waiter without serving it cannot
 * stretch the bound.
 */
#include "internal.h"
#include <lib/format.h>
#include <mm/sleep.h>

static const struct mm_sleep_ops *sleep_ops;
unsigned int mm_sleepers;
static unsigned long nr_slept, nr_would_sleep, nr_gave_up, nr_interrupted;
static volatile unsigned long frees_seen;
bool mm_wait_rule_broken, mm_wait_fallback;	/* sleep_selftest() */
static bool no_rule_said;	/* note_no_rule() spoke */

void sleep_init(void)
{
	mm_sleepers = 0;
	nr_slept = nr_would_sleep = nr_gave_up = nr_interrupted = 0;
	no_rule_said = false;
}

const struct mm_sleep_ops *mm_set_sleep_ops(const struct mm_sleep_ops *ops)
{
	const struct mm_sleep_ops *old = sleep_ops;

	sleep_ops = ops;
	return old;
}

unsigned long mm_sleep_count(void)
{
	return nr_slept;
}

unsigned long mm_would_sleep_count(void)
{
	return nr_would_sleep;
}

unsigned long mm_wait_gave_up_count(void)
{
	return nr_gave_up;
}

unsigned long mm_wait_interrupted_count(void)
{
	return nr_interrupted;
}

unsigned long mm_frees_seen(void)
{
	return frees_seen;
}

unsigned int mm_wait_ms(void)
{
	return param_wait_ms;
}

static bool order_costly(unsigned int order)
{
	return order > PAGE_ALLOC_COSTLY_ORDER;
}

const char *mm_wait_rule(gfp_t gfp, unsigned int order, char *buf,
			 size_t size)
{
	if (!(gfp & __GFP_WAIT))
		snprintf(buf, size, "never waits");
	else if (gfp & __GFP_NOFAIL)
		snprintf(buf, size, "__GFP_NOFAIL: waits until served");
	else if (order_costly(order))
		snprintf(buf, size, "gives up after a wait that brings no "
			 "larger free block: order %u is costly (above %u)",
			 order, PAGE_ALLOC_COSTLY_ORDER);
	else
		snprintf(buf, size, "gives up after mm_wait_ms=%u ms of waiting",
			 param_wait_ms);
	return buf;
}

/*
 * Count the caller as a sleeper from now on, and return the frees seen so
 * far: the caller walks the path once more, then waits with this value.
 * Process context; interrupts never change mm_sleepers, so ++ is safe.
 */
unsigned long mm_sleep_begin(void)
{
	mm_sleepers++;
	return frees_seen;
}

void mm_sleep_end(void)
{
	mm_sleepers--;
}

/*
 * The largest order with a free block in the zones on ac's path, or -1.
 * Read without the locks: a hint, as the walk's own first test is.
 */
static int path_largest_free(const struct alloc_ctx *ac)
{
	const struct path_step *st;
	int best = -1, k;

	for (st = ac->cls->path; st->kind != ROOM_END; st++) {
		const struct zone *z = &zones[st->zone];

		if (st->kind != ROOM_ZONE && st->kind != ROOM_RESERVE)
			continue;
		for (k = MAX_ORDER; k > best; k--) {
			if (z->free_area[k].nr_free) {
				best = k;
				break;
			}
		}
	}
	return best;
}

/* __GFP_NOFAIL: the time between two "still waiting" reports. */
static unsigned int nofail_report_ms(void)
{
	return MAX(param_wait_ms, (unsigned int)MM_NOFAIL_REPORT_MIN_MS);
}

/*
 * Not through mm_report(): its rate limit would silence a long wait after
 * five reports, and a waiter prints once per interval at most anyway.
 * (__unused: lab 4's starter of wait_budget() does not call it.)
 */
static __unused void report_still_waiting(const struct mm_wait *w,
					  const struct alloc_ctx *ac)
{
	printk(KERN_WARNING "mm: %s order %u (__GFP_NOFAIL) still waiting "
	       "after %lu ms, caller " CALLER_FMT "; %lu pages free\n",
	       ac->cls->name, ac->order, w->waited_ms, ac->caller,
	       mm_free_pages_quick());
}

/*
 * May ac wait once more, and for how long? Returns the milliseconds to
 * wait, or 0 to give up (w->why says why). Called after a walk failed,
 * before each wait; w->waited_ms is the time since the first wait began.
 */
static unsigned int wait_budget(struct mm_wait *w, const struct alloc_ctx *ac)
{
#ifndef LAB4_STARTER		/* lab 4 solution */
	if (ac->gfp & __GFP_NOFAIL) {
		if (w->waited_ms >= w->next_report_ms) {
			report_still_waiting(w, ac);
			w->next_report_ms = w->waited_ms + nofail_report_ms();
		}
		return (unsigned int)(w->next_report_ms - w->waited_ms);
	}
	if (order_costly(ac->order) && w->waits) {
		int largest = path_largest_free(ac);

		if (largest <= w->largest) {
			w->largest = largest;
			w->why = MM_WAIT_NO_PROGRESS;
			return 0;
		}
	}
	if (w->waited_ms >= param_wait_ms) {
		w->why = MM_WAIT_TIMED_OUT;
		return 0;
	}
	return (unsigned int)(param_wait_ms - w->waited_ms);
#else				/* lab 4 starter */
	/*
	 * LAB 4, exercise 5 (docs/labs/lab4-watermarks.md, "Never
	 * forever"). The rule is in include/mm/sleep.h, in this order:
	 * __GFP_NOFAIL waits on, printing report_still_waiting() each
	 * time waited_ms reaches w->next_report_ms (then move it on by
	 * nofail_report_ms()), and waits until then; a costly order
	 * (order_costly()) after a wait (w->waits) gives up when
	 * path_largest_free() is no larger than w->largest, the largest
	 * before that wait (store the new one in w->largest: the report
	 * prints it), with MM_WAIT_NO_PROGRESS; then anything gives up
	 * with MM_WAIT_TIMED_OUT once w->waited_ms reaches param_wait_ms,
	 * and otherwise waits what is left of it. Until you write it,
	 * GFP_KERNEL never sleeps: it gives up at once, and the kernel
	 * says so.
	 */
	(void)ac;
	w->why = MM_WAIT_NO_RULE;
	return 0;
#endif				/* lab 4 */
}

void mm_wait_init(struct mm_wait *w)
{
	*w = (struct mm_wait){ .largest = -1, .why = MM_WAIT_NONE };
	w->next_report_ms = nofail_report_ms();
}


/*
 * GFP_KERNEL gave up at once because wait_budget() is lab 4's starter or
 * failed its boot check: say so, the first time, with the caller (a
 * __GFP_NOWARN caller, such as the refill thread, reports nothing else).
 */
static void note_no_rule(struct mm_wait *w, const struct alloc_ctx *ac)
{
	w->why = MM_WAIT_NO_RULE;
	if (no_rule_said)
		return;
	no_rule_said = true;
	printk(KERN_WARNING "mm: %s order %u, caller " CALLER_FMT ", would "
	       "sleep now, but gives up at once: wait_budget() in mm/sleep.c "
	       "gave it no time (lab 4; said once)\n", ac->cls->name,
	       ac->order, ac->caller);
}

/*
 * One step of the rule, after a walk of the path failed: decide, and wait.
 * Returns 0 to walk again, or a negative errno to give up (w->why says
 * why). Process context, no lock held, between mm_sleep_begin() and
 * mm_sleep_end().
 */
int mm_sleep_wait(struct mm_wait *w, const struct alloc_ctx *ac,
		  unsigned long seen)
{
	const struct mm_sleep_ops *ops = sleep_ops;
	unsigned int ms;
	u64 t0;
	int err;

	if (!ops || !ops->wait_for_pages || !ops->clock_ms) {
		stat_inc(&nr_would_sleep);
		w->why = MM_WAIT_CANNOT;
		return -EAGAIN;
	}
	if (!w->waits)
		w->start_ms = ops->clock_ms();
	w->waited_ms = ops->clock_ms() - w->start_ms;
	ms = mm_wait_fallback ? 0 : wait_budget(w, ac);
	if (!ms) {
		if (mm_wait_fallback || w->why == MM_WAIT_NO_RULE)
			note_no_rule(w, ac);
		stat_inc(&nr_gave_up);
		return -ENOMEM;
	}
	w->largest = path_largest_free(ac);
	w->waits++;
	stat_inc(&nr_slept);
	trace_mm_sleep(ac->order, ac->gfp, ms, ac->caller);
	t0 = trace_start();
	err = ops->wait_for_pages(seen, ms);
	trace_mm_wake(ac->order, ac->gfp, ac->caller, t0);
	w->waited_ms = ops->clock_ms() - w->start_ms;
	if (err == -EINTR) {
		stat_inc(&nr_interrupted);
		w->why = MM_WAIT_INTERRUPTED;
		return err;
	}
	if (err && err != -ETIMEDOUT) {	/* -EAGAIN: it cannot sleep here */
		w->why = MM_WAIT_CANNOT;
		return err;
	}
	return 0;
}

/* Why w ended without a page, in words for the failure report. */
const char *mm_wait_why(const struct mm_wait *w, const struct alloc_ctx *ac,
			char *buf, size_t size)
{
	int n;

	switch (w->why) {
	case MM_WAIT_TIMED_OUT:
		snprintf(buf, size, "; gave up after %lu ms (mm_wait_ms=%u)",
			 w->waited_ms, param_wait_ms);
		break;
	case MM_WAIT_NO_PROGRESS:
		n = snprintf(buf, size, "; gave up after %lu ms: order %u is "
			     "costly and the wait brought no larger free block",
			     w->waited_ms, ac->order);
		if (w->largest >= 0 && n > 0 && (size_t)n < size)
			snprintf(buf + n, size - (size_t)n, " (largest: order "
				 "%d)", w->largest);
		break;
	case MM_WAIT_INTERRUPTED:
		snprintf(buf, size, "; interrupted after %lu ms", w->waited_ms);
		break;
	case MM_WAIT_CANNOT:
		snprintf(buf, size, "; could not sleep here");
		break;
	case MM_WAIT_NO_RULE:
		snprintf(buf, size, "; did not wait: see wait_budget() in "
			 "mm/sleep.c and what the kernel said of it at boot "
			 "(lab 4)");
		break;
	default:
		buf[0] = '\0';
	}
	return buf;
}

/* Pages were freed while someone waits. Any context. */
void mm_wake_waiters(void)
{
	frees_seen++;
	if (sleep_ops && sleep_ops->wake_waiters)
		sleep_ops->wake_waiters();
}

/*
 * Ask wait_budget() about two made-up waits of an order-0 GFP_KERNEL
 * allocation: its first (it must get time to wait, unless mm_wait_ms=0)
 * and one at its bound (it must give up). The rule is lab 4's exercise,
 * and a handout of lab 4 (or of an earlier lab) starts without it: say
 * what is wrong. A rule that would wait past the bound could make a
 * GFP_KERNEL caller wait forever: then GFP_KERNEL does not sleep at all
 * (mm_wait_fallback). Boot, from mm_init(), after sleep_init().
 */
void sleep_selftest(void)
{
	struct alloc_ctx ac = { .gfp = GFP_KERNEL, .order = 0,
				.cls = &gfp_classes[CLASS_KERNEL] };
	struct mm_wait w;
	unsigned int ms;

	mm_wait_rule_broken = mm_wait_fallback = false;
	mm_wait_init(&w);
	w.waits = 1;
	w.waited_ms = param_wait_ms;
	ms = wait_budget(&w, &ac);
	if (ms) {
		mm_wait_rule_broken = mm_wait_fallback = true;
		pr_err("mm: wait_budget() in mm/sleep.c gives an order-0 "
		       "GFP_KERNEL allocation %u ms more after its bound, "
		       "mm_wait_ms=%u (lab 4): GFP_KERNEL does not sleep at "
		       "all instead, so that it never waits forever\n", ms,
		       param_wait_ms);
		return;
	}
	mm_wait_init(&w);
	ms = wait_budget(&w, &ac);
	if (!ms && param_wait_ms) {
		mm_wait_rule_broken = true;
		pr_err("mm: wait_budget() in mm/sleep.c gives an order-0 "
		       "GFP_KERNEL allocation no time for its first wait "
		       "(lab 4): GFP_KERNEL gives up at once instead of "
		       "sleeping until pages are freed\n");
	}
}
