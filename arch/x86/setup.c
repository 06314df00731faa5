/*
 * setup.c - bringing up the x86 machine layer: arch_init() and friends.
 *
 * Order: the GDT (flat segments, TSSs) before the IDT that names its
 * selectors; the PIC remapped and fully masked before interrupts can be
 * enabled; the timer registered (which unmasks IRQ0); then STI. From here
 * on jiffies advance at timer_hz. The drivers register their own lines
 * afterwards (kmain): this layer names none of them.
 */
#include <asm/desc.h>
#include <asm/i8259.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/timer.h>
#include <kernel/arch.h>
#include <kernel/irq.h>
#include <kernel/printk.h>

void arch_init(void)
{
	gdt_init();
	idt_init();
	pic_init();
	timer_init();
	local_irq_enable();
	pr_info("x86: GDT, IDT (%u exceptions, %u IRQs), PIC at 0x%x, "
		"PIT at %u Hz (divisor %u)\n", NR_EXCEPTIONS, NR_IRQS,
		IRQ_VECTOR_BASE, timer_hz, timer_divisor());
}

/*
 * Stop for good. What is still queued in the log is written first (as far
 * as this context can: kernel/printk.c), so no last line is lost.
 */
void arch_halt(void)
{
	console_flush();
	for (;;) {
		local_irq_disable();
		cpu_halt();
	}
}

/*
 * QEMU's ACPI power management registers: SeaBIOS places the PM1a block at
 * 0x600 on both of QEMU's PCs (PIIX4 on pc, ICH9 on q35), and QEMU's \_S5
 * (soft off) sleep type is 0. Writing SLP_EN with that type to PM1a_CNT
 * asks the machine to power off: QEMU then ends with status 0. A real PC
 * gives these values in its ACPI tables (FADT, DSDT), which we do not read.
 */
#define QEMU_ACPI_PM1A_CNT	0x604
#define ACPI_SLP_EN		(1 << 13)
#define QEMU_ACPI_SLP_TYP_S5	0

/*
 * Power the machine off (under QEMU, QEMU exits with status 0), after
 * writing what the log still holds. QEMU acts on the request between two
 * instructions of its own choosing, so we halt until it does; on a machine
 * that does not power off, the CPU stays halted.
 */
void arch_power_off(void)
{
	console_flush();
	outw(QEMU_ACPI_PM1A_CNT, ACPI_SLP_EN | QEMU_ACPI_SLP_TYP_S5 << 10);
	arch_halt();
}

/* Leave QEMU (isa-debug-exit), after writing what the log still holds. */
void qemu_exit(u8 code)
{
	console_flush();
	outb(0xf4, code);
}
