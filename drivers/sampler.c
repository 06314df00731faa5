/*
 * sampler.c - tick jitter: samples taken in IRQ0, digested by a thread.
 *
 * The handler side (sampler_record) runs on every timer tick with
 * interrupts off: it reads the TSC, stores one 8-byte sample in the current
 * block and, when the block is full, takes a fresh one with
 * alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE) and hands the full one off to the
 * sampler thread. The fresh block is taken first: if that fails, the full
 * block is still ours and the fallback reuses it (overrun).
 *
 * The consumer side (sampler_drain) runs in the sampler thread: it unlinks
 * one block with interrupts off, sorts its deltas with interrupts on (the
 * block is its own since the hand-off), and frees it.
 *
 * Invariants (interrupts off): taken == digested + discarded + in hand, see
 * include/drivers/sampler.h; the inbox holds only full blocks.
 *
 * Locking: one CPU, no lock; the shared fields are touched with interrupts
 * off. Digest results are written by the consumer only and read by the
 * shell without care for a torn 64-bit value: they are statistics.
 */
#include <asm/irqflags.h>
#include <asm/timer.h>
#include <asm/tsc.h>
#include <drivers/sampler.h>
#include <kernel/arch.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/refill.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <lib/string.h>
#include <mm/exclusive.h>
#include <mm/gfp.h>

void sampler_setup(struct sampler *s, owner_t consumer, int room)
{
	*s = (struct sampler){ 0 };
	s->consumer = consumer;
	s->room = room;
	s->all_min = ~0u;
}

/* ------------------------------------------------- handler side (irqs off) */

static bool sampler_block_grow(struct sampler *s)
{
	struct sampler_block *b = NULL;

	if (!s->fail_alloc)
		b = refill_irq_page(s->room);
	if (!b) {
		s->alloc_failures++;
		return false;
	}
	s->taken++;
	s->cur = b;
	s->cur->next = NULL;
	s->cur->count = 0;
	s->cur->wraps = 0;
	return true;
}

/* Queue a full block for the consumer, who owns it from now on. */
static void sampler_block_handoff(struct sampler *s, struct sampler_block *b)
{
	if (excl_page_handoff(virt_to_page(b), s->consumer)) {
		/*
		 * mm/ reported it; the block is still ours: give it back.
		 * Count its samples first: the free poisons the page.
		 */
		s->discarded++;
		s->lost += b->count;
		free_page(virt_to_page(b));
		return;
	}
	b->next = NULL;
	if (s->inbox_tail)
		s->inbox_tail->next = b;
	else
		s->inbox = b;
	s->inbox_tail = b;
	if (s->notify)
		s->notify(s);
}

/*
 * The current block is full, or there is none: a fresh one, or the
 * fallback's reused one. Out of line: once a block.
 */
static __attribute__((noinline)) bool sampler_block_next(struct sampler *s)
{
	struct sampler_block *full = s->cur;

	if (sampler_block_grow(s)) {
		if (full)
			sampler_block_handoff(s, full);
		return true;
	}
	if (!full)
		return false;		/* not even a first block yet */
	/* The fallback: keep the full block and write over it. */
	s->overruns++;
	s->lost += full->count;
	full->count = 0;
	full->wraps++;
	return true;
}

/*
 * One sample. Inline in the tick (sampler_tick()): it runs 192,000 times
 * a second at the top rate, and its common case, a block with room, is a
 * few stores (docs/PERFORMANCE.md, "The 5.2 us budget").
 */
static inline __attribute__((always_inline)) void
__sampler_record(struct sampler *s, u32 tick, u64 now)
{
	u64 delta = now - s->last_tsc;
	bool first = s->last_tsc == 0;
	struct sampler_block *b = s->cur;
	struct sample *smp;

	s->last_tsc = now;
	if (unlikely(first))
		return;		/* a delta needs two ticks */
	if (unlikely(!b || b->count == SAMPLES_PER_BLOCK)) {
		if (!sampler_block_next(s)) {
			s->no_block++;
			return;
		}
		b = s->cur;
	}
	smp = &b->samples[b->count++];
	smp->tick = tick;
	smp->delta = delta > 0xffffffffu ? 0xffffffffu : (u32)delta;
	s->samples++;
}

