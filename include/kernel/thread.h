/*
 * thread.h - kernel threads (kernel/thread.c).
 *
 * A thread has a name, a tid, a state and a stack of THREAD_STACK_PAGES
 * order-0 pages from the page allocator (the vmap area makes them one
 * stack: they need not be physically contiguous), mapped there with
 * THREAD_GUARD_PAGES unmapped pages below it: running off the end of the
 * stack page-faults in the guard, and the oops says "stack overflow in
 * thread N (name)". A thread ends by returning from its function or by
 * calling kthread_exit(); its stack is freed by kthread_join(). Until then
 * it stays in the thread table, shown as dead.
 */
#ifndef LABYRINTH_KERNEL_THREAD_H
#define LABYRINTH_KERNEL_THREAD_H

#include <kernel/context.h>
#include <kernel/wait.h>
#include <lib/list.h>
#include <lib/seq.h>
#include <types.h>

#define MAX_THREADS		64
#define THREAD_NAME_LEN		16
#define THREAD_STACK_PAGES	4	/* 16 KiB */
#define THREAD_GUARD_PAGES	4
#define THREAD_SLOT_PAGES	(THREAD_STACK_PAGES + THREAD_GUARD_PAGES)

enum thread_state {
	THREAD_RUNNING,		/* on the CPU now */
	THREAD_READY,		/* on the run queue */
	THREAD_SLEEPING,	/* on a wait queue or a timeout */
	THREAD_DEAD,		/* exited; waits for kthread_join() */
};

struct page;

/* Fields change with interrupts off; see kernel/sched.c. */
struct thread {
	unsigned int tid;
	char name[THREAD_NAME_LEN];
	enum thread_state state;
	const char *wait_on;		/* what it sleeps on, for ps */
	unsigned long esp;		/* saved stack pointer when off CPU */
	unsigned long stack_lo, stack_hi;	/* mapped stack [lo, hi) */
	/* Its stack's frames, lowest address first; none for boot. */
	struct page *stack_pages[THREAD_STACK_PAGES];
	int (*fn)(void *arg);
	void *arg;
	int exit_code;
	unsigned int preempt_count;	/* saved across switches */
	struct lock_state locks;	/* locks held, saved across switches */
	bool sleep_reported;		/* might_sleep() reported this wait */
	bool interruptible;		/* its waits may be interrupted now */
	volatile bool intr_pending;	/* interrupted: the wait ends, -EINTR */
	unsigned long wake_at;		/* jiffies for a timeout, or 0 */
	struct thread *timer_next;	/* the tick's list of timeouts */
	bool timer_queued;		/* on it (kernel/sched.c) */
	unsigned long ticks;		/* timer ticks spent running */
	unsigned long switches;		/* times switched in */
	struct list_head run_node;	/* on the run queue when ready */
	struct wait_queue_head exited;	/* kthread_join() sleeps here */
	bool used;			/* the table slot is taken */
};

/*
 * Create a thread that runs fn(arg) and make it ready at once (Linux calls
 * this kthread_run). name is copied (truncated to 15 characters). Returns
 * NULL if the table is full or no stack could be allocated (said on the
 * console). Process context: may sleep for the stack (GFP_KERNEL, which
 * gives up after mm_wait_ms: include/mm/sleep.h).
 */
struct thread *kthread_create(const char *name, int (*fn)(void *), void *arg);
/*
 * End the current thread with code. Never returns. The boot thread may
 * end too, once it has handed the machine over (kthread_handover()).
 */
void kthread_exit(int code) __noreturn;
/*
 * End of boot: run fn (the shell) in a new thread called name, on a
 * guarded stack, and end the boot thread. If no thread can be created,
 * fn runs on the boot stack instead. Never returns.
 */
void kthread_handover(const char *name, void (*fn)(void)) __noreturn;
/*
 * Wait for t to end, free its stack and table slot, and return its exit
 * code. One joiner per thread; not for the boot or idle thread.
 */
int kthread_join(struct thread *t);

/* The running thread (the boot thread before sched_init()). */
struct thread *current_thread(void);

/*
 * Interruptible waits, a small cousin of a signal. Between
 * thread_interruptible_begin() and thread_interruptible_end(), the current
 * thread's waits that look at thread_interrupted() (the allocator's page
 * wait does) end early when someone calls thread_interrupt() on it: the
 * console does, on Ctrl-C, for the thread that reads it (the shell), so
 * a command can be stopped while it waits.
 *
 * begin/end: process context, not nested. end() returns true if an
 * interrupt came, and clears it: none is pending outside the pair.
 */
void thread_interruptible_begin(void);
bool thread_interruptible_end(void);
/* An interrupt is pending for the current thread. Any context. */
bool thread_interrupted(void);
/*
 * Interrupt t if it is between begin and end: mark it and wake it if it
 * sleeps. Returns true if it was (the caller's key was used up), false if
 * t takes no interrupt now. Any context.
 */
bool thread_interrupt(struct thread *t);
const char *thread_state_name(enum thread_state state);
/* The table for ps: one line per thread. */
void thread_show_all(struct seq *out);

/*
 * If addr lies on a thread's stack, set [*lo, *hi) to that stack and
 * return true. Any context, oops included.
 */
bool thread_stack_bounds(unsigned long addr, unsigned long *lo,
			 unsigned long *hi);
/*
 * If addr lies in the unmapped guard pages below a thread's stack, write
 * "thread 3 (worker)" into buf and return it; else return NULL.
 */
const char *stack_guard_owner(unsigned long addr, char *buf, size_t size);

/* Between kernel/thread.c and kernel/sched.c only. */
extern struct thread thread_table[MAX_THREADS];
extern struct thread boot_thread;
extern struct thread *idle_thread;
void thread_main(struct thread *t) __noreturn;
/* Put a new thread on the run queue. */
void sched_enqueue_new(struct thread *t);
/* Interrupts off, current marked dead or sleeping: run something else. */
void sched_switch_away(void);

#endif
