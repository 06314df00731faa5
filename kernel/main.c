/*
 * main.c - kmain(), where the kernel starts after boot/entry.asm.
 *
 * The order matters: consoles first (so everything after can print), then
 * the command line (log level, timer rate, allocator parameters), the CPU
 * tables and interrupt controller, memory, and finally the shell, or the
 * in-kernel tests in a test build.
 *
 * Until arch_init() the only exception handlers are boot/early.asm's: they
 * print one line and halt. What comes before it reads the loader's
 * information only through the checks of kernel/multiboot.c, so a bad
 * pointer there is a message, not a fault.
 */
#include <kernel/console.h>
#include <drivers/keyboard.h>
#include <drivers/sampler.h>
#include <drivers/serial.h>
#include <drivers/vga.h>
#include <kernel/arch.h>
#include <kernel/bootmem.h>
#include <kernel/cmdline.h>
#include <kernel/irqsoff.h>
#include <kernel/kallsyms.h>
#include <kernel/multiboot.h>
#include <kernel/printk.h>
#include <kernel/refill.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/thread.h>
#include <kernel/version.h>
#include <kernel/panic.h>

/* Linked in only in the test kernel (tests/kernel/ktest.c). */
void ktest_early(void) __attribute__((weak));
void ktest_boot(void) __attribute__((weak));

static void print_banner(void)
{
	printk(KERN_NOTICE "Labyrinth %s - a teaching kernel for memory and "
	       "interrupts (i686)\n", LABYRINTH_VERSION);
}

void kmain(u32 magic, u32 mbi_phys)
{
	const struct multiboot_info *mbi;

	kallsyms_init();	/* %pS names functions from here on */
	serial_init();
	vga_init();
	print_banner();
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not booted by a Multiboot loader (magic %#x)", magic);
	mbi = boot_info(mbi_phys);
	if (!mbi)
		panic("no boot information to read");
	cmdline_init(multiboot_cmdline(mbi));
	printk(KERN_INFO "Command line: %s\n", boot_cmdline);
	cmdline_parse();
	if (ktest_early)
		ktest_early();	/* test build: fault=early-... faults here */

	arch_init();
	if (serial_irq_init())	/* once the PIC is set up */
		pr_warn("serial: IRQ4 unavailable, input stays polled\n");
	if (bootmem_init(mbi))
		panic("no memory to manage");
	if (sched_init())	/* threads; GFP_KERNEL may sleep from here on */
		panic("cannot start the scheduler");
	if (ktest_boot)
		ktest_boot();	/* test build: may run tests, exit QEMU */
	/* The interrupt users and their threads (drivers/keyboard.c, ...). */
	keyboard_init();
	sampler_init();
	refill_init();
	irqsoff_init();	/* boot is over: trace interrupts-off sections */
	/* The shell gets a thread and a guarded stack; boot ends here. */
	kthread_handover("shell", shell_run);
}
