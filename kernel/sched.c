/*
 * sched.c - preemptive round robin, the idle thread, sleeping, might_sleep.
 *
 * State: current (the running thread), run_queue (ready threads, in
 * order; current is never on it), need_resched (the tick's request to
 * switch). All of it, and every thread's state, changes only with
 * interrupts off; that is the scheduler's whole locking on one CPU.
 *
 * A thread leaves the CPU in __schedule(): voluntarily from schedule()
 * (it may have marked itself sleeping first), or preempted from
 * sched_irq_exit() at the end of a timer interrupt. A preempted thread
 * always goes back on the run queue, even if it had just marked itself
 * sleeping: it will test its condition again, so no wake-up is lost.
 *
 * preempt_count (sched_hooks.h) and the locks held (kernel/context.c)
 * belong to the running thread: they are saved and restored on every
 * switch. While preempt_count is above zero, the tick never switches; locks
 * raise it. A thread that asks to sleep while it may not switch (a lock
 * held, preemption off, in an interrupt) is reported and not switched
 * out: its sleep becomes a busy wait with interrupts on, so it keeps the
 * CPU until it lets go of the lock. Switching it out would leave the lock
 * taken while the next thread runs, and a thread that then spins on it
 * with preemption off would never give the holder the CPU back.
 */
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/timer.h>
#include <kernel/arch.h>
#include <kernel/context.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/sched_hooks.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <mm/sleep.h>
#include <trace/events.h>

static struct thread *current = &boot_thread;
struct thread *idle_thread;
static LIST_HEAD(run_queue);
static bool need_resched;
static bool sched_up;
static bool creating_idle;	/* see sched_init() */
static unsigned int slice_used;
volatile unsigned long idle_halts;
/*
 * The threads asleep with a timeout, soonest first, linked through
 * timer_next: the tick looks at the head only. A thread is on it from the
 * moment schedule_timeout() arms its wake_at until it runs again (it takes
 * itself off) or the tick takes it off to wake it. Interrupts off.
 */
static struct thread *timer_head;

void switch_to(unsigned long *prev_esp, unsigned long next_esp);

struct thread *current_thread(void)
{
	return current;
}

bool sched_ready(void)
{
	return sched_up;
}

/* Inline: the tick asks on every tick a thread runs. */
static inline __attribute__((always_inline)) unsigned int slice_ticks(void)
{
	unsigned int t = timer_hz * SCHED_SLICE_MS / 1000;

	return t ? t : 1;
}

static struct thread *pick_next(void)
{
	struct thread *next;

	if (list_empty(&run_queue))
		return idle_thread;
	next = list_first_entry(&run_queue, struct thread, run_node);
	list_del(&next->run_node);
	return next;
}

/* Interrupts off. Switch to the next ready thread (maybe prev again). */
static void __schedule(bool preempted)
{
	struct thread *prev = current, *next;

	if (prev != idle_thread && (prev->state == THREAD_RUNNING ||
	    (preempted && prev->state == THREAD_SLEEPING))) {
		prev->state = THREAD_READY;
		list_add_tail(&prev->run_node, &run_queue);
	} else if (prev == idle_thread && prev->state == THREAD_RUNNING) {
		prev->state = THREAD_READY;	/* for ps; never queued */
	}
	next = pick_next();
	next->state = THREAD_RUNNING;
	next->wait_on = NULL;
	need_resched = false;
	slice_used = 0;
	if (next == prev)
		return;
	next->switches++;
	trace_sched_switch(OWNER_THREAD(next->tid),
			   __builtin_return_address(0));
	prev->preempt_count = preempt_count;
	preempt_count = next->preempt_count;
	context_switch_locks(&prev->locks, &next->locks);
	current = next;
	context_set_thread(next->tid, next->name);
	switch_to(&prev->esp, next->esp);
}

/* Why the current context may not sleep, or NULL if it may. */
static const char *atomic_reason(void)
{
	if (in_interrupt())
		return "in interrupt context";
	if (irqs_disabled())
		return "with interrupts off";
	if (locks_held())
		return "with a lock held";
	if (preempt_count)
		return "with preemption disabled";
	return NULL;
}

/* Why the current context may not be switched out, or NULL if it may. */
static const char *no_switch_reason(void)
{
	if (in_interrupt())
		return "in interrupt context";
	if (locks_held())
		return "with a lock held";
	if (preempt_count)
		return "with preemption disabled";
	return NULL;
}

bool sched_can_sleep(void)
{
	return sched_up && !atomic_reason();
}

static bool might_sleep_ratelimit(void);

