/*
 * idt.c - the interrupt descriptor table.
 *
 * Vectors 0..31 are the CPU exceptions, 32..47 the 16 lines of the two
 * 8259 PICs (remapped there by i8259.c); each points at its stub in
 * entry.asm. All are interrupt gates (IF cleared on entry), ring 0 only.
 * Vector 8, the double fault, is a task gate instead: it switches to the
 * double-fault task and its own stack (see asm/desc.h). Other vectors are
 * left not present: raising one is a general protection fault, reported.
 *
 * Until idt_init() runs, the IDT is boot/early.asm's: 32 exception gates
 * whose handler prints two lines ("early exception N ...") and halts.
 * idt_init() replaces it; the selector both use is GDT_KERNEL_CS.
 */
#include <asm/desc.h>

#define GATE_INTR32	0x8E	/* present, ring 0, 32-bit interrupt gate */
#define GATE_TASK	0x85	/* present, ring 0, task gate */
#define GATE_PRESENT	0x80

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 zero;
	u8 type;
	u16 offset_hi;
} __attribute__((packed));

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(8)));
extern const u32 isr_stub_table[NR_EXCEPTIONS + NR_IRQS];	/* entry.asm */

static void idt_set_gate(unsigned int vector, u32 offset, u16 sel, u8 type)
{
	idt[vector].offset_lo = offset & 0xFFFF;
	idt[vector].selector = sel;
	idt[vector].zero = 0;
	idt[vector].type = type;
	idt[vector].offset_hi = offset >> 16;
}

void idt_init(void)
{
	struct {
		u16 limit;
		u32 base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (u32)idt };

	for (unsigned int v = 0; v < NR_EXCEPTIONS + NR_IRQS; v++)
		idt_set_gate(v, isr_stub_table[v], GDT_KERNEL_CS, GATE_INTR32);
	idt_set_gate(VEC_DOUBLE_FAULT, 0, GDT_DF_TSS, GATE_TASK);
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

bool idt_gate_present(unsigned int vector)
{
	return vector < IDT_ENTRIES && (idt[vector].type & GATE_PRESENT);
}

unsigned long idt_gate_handler(unsigned int vector)
{
	if (!idt_gate_present(vector) || idt[vector].type == GATE_TASK)
		return 0;
	return idt[vector].offset_lo |
	       ((unsigned long)idt[vector].offset_hi << 16);
}
