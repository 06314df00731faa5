/*
 * arch.h - what the portable kernel asks of the machine layer (arch/x86).
 */
#ifndef LABYRINTH_KERNEL_ARCH_H
#define LABYRINTH_KERNEL_ARCH_H

#include <types.h>

/*
 * Load the GDT and IDT, remap the 8259 PICs, start the PIT at timer_hz
 * and turn interrupts on. Called once from kmain().
 */
void arch_init(void);

/* Stop this CPU for good: write out the log, interrupts off, halt forever. */
void arch_halt(void) __noreturn;

/*
 * Power off through ACPI, at the ports QEMU's PCs use (the log is written
 * out first): QEMU exits with status 0. Where nothing powers off, the CPU
 * halts as arch_halt() does.
 */
void arch_power_off(void) __noreturn;

/*
 * Leave QEMU with an exit status through the isa-debug-exit device (test
 * builds run with -device isa-debug-exit,iobase=0xf4,iosize=0x04). QEMU's
 * status is (code << 1) | 1. Without the device this returns; the caller
 * then halts. The log is written out first (console_flush()).
 */
void qemu_exit(u8 code);

/* Ticks of the timer since boot, and its rate. */
extern volatile unsigned long jiffies;
extern unsigned int timer_hz;

#endif