/*
 * Call sites already reported for scheduling while atomic: a wait loop
 * that calls schedule() again and again reports once. When the table is
 * full, might_sleep()'s rate limit takes over.
 */
#define ATOMIC_SITES_MAX	16
static unsigned long atomic_sites[ATOMIC_SITES_MAX];
static unsigned int nr_atomic_sites;
unsigned long sched_atomic_refusals;

static bool atomic_site_first(unsigned long ip)
{
	for (unsigned int i = 0; i < nr_atomic_sites; i++)
		if (atomic_sites[i] == ip)
			return false;
	if (nr_atomic_sites < ATOMIC_SITES_MAX) {
		atomic_sites[nr_atomic_sites++] = ip;
		return true;
	}
	return might_sleep_ratelimit();
}

/*
 * May the caller of schedule() or schedule_timeout() (at ip) be switched
 * out? If not, report it once per call site, unless might_sleep() already
 * reported this wait (wait_event(), msleep(), kthread_join()).
 */
static bool may_switch(unsigned long ip)
{
	const char *why = no_switch_reason();
	char ctx[96];

	if (!why)
		return true;
	sched_atomic_refusals++;
	if (!current->sleep_reported && atomic_site_first(ip)) {
		printk(KERN_ERR "BUG: scheduling while atomic (%s) in %pS\n",
		       why, (void *)ip);
		printk(KERN_ERR "context: %s\n",
		       describe_context(ctx, sizeof(ctx)));
		dump_stack();
	}
	return false;
}

/*
 * schedule() refused: the thread goes on running. It may have marked
 * itself sleeping; it is running, and its wait loop polls its condition.
 */
static void stay_running(void)
{
	unsigned long flags;

	if (in_interrupt())	/* current is the interrupted thread */
		return;
	local_irq_save(flags);
	if (current->state == THREAD_SLEEPING)
		current->state = THREAD_RUNNING;
	local_irq_restore(flags);
}

/* schedule(), called from ip (reports name the caller, not yield()). */
static void schedule_from(unsigned long ip)
{
	unsigned long flags;

	if (!sched_up)
		return;
	if (!may_switch(ip)) {
		stay_running();
		return;
	}
	local_irq_save(flags);
	__schedule(false);
	local_irq_restore(flags);
}

void schedule(void)
{
	schedule_from((unsigned long)__builtin_return_address(0));
}

void yield(void)
{
	schedule_from((unsigned long)__builtin_return_address(0));
}

void sched_switch_away(void)
{
	__schedule(false);
}

void sched_enqueue_new(struct thread *t)
{
	unsigned long flags;

	if (creating_idle) {	/* the idle thread stays off the queue */
		t->state = THREAD_READY;
		return;
	}
	local_irq_save(flags);
	t->state = THREAD_READY;
	list_add_tail(&t->run_node, &run_queue);
	if (current == idle_thread)
		need_resched = true;
	local_irq_restore(flags);
}

/* Interrupts off. Make a sleeping thread runnable. */
void sched_wake_thread(struct thread *t)
{
	if (t->state != THREAD_SLEEPING)
		return;
	t->wake_at = 0;
	if (t == current) {	/* woken before it got to schedule() */
		t->state = THREAD_RUNNING;
		return;
	}
	t->state = THREAD_READY;
	list_add_tail(&t->run_node, &run_queue);
	if (current == idle_thread)
		need_resched = true;
}

/*
 * Wait without leaving the CPU until jiffies reaches end, with interrupts
 * on (the clock must tick). With poll, stop early too when a wake_up()
 * marks the current thread running, or when a tick has passed, so that a
 * wait loop tests its condition again. Not in an interrupt handler: the
 * timer interrupt may be the one being served, and time would stand still.
 */
static void busy_wait_until(unsigned long end, bool poll)
{
	unsigned long flags, start = jiffies;

	if (in_interrupt())
		return;
	local_irq_save(flags);
	local_irq_enable();
	while ((long)(end - jiffies) > 0) {
		if (poll && (current->state != THREAD_SLEEPING ||
			     jiffies != start))
			break;
		cpu_relax();
	}
	local_irq_restore(flags);
}

/* Interrupts off. Put t, whose wake_at is set, on the timer list. */
static void timer_insert(struct thread *t)
{
	struct thread **p = &timer_head;

	while (*p && (long)((*p)->wake_at - t->wake_at) <= 0)
		p = &(*p)->timer_next;
	t->timer_next = *p;
	*p = t;
	t->timer_queued = true;
}

