/*
 * test_sched.c - in-kernel tests of threads, the scheduler and wait queues.
 *
 * They run on the boot thread (tid 0) after the page allocator is up; each
 * test joins every thread it creates, so the next starts from a quiet run
 * queue. Waits are bounded by jiffies, so a broken scheduler fails a test
 * instead of hanging the run.
 */
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/spinlock.h>
#include <kernel/console.h>
#include <kernel/arch.h>
#include <kernel/context.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/sched_hooks.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <lib/format.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

static int return_arg(void *arg)
{
	return (int)(unsigned long)arg;
}

static void sched_kthread_create_and_join(struct ktest *t)
{
	struct thread *th;

	KTEST_EXPECT_EQ(t, sched_init(), 0);
	th = kthread_create("answer", return_arg, (void *)42);
	KTEST_EXPECT(t, th != NULL);
	if (!th)
		return;
	KTEST_EXPECT(t, !strcmp(th->name, "answer"));
	KTEST_EXPECT(t, th->tid > 0);
	KTEST_EXPECT_EQ(t, kthread_join(th), 42);
	KTEST_EXPECT_EQ(t, kthread_join(&boot_thread), -EINVAL);
	KTEST_EXPECT_EQ(t, kthread_join(NULL), -EINVAL);
}

static volatile bool spin_stop;
static volatile unsigned long spin_count[2];
static volatile unsigned long spin_deadline;

static unsigned long ms_to_ticks(unsigned int ms)
{
	return ((unsigned long)ms * timer_hz + 999) / 1000;
}

static bool jiffies_before(unsigned long end)
{
	return (long)(end - jiffies) > 0;
}

/*
 * Never yields: only preemption lets the other spinner run. It gives up
 * at spin_deadline, so a scheduler that does not preempt fails the test
 * (each spinner switched in once) instead of hanging it.
 */
static int spinner(void *arg)
{
	unsigned int i = (unsigned int)(unsigned long)arg;

	while (!spin_stop && jiffies_before(spin_deadline))
		spin_count[i]++;
	return 0;
}

static void sched_round_robin_preempts(struct ktest *t)
{
	struct thread *a, *b;

	spin_stop = false;
	spin_count[0] = spin_count[1] = 0;
	spin_deadline = jiffies + ms_to_ticks(500);
	a = kthread_create("spin0", spinner, (void *)0);
	b = kthread_create("spin1", spinner, (void *)1);
	KTEST_EXPECT(t, a && b);
	msleep(60);		/* several 10 ms slices for the two */
	spin_stop = true;
	KTEST_EXPECT(t, spin_count[0] > 0);
	KTEST_EXPECT(t, spin_count[1] > 0);
	KTEST_EXPECT(t, a && a->switches >= 2);
	KTEST_EXPECT(t, b && b->switches >= 2);
	if (a)
		kthread_join(a);
	if (b)
		kthread_join(b);
}

static DECLARE_WAIT_QUEUE_HEAD(test_wq);
static volatile bool test_flag;
static volatile unsigned long woke_at;

static int sleeper(void *arg __unused)
{
	wait_event(test_wq, test_flag);
	woke_at = jiffies;
	return 7;
}

static void sched_waitqueue_sleep_and_wake(struct ktest *t)
{
	struct thread *th;

	test_flag = false;
	woke_at = 0;
	th = kthread_create("sleeper", sleeper, NULL);
	KTEST_EXPECT(t, th != NULL);
	if (!th)
		return;
	msleep(20);
	KTEST_EXPECT_EQ(t, th->state, THREAD_SLEEPING);
	KTEST_EXPECT(t, th->wait_on && !strcmp(th->wait_on, "test_wq"));
	KTEST_EXPECT(t, waitqueue_active(&test_wq));
	KTEST_EXPECT_EQ(t, woke_at, 0);
	test_flag = true;
	wake_up(&test_wq);
	KTEST_EXPECT_EQ(t, kthread_join(th), 7);
	KTEST_EXPECT(t, woke_at != 0);
	KTEST_EXPECT(t, !waitqueue_active(&test_wq));
}

static void sched_msleep_sleeps(struct ktest *t)
{
	unsigned long j0 = jiffies;

	msleep(30);
	KTEST_EXPECT(t, jiffies - j0 >= 30 * timer_hz / 1000);
	KTEST_EXPECT(t, jiffies - j0 < 2000 * timer_hz / 1000);
}

