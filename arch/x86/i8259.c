/*
 * i8259.c - remapping and driving the two 8259A PICs.
 *
 * The BIOS leaves IRQ 0..7 on vectors 8..15, where they collide with CPU
 * exceptions (IRQ0 would look like a double fault), so pic_init() sends the
 * full initialisation sequence (ICW1..ICW4) to move them to 0x20..0x2F and
 * masks every line but the cascade. Spurious interrupts (IRQ7 on the master,
 * IRQ15 on the slave) are told apart from real ones by reading the in-service
 * register (OCW3), as the 8259A datasheet describes.
 */
#include <asm/desc.h>
#include <asm/i8259.h>
#include <asm/io.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xA0
#define PIC2_DATA	0xA1

#define ICW1_INIT_ICW4	0x11	/* edge triggered, cascade, ICW4 follows */
#define ICW4_8086	0x01
#define OCW2_EOI	0x20
#define OCW3_READ_ISR	0x0B
#define OCW3_READ_IRR	0x0A

static u8 mask1 = 0xFF, mask2 = 0xFF;	/* cached: a set bit masks a line */

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	io_wait();
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	io_wait();
	outb(PIC1_DATA, IRQ_VECTOR_BASE);	/* ICW2: vector offset */
	io_wait();
	outb(PIC2_DATA, IRQ_VECTOR_BASE + 8);
	io_wait();
	outb(PIC1_DATA, 1 << PIC_CASCADE_IRQ);	/* ICW3: slave on line 2 */
	io_wait();
	outb(PIC2_DATA, PIC_CASCADE_IRQ);	/* ICW3: slave identity */
	io_wait();
	outb(PIC1_DATA, ICW4_8086);
	io_wait();
	outb(PIC2_DATA, ICW4_8086);
	io_wait();
	mask1 = (u8)~(1 << PIC_CASCADE_IRQ);	/* only the cascade is open */
	mask2 = 0xFF;
	outb(PIC1_DATA, mask1);
	outb(PIC2_DATA, mask2);
	outb(PIC1_CMD, OCW3_READ_ISR);	/* reads of the command port: ISR */
	outb(PIC2_CMD, OCW3_READ_ISR);
}

void pic_mask(unsigned int line)
{
	if (line < 8) {
		mask1 |= 1 << line;
		outb(PIC1_DATA, mask1);
	} else if (line < 16) {
		mask2 |= 1 << (line - 8);
		outb(PIC2_DATA, mask2);
	}
}

void pic_unmask(unsigned int line)
{
	if (line < 8) {
		mask1 &= ~(1 << line);
		outb(PIC1_DATA, mask1);
	} else if (line < 16) {
		mask2 &= ~(1 << (line - 8));
		outb(PIC2_DATA, mask2);
	}
}

void pic_eoi(unsigned int line)
{
	if (line >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}

u16 pic_read_isr(void)
{
	outb(PIC1_CMD, OCW3_READ_ISR);
	outb(PIC2_CMD, OCW3_READ_ISR);
	return (u16)(inb(PIC2_CMD) << 8 | inb(PIC1_CMD));
}

u16 pic_read_mask(void)
{
	return (u16)(mask2 << 8 | mask1);
}

bool pic_spurious(unsigned int line)
{
	if (line != 7 && line != 15)
		return false;
	if (pic_read_isr() & (1u << line))
		return false;
	if (line == 15)
		outb(PIC1_CMD, OCW2_EOI);	/* the master saw the cascade */
	return true;
}
