/*
 * asm/spinlock.h (host tests) - the kernel's lock API, single-threaded.
 *
 * The type and calls are the kernel's (asm-generic/spinlock.h); host.c
 * implements them. spin_lock() on a busy lock can never succeed in a
 * one-thread test: it is a deadlock in the kernel too, so the stub aborts
 * with a message. Tests hold a lock themselves to force collisions.
 */
#ifndef LABYRINTH_HOST_ASM_SPINLOCK_H
#define LABYRINTH_HOST_ASM_SPINLOCK_H

#include <asm-generic/spinlock.h>

#endif
