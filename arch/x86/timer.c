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

void timer_init(void)
{
	divisor = (PIT_INPUT_HZ + timer_hz / 2) / timer_hz;
	if (divisor > 0xFFFF)
		divisor = 0xFFFF;
	outb(PIT_CMD, PIT_CH0_RATE);
	outb(PIT_CH0, divisor & 0xFF);
	outb(PIT_CH0, divisor >> 8);
	if (irq_register(TIMER_IRQ, timer_interrupt, NULL, "timer"))
		panic("timer: IRQ0 is taken");
}
