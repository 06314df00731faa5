/*
 * spinlock.c - the kernel's one lock type (see asm/spinlock.h).
 *
 * On one CPU a spinlock can only be contended by code that interrupted the
 * holder, or by another thread if the holder were switched out. Holding a
 * lock disables preemption, so the second case cannot happen; the first is
 * why interrupt handlers use spin_trylock() and move on ("collide").
 * So on one CPU a lock that spin_lock() finds held is never let go: the
 * holder cannot run until the spinner gives up. spin_lock() says so and
 * panics, naming both sides, instead of hanging without a word.
 * The exchange is done with a compiler builtin: no assembly needed.
 */
#include <asm/io.h>
#include <asm/spinlock.h>
#include <kernel/context.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched_hooks.h>

void spin_lock_init(spinlock_t *lock, const char *name)
{
	lock->locked = 0;
	lock->name = name;
	lock->owner_pc = 0;
}

static bool try_acquire(spinlock_t *lock)
{
	return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

/*
 * lock is held, and on one CPU its holder is the context this one
 * interrupted (or this one): spinning would never end. Stop with the
 * culprit named: the context, where it asked, where the holder took it.
 * Weak, so that the compiler cannot tell that it never returns: the call
 * then stays inside spin_lock(), and the call trace names spin_lock()
 * instead of whatever function follows it in memory.
 */
void __attribute__((weak, noinline)) spin_deadlock(spinlock_t *lock,
						    void *caller)
{
	char ctx[96];

	printk(KERN_EMERG "spin_lock(%s) at %pS: the lock is held, taken at "
	       "%pS\n", lock->name, caller, (void *)lock->owner_pc);
	printk(KERN_EMERG "  spinning in %s would never end: on one CPU the "
	       "holder cannot run until this context gives up\n",
	       describe_context(ctx, sizeof(ctx)));
	panic("deadlock on %s: a context that cannot wait must use "
	      "spin_trylock() and move on", lock->name);
}

void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	if (!try_acquire(lock))
		spin_deadlock(lock, __builtin_return_address(0));
	lock->owner_pc = (unsigned long)__builtin_return_address(0);
	context_note_lock(lock->name);
}

bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (!try_acquire(lock)) {
		preempt_enable();
		return false;
	}
	lock->owner_pc = (unsigned long)__builtin_return_address(0);
	context_note_lock(lock->name);
	return true;
}

void spin_unlock(spinlock_t *lock)
{
	context_note_unlock();
	lock->owner_pc = 0;
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	preempt_enable();
}
