/*
 * spinlock.c - the kernel's one lock type (see asm/spinlock.h).
 *
 * On one CPU a spinlock can only be contended by code that interrupted the
 * holder, or by another thread if the holder were switched out. Holding a
 * lock disables preemption, so the second case cannot happen; the first is
 * why interrupt handlers use spin_trylock() and move on ("collide").
 * The exchange is done with a compiler builtin: no assembly needed.
 */
#include <asm/io.h>
#include <asm/spinlock.h>
#include <kernel/context.h>
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

void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	while (!try_acquire(lock))
		cpu_relax();
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
