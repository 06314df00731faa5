/*
 * asm/io.h - x86 port I/O (in/out instructions).
 */
#ifndef LABYRINTH_ASM_IO_H
#define LABYRINTH_ASM_IO_H

#include <asm/irqsoff.h>
#include <types.h>

static inline void outb(u16 port, u8 value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline void outw(u16 port, u16 value)
{
	__asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outl(u16 port, u32 value)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

/* A write to an unused port: about 1 us, the delay old chips need. */
static inline void io_wait(void)
{
	outb(0x80, 0);
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

static inline void cpu_halt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/*
 * Enable interrupts and halt; sti's one-instruction shadow makes the pair
 * atomic, so an interrupt cannot slip in between and leave us asleep. The
 * section with interrupts off that the sti ends is closed first (the
 * tracer, asm/irqsoff.h), at the caller's address.
 */
static inline __attribute__((always_inline)) void
__cpu_safe_halt(unsigned long ip)
{
	irqsoff_end(ip);
	__asm__ volatile("sti; hlt" : : : "memory");
}
#define cpu_safe_halt()	__cpu_safe_halt(_THIS_IP_)

#endif