static void sched_idle_halts(struct ktest *t)
{
	unsigned long h0 = idle_halts;

	msleep(20);		/* nothing else to run: idle halts */
	KTEST_EXPECT(t, idle_halts > h0);
	KTEST_EXPECT(t, idle_thread && idle_thread->state != THREAD_DEAD);
}

static void sched_might_sleep_detects_atomic(struct ktest *t)
{
	static spinlock_t lock = SPINLOCK_INIT("test lock");
	unsigned long n0 = might_sleep_reports;

	KTEST_EXPECT(t, !might_sleep());	/* process context: fine */
	KTEST_EXPECT_EQ(t, might_sleep_reports, n0);
	local_irq_disable();
	KTEST_EXPECT(t, might_sleep());
	local_irq_enable();
	KTEST_EXPECT_EQ(t, might_sleep_reports, n0 + 1);
	spin_lock(&lock);
	KTEST_EXPECT(t, might_sleep());
	spin_unlock(&lock);
	preempt_disable();
	KTEST_EXPECT(t, might_sleep());
	preempt_enable();
	KTEST_EXPECT_EQ(t, might_sleep_reports, n0 + 3);
}

static int block_until_flag(void *arg __unused)
{
	wait_event(test_wq, test_flag);
	return 0;
}

static void sched_stack_has_guard_page(struct ktest *t)
{
	struct thread *th;
	unsigned long lo;
	char who[48];

	test_flag = false;
	th = kthread_create("guarded", block_until_flag, NULL);
	KTEST_EXPECT(t, th != NULL);
	if (!th)
		return;
	KTEST_EXPECT(t, th->stack_lo >= VMAP_START && th->stack_hi <= VMAP_END);
	KTEST_EXPECT_EQ(t, th->stack_hi - th->stack_lo,
			THREAD_STACK_PAGES * PAGE_SIZE);
	KTEST_EXPECT(t, vmap_page_present(th->stack_lo));
	KTEST_EXPECT(t, vmap_page_present(th->stack_hi - 1));
	KTEST_EXPECT(t, !vmap_page_present(th->stack_lo - PAGE_SIZE));
	KTEST_EXPECT(t, stack_guard_owner(th->stack_lo - 4, who, sizeof(who)));
	KTEST_EXPECT(t, contains(who, "guarded"));
	KTEST_EXPECT(t, !stack_guard_owner(th->stack_lo, who, sizeof(who)));
	lo = th->stack_lo;
	test_flag = true;
	wake_up(&test_wq);
	kthread_join(th);
	KTEST_EXPECT(t, !vmap_page_present(lo));	/* unmapped on join */
}

static char ctx_seen[96];

static int describe_self(void *arg __unused)
{
	describe_context(ctx_seen, sizeof(ctx_seen));
	return in_interrupt() ? 1 : 0;
}

static void sched_context_names_thread(struct ktest *t)
{
	struct thread *th = kthread_create("namer", describe_self, NULL);

	KTEST_EXPECT(t, th != NULL);
	if (!th)
		return;
	KTEST_EXPECT_EQ(t, kthread_join(th), 0);
	KTEST_EXPECT(t, contains(ctx_seen, "namer"));
	KTEST_EXPECT(t, contains(ctx_seen, "irqs on"));
	KTEST_EXPECT_EQ(t, current_owner(), OWNER_THREAD(0));
}

static void sched_ps_lists_threads(struct ktest *t)
{
	static char buf[1024];
	struct seq_buf sb;
	struct thread *th;

	test_flag = false;
	th = kthread_create("ps-me", block_until_flag, NULL);
	KTEST_EXPECT(t, th != NULL);
	msleep(5);
	seq_buf_init(&sb, buf, sizeof(buf));
	thread_show_all(&sb.seq);
	KTEST_EXPECT(t, contains(buf, "boot"));
	KTEST_EXPECT(t, contains(buf, "idle"));
	KTEST_EXPECT(t, contains(buf, "ps-me"));
	KTEST_EXPECT(t, contains(buf, "sleeping"));
	KTEST_EXPECT(t, contains(buf, "test_wq"));
	test_flag = true;
	wake_up(&test_wq);
	if (th)
		kthread_join(th);
}

/*
 * A capture console: everything printed between capture_start() and
 * capture_stop() also lands in captured[], so a test can read the reports.
 */
static char captured[4096];
static volatile size_t captured_len;

static void capture_write(const char *text, size_t len)
{
	while (len-- && captured_len + 1 < sizeof(captured))
		captured[captured_len++] = *text++;
	captured[captured_len] = '\0';
}

