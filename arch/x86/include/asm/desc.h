/*
 * asm/desc.h - the x86 descriptor tables: GDT, IDT and the TSSs.
 *
 * The GDT is flat: one ring-0 code and one ring-0 data segment covering all
 * 4 GiB, so segmentation does nothing and paging does all the work. It also
 * holds two task state segments: the kernel's own (the CPU saves the
 * interrupted registers there on a task switch) and the double-fault task,
 * which runs on its own stack. That is what lets a kernel stack overflow be
 * reported: the CPU cannot push an exception frame on a full stack, but it
 * can switch to a task whose stack is fine.
 */
#ifndef LABYRINTH_ASM_DESC_H
#define LABYRINTH_ASM_DESC_H

#include <types.h>

#define GDT_KERNEL_CS	0x08
#define GDT_KERNEL_DS	0x10
#define GDT_TSS		0x18	/* the kernel's task */
#define GDT_DF_TSS	0x20	/* the double-fault task */
#define GDT_ENTRIES	5

#define IDT_ENTRIES	256
#define NR_EXCEPTIONS	32
#define IRQ_VECTOR_BASE	0x20	/* the PIC is remapped to 0x20..0x2F */
#define NR_IRQS		16
#define VEC_DOUBLE_FAULT 8
#define VEC_PAGE_FAULT	14

/* The 32-bit task state segment, as the CPU reads and writes it. */
struct tss {
	u32 prev_task, esp0, ss0, esp1, ss1, esp2, ss2;
	u32 cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "hardware TSS layout");

/* The kernel's TSS: after a double fault it holds the faulting state. */
extern struct tss kernel_tss;

void gdt_init(void);
void idt_init(void);
/* True if the IDT gate for vector is present (for tests). */
bool idt_gate_present(unsigned int vector);
/* The handler address in the gate for vector, or 0 for a task gate. */
unsigned long idt_gate_handler(unsigned int vector);

#endif
