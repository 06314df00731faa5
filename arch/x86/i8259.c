/*
 * i8259.c - remapping and driving the two 8259A PICs.
 *
 * The BIOS leaves IRQ 0..7 on vectors 8..15, where they collide with CPU
 * exceptions (IRQ0 would look like a double fault), so pic_init() sends the
 * full initialisation sequence (ICW1..ICW4) to move them to 0x20..0x2F and
 * masks every line but the cascade. Spurious interrupts (IRQ7 on the master,
 * IRQ15 on the slave) are told apart from real ones by reading the in-service
 * register (OCW3), as the 8259A datasheet describes.
 *
 * Lab 2 asks for pic_mask(), pic_unmask(), pic_eoi() and pic_spurious().
 * kernel/irq.c checks the first two against the mask registers and the
 * third against the in-service register, and falls back (pic_write_imr(),
 * pic_auto_eoi(), below) with a message rather than lose every interrupt
 * while they are missing.
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

#define ICW4_AEOI	0x02	/* automatic end of interrupt */

static u8 mask1 = 0xFF, mask2 = 0xFF;	/* cached: a set bit masks a line */
static bool auto_eoi;

/* ICW1..ICW4 to both chips; the mask registers are then written again. */
static void pic_program(u8 icw4)
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
	outb(PIC1_DATA, icw4);
	io_wait();
	outb(PIC2_DATA, icw4);
	io_wait();
}

void pic_init(void)
{
	pic_program(ICW4_8086);
	mask1 = (u8)~(1 << PIC_CASCADE_IRQ);	/* only the cascade is open */
	mask2 = 0xFF;
	outb(PIC1_DATA, mask1);
	outb(PIC2_DATA, mask2);
	outb(PIC1_CMD, OCW3_READ_ISR);	/* reads of the command port: ISR */
	outb(PIC2_CMD, OCW3_READ_ISR);
}

void pic_mask(unsigned int line)
{
#ifndef LAB2_STARTER		/* lab 2 solution */
	if (line < 8) {
		mask1 |= 1 << line;
		outb(PIC1_DATA, mask1);
	} else if (line < 16) {
		mask2 |= 1 << (line - 8);
		outb(PIC2_DATA, mask2);
	}
#else				/* lab 2 starter */
	/*
	 * LAB 2, exercise 1 (docs/labs/lab2-interrupts.md, "Masking a
	 * line"). Set line's bit in the mask register of the chip it belongs
	 * to: lines 0..7 are bits 0..7 of the master's (port PIC1_DATA),
	 * lines 8..15 bits 0..7 of the slave's (PIC2_DATA). Keep mask1 and
	 * mask2 equal to what the chips hold: pic_read_mask() shows them.
	 */
#endif				/* lab 2 */
}

void pic_unmask(unsigned int line)
{
#ifndef LAB2_STARTER		/* lab 2 solution */
	if (line < 8) {
		mask1 &= ~(1 << line);
		outb(PIC1_DATA, mask1);
	} else if (line < 16) {
		mask2 &= ~(1 << (line - 8));
		outb(PIC2_DATA, mask2);
	}
#else				/* lab 2 starter */
	/*
	 * LAB 2, exercise 1: the same, clearing the bit. Until you write it,
	 * kernel/irq.c finds the line still masked after this call, opens it
	 * itself and says so at boot.
	 */
#endif				/* lab 2 */
}

void pic_eoi(unsigned int line)
{
#ifndef LAB2_STARTER		/* lab 2 solution */
	if (line >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
#else				/* lab 2 starter */
	/*
	 * LAB 2, exercise 2 (docs/labs/lab2-interrupts.md, "End of
	 * interrupt"). Tell the PIC that raised line that its handler is
	 * done, with a non-specific EOI (OCW2_EOI to its command port): for
	 * lines 8..15 both the slave and the master (which saw the cascade,
	 * line 2) are owed one. Until you write it, kernel/irq.c finds IRQ0
	 * still in service after its first tick, switches the PICs to
	 * automatic end of interrupt and says so.
	 */
#endif				/* lab 2 */
}

/*
 * The fallbacks of kernel/irq.c, for a kernel whose pic_unmask() or
 * pic_eoi() is missing (a lab 2 handout): the mask registers as the chips
 * hold them, written as a whole; and the chips programmed again to end
 * each interrupt by themselves (ICW4's AEOI bit), the masks kept.
 */
u16 pic_read_imr(void)
{
	return (u16)(inb(PIC2_DATA) << 8 | inb(PIC1_DATA));
}

void pic_write_imr(u16 imr)
{
	outb(PIC1_DATA, imr & 0xFF);
	outb(PIC2_DATA, imr >> 8);
}

void pic_auto_eoi(void)
{
	u16 imr = pic_read_imr();

	pic_program(ICW4_8086 | ICW4_AEOI);
	pic_write_imr(imr);
	outb(PIC1_CMD, OCW3_READ_ISR);
	outb(PIC2_CMD, OCW3_READ_ISR);
	auto_eoi = true;
}

bool pic_auto_eoi_on(void)
{
	return auto_eoi;
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
#ifndef LAB2_STARTER		/* lab 2 solution */
	if (line != 7 && line != 15)
		return false;
	if (pic_read_isr() & (1u << line))
		return false;
	if (line == 15)
		outb(PIC1_CMD, OCW2_EOI);	/* the master saw the cascade */
	return true;
#else				/* lab 2 starter */
	/*
	 * LAB 2, exercise 3 (docs/labs/lab2-interrupts.md, "Spurious
	 * interrupts"). Only lines 7 and 15 can be spurious: the PIC gives
	 * its lowest-priority vector when a request vanished before the CPU
	 * took it. Then the line's bit is clear in the in-service register
	 * (pic_read_isr()). A spurious IRQ7 is owed no EOI at all; for a
	 * spurious IRQ15 the master still is (it did see the cascade).
	 * Until you write it, a spurious interrupt is served as a real one.
	 */
	return false;
#endif				/* lab 2 */
}
