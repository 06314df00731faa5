/*
 * timer.c - the PIT on IRQ0: the tick, jiffies, and the tick's users.
 *
 * jiffies is written only here, in the IRQ0 handler (interrupts off); it is
 * one aligned word, so readers need no lock.
 *
 * The users of the tick (the timer sampler, the scheduler) register with
 * timer_add_tick_handler() when they start; this file names none of them.
 * Each tick calls them in the order of their struct tick_handler.order,
 * smallest first, whatever the order they registered in.
 *
 * The divisor is PIT_INPUT_HZ / timer_hz rounded to the nearest integer,
 * so it is off that ideal by half a count at most, and the real rate,
 * PIT_INPUT_HZ / divisor, is off timer_hz by at most 1 / (2 * divisor):
 * 0.0042% at 100 Hz, 0.042% at 1000 Hz. The worst over the rates the
 * command line accepts (19..198864 Hz) is 8.33%, at hz=183567: divisor
 * 6, 198863.67 Hz (the next divisor down, 5, would give 238636 Hz). At
 * the top of the range the divisor is small and the rates it can give
 * are far apart: hz=192000 gets divisor 6 too, +3.57%; hz=10000 gets 119,
 * +0.27%. tests/integration/test_timer.py measures these rates under
 * -icount.
 *
 * Above TIMER_HZ_REALTIME (10 kHz), QEMU's TCG cannot deliver the PIT on
 * time: its interrupts come late and in bursts. Under QEMU's -icount
 * shift=0,sleep=off, one guest instruction is one nanosecond of virtual
 * time and every tick comes exactly when it is due, however slow the host:
 * timer_init() says so at boot (make run ICOUNT=1 runs that way).
 */
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/timer.h>
#include <kernel/arch.h>
#include <kernel/context.h>
#include <kernel/irq.h>
#include <kernel/panic.h>
#include <kernel/printk.h>

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_CH0_RATE	0x34	/* channel 0, lobyte/hibyte, mode 2 */

volatile unsigned long jiffies;
volatile unsigned long timer_ticks_in_irq;
static unsigned int divisor;

/* The tick's users, sorted by order; changed with interrupts off. */
static const struct tick_handler *tick_handlers[TIMER_MAX_TICK_HANDLERS];
static unsigned int nr_tick_handlers;

static void timer_interrupt(unsigned int line, void *arg __unused)
{
	jiffies++;
	if (current_irq() == (int)line)		/* -1 outside handlers */
		timer_ticks_in_irq++;
	for (unsigned int i = 0; i < nr_tick_handlers; i++)
		tick_handlers[i]->fn();
}

/* Interrupts off. Insert h in tick_handlers[], keeping the order. */
static void __tick_handler_insert(const struct tick_handler *h)
{
	unsigned int i = nr_tick_handlers++;

	for (; i > 0 && tick_handlers[i - 1]->order > h->order; i--)
		tick_handlers[i] = tick_handlers[i - 1];
	tick_handlers[i] = h;
}

int timer_add_tick_handler(const struct tick_handler *h)
{
	unsigned long flags;
	int ret = 0;

	if (!h || !h->fn || !h->name)
		return -EINVAL;
	local_irq_save(flags);
	for (unsigned int i = 0; i < nr_tick_handlers; i++)
		if (tick_handlers[i] == h ||
		    tick_handlers[i]->order == h->order)
			ret = -EEXIST;
	if (!ret && nr_tick_handlers == TIMER_MAX_TICK_HANDLERS)
		ret = -EBUSY;
	if (!ret)
		__tick_handler_insert(h);
	local_irq_restore(flags);
	if (ret)
		pr_err("timer: tick handler %s (order %d) refused: %d\n",
		       h->name, h->order, ret);
	return ret;
}

int timer_del_tick_handler(const struct tick_handler *h)
{
	unsigned long flags;
	int ret = -ENOENT;

	local_irq_save(flags);
	for (unsigned int i = 0; i < nr_tick_handlers; i++) {
		if (tick_handlers[i] != h)
			continue;
		for (; i + 1 < nr_tick_handlers; i++)
			tick_handlers[i] = tick_handlers[i + 1];
		nr_tick_handlers--;
		ret = 0;
		break;
	}
	local_irq_restore(flags);
	return ret;
}

unsigned int timer_tick_handlers(const struct tick_handler **out,
				 unsigned int max)
{
	unsigned long flags;
	unsigned int n;

	local_irq_save(flags);
	n = MIN(nr_tick_handlers, max);
	for (unsigned int i = 0; i < n; i++)
		out[i] = tick_handlers[i];
	local_irq_restore(flags);
	return n;
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

/*
 * Above TIMER_HZ_REALTIME: say that QEMU's real time cannot keep up and
 * how to run it, and what rate the PIT really gives (see the top).
 */
static void timer_note_fast(void)
{
	unsigned int milli = (PIT_INPUT_HZ % divisor) * 1000u / divisor;

	pr_notice("timer: hz=%u is above the %u Hz QEMU keeps up with in "
		  "real time; the PIT gives %u.%03u Hz (divisor %u)\n",
		  timer_hz, TIMER_HZ_REALTIME, PIT_INPUT_HZ / divisor, milli,
		  divisor);
	pr_notice("timer: for exact virtual time run QEMU with -icount "
		  "shift=0,sleep=off (make run ICOUNT=1)\n");
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
	if (timer_hz > TIMER_HZ_REALTIME)
		timer_note_fast();
}
