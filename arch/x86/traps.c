/*
 * traps.c - where every interrupt and exception lands, and the oops.
 *
 * x86_interrupt() is called by entry.asm with the saved registers; IRQ
 * vectors go to irq_dispatch(), CPU exceptions to the oops. Every exception
 * is fatal in Labyrinth (there is no user mode to kill and no fault to fix
 * up): the oops reports it and halts with interrupts off, so the report
 * stays on the screen and gdb can still attach.
 *
 * The oops, line by line (KERN_EMERG; the first line is stable, for tests):
 *
 *	Oops: Page fault
 *	stack overflow in thread 3 (worker)           (only if CR2 hits a guard)
 *	Error code: 0x00000002 (not-present, write, kernel)
 *	CR2: 0x00000000 (NULL pointer dereference)    (page and double fault)
 *	EIP: 0xc0102f4e provoke_fault+0x3e
 *	EAX: 00000000 EBX: 00000000 ECX: c0108000 EDX: 000003fd
 *	ESI: 00000000 EDI: 00000000 EBP: c0113f8c ESP: c0113f70
 *	EFLAGS: 00010246 CS: 0008 DS: 0010 ES: 0010 FS: 0010 GS: 0010
 *	Context: thread 0 (boot), irqs on, 0 locks held
 *	Call trace:
 *	 [<c0102fc6>] ktest_boot+0x26
 *	 [<c0100f12>] kmain+0x92
 *	---[ end Oops: System halted ]---
 *
 * "Error code" appears only for the exceptions that push one (and for the
 * double fault, always 0); "Context" describes what was running when the
 * exception hit, with the faulting code's interrupt flag. The call trace
 * starts with the caller of the faulting function (EIP names the function
 * itself) and is at most STACK_WALK_MAX frames (asm/stacktrace.h).
 *
 * A double fault (usually a stack overflow: the CPU cannot push the page
 * fault's frame on a full stack) arrives by task switch on its own stack;
 * the faulting registers then come from the kernel TSS, and the report is
 * the same. "stack overflow in thread N (name)" follows the first line
 * whenever CR2 lies in the guard pages under a thread stack.
 *
 * The oops is written through console_emergency(): whatever was queued in
 * the log, then each line at once, even if the code that faulted owned the
 * consoles (kernel/printk.c).
 *
 * An exception while an oops is being printed does not start a second one
 * (it could recurse forever): oops_depth catches it, one line goes out
 * through the console layer's emergency output (the serial port, polled,
 * past the log ring), and the CPU halts.
 */
#include <asm/desc.h>
#include <asm/irqsoff.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/page.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>
#include <kernel/console.h>
#include <kernel/arch.h>
#include <kernel/context.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <lib/string.h>

static volatile int oops_depth;

static const char *const exception_names[NR_EXCEPTIONS] = {
	"Divide error", "Debug", "Non-maskable interrupt", "Breakpoint",
	"Overflow", "Bound range exceeded", "Invalid opcode",
	"Device not available", "Double fault", "Coprocessor segment overrun",
	"Invalid TSS", "Segment not present", "Stack-segment fault",
	"General protection fault", "Page fault", "Reserved (15)",
	"x87 floating-point error", "Alignment check", "Machine check",
	"SIMD floating-point error", "Virtualization exception",
	"Control protection exception", "Reserved (22)", "Reserved (23)",
	"Reserved (24)", "Reserved (25)", "Reserved (26)", "Reserved (27)",
	"Hypervisor injection", "VMM communication", "Security exception",
	"Reserved (31)",
};

/* The exceptions for which the CPU pushes an error code. */
static bool has_error_code(unsigned int vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) ||
	       vector == 17 || vector == 21 || vector == 29 || vector == 30;
}

static const char *exception_name(unsigned int vector)
{
	return vector < NR_EXCEPTIONS ? exception_names[vector] : "Unknown";
}

static unsigned long read_cr2(void)
{
	unsigned long cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	return cr2;
}

