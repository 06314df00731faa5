/*
 * asm/ptrace.h - the registers saved on entry to an interrupt or exception.
 *
 * arch/x86/entry.asm builds this frame on the stack of the interrupted code
 * (Labyrinth runs in ring 0 only, so the CPU does not switch stacks and
 * pushes no SS:ESP). From low to high addresses: the segment registers the
 * stub pushed, the eight general registers of PUSHA, the vector and error
 * code (a zero for vectors without one), and what the CPU pushed: EIP, CS,
 * EFLAGS. Keep the offsets in entry.asm (PT_*) in step with this struct.
 */
#ifndef LABYRINTH_ASM_PTRACE_H
#define LABYRINTH_ASM_PTRACE_H

#include <types.h>

struct pt_regs {
	u32 gs, fs, es, ds;
	u32 edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;	/* PUSHA */
	u32 vector, error_code;
	u32 eip, cs, eflags;					/* the CPU's */
};

/* The stack pointer of the interrupted code: just above the CPU's frame. */
static inline unsigned long regs_sp(const struct pt_regs *regs)
{
	return (unsigned long)&regs->eflags + sizeof(regs->eflags);
}

#endif
