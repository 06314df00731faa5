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
#include <kernel/arch.h>
#include <kernel/context.h>
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

/* Never yields: only preemption lets the other spinner run. */
static int spinner(void *arg)
{
	unsigned int i = (unsigned int)(unsigned long)arg;

	while (!spin_stop)
		spin_count[i]++;
	return 0;
}

static void sched_round_robin_preempts(struct ktest *t)
{
	struct thread *a, *b;

	spin_stop = false;
	spin_count[0] = spin_count[1] = 0;
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
