/*
 * asm/timer.h - the 8253/8254 programmable interval timer (PIT), IRQ0.
 *
 * Channel 0 runs in rate-generator mode at timer_hz (hz= on the command
 * line) and each of its interrupts is one tick: jiffies (kernel/arch.h)
 * counts them, then the tick's users run, each registered with
 * timer_add_tick_handler() (the sampler, the scheduler's round robin).
 */
#ifndef LABYRINTH_ASM_TIMER_H
#define LABYRINTH_ASM_TIMER_H

#include <types.h>

#define PIT_INPUT_HZ	1193182u	/* the PIT's crystal, 1.193182 MHz */
#define TIMER_IRQ	0
/* QEMU's TCG delivers the PIT on time up to about this rate. */
#define TIMER_HZ_REALTIME	10000u

/*
 * A user of the tick: fn runs on every tick, in the timer interrupt
 * (interrupts off: it must not sleep nor wait, and should be short: the
 * whole tick is budgeted, docs/PERFORMANCE.md). The users run in the
 * order of `order`, smallest first; two may not share one. Each user
 * defines its order in its own header, with why it comes where it does.
 */
struct tick_handler {
	const char *name;
	void (*fn)(void);
	int order;
};

#define TIMER_MAX_TICK_HANDLERS	4

/*
 * Run h on every tick from the next one on. h must live for good (it is
 * kept, not copied). Returns 0; -EINVAL (no fn or name), -EEXIST (h or
 * its order already there), -EBUSY (TIMER_MAX_TICK_HANDLERS reached):
 * each said on the console. Any context.
 */
int timer_add_tick_handler(const struct tick_handler *h);
/* Stop running h on ticks: 0, or -ENOENT if it was not registered. */
int timer_del_tick_handler(const struct tick_handler *h);
/* Copy up to max registered handlers, in the order they run; how many. */
unsigned int timer_tick_handlers(const struct tick_handler **out,
				 unsigned int max);

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