void sampler_record(struct sampler *s, u32 tick, u64 now)
{
	__sampler_record(s, tick, now);
}

void sampler_release_current(struct sampler *s)
{
	if (!s->cur)
		return;
	s->lost += s->cur->count;
	s->discarded++;
	free_page(virt_to_page(s->cur));
	s->cur = NULL;
}

/* ----------------------------------------------------------- consumer side */

/* Sift a[i] down the max-heap a[0..n). */
static void heap_sift(u32 *a, u32 i, u32 n)
{
	for (;;) {
		u32 big = i, l = 2 * i + 1, r = l + 1, t;

		if (l < n && a[l] > a[big])
			big = l;
		if (r < n && a[r] > a[big])
			big = r;
		if (big == i)
			return;
		t = a[i];
		a[i] = a[big];
		a[big] = t;
		i = big;
	}
}

/*
 * Heap sort: in place, no recursion, n log n even on a sorted block (a
 * steady timer gives nearly equal deltas).
 */
static void sort_u32(u32 *a, u32 n)
{
	for (u32 i = n / 2; i-- > 0;)
		heap_sift(a, i, n);
	for (u32 end = n; end-- > 1;) {
		u32 t = a[0];

		a[0] = a[end];
		a[end] = t;
		heap_sift(a, 0, end);
	}
}

/*
 * The deltas are packed to the front of the block as a u32 array, then
 * sorted: d[i] sits at byte 4i, below samples[i].delta at 8i + 4, so each
 * write only covers samples already read. The samples are spent after.
 */
struct jitter sampler_jitter(struct sample *samples, u32 n)
{
	u32 *d = (u32 *)samples;

	if (!n)
		return (struct jitter){ 0, 0, 0 };
	for (u32 i = 0; i < n; i++)
		d[i] = samples[i].delta;
	sort_u32(d, n);
	return (struct jitter){ d[0], d[n / 2], d[n - 1] };
}

static void sampler_digest(struct sampler *s, struct sampler_block *b)
{
	u64 sum = 0;
	u32 gaps = 0;
	struct jitter last;
	unsigned long flags;

	for (u32 i = 0; i < b->count; i++) {
		u32 step = i ? b->samples[i].tick - b->samples[i - 1].tick : 1;

		sum += b->samples[i].delta;
		if (step != 1)
			gaps += step - 1;
	}
	last = sampler_jitter(b->samples, b->count);	/* the slow part */
	/* Publish together, so `sampler` never sees half a digest. */
	local_irq_save(flags);
	s->gaps += gaps;
	s->last = last;
	s->all_min = MIN(s->all_min, last.min);
	s->all_max = MAX(s->all_max, last.max);
	s->sum_cycles += sum;
	s->sum_samples += b->count;
	local_irq_restore(flags);
}

bool sampler_pending(struct sampler *s)
{
	return s->inbox != NULL;	/* one word: no need to turn irqs off */
}

unsigned int sampler_drain(struct sampler *s, unsigned int max)
{
	unsigned int done = 0;

	while (done < max) {
		struct sampler_block *b;
		unsigned long flags;

		local_irq_save(flags);
		b = s->inbox;
		if (b) {
			s->inbox = b->next;
			if (!s->inbox)
				s->inbox_tail = NULL;
			s->digesting++;
		}
		local_irq_restore(flags);
		if (!b)
			break;
		sampler_digest(s, b);
		/* Free and count at once: never both free and in hand. */
		local_irq_save(flags);
		free_page(virt_to_page(b));	/* ours since the hand-off */
		s->digesting--;
		s->digested++;
		local_irq_restore(flags);
		done++;
	}
	return done;
}

/* ------------------------------------------------------------ counters */

/*
 * The TSC's rate: cycles per tick times the ticks per second the PIT
 * really gives, PIT_INPUT_HZ / divisor (not timer_hz, which the divisor
 * only comes near: 3.6% off at hz=192000). Split so that nothing
 * overflows: cycles / samples, then the remainder.
 */
