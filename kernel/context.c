/*
 * context.c - who is running: thread or interrupt, and what it holds.
 *
 * Labyrinth runs on one CPU, so the state is a handful of globals. The
 * interrupt depth and the stack of IRQ lines being served change only with
 * interrupts off (entry and exit of a handler); the lock count changes in
 * spin_lock()/spin_unlock() of the current context, and an interrupt
 * handler always releases what it took before it returns.
 *
 * The locks held belong to the running thread: the scheduler swaps them
 * in and out with context_switch_locks() on every switch, as it does
 * preempt_count. That happens only outside interrupt handlers, where the
 * locks counted are the thread's own; an interrupt's locks sit on top of
 * them for the length of the handler.
 * context_atomic_depth (asm/context.h: in_atomic()) is the interrupt depth
 * plus the lock count, kept in step with both so the check is one load.
 */
#include <asm/irqflags.h>
#include <kernel/context.h>
#include <kernel/sched_hooks.h>
#include <lib/format.h>

volatile unsigned int preempt_count;
static int irq_depth;
static int irq_lines[IRQ_NEST_MAX];
static struct lock_state locks;	/* the running context's */
static unsigned int thread_id;
static const char *thread_name = "boot";
static const char *irq_names[16];
unsigned int context_atomic_depth;

void irq_enter(int line)
{
	if (irq_depth < IRQ_NEST_MAX)
		irq_lines[irq_depth] = line;
	irq_depth++;
	context_atomic_depth++;
}

void irq_exit(void)
{
	if (irq_depth > 0) {
		irq_depth--;
		context_atomic_depth--;
	}
}

bool in_interrupt(void)
{
	return irq_depth > 0;
}

int current_irq(void)
{
	if (irq_depth == 0)
		return -1;
	return irq_lines[MIN(irq_depth, IRQ_NEST_MAX) - 1];
}

unsigned int locks_held(void)
{
	return locks.count;
}

void context_note_lock(const char *name)
{
	if (locks.count < IRQ_NEST_MAX)
		locks.names[locks.count] = name;
	locks.count++;
	context_atomic_depth++;
}

void context_note_unlock(void)
{
	if (locks.count > 0) {
		locks.count--;
		context_atomic_depth--;
	}
}

const char *last_lock_name(void)
{
	if (locks.count == 0)
		return NULL;
	return locks.names[MIN(locks.count, IRQ_NEST_MAX) - 1];
}

void context_switch_locks(struct lock_state *prev,
			  const struct lock_state *next)
{
	*prev = locks;
	locks = *next;
	context_atomic_depth = (unsigned int)irq_depth + locks.count;
}

void context_set_thread(unsigned int tid, const char *name)
{
	thread_id = tid;
	thread_name = name;
}

void irq_set_name(int line, const char *name)
{
	if (line >= 0 && line < 16)
		irq_names[line] = name;
}

const char *irq_name(int line)
{
	if (line >= 0 && line < 16 && irq_names[line])
		return irq_names[line];
	return "?";
}

owner_t current_owner(void)
{
	if (in_interrupt() && current_irq() >= 0)
		return OWNER_IRQ(current_irq());
	return OWNER_THREAD(thread_id);
}

const char *owner_name(owner_t owner, char *buf, size_t size)
{
	if (OWNER_IS_IRQ(owner)) {
		int line = (int)(owner - OWNER_IRQ_BASE);

		snprintf(buf, size, "IRQ%d (%s)", line, irq_name(line));
	} else if (OWNER_IS_THREAD(owner)) {
		unsigned int tid = owner - OWNER_THREAD_BASE;

		snprintf(buf, size, "thread %u%s%s%s", tid,
			 tid == thread_id ? " (" : "",
			 tid == thread_id ? thread_name : "",
			 tid == thread_id ? ")" : "");
	} else {
		snprintf(buf, size, "nobody");
	}
	return buf;
}

const char *describe_context(char *buf, size_t size)
{
	char who[48];
	const char *lock = last_lock_name();

	owner_name(current_owner(), who, sizeof(who));
	snprintf(buf, size, "%s, irqs %s, %u lock%s held%s%s%s", who,
		 irqs_disabled() ? "off" : "on", locks.count,
		 locks.count == 1 ? "" : "s", lock ? " (" : "",
		 lock ? lock : "", lock ? ")" : "");
	return buf;
}