static struct console capture_console = { .name = "capture",
					  .write = capture_write };

static void capture_start(void)
{
	captured_len = 0;
	captured[0] = '\0';
	console_register(&capture_console);
}

static void capture_stop(void)
{
	console_unregister(&capture_console);
}

static unsigned int count_of(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	unsigned int count = 0;

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			count++;
	return count;
}

/* spin_lock() with preemption off as it does, but giving up at a deadline. */
static bool spin_lock_within(spinlock_t *lock, unsigned long ticks)
{
	unsigned long end = jiffies + ticks;
	bool got;

	preempt_disable();
	while (!(got = spin_trylock(lock)) && jiffies_before(end))
		cpu_relax();
	preempt_enable();	/* spin_trylock() holds its own */
	return got;
}

/* Sleep in steps until cond, for at most ms; true if cond came. */
#define wait_until(cond, ms) ({ \
	unsigned long __end = jiffies + ms_to_ticks(ms); \
	while (!(cond) && jiffies_before(__end)) \
		msleep(1); \
	(bool)(cond); \
})

static spinlock_t sleepy_lock = SPINLOCK_INIT("sleepy lock");
static volatile bool holder_locked, holder_unlocked;
static volatile unsigned long holder_slept;

/* Thread A of the deadlock: spin_lock(L); msleep(50); spin_unlock(L). */
static int lock_and_sleep(void *arg __unused)
{
	unsigned long j0;

	spin_lock(&sleepy_lock);
	holder_locked = true;
	j0 = jiffies;
	msleep(50);
	holder_slept = jiffies - j0;
	holder_unlocked = true;
	spin_unlock(&sleepy_lock);
	return 0;
}

/*
 * A thread that sleeps with a lock held is reported, and keeps the CPU
 * (msleep() waits busily) until it unlocks: the next thread to take the
 * lock does not spin forever on a holder that cannot run, and is not
 * blamed for the holder's lock.
 */
static void sched_sleep_with_lock_held_does_not_deadlock(struct ktest *t)
{
	unsigned long n0 = might_sleep_reports;
	struct thread *th;
	bool got;

	holder_locked = holder_unlocked = false;
	holder_slept = 0;
	th = kthread_create("lockslp", lock_and_sleep, NULL);
	KTEST_EXPECT(t, th != NULL);
	if (!th)
		return;
	KTEST_EXPECT(t, wait_until(holder_locked, 1000));
	KTEST_EXPECT(t, holder_unlocked);	/* never switched out */
	KTEST_EXPECT(t, !might_sleep());	/* boot holds nothing */
	KTEST_EXPECT_EQ(t, locks_held(), 0);
	got = spin_lock_within(&sleepy_lock, ms_to_ticks(500));
	KTEST_EXPECT(t, got);
	if (got)
		spin_unlock(&sleepy_lock);
	kthread_join(th);
	KTEST_EXPECT(t, holder_slept >= ms_to_ticks(50));
	KTEST_EXPECT_EQ(t, might_sleep_reports, n0 + 1);	/* one, A's */
}

static spinlock_t atomic_lock = SPINLOCK_INIT("atomic lock");
static volatile bool atomic_go;
static volatile unsigned long ready_count;

/* Ready all along, never yields: it runs only if the other is switched out. */
static int count_while_ready(void *arg __unused)
{
	unsigned long end = jiffies + ms_to_ticks(5000);

	while (!spin_stop && jiffies_before(end))
		ready_count++;
	return 0;
}

/* What schedule_with_lock() saw; ~0 until it got there. */
static struct {
	unsigned long moved, switched;	/* the ready thread ran; we left */
	unsigned long refused_yield, refused_timeout, refused_wait;
	unsigned long might_sleep;	/* might_sleep() reports of the wait */
	long timeout_left, wait_left;
	int state;			/* after the refused schedule_timeout */
	unsigned long moved_after;	/* the ready thread ran, lock dropped */
} atomic_seen;

/*
 * Asks to be switched out three ways with a lock held: yield() three times
 * from one call site, schedule_timeout() from a second, wait_event_timeout()
 * (reported by its might_sleep()). Then, the lock dropped, yield() once
 * more: that one must let the ready thread run, or its standing still
 * before proved nothing.
 */