/* Interrupts off. Take t off the timer list, if it is still there. */
static void timer_remove(struct thread *t)
{
	struct thread **p = &timer_head;

	if (!t->timer_queued)
		return;
	while (*p != t)
		p = &(*p)->timer_next;
	*p = t->timer_next;
	t->timer_queued = false;
}

long schedule_timeout(long ticks)
{
	unsigned long flags, deadline = jiffies + (unsigned long)ticks;
	long left;

	if (ticks <= 0)
		return 0;
	if (!may_switch((unsigned long)__builtin_return_address(0))) {
		if (in_interrupt())
			return 0;	/* no waiting in a handler: time out */
		busy_wait_until(deadline, true);
		stay_running();
	} else {
		local_irq_save(flags);
		if (current->state == THREAD_SLEEPING) {
			current->wake_at = deadline ? deadline : 1;
			if (!current->wait_on)
				current->wait_on = "timeout";
			timer_insert(current);
		}
		__schedule(false);
		current->wake_at = 0;
		timer_remove(current);
		local_irq_restore(flags);
	}
	left = (long)(deadline - jiffies);
	return left > 0 ? left : 0;
}

/*
 * Where it may not sleep (reported by might_sleep()), or before the
 * scheduler is up, msleep() waits busily: it still returns after ms.
 */
void msleep(unsigned int ms)
{
	static DECLARE_WAIT_QUEUE_HEAD(sleep);
	unsigned long ticks = ((unsigned long)ms * timer_hz + 999) / 1000;
	unsigned long end = jiffies + ticks + 1;

	if (might_sleep()) {
		busy_wait_until(end, false);
		current->sleep_reported = false;
		return;
	}
	if (!sched_up) {		/* no threads yet: just wait */
		while ((long)(end - jiffies) > 0)
			cpu_relax();
		return;
	}
	while ((long)(end - jiffies) > 0)
		wait_event_timeout(sleep, false, (long)(end - jiffies));
}

/*
 * Interrupts off (timer interrupt). Wake the threads whose timeout has
 * passed: the soonest are at the head, so a tick with none due costs a
 * compare. One woken by wake_up() meanwhile (its wake_at now 0) leaves
 * the list here too, unwoken.
 */
static void wake_timeouts(void)
{
	struct thread *t;

	while ((t = timer_head) && (long)(jiffies - t->wake_at) >= 0) {
		timer_head = t->timer_next;
		t->timer_queued = false;
		if (t->wake_at && t->state == THREAD_SLEEPING)
			sched_wake_thread(t);
	}
}

void sched_tick(void)
{
	if (!sched_up)
		return;
	current->ticks++;
	wake_timeouts();
	if (list_empty(&run_queue))
		return;
	if (current == idle_thread || ++slice_used >= slice_ticks())
		need_resched = true;
}

void sched_irq_exit(void)
{
	if (sched_up && need_resched && !preempt_count)
		__schedule(true);
}

/*
 * The idle thread: runs when nothing else is ready. The test for work is
 * made with interrupts off, and sti; hlt (cpu_safe_halt) is atomic, so an
 * interrupt that makes a thread ready cannot slip in between the test and
 * the halt: it wakes the halt, and its exit switches to the woken thread.
 */
static int idle_fn(void *arg __unused)
{
	for (;;) {
		local_irq_disable();
		if (list_empty(&run_queue)) {
			idle_halts++;
			cpu_safe_halt();
			continue;
		}
		local_irq_enable();
		schedule();
	}
	return 0;
}

/*
 * GFP_KERNEL's sleeping step (mm/sleep.h): sleep until a free moves
 * mm_frees_seen() past seen, which the allocator read before its last
 * walk, so no free is missed; or until ms pass; or until an interrupt
 * comes for this thread's interruptible wait. Whether to wait again, and
 * for how long, is the allocator's rule (mm/sleep.c), not ours.
 */
static DECLARE_WAIT_QUEUE_HEAD(pages);

/* ms to ticks, rounded up, at least 1, without 64-bit division. */
static long ms_to_ticks(unsigned int ms)
{
	unsigned long t = ms / 1000 * timer_hz +
			  ((ms % 1000) * timer_hz + 999) / 1000;

	return t ? (long)t : 1;
}

static int sched_wait_for_pages(unsigned long seen, unsigned int ms)
{
	struct thread *self = current;
	long left;

	if (!sched_up || self == idle_thread)
		return -EAGAIN;
	left = wait_event_timeout(pages, mm_frees_seen() != seen ||
				  self->intr_pending, ms_to_ticks(ms));
	if (self->intr_pending)
		return -EINTR;
	return left ? 0 : -ETIMEDOUT;
}

