/*
 * asm-generic/spinlock.h - the lock the allocator uses: its type and calls,
 * the same in the kernel (kernel/spinlock.c) and in the host tests
 * (tests/host/host.c, single-threaded).
 *
 * A spinlock is one word taken with an atomic exchange. Holding any lock
 * disables preemption (a thread holding a lock is never switched out), and
 * the kernel counts the locks held so that might_sleep() and the allocator
 * can tell a context where sleeping is forbidden. Interrupts are NOT turned
 * off by spin_lock(): a caller that cannot wait uses spin_trylock() and
 * moves on when the lock is busy (a "collision" in the labyrinth).
 */
#ifndef LABYRINTH_ASM_GENERIC_SPINLOCK_H
#define LABYRINTH_ASM_GENERIC_SPINLOCK_H

#include <types.h>

typedef struct spinlock {
	volatile unsigned int locked;	/* 0 free, 1 held */
	const char *name;		/* shown in reports */
	unsigned long owner_pc;		/* where it was taken, for reports */
} spinlock_t;

#define SPINLOCK_INIT(name_)	{ 0, (name_), 0 }

void spin_lock_init(spinlock_t *lock, const char *name);
/*
 * Take the lock. Never call where the caller cannot wait: on one CPU a held
 * lock is never let go while its waiter spins, so the kernel panics naming
 * the deadlock (the host tests' stub aborts).
 */
void spin_lock(spinlock_t *lock);
/* Take the lock if it is free; return false at once if it is busy. */
bool spin_trylock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

static inline bool spin_is_locked(const spinlock_t *lock)
{
	return lock->locked != 0;
}

#endif
