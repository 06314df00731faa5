/*
 * asm/spinlock.h (host tests) - the kernel's lock API, single-threaded.
 *
 * spin_lock() on a busy lock can never succeed in a one-thread test: it is
 * a deadlock in the kernel too, so the stub aborts with a message.
 * Tests hold a lock themselves to force collisions.
 */
#ifndef LABYRINTH_HOST_ASM_SPINLOCK_H
#define LABYRINTH_HOST_ASM_SPINLOCK_H

#include <types.h>

typedef struct spinlock {
	volatile unsigned int locked;
	const char *name;
	unsigned long owner_pc;
} spinlock_t;

#define SPINLOCK_INIT(name_)	{ 0, (name_), 0 }

void spin_lock_init(spinlock_t *lock, const char *name);
void spin_lock(spinlock_t *lock);
bool spin_trylock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

static inline bool spin_is_locked(const spinlock_t *lock)
{
	return lock->locked != 0;
}

#endif
