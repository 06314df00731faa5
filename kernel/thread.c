/*
 * thread.c - kernel threads: creation, stacks with guard pages, exit, join.
 *
 * Threads live in a fixed table (thread_table[]); slot i owns the i-th
 * stack slot of the vmap area: THREAD_GUARD_PAGES unmapped pages, then
 * THREAD_STACK_PAGES mapped ones. The boot context (kmain, and the
 * in-kernel tests) is boot_thread, tid 0, on the boot stack from
 * boot/higher_half.asm, which has no guard page. So it does not stay: it
 * hands over to the shell thread and ends (kthread_handover()).
 *
 * A slot is taken and released with interrupts off; its fields then change
 * as kernel/sched.c describes. A dead thread keeps its stack until
 * kthread_join(): it was running on it until its last switch.
 */
#include <asm/irqflags.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <kernel/arch.h>
#include <kernel/context.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/sched_hooks.h>
#include <kernel/thread.h>
#include <lib/format.h>
#include <lib/string.h>
#include <mm/gfp.h>

#define STACK_AREA	VMAP_START
#define SLOT_SIZE	((unsigned long)THREAD_SLOT_PAGES << PAGE_SHIFT)

extern char boot_stack_bottom[], boot_stack_top[];	/* higher_half.asm */

struct thread thread_table[MAX_THREADS];
struct thread boot_thread = {
	.tid = 0,
	.name = "boot",
	.state = THREAD_RUNNING,
	.stack_lo = (unsigned long)boot_stack_bottom,
	.stack_hi = (unsigned long)boot_stack_top,
	.run_node = LIST_HEAD_INIT(boot_thread.run_node),
	.exited = WAIT_QUEUE_HEAD_INIT(boot_thread.exited, "exit of boot"),
	.used = true,
};
static unsigned int next_tid = 1;

extern char thread_start[];	/* arch/x86/switch.asm */
void switch_to(unsigned long *prev_esp, unsigned long next_esp);

static unsigned long slot_base(const struct thread *t)
{
	return STACK_AREA + (unsigned long)(t - thread_table) * SLOT_SIZE;
}

static void stack_pages_free(struct thread *t)
{
	for (unsigned int i = 0; i < THREAD_STACK_PAGES; i++) {
		if (t->stack_pages[i])
			free_page(t->stack_pages[i]);
		t->stack_pages[i] = NULL;
	}
}

/*
 * One order-0 page per stack page: the mapping makes them contiguous, so
 * no split is needed, and a fragmented zone can still start threads.
 * GFP_KERNEL may wait for them, never forever: -ENOMEM then, nothing kept.
 */