static int schedule_with_lock(void *arg __unused)
{
	struct thread *me = current_thread();
	unsigned long c0, s0, r0, m0, end;
	DEFINE_WAIT(w);

	if (!wait_until(atomic_go, 1000))
		return -1;
	spin_lock(&atomic_lock);
	c0 = ready_count;
	s0 = me->switches;
	r0 = sched_atomic_refusals;
	for (int i = 0; i < 3; i++)
		yield();			/* one call site: one report */
	atomic_seen.refused_yield = sched_atomic_refusals - r0;
	r0 = sched_atomic_refusals;
	prepare_to_wait(&test_wq, &w);
	/* A second call site; refused, it returns at the next tick. */
	atomic_seen.timeout_left = schedule_timeout(ms_to_ticks(1000));
	atomic_seen.state = me->state;
	finish_wait(&test_wq, &w);
	atomic_seen.refused_timeout = sched_atomic_refusals - r0;
	r0 = sched_atomic_refusals;
	m0 = might_sleep_reports;
	end = jiffies + 2;		/* polled, not slept on */
	atomic_seen.wait_left = wait_event_timeout(test_wq,
		!jiffies_before(end), ms_to_ticks(2000));
	atomic_seen.refused_wait = sched_atomic_refusals - r0;
	atomic_seen.might_sleep = might_sleep_reports - m0;
	atomic_seen.moved = ready_count - c0;
	atomic_seen.switched = me->switches - s0;
	spin_unlock(&atomic_lock);
	c0 = ready_count;
	yield();
	atomic_seen.moved_after = ready_count - c0;
	return 0;
}

/*
 * Run fn in a thread named name beside a ready thread that counts
 * (count_while_ready), start both together, and join both. Returns the
 * tid fn's thread had, for matching reports (0 if it could not start).
 */
static unsigned int run_beside_counter(struct ktest *t, const char *name,
				       int (*fn)(void *))
{
	struct thread *a, *b;
	unsigned int tid;

	spin_stop = false;
	atomic_go = false;
	ready_count = 0;
	a = kthread_create(name, fn, NULL);
	b = kthread_create("ready", count_while_ready, NULL);
	KTEST_EXPECT(t, a && b);
	tid = a ? a->tid : 0;
	atomic_go = true;
	if (a)
		KTEST_EXPECT_EQ(t, kthread_join(a), 0);
	spin_stop = true;
	if (b)
		kthread_join(b);
	return tid;
}

/*
 * schedule() with a lock held is refused: the thread is not switched out
 * (the ready thread beside it does not run, and it is never switched back
 * in) and goes on running, not marked sleeping; each refusal is counted in
 * sched_atomic_refusals; "BUG: scheduling while atomic" is reported once
 * per call site, naming the thread and the caller, and a wait that
 * might_sleep() already reported is not reported again. Robust to the
 * tick rate, -icount and loglevel=0: it counts instead of timing, and
 * shows every level on the consoles while it captures the reports.
 */
static void sched_schedule_while_atomic_refused(struct ktest *t)
{
	int loglevel = console_loglevel;
	char who[32];
	unsigned int tid;

	memset(&atomic_seen, 0xff, sizeof(atomic_seen));
	console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
	capture_start();
	tid = run_beside_counter(t, "atomic", schedule_with_lock);
	capture_stop();
	console_loglevel = loglevel;
	KTEST_EXPECT_EQ(t, atomic_seen.moved, 0);
	KTEST_EXPECT_EQ(t, atomic_seen.switched, 0);
	KTEST_EXPECT_EQ(t, atomic_seen.state, THREAD_RUNNING);
	KTEST_EXPECT(t, atomic_seen.timeout_left > 0);	/* polled, returned */
	KTEST_EXPECT(t, atomic_seen.wait_left > 0);	/* condition came */
	KTEST_EXPECT(t, atomic_seen.moved_after > 0 &&
		     atomic_seen.moved_after != ~0ul);
	KTEST_EXPECT_EQ(t, atomic_seen.refused_yield, 3);
	KTEST_EXPECT_EQ(t, atomic_seen.refused_timeout, 1);
	KTEST_EXPECT(t, atomic_seen.refused_wait >= 1 &&
		     atomic_seen.refused_wait != ~0ul);
	KTEST_EXPECT_EQ(t, atomic_seen.might_sleep, 1);
	KTEST_EXPECT_EQ(t, count_of(captured, "BUG: scheduling while atomic "
				    "(with a lock held) in schedule_with_lock"),
			2);
	KTEST_EXPECT_EQ(t, count_of(captured, "BUG: scheduling while atomic"),
			2);
	snprintf(who, sizeof(who), "thread %u (atomic)", tid);
	KTEST_EXPECT(t, contains(captured, who));
	KTEST_EXPECT(t, !contains(captured, "(boot)"));
}

