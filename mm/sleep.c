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

void sleep_init(void)
{
	mm_sleepers = 0;
	nr_slept = nr_would_sleep = nr_gave_up = nr_interrupted = 0;
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
 */
static void report_still_waiting(const struct mm_wait *w,
				 const struct alloc_ctx *ac)
{
	printk(KERN_WARNING "mm: %s order %u (__GFP_NOFAIL) still waiting "
	       "after %lu ms, caller " CALLER_FMT "; %lu pages free\n",
	       ac->cls->name, ac->order, w->waited_ms, ac->caller,
	       mm_free_pages_quick());
}

/*
 * May ac wait once more, and for how long? Returns the milliseconds to
 * wait, or 0 to give up (w->why says why). Called after a walk failed.
 */
static unsigned int wait_budget(struct mm_wait *w, const struct alloc_ctx *ac)
{
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
}

void mm_wait_init(struct mm_wait *w)
{
	*w = (struct mm_wait){ .largest = -1, .why = MM_WAIT_NONE };
	w->next_report_ms = nofail_report_ms();
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
	ms = wait_budget(w, ac);
	if (!ms) {
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
