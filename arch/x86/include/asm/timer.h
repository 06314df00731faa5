/*
 * asm/timer.h - the 8253/8254 programmable interval timer (PIT), IRQ0.
 *
 * Channel 0 runs in rate-generator mode at timer_hz (hz= on the command
 * line) and each of its interrupts is one tick: jiffies (kernel/arch.h)
 * counts them, and the scheduler's round robin runs on them.
 */
#ifndef LABYRINTH_ASM_TIMER_H
#define LABYRINTH_ASM_TIMER_H

#include <types.h>

#define PIT_INPUT_HZ	1193182u	/* the PIT's crystal, 1.193182 MHz */
#define TIMER_IRQ	0

/* Program channel 0 for timer_hz and register the IRQ0 handler. */
void timer_init(void);
/* The divisor programmed into channel 0. */
unsigned int timer_divisor(void);
/*
 * Ticks whose handler saw itself in interrupt context on IRQ0 (it checks
 * in_interrupt() and current_irq() every tick): a self-test of the entry
 * path that should always equal the ticks counted.
 */
extern volatile unsigned long timer_ticks_in_irq;

#endif