static spinlock_t exit_lock;

static int exit_holding_lock(void *arg __unused)
{
	spin_lock(&exit_lock);
	return 0;		/* a bug, reported by kthread_exit() */
}

/*
 * The locks held belong to a thread: a thread switched out for good with
 * a lock held (it exited) takes its lock count with it, and the next
 * thread holds nothing, for locks_held() and in_atomic() alike.
 */
static void sched_locks_held_per_thread(struct ktest *t)
{
	struct thread *th;

	spin_lock_init(&exit_lock, "exit lock");
	th = kthread_create("holder", exit_holding_lock, NULL);
	KTEST_EXPECT(t, th != NULL);
	if (!th)
		return;
	KTEST_EXPECT(t, wait_until(th->state == THREAD_DEAD, 1000));
	KTEST_EXPECT_EQ(t, locks_held(), 0);
	KTEST_EXPECT(t, !in_atomic());
	KTEST_EXPECT(t, last_lock_name() == NULL);
	KTEST_EXPECT_EQ(t, th->locks.count, 1);
	KTEST_EXPECT(t, th->locks.names[0] &&
		     !strcmp(th->locks.names[0], "exit lock"));
	kthread_join(th);
	while (locks_held())	/* a broken scheduler left it with us */
		context_note_unlock();
	spin_lock_init(&exit_lock, "exit lock");
}

static spinlock_t busy_lock = SPINLOCK_INIT("busy lock");
static volatile unsigned long busy_before, busy_locked, busy_after;

/* Busy for 5 slices with the lock held, then 5 more without it. */
static int busy_with_lock(void *arg __unused)
{
	unsigned long c0, end;

	if (!wait_until(atomic_go, 1000))
		return -1;
	spin_lock(&busy_lock);
	c0 = ready_count;
	end = jiffies + ms_to_ticks(5 * SCHED_SLICE_MS);
	while (jiffies_before(end))
		cpu_relax();
	busy_locked = ready_count - c0;
	spin_unlock(&busy_lock);
	c0 = ready_count;
	end = jiffies + ms_to_ticks(5 * SCHED_SLICE_MS);
	while (jiffies_before(end))
		cpu_relax();
	busy_after = ready_count - c0;
	return 0;
}

/*
 * A lock holder is never preempted: while it holds a spinlock (interrupts
 * on, several slices long) the ready thread does not run; once it lets
 * go, the next tick switches.
 */
static void sched_lock_holder_not_preempted(struct ktest *t)
{
	busy_locked = busy_after = ~0ul;
	run_beside_counter(t, "busy", busy_with_lock);
	KTEST_EXPECT_EQ(t, busy_locked, 0);
	KTEST_EXPECT(t, busy_after > 0 && busy_after != ~0ul);
}

static const struct ktest_case sched_cases[] = {
	KTEST_CASE(sched_kthread_create_and_join),
	KTEST_CASE(sched_round_robin_preempts),
	KTEST_CASE(sched_waitqueue_sleep_and_wake),
	KTEST_CASE(sched_msleep_sleeps),
	KTEST_CASE(sched_idle_halts),
	KTEST_CASE(sched_might_sleep_detects_atomic),
	KTEST_CASE(sched_stack_has_guard_page),
	KTEST_CASE(sched_context_names_thread),
	KTEST_CASE(sched_ps_lists_threads),
	KTEST_CASE(sched_sleep_with_lock_held_does_not_deadlock),
	KTEST_CASE(sched_schedule_while_atomic_refused),
	KTEST_CASE(sched_locks_held_per_thread),
	KTEST_CASE(sched_lock_holder_not_preempted),
};
KTEST_SUITE(sched_suite, "sched", sched_cases);

/*
 * For a fault=stackoverflow test: a thread that recurses until it runs
 * into its guard page. The oops names it ("stack overflow in thread N
 * (overflow)") and halts.
 */
static volatile unsigned int overflow_depth_limit = ~0u;

static __attribute__((noinline)) int recurse(unsigned int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth >= overflow_depth_limit)	/* never: the guard is first */
		return frame[0];
	return recurse(depth + 1) + frame[1];
}

static int overflow_fn(void *arg __unused)
{
	return recurse(0);
}

void ktest_stack_overflow(void)
{
	kthread_create("overflow", overflow_fn, NULL);
	msleep(1000);
}