static u64 sampler_tsc_hz(u64 cycles, u64 samples)
{
	u64 q = cycles / samples, r = cycles % samples;
	u64 div = timer_divisor();

	return (q * PIT_INPUT_HZ + r * PIT_INPUT_HZ / samples) / div;
}

void sampler_get_stats(struct sampler *s, struct sampler_stats *st)
{
	unsigned long flags;
	u64 sum_cycles, sum_samples;

	*st = (struct sampler_stats){ 0 };
	local_irq_save(flags);
	st->samples = s->samples;
	st->taken = s->taken;
	st->digested = s->digested;
	st->discarded = s->discarded;
	st->overruns = s->overruns;
	st->lost = s->lost;
	st->alloc_failures = s->alloc_failures;
	st->no_block = s->no_block;
	for (struct sampler_block *b = s->inbox; b; b = b->next)
		st->queued++;
	st->in_hand = st->queued + s->digesting + (s->cur ? 1 : 0);
	st->gaps = s->gaps;
	st->last = s->last;
	st->all_min = s->all_max ? s->all_min : 0;
	st->all_max = s->all_max;
	st->reset = s->reset;
	st->since_tick = s->since_tick;
	sum_cycles = s->sum_cycles;
	sum_samples = s->sum_samples;
	local_irq_restore(flags);
	if (sum_samples)
		st->tsc_hz = sampler_tsc_hz(sum_cycles, sum_samples);
}

void sampler_reset_jitter(struct sampler *s)
{
	unsigned long flags;

	local_irq_save(flags);
	s->all_min = ~0u;
	s->all_max = 0;
	s->gaps = 0;
	s->since_tick = (u32)jiffies;
	s->reset = true;
	local_irq_restore(flags);
}

bool sampler_stats_balanced(const struct sampler_stats *st)
{
	return st->taken == st->digested + st->discarded + st->in_hand;
}

/* ------------------------------------------------------- the live sampler */

struct sampler sampler_live;
static DECLARE_WAIT_QUEUE_HEAD(sampler_wait);
static struct thread *sampler_thread;
static bool sampler_running;	/* set once the thread and room exist */

static void sampler_wake(struct sampler *s __unused)
{
	wake_up(&sampler_wait);
}

/*
 * The timer interrupt calls this on every tick, interrupts off. Before
 * sampler_init() has run it does nothing, so the timer can call it from the
 * first tick on.
 */
void sampler_tick(void)
{
	if (sampler_running)
		__sampler_record(&sampler_live, (u32)jiffies, rdtsc());
}

/* The consumer: owns every block handed off by IRQ0, digests, frees it. */
static int sampler_thread_fn(void *arg)
{
	struct sampler *s = arg;

	for (;;) {
		wait_event(sampler_wait, sampler_pending(s));
		sampler_drain(s, 4);
	}
	return 0;
}

static const struct tick_handler sampler_tick_handler = {
	.name = "sampler", .fn = sampler_tick, .order = SAMPLER_TICK_ORDER,
};

unsigned int sampler_room_target(unsigned int hz)
{
	unsigned int blocks = hz * SAMPLER_ROOM_MS / 1000 / SAMPLES_PER_BLOCK;

	return MIN(MAX(blocks + 1, SAMPLER_ROOM_MIN), SAMPLER_ROOM_MAX);
}

/*
 * The room's size: sampler_room=N on the command line (0 to
 * SAMPLER_ROOM_MAX pages), or sampler_room_target()'s. With 0 the sampler
 * runs without a room: every block then comes along the GFP_ATOMIC path,
 * often a freed (poisoned) page from the hot room, the dearest page a
 * handler can take; make bench-irq times that tick too.
 */
static unsigned int sampler_room_pages(void)
{
	unsigned int target = sampler_room_target(timer_hz);
	unsigned long pages;
	char value[16];

	if (!cmdline_get("sampler_room", value, sizeof(value)))
		return target;
	if (parse_ulong(value, &pages) || pages > SAMPLER_ROOM_MAX) {
		pr_err("sampler: bad value '%s' for sampler_room= (expected "
		       "0..%u); keeping %u\n", value, SAMPLER_ROOM_MAX, target);
		return target;
	}
	return (unsigned int)pages;
}

