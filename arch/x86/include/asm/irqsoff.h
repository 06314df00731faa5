/*
 * asm/irqsoff.h - the interrupts-off tracer's hooks (kernel/irqsoff.c).
 *
 * The CPU has one section with interrupts off open at a time. It opens
 * where interrupts go off: a local_irq_save() or local_irq_disable() that
 * finds them on (a thread section, begun at its call site), or the entry
 * of a hardware interrupt that came while they were on (a handler
 * section: the CPU clears IF as it enters the gate). It closes where they
 * come back on: a local_irq_restore() or local_irq_enable() that turns
 * them on, the sti of cpu_safe_halt(), or the iret of an interrupt that
 * returns to code that had them on. A section may open in one thread and
 * close in another, when the scheduler switches with interrupts off: the
 * CPU did not take an interrupt for all that time, which is what counts.
 *
 * The hooks are inline and cheap: with the tracer off, a test of a byte
 * at each end (7 instructions a save/restore pair, measured); with it on,
 * a rdtsc and three stores where a section opens, a rdtsc, a subtraction
 * and two compares where it closes (22). Only a section longer than
 * IRQSOFF_FLOOR_CYCLES goes to irqsoff_record() (out of line).
 * docs/PERFORMANCE.md has the figures; tests/kernel/test_irqsoff.c holds
 * them. A hardware interrupt's section is opened and closed whether the
 * tracer is on or not: its length is the handler's cost (irqstat).
 *
 * The hooks run with interrupts off: after the cli, before the sti.
 * Sections are timed with the low 32 bits of the TSC: one that lasts more
 * than 2^32 cycles (4 s at 1 GHz) would be timed wrong; none does after
 * boot, and boot is not traced.
 */
#ifndef LABYRINTH_ASM_IRQSOFF_H
#define LABYRINTH_ASM_IRQSOFF_H

#include <types.h>

/* The address of the code where this is written, as in Linux. */
#ifndef _THIS_IP_
#define _THIS_IP_ ({ __label__ __here; __here: (unsigned long)&&__here; })
#endif

/*
 * A section this long or shorter is only counted: the time to look at the
 * top sites is spent on the long ones (irqsoff_record()).
 */
#define IRQSOFF_FLOOR_CYCLES	1000

/*
 * An interrupt's section, closed by its own iret, is timed from the TSC
 * read at entry (entry.asm, after its first 4 instructions) to the one in
 * irqsoff_irq_end(); these are the instructions outside the two reads on
 * that common way out (the 4, the bookkeeping after the second read, the
 * returns, the pops and iret), added so that the figure is the whole path
 * from the stub's first instruction to iret. Counted under -icount by
 * tests/kernel/test_irqsoff.c, which fails when the code changes it.
 */
#define IRQSOFF_IRQ_UNTIMED	54

/* What opened the section now open (struct irqsoff_cpu.open). */
#define IRQSOFF_NONE		0
#define IRQSOFF_THREAD		1	/* a cli by code that had them on */
#define IRQSOFF_IRQ(line)	(2 + (line))	/* a hardware interrupt */

struct irqsoff_cpu {
	u32 since;		/* TSC (low word) when interrupts went off */
	u32 sections;		/* sections closed since the last reset */
	unsigned long begin_ip;	/* where they went off (thread sections) */
	u8 open;		/* IRQSOFF_NONE, _THREAD or _IRQ(line) */
	bool enabled;		/* irqsoff on: thread sections are opened */
};

extern struct irqsoff_cpu irqsoff_cpu;

/*
 * Out of line (kernel/irqsoff.c), interrupts off: a closed section that
 * is longer than IRQSOFF_FLOOR_CYCLES, or that a hardware interrupt
 * opened.
 */
void irqsoff_record(u32 cycles, unsigned long end_ip);
/*
 * Out of line, interrupts off: the interrupt on line, closed by its own
 * iret at ip after cycles, was longer than IRQSOFF_FLOOR_CYCLES.
 */
void irqsoff_irq_long(unsigned int line, u32 cycles, unsigned long ip);

/* The TSC's low word: all a section's length needs. */
static inline __attribute__((always_inline)) u32 irqsoff_clock(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo;
}

/* Interrupts just went off at ip, in code that had them on. */
static inline __attribute__((always_inline)) void
irqsoff_begin(unsigned long ip)
{
	if (unlikely(irqsoff_cpu.enabled)) {
		irqsoff_cpu.since = irqsoff_clock();
		irqsoff_cpu.begin_ip = ip;
		irqsoff_cpu.open = IRQSOFF_THREAD;
	}
}

/*
 * A hardware interrupt entered at TSC entry, from code that had interrupts
 * on (arch/x86/traps.c). Its section is opened even with the tracer off:
 * what it costs until interrupts are back on is the handler's cost, which
 * irqstat always shows.
 */
static inline __attribute__((always_inline)) void
irqsoff_irq_begin(unsigned int line, u32 entry)
{
	irqsoff_cpu.since = entry;
	irqsoff_cpu.begin_ip = 0;
	irqsoff_cpu.open = (u8)IRQSOFF_IRQ(line);
}

/*
 * Interrupts are about to come back on at ip: close the open section, if
 * any. With the tracer off, the only one that can be open here is a
 * handler's that switched threads (its own way out never ran): it goes to
 * irqsoff_record() too, for the handler's cost.
 */
static inline __attribute__((always_inline)) void
irqsoff_end(unsigned long ip)
{
	if (unlikely(irqsoff_cpu.open)) {
		u32 cycles = irqsoff_clock() - irqsoff_cpu.since;

		irqsoff_cpu.sections++;
		if (unlikely(cycles > IRQSOFF_FLOOR_CYCLES ||
			     irqsoff_cpu.open != IRQSOFF_THREAD))
			irqsoff_record(cycles, ip);
		irqsoff_cpu.open = IRQSOFF_NONE;
	}
}

#endif
