/*
 * asm/i8259.h - the two cascaded 8259A interrupt controllers (PICs).
 *
 * IRQ 0..7 come from the master, 8..15 from the slave, which is wired to the
 * master's line 2. Both are remapped to vectors 0x20..0x2F, away from the
 * CPU exceptions. Every line starts masked; kernel/irq.c unmasks a line when
 * a handler is registered for it. Call these with interrupts off.
 */
#ifndef LABYRINTH_ASM_I8259_H
#define LABYRINTH_ASM_I8259_H

#include <types.h>

#define PIC_CASCADE_IRQ	2

void pic_init(void);
void pic_mask(unsigned int line);
void pic_unmask(unsigned int line);
/* End of interrupt: to the slave (for 8..15) and to the master. */
void pic_eoi(unsigned int line);
/*
 * True if an interrupt on line 7 or 15 is spurious: the PIC raised it but
 * its in-service bit is clear (the request went away). No EOI is owed to
 * the PIC that raised it; for a spurious IRQ15 the master still gets its EOI
 * (it did see the cascade). Always false for the other lines.
 */
bool pic_spurious(unsigned int line);
/* The in-service registers, slave << 8 | master. */
u16 pic_read_isr(void);
/* The mask registers, slave << 8 | master, as pic_mask() keeps them. */
u16 pic_read_mask(void);
/*
 * The fallbacks kernel/irq.c takes when pic_unmask() or pic_eoi() do not do
 * their work (lab 2): the mask registers as the chips hold them, read and
 * written as a whole; and automatic end of interrupt, after which the
 * chips need no EOI.
 */
u16 pic_read_imr(void);
void pic_write_imr(u16 imr);
void pic_auto_eoi(void);
bool pic_auto_eoi_on(void);

#endif