void sampler_init(void)
{
	unsigned int target = sampler_room_pages();
	int room = -1;

	if (target)
		room = excl_room_create(OWNER_IRQ(SAMPLER_IRQ), target,
					"sampler");
	if (room >= 0) {
		excl_room_refill(room);
		refill_register(room, target);
	} else if (!target) {
		pr_notice("sampler: no exclusive room (sampler_room=0): each "
			  "block comes along the GFP_ATOMIC path\n");
	} else {
		pr_err("sampler: no exclusive room (%d)\n", room);
	}
	sampler_setup(&sampler_live, OWNER_NONE, room);
	sampler_thread = kthread_create("sampler", sampler_thread_fn,
					&sampler_live);
	if (!sampler_thread) {
		pr_err("sampler: no thread: sampler off\n");
		return;
	}
	sampler_live.consumer = OWNER_THREAD(sampler_thread->tid);
	sampler_live.notify = sampler_wake;
	sampler_running = true;	/* the next tick starts sampling */
	timer_add_tick_handler(&sampler_tick_handler);
	pr_info("sampler: %u samples per block, thread %u\n",
		(unsigned int)SAMPLES_PER_BLOCK, sampler_thread->tid);
}

/* ------------------------------------------------------------- the view */

/* cycles as microseconds with one decimal, at tsc_hz (0: unknown). */
static void seq_cycles(struct seq *out, const char *label, u32 cycles,
		       u64 tsc_hz)
{
	u64 tenths;

	seq_printf(out, "  %-8s %10u cycles", label, cycles);
	if (tsc_hz) {
		tenths = (u64)cycles * 10000000ULL / tsc_hz;
		seq_printf(out, "  %6llu.%llu us", tenths / 10, tenths % 10);
	}
	seq_puts(out, "\n");
}

void sampler_show(struct seq *out)
{
	struct sampler_stats st;

	sampler_get_stats(&sampler_live, &st);
	seq_printf(out, "sampler: IRQ0 at %u Hz, %u samples per block, %s\n",
		   timer_hz, (unsigned int)SAMPLES_PER_BLOCK,
		   sampler_running ? "running" : "not started");
	seq_printf(out, "  samples:   %lu (lost %lu, ticks missing %lu, "
		   "ticks with no block %lu)\n", st.samples, st.lost, st.gaps,
		   st.no_block);
	seq_printf(out, "  blocks:    taken %lu, digested %lu, discarded %lu, "
		   "in hand %lu (queued %lu)\n", st.taken, st.digested,
		   st.discarded, st.in_hand, st.queued);
	seq_printf(out, "  balance:   %s  taken = digested + discarded + in "
		   "hand\n", sampler_stats_balanced(&st) ? "ok" : "BROKEN");
	seq_printf(out, "  overruns:  %lu (allocation failures %lu)\n",
		   st.overruns, st.alloc_failures);
	if (st.tsc_hz)
		seq_printf(out, "  tsc:       %llu kHz (calibrated against the "
			   "PIT)\n", st.tsc_hz / 1000);
	if (!st.digested) {
		seq_puts(out, "  jitter:    no block digested yet\n");
		return;
	}
	seq_puts(out, "  jitter of the last block (time between ticks):\n");
	seq_cycles(out, "min", st.last.min, st.tsc_hz);
	seq_cycles(out, "median", st.last.median, st.tsc_hz);
	seq_cycles(out, "max", st.last.max, st.tsc_hz);
	if (st.reset)
		seq_printf(out, "  since the reset at tick %u:\n",
			   st.since_tick);
	else
		seq_puts(out, "  since boot:\n");
	if (!st.all_max) {
		seq_puts(out, "  none digested yet\n");
		return;
	}
	seq_cycles(out, "min", st.all_min, st.tsc_hz);
	seq_cycles(out, "max", st.all_max, st.tsc_hz);
}
