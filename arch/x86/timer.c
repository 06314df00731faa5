/*
 * timer.c - the PIT on IRQ0: the tick, jiffies, the sampler and the
 * scheduler's clock.
 *
 * jiffies is written only here, in the IRQ0 handler (interrupts off); it is
 * one aligned word, so readers need no lock.
 *
 * The divisor is PIT_INPUT_HZ / timer_hz rounded to the nearest integer,
 * so it is off that ideal by half a count at most, and the real rate,
 * PIT_INPUT_HZ / divisor, is off timer_hz by at most 1 / (2 * divisor):
 * 0.0042% at 100 Hz, 0.042% at 1000 Hz. The worst over the rates the
 * command line accepts (19..10000 Hz) is 0.42%, at hz=9985: divisor 119,
 * 10026.74 Hz, +0.418% (hz=10000 gets the same divisor: +0.27%).
 * tests/integration/test_timer.py measures these rates under -icount.
 */
#include <asm/io.h>
#include <asm/timer.h>
#include <drivers/sampler.h>
#include <kernel/arch.h>
#include <kernel/context.h>
#include <kernel/irq.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_CH0_RATE	0x34	/* channel 0, lobyte/hibyte, mode 2 */

volatile unsigned long jiffies;
volatile unsigned long timer_ticks_in_irq;
static unsigned int divisor;

static void timer_interrupt(unsigned int line, void *arg __unused)
{
	jiffies++;
	if (in_interrupt() && current_irq() == (int)line)
		timer_ticks_in_irq++;
	sampler_tick();		/* drivers/sampler.c: one sample per tick */
	sched_tick();
}

unsigned int timer_divisor(void)
{
	return divisor;
}

/* The PIT's count for hz ticks a second: see the top of this file. */
static unsigned int pit_divisor(unsigned int hz)
{
#ifndef LAB2_STARTER		/* lab 2 solution */
	unsigned int d = (PIT_INPUT_HZ + hz / 2) / hz;

	return d > 0xFFFF ? 0xFFFF : d;
#else				/* lab 2 starter */
	/*
	 * LAB 2, exercise 4 (docs/labs/lab2-interrupts.md, "The tick").
	 * The PIT counts down from the divisor at PIT_INPUT_HZ (1,193,182 Hz)
	 * and raises IRQ0 each time it wraps: return the divisor whose rate
	 * is nearest hz (rounded, not truncated), at most 0xFFFF (the
	 * counter has 16 bits). Until you write it, the PIT runs at its
	 * slowest, 18.2 Hz, and the kernel says so.
	 */
	return 0;
#endif				/* lab 2 */
}

void timer_init(void)
{
	divisor = pit_divisor(timer_hz);
	if (divisor == 0 || divisor > 0xFFFF) {
		pr_err("timer: pit_divisor(%u) gave %u, not a divisor (lab 2): "
		       "the PIT runs at its slowest, 18.2 Hz\n", timer_hz,
		       divisor);
		divisor = 0x10000;	/* written as 0, which counts 65536 */
		timer_hz = PIT_INPUT_HZ / 65536;
	}
	outb(PIT_CMD, PIT_CH0_RATE);
	outb(PIT_CH0, divisor & 0xFF);
	outb(PIT_CH0, (divisor >> 8) & 0xFF);
	if (irq_register(TIMER_IRQ, timer_interrupt, NULL, "timer"))
		panic("timer: IRQ0 is taken");
}