static int stack_pages_alloc(struct thread *t)
{
	for (unsigned int i = 0; i < THREAD_STACK_PAGES; i++) {
		t->stack_pages[i] = alloc_page(GFP_KERNEL);
		if (!t->stack_pages[i]) {
			stack_pages_free(t);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Map the allocated pages above the guard; undo it all on failure. */
static int stack_map(struct thread *t)
{
	unsigned long lo = slot_base(t) + THREAD_GUARD_PAGES * PAGE_SIZE;

	for (unsigned int i = 0; i < THREAD_STACK_PAGES; i++) {
		phys_addr_t pa = __pa(page_address(t->stack_pages[i]));

		if (vmap_map_page(lo + i * PAGE_SIZE, pa)) {
			while (i--)
				vmap_unmap_page(lo + i * PAGE_SIZE);
			return -ENOMEM;
		}
	}
	t->stack_lo = lo;
	t->stack_hi = lo + THREAD_STACK_PAGES * PAGE_SIZE;
	return 0;
}

static void stack_free(struct thread *t)
{
	for (unsigned long va = t->stack_lo; va < t->stack_hi; va += PAGE_SIZE)
		vmap_unmap_page(va);
	stack_pages_free(t);
	t->stack_lo = t->stack_hi = 0;
}

/* The first switch_to() into t pops these and returns to thread_start. */
static void stack_prepare(struct thread *t)
{
	unsigned long *sp = (unsigned long *)t->stack_hi;

	*--sp = 0;			/* thread_start's "return address" */
	*--sp = (unsigned long)thread_start;
	*--sp = 0;			/* ebp: ends backtraces */
	*--sp = (unsigned long)t;	/* ebx */
	*--sp = 0;			/* esi */
	*--sp = 0;			/* edi */
	t->esp = (unsigned long)sp;
}

static struct thread *slot_take(void)
{
	unsigned long flags;
	struct thread *t = NULL;

	local_irq_save(flags);
	for (unsigned int i = 0; i < MAX_THREADS && !t; i++) {
		if (!thread_table[i].used) {
			t = &thread_table[i];
			memset(t, 0, sizeof(*t));
			t->used = true;
			t->tid = next_tid++;
			t->state = THREAD_DEAD;	/* not runnable yet */
		}
	}
	local_irq_restore(flags);
	return t;
}

static void slot_release(struct thread *t)
{
	unsigned long flags;

	local_irq_save(flags);
	t->used = false;
	local_irq_restore(flags);
}

struct thread *kthread_create(const char *name, int (*fn)(void *), void *arg)
{
	struct thread *t;

	might_sleep();
	if (!sched_ready() && sched_init())
		return NULL;
	t = slot_take();
	if (!t) {
		printk(KERN_ERR "kthread_create: no thread '%s': all %u slots "
		       "are taken\n", name, MAX_THREADS);
		return NULL;
	}
	if (stack_pages_alloc(t) || stack_map(t)) {
		printk(KERN_ERR "kthread_create: no thread '%s': no memory for "
		       "its %lu KiB stack\n", name,
		       THREAD_STACK_PAGES * (PAGE_SIZE >> 10));
		stack_pages_free(t);
		slot_release(t);
		return NULL;
	}
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->fn = fn;
	t->arg = arg;
	INIT_LIST_HEAD(&t->run_node);
	init_waitqueue_head(&t->exited, "exit");
	stack_prepare(t);
	sched_enqueue_new(t);
	return t;
}

/*
 * Every thread starts here (from thread_start in switch.asm), on its own
 * stack, with interrupts off as the switch left them.
 */
void thread_main(struct thread *t)
{
	local_irq_enable();
	kthread_exit(t->fn(t->arg));
}

void kthread_exit(int code)
{
	struct thread *t = current_thread();

	if (preempt_count || locks_held())
		printk(KERN_ERR "kthread_exit: thread %u (%s) exits holding "
		       "%u lock(s), preempt_count %u\n", t->tid, t->name,
		       locks_held(), preempt_count);
	local_irq_disable();
	t->exit_code = code;
	t->state = THREAD_DEAD;
	wake_up(&t->exited);
	sched_switch_away();
	arch_halt();		/* not reached: a dead thread never runs */
}

static void (*handover_fn)(void);

static int handover_main(void *arg __unused)
{
	handover_fn();
	return 0;
}

void kthread_handover(const char *name, void (*fn)(void))
{
	handover_fn = fn;
	if (!kthread_create(name, handover_main, NULL)) {
		printk(KERN_ERR "kthread_handover: no thread for %s: it runs "
		       "on the boot stack\n", name);
		fn();
	}
	kthread_exit(0);	/* nobody joins boot: it stays dead */
}

int kthread_join(struct thread *t)
{
	int code;

	if (!t || t == &boot_thread || t == idle_thread ||
	    t == current_thread() || !t->used || !t->fn)
		return -EINVAL;
	wait_event(t->exited, t->state == THREAD_DEAD);
	code = t->exit_code;
	stack_free(t);
	slot_release(t);
	return code;
}

const char *thread_state_name(enum thread_state state)
{
	switch (state) {
	case THREAD_RUNNING:
		return "running";
	case THREAD_READY:
		return "ready";
	case THREAD_SLEEPING:
		return "sleeping";
	case THREAD_DEAD:
		return "dead";
	}
	return "?";
}

/* The table slot whose stack slot holds addr, or NULL. */
static struct thread *slot_of(unsigned long addr)
{
	unsigned long i;

	if (addr < STACK_AREA)
		return NULL;
	i = (addr - STACK_AREA) / SLOT_SIZE;
	if (i >= MAX_THREADS || !thread_table[i].used ||
	    !thread_table[i].stack_pages[0])
		return NULL;
	return &thread_table[i];
}

bool thread_stack_bounds(unsigned long addr, unsigned long *lo,
			 unsigned long *hi)
{
	struct thread *t = slot_of(addr);

	if (!t || addr < t->stack_lo || addr >= t->stack_hi)
		return false;
	*lo = t->stack_lo;
	*hi = t->stack_hi;
	return true;
}

const char *stack_guard_owner(unsigned long addr, char *buf, size_t size)
{
	struct thread *t = slot_of(addr);

	if (!t || addr >= t->stack_lo)
		return NULL;
	snprintf(buf, size, "thread %u (%s)", t->tid, t->name);
	return buf;
}

static void thread_show_one(struct seq *out, const struct thread *t)
{
	seq_printf(out, "%4u  %-15s %-9s %-12s %8lu %8lu  %08lx-%08lx\n",
		   t->tid, t->name, thread_state_name(t->state),
		   t->state == THREAD_SLEEPING && t->wait_on ? t->wait_on : "-",
		   t->ticks, t->switches, t->stack_lo, t->stack_hi);
}

void thread_show_all(struct seq *out)
{
	seq_printf(out, " TID  %-15s %-9s %-12s %8s %8s  %s\n", "NAME", "STATE",
		   "WAITING ON", "TICKS", "SWITCHES", "STACK");
	thread_show_one(out, &boot_thread);
	for (unsigned int i = 0; i < MAX_THREADS; i++)
		if (thread_table[i].used && thread_table[i].fn)
			thread_show_one(out, &thread_table[i]);
}