/*
 * Milliseconds since boot, from jiffies. jiffies is 32 bits and wraps (in
 * 50 days at 1000 Hz, 5 at 10 kHz): its wraps are counted here, so the
 * clock stays continuous as long as someone reads it once per wrap, which
 * any wait longer than that does (it reads it at least every mm_wait_ms).
 */
static unsigned long sched_clock_ms(void)
{
	static unsigned long last, wraps;
	unsigned long flags, j;
	u64 ticks;

	local_irq_save(flags);
	j = jiffies;
	if (j < last)
		wraps++;
	last = j;
	ticks = ((u64)wraps << 32) | j;
	local_irq_restore(flags);
	return (unsigned long)(ticks * 1000 / timer_hz);
}

static void sched_wake_for_pages(void)
{
	wake_up(&pages);
}

static const struct mm_sleep_ops sched_mm_sleep_ops = {
	.wait_for_pages = sched_wait_for_pages,
	.wake_waiters = sched_wake_for_pages,
	.clock_ms = sched_clock_ms,
};

/*
 * Interruptible waits (kernel/thread.h). interruptible and intr_pending
 * change with interrupts off: thread_interrupt() comes from the serial
 * interrupt or the keyboard's console thread.
 */
void thread_interruptible_begin(void)
{
	unsigned long flags;

	local_irq_save(flags);
	current->intr_pending = false;
	current->interruptible = true;
	local_irq_restore(flags);
}

bool thread_interruptible_end(void)
{
	unsigned long flags;
	bool was;

	local_irq_save(flags);
	was = current->intr_pending;
	current->interruptible = false;
	current->intr_pending = false;
	local_irq_restore(flags);
	return was;
}

bool thread_interrupted(void)
{
	return current->intr_pending;
}

bool thread_interrupt(struct thread *t)
{
	unsigned long flags;
	bool taken;

	local_irq_save(flags);
	taken = t->interruptible;
	if (taken) {
		t->intr_pending = true;
		sched_wake_thread(t);	/* its wait loop sees the mark */
	}
	local_irq_restore(flags);
	return taken;
}

/*
 * Bringing the scheduler up creates the idle thread with kthread_create(),
 * which calls sched_init() when the scheduler is not up: creating_idle
 * makes that inner call a no-op, and keeps the idle thread off the run
 * queue (it runs only when the queue is empty).
 */
static const struct tick_handler sched_tick_handler = {
	.name = "sched", .fn = sched_tick, .order = SCHED_TICK_ORDER,
};

int sched_init(void)
{
	struct thread *idle;

	if (sched_up || creating_idle)
		return 0;
	creating_idle = true;
	idle = kthread_create("idle", idle_fn, NULL);
	creating_idle = false;
	if (!idle) {
		printk(KERN_ERR "sched: no memory for the idle thread\n");
		return -ENOMEM;
	}
	context_set_thread(boot_thread.tid, boot_thread.name);
	idle_thread = idle;
	mm_set_sleep_ops(&sched_mm_sleep_ops);
	sched_up = true;
	timer_add_tick_handler(&sched_tick_handler);
	pr_info("sched: round robin, %u ms slices, idle thread %u\n",
		SCHED_SLICE_MS, idle->tid);
	return 0;
}

/*
 * might_sleep(). The rate limit (MIGHT_SLEEP_BURST reports per
 * MIGHT_SLEEP_INTERVAL_MS) keeps a bug in an interrupt handler from
 * flooding the console; the counter still sees every case.
 */
#define MIGHT_SLEEP_BURST	3
#define MIGHT_SLEEP_INTERVAL_MS	5000

unsigned long might_sleep_reports;

static bool might_sleep_ratelimit(void)
{
	static unsigned long begin;
	static unsigned int printed;
	unsigned long interval =
		(unsigned long)MIGHT_SLEEP_INTERVAL_MS * timer_hz / 1000;

	if (!printed || jiffies - begin >= interval) {
		begin = jiffies;
		printed = 0;
	}
	return printed++ < MIGHT_SLEEP_BURST;
}

bool __might_sleep(const char *file, int line, unsigned long ip)
{
	const char *why = atomic_reason();
	char ctx[96];

	current->sleep_reported = why != NULL;	/* schedule() stays quiet */
	if (!why)
		return false;
	might_sleep_reports++;
	if (!might_sleep_ratelimit())
		return true;
	printk(KERN_ERR "BUG: sleeping function called %s at %s:%d\n", why,
	       file, line);
	printk(KERN_ERR "in %pS, context: %s\n", (void *)ip,
	       describe_context(ctx, sizeof(ctx)));
	dump_stack();
	return true;
}
