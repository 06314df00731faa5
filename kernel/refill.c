/*
 * refill.c - the refill thread: tops the exclusive rooms back up.
 *
 * IRQ0 (the sampler) and IRQ1 (the keyboard) allocate from their exclusive
 * rooms where they cannot sleep. Each allocation calls refill_check(); when
 * a room is below half its target it sets `wanted` and wakes this thread,
 * which refills every watched room with excl_room_refill() (GFP_KERNEL: it
 * may sleep until pages are freed, and gives up after mm_wait_ms; the
 * room's pages are cleared here, so the handler gets a zeroed page without
 * a 4 KiB clear of its own).
 *
 * Invariants: watched[] changes only in process context, at init; `wanted` is
 * set from any context and cleared by the thread before it refills, so a
 * wake-up during a refill is never lost (the thread runs once more).
 *
 * Locking: none; one CPU. `wanted` is one word written with plain stores.
 */
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/refill.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <mm/exclusive.h>
#include <mm/gfp.h>
#include <mm/view.h>

#define REFILL_MAX_ROOMS	4

struct refill_room {
	int room;
	unsigned int target;
};

static struct refill_room watched[REFILL_MAX_ROOMS];
static unsigned int nr_watched;
static volatile bool wanted;
static DECLARE_WAIT_QUEUE_HEAD(refill_wait);
static struct thread *refill_thread;

static struct {
	unsigned long wakeups;	/* times refill_check() asked for a refill */
	unsigned long runs;	/* passes of the thread over the rooms */
	unsigned long pages;	/* pages put into rooms */
	unsigned long short_runs; /* passes where a room stayed short */
} refill_stats;

int refill_register(int room, unsigned int target)
{
	if (room < 0 || !target)
		return -EINVAL;
	if (nr_watched == REFILL_MAX_ROOMS)
		return -EBUSY;
	watched[nr_watched].room = room;
	watched[nr_watched].target = target;
	nr_watched++;
	return 0;
}

void refill_unregister(int room)
{
	for (unsigned int i = 0; i < nr_watched; i++) {
		if (watched[i].room != room)
			continue;
		watched[i] = watched[--nr_watched];
		return;
	}
}

bool refill_pending(void)
{
	return wanted;
}

static unsigned int refill_target(int room)
{
	for (unsigned int i = 0; i < nr_watched; i++)
		if (watched[i].room == room)
			return watched[i].target;
	return 0;
}

void refill_check(int room)
{
	unsigned int target = refill_target(room);

	if (target && excl_room_count(room) * 2 < target) {
		if (!wanted)
			refill_stats.wakeups++;
		refill_kick();
	}
}

void *refill_irq_page(int room)
{
	struct page *page;

	page = alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE | __GFP_NOWARN);
	if (room >= 0)
		refill_check(room);	/* wake the refill thread if low */
	if (page)
		irq_note_page();	/* irqstat counts this one apart */
	return page ? page_address(page) : NULL;
}

void refill_kick(void)
{
	wanted = true;
	wake_up(&refill_wait);
}

/* One pass over the rooms. Process context: it may sleep in GFP_KERNEL. */
int refill_run_once(void)
{
	int added = 0;
	bool short_of_pages = false;

	wanted = false;
	refill_stats.runs++;
	for (unsigned int i = 0; i < nr_watched; i++) {
		int n = excl_room_refill(watched[i].room);

		if (n > 0)
			added += n;
		else if (n < 0)
			short_of_pages = true;
	}
	refill_stats.pages += (unsigned long)added;
	if (short_of_pages)
		refill_stats.short_runs++;
	return added;
}

void refill_show(struct seq *out)
{
	seq_printf(out, "refill: thread %s, %lu wake-ups, %lu passes, "
		   "%lu pages added, %lu passes short of pages\n",
		   refill_thread ? refill_thread->name : "not started",
		   refill_stats.wakeups,
		   refill_stats.runs, refill_stats.pages,
		   refill_stats.short_runs);
	for (unsigned int i = 0; i < nr_watched; i++) {
		char name[40];

		/* Named as the labyrinth view names the room. */
		seq_printf(out, "  %s: %u of %u pages\n",
			   mm_excl_room_name(watched[i].room, name,
					     sizeof(name)),
			   excl_room_count(watched[i].room), watched[i].target);
	}
}

/*
 * The thread: sleep until a handler asks, refill, repeat. A pass that ends
 * short is retried after a pause. It ends short when memory stays below
 * the low watermark: excl_room_refill()'s GFP_KERNEL allocation (order 0,
 * __GFP_NOWARN) sleeps until pages are freed, walks again, and gives up
 * silently once mm_wait_ms has passed with no page (include/mm/sleep.h).
 * While a hog holds the memory the thread thus sleeps in those waits,
 * wakes for frees it cannot use, and tries again after each give-up: it
 * never spins.
 */
static int refill_thread_fn(void *arg __unused)
{
	for (;;) {
		wait_event(refill_wait, wanted);
		refill_run_once();
		for (unsigned int i = 0; i < nr_watched; i++) {
			if (excl_room_count(watched[i].room) <
			    watched[i].target) {
				msleep(10);
				wanted = true;
				break;
			}
		}
	}
	return 0;
}

void refill_init(void)
{
	if (refill_thread)
		return;
	refill_thread = kthread_create("refill", refill_thread_fn, NULL);
	if (!refill_thread) {
		pr_err("refill: no thread: exclusive rooms are not refilled\n");
		return;
	}
	refill_kick();		/* rooms created before the thread: look now */
}
