/*
 * asm/stacktrace.h - walking the kernel stack by frame pointers.
 *
 * The kernel is built with -fno-omit-frame-pointer, so every function
 * starts with push %ebp; mov %esp, %ebp: EBP points at a frame record
 * {saved EBP, return address}, and the saved EBPs chain the frames up to
 * the first one, whose saved EBP is 0 (boot/entry.asm and new threads clear
 * EBP). Interrupt entry adds a record for the interrupted code, so a walk
 * from inside a handler continues through it.
 *
 * A walk is bounded: at most STACK_WALK_MAX frames, and it stops at a zero
 * EBP, at a record outside the stack it started on (boot stack, a thread's
 * stack) or at one that does not move up that stack. A corrupted stack
 * therefore gives a short trace, never a second fault.
 */
#ifndef LABYRINTH_ASM_STACKTRACE_H
#define LABYRINTH_ASM_STACKTRACE_H

#include <types.h>

#define STACK_WALK_MAX	24

/* Called once per return address, innermost first; false stops the walk. */
typedef bool (*stack_trace_fn)(void *arg, unsigned long pc);

/* Walk the frames starting at the record ebp points at. */
void walk_stack_from(unsigned long ebp, stack_trace_fn fn, void *arg);
/*
 * Store the return addresses of the caller's call chain (the caller's own
 * caller first) into pcs; returns how many were stored.
 */
unsigned int save_stack_trace(unsigned long *pcs, unsigned int max);
/*
 * Print "Call trace:" and one " [<addr>] symbol+0xoff" line per frame, at
 * log level loglvl (KERN_EMERG, ...). A run of frames with the same return
 * address (recursion) prints once, then "   ... the line above N more
 * times".
 */
void show_stack_from(unsigned long ebp, const char *loglvl);
/* The stack (boot, double-fault or thread stack) holding addr, if any. */
bool stack_bounds(unsigned long addr, unsigned long *lo, unsigned long *hi);

#endif
