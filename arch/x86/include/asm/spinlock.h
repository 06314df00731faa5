/*
 * asm/spinlock.h - the lock of the machine interface mm/ uses.
 *
 * x86 needs nothing beyond the generic lock (asm-generic/spinlock.h): the
 * exchange is a compiler builtin. Implemented in kernel/spinlock.c.
 */
#ifndef LABYRINTH_ASM_SPINLOCK_H
#define LABYRINTH_ASM_SPINLOCK_H

#include <asm-generic/spinlock.h>

#endif