/* The page fault error code: bits P, W/R, U/S, RSVD, I/D. */
static void show_pf_error(u32 err)
{
	printk(KERN_EMERG "Error code: 0x%08x (%s, %s, %s%s)\n", err,
	       err & 1 ? "protection" : "not-present",
	       err & 16 ? "instruction fetch" : err & 2 ? "write" : "read",
	       err & 4 ? "user" : "kernel",
	       err & 8 ? ", reserved bit" : "");
}

static void show_cr2(unsigned long cr2)
{
	printk(KERN_EMERG "CR2: 0x%08lx%s\n", cr2,
	       cr2 < PAGE_SIZE ? " (NULL pointer dereference)" : "");
}

static void show_regs(const struct pt_regs *regs, unsigned long sp)
{
	printk(KERN_EMERG "EIP: 0x%08x %pS\n", regs->eip, (void *)regs->eip);
	printk(KERN_EMERG "EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n",
	       regs->eax, regs->ebx, regs->ecx, regs->edx);
	printk(KERN_EMERG "ESI: %08x EDI: %08x EBP: %08x ESP: %08lx\n",
	       regs->esi, regs->edi, regs->ebp, sp);
	printk(KERN_EMERG "EFLAGS: %08x CS: %04x DS: %04x ES: %04x FS: %04x "
	       "GS: %04x\n", regs->eflags, regs->cs & 0xFFFF,
	       regs->ds & 0xFFFF, regs->es & 0xFFFF, regs->fs & 0xFFFF,
	       regs->gs & 0xFFFF);
}

/*
 * What was running, as describe_context() puts it, but with the interrupt
 * flag of the faulting code (the handler itself always runs with it off).
 */
static void show_context(const struct pt_regs *regs)
{
	char who[48];
	const char *lock = last_lock_name();
	unsigned int locks = locks_held();

	owner_name(current_owner(), who, sizeof(who));
	printk(KERN_EMERG "Context: %s, irqs %s, %u lock%s held%s%s%s\n", who,
	       regs->eflags & X86_EFLAGS_IF ? "on" : "off", locks,
	       locks == 1 ? "" : "s", lock ? " (" : "", lock ? lock : "",
	       lock ? ")" : "");
}

/*
 * An exception inside the oops itself: say so without printk, through the
 * console layer's emergency output (the serial port, polled), and stop.
 */
static void __noreturn oops_nested(unsigned int vector)
{
	static const char msg[] = "\nOops: nested exception during an oops: "
				  "System halted\n";

	(void)vector;
	console_emergency_write(msg, sizeof(msg) - 1);
	for (;;) {	/* not arch_halt(): its flush could fault again */
		local_irq_disable();
		cpu_halt();
	}
}

/* The first lines: the name, and for a page fault what and where. */
static void oops_header(const struct pt_regs *regs, unsigned long cr2,
			bool has_cr2)
{
	char who[64];
	unsigned int v = regs->vector;

	printk(KERN_EMERG "Oops: %s\n", exception_name(v));
	if (has_cr2 && stack_guard_owner(cr2, who, sizeof(who)))
		printk(KERN_EMERG "stack overflow in %s\n", who);
	if (v == VEC_PAGE_FAULT)
		show_pf_error(regs->error_code);
	else if (has_error_code(v))
		printk(KERN_EMERG "Error code: 0x%08x\n", regs->error_code);
	if (has_cr2)
		show_cr2(cr2);
}

/*
 * Report an exception and halt. sp is the stack pointer of the code that
 * faulted; the context line is taken before anything else changes it.
 */
static void __noreturn oops(const struct pt_regs *regs, unsigned long sp,
			    unsigned long cr2, bool has_cr2)
{
	local_irq_disable();
	if (oops_depth++)
		oops_nested(regs->vector);
	console_emergency();	/* the console owner may be what faulted */
	printk(KERN_EMERG "\n");
	oops_header(regs, cr2, has_cr2);
	show_regs(regs, sp);
	show_context(regs);
	show_stack_from(regs->ebp, KERN_EMERG);
	printk(KERN_EMERG "---[ end Oops: System halted ]---\n");
	arch_halt();
}

static void __noreturn x86_exception(struct pt_regs *regs)
{
	bool pf = regs->vector == VEC_PAGE_FAULT;
	unsigned long cr2 = pf ? read_cr2() : 0;

	oops(regs, regs_sp(regs), cr2, pf);
}

/*
 * The interrupt on line, which entered at TSC entry, is on its way to an
 * iret at ip that turns interrupts back on. If its own
 * section is still open, close it here: the common case, kept short, as
 * it runs on every interrupt. Otherwise it switched threads inside: its
 * section was closed where interrupts came back on, in the thread switched
 * to, and the one open now (opened by whoever switched back to it) ends at
 * this iret.
 */
static inline __attribute__((always_inline)) void
irqsoff_irq_end(unsigned int line, u32 entry, unsigned long ip)
{
	u32 cycles;

	if (unlikely(irqsoff_cpu.open != IRQSOFF_IRQ(line) ||
		     irqsoff_cpu.since != entry)) {
		irqsoff_end(ip);
		return;
	}
	cycles = irqsoff_clock() - entry + IRQSOFF_IRQ_UNTIMED;
	irqsoff_cpu.sections++;
	irqsoff_cpu.open = IRQSOFF_NONE;
	irq_account(line, cycles, false);
	if (unlikely(cycles > IRQSOFF_FLOOR_CYCLES))
		irqsoff_irq_long(line, cycles, ip);
}

/* entry.asm: the TSC's low word as the latest interrupt entered. */
u32 irq_entry_tsc;
extern char interrupt_return[];	/* entry.asm: the path to iret */

/*
 * A hardware interrupt. The code it stopped had interrupts on (or it
 * could not have come), so from its entry until they are back on it is
 * one section with interrupts off (asm/irqsoff.h), and that length is its
 * cost for irqstat (kernel/irq.c). Usually that is here, on the way out
 * to iret; but when the scheduler switched threads inside it
 * (sched_irq_exit()), the thread switched in turns them on, wherever it
 * was, and closes the section there; the section open when this one
 * comes back to its iret is another's.
 *
 * The figure is the whole path, from the stub's first instruction to
 * iret: irqsoff_irq_end() adds the few outside the two TSC reads
 * (IRQSOFF_IRQ_UNTIMED, asm/irqsoff.h). An interrupt raised by software
 * (int) with interrupts off is part of its caller's section, and is not
 * timed.
 */
static void x86_irq(struct pt_regs *regs, unsigned int line)
{
	u32 entry = irq_entry_tsc;
	bool irqs_were_on = regs->eflags & X86_EFLAGS_IF;

	if (irqs_were_on)
		irqsoff_irq_begin(line, entry);
	irq_cost_start();
	irq_dispatch(line);
	if (irqs_were_on)
		irqsoff_irq_end(line, entry, (unsigned long)interrupt_return);
}

/* From entry.asm: every vector with an interrupt gate comes here. */
void x86_interrupt(struct pt_regs *regs)
{
	unsigned int v = regs->vector;

	if (v >= IRQ_VECTOR_BASE && v < IRQ_VECTOR_BASE + NR_IRQS)
		x86_irq(regs, v - IRQ_VECTOR_BASE);
	else
		x86_exception(regs);
}

/*
 * The double-fault task (entry.asm: double_fault_task), on its own stack.
 * The CPU saved the faulting state in kernel_tss when it switched tasks.
 * CR2 still holds the address of the page fault that could not be
 * delivered, if that is what happened, so the guard check applies too.
 */
void __noreturn x86_double_fault(void)
{
	struct pt_regs regs = {
		.gs = kernel_tss.gs, .fs = kernel_tss.fs,
		.es = kernel_tss.es, .ds = kernel_tss.ds,
		.edi = kernel_tss.edi, .esi = kernel_tss.esi,
		.ebp = kernel_tss.ebp, .ebx = kernel_tss.ebx,
		.edx = kernel_tss.edx, .ecx = kernel_tss.ecx,
		.eax = kernel_tss.eax, .vector = VEC_DOUBLE_FAULT,
		.error_code = 0, .eip = kernel_tss.eip, .cs = kernel_tss.cs,
		.eflags = kernel_tss.eflags,
	};

	oops(&regs, kernel_tss.esp, read_cr2(), true);
}
