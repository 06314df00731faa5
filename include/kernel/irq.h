/*
 * irq.h - hardware interrupt lines: registering a handler, counting.
 *
 * Labyrinth has the 16 lines of the two 8259 PICs (line 2 is the cascade and
 * cannot be taken). A line has at most one handler. A handler runs with
 * interrupts off, inside irq_enter()/irq_exit() (so in_interrupt() is true
 * and current_irq() is its line); it must not sleep and must not spin on a
 * lock (spin_trylock() and move on). The PIC gets its end-of-interrupt after
 * the handler returns. Every interrupt is counted per line, spurious IRQ7
 * and IRQ15 apart (see asm/i8259.h), for the irqstat command.
 */
#ifndef LABYRINTH_KERNEL_IRQ_H
#define LABYRINTH_KERNEL_IRQ_H

#include <lib/seq.h>
#include <types.h>

#define NR_IRQ_LINES	16

typedef void (*irq_handler_t)(unsigned int line, void *arg);

/*
 * Install handler for line and unmask the line. name is shown by irqstat
 * and in reports ("IRQ4 (serial)"); it must outlive the registration.
 * Returns 0, -EINVAL for a line above 15, the cascade line 2 or a NULL
 * handler, -EBUSY if the line already has a handler. Process context.
 */
int irq_register(unsigned int line, irq_handler_t handler, void *arg,
		 const char *name);
/* Mask line and remove its handler. Returns 0, -EINVAL or -ENOENT. */
int irq_unregister(unsigned int line);

/* Called by the interrupt entry code (arch/x86/traps.c), interrupts off. */
void irq_dispatch(unsigned int line);

/*
 * What an interrupt costs, in TSC cycles from its entry to its iret
 * (arch/x86/traps.c says which few instructions are outside): the
 * cheapest, the dearest, and the last IRQ_COST_RECENT for a median.
 */
#define IRQ_COST_RECENT	64
struct irq_cost {
	unsigned long timed;		/* interrupts timed */
	u32 min, max;
	u32 recent[IRQ_COST_RECENT];	/* recent[timed % RECENT]: the last */
};

/* Per-line counters since boot. */
struct irq_stats {
	unsigned long count;		/* interrupts handled */
	unsigned long spurious;		/* IRQ7/15 with no in-service bit */
	unsigned long unhandled;	/* raised with no handler: masked */
	/* Each interrupt timed is in one of these (irq_costs[]): */
	struct irq_cost cost;		/* back to the code it stopped */
	struct irq_cost cost_switch;	/* switched threads, took no page */
	struct irq_cost cost_page;	/* took a page (and maybe switched) */
};
/*
 * A copy of line's counters. The counts are taken with interrupts off;
 * the recent costs are copied with interrupts on (a copy of 2 x 64 words
 * would keep them off too long), so one may be newer than the counts.
 */
void irq_get_stats(unsigned int line, struct irq_stats *st);
/* Start every line's costs afresh (the counts stay). Any context. */
void irq_reset_costs(void);
/* The median of the recent costs (0 if none). */
u32 irq_cost_median(const struct irq_cost *c);
/* The irqstat table: one line per IRQ that has a handler or was seen. */
void irq_show_stats(struct seq *out);

/*
 * A handler took a page in this interrupt (kernel/refill.c): its cost is
 * counted apart, as "with a page". Interrupt context.
 */
void irq_note_page(void);
/* The entry code, as an interrupt enters: no page taken yet. */
extern bool irq_took_page;
static inline void irq_cost_start(void)
{
	irq_took_page = false;
}

/*
 * Where the costs are kept (kernel/irq.c; irq_get_stats() copies them).
 * Written by irq_account() only, interrupts off.
 */
struct irq_line_costs {
	struct irq_cost plain, switched, page;
};
extern struct irq_line_costs irq_costs[NR_IRQ_LINES];

/* Interrupts off. One more interrupt timed at cycles. */
static inline __attribute__((always_inline)) void
irq_cost_add(struct irq_cost *c, u32 cycles)
{
	if (unlikely(cycles < c->min || !c->timed))
		c->min = cycles;
	if (unlikely(cycles > c->max))
		c->max = cycles;
	c->recent[c->timed % IRQ_COST_RECENT] = cycles;
	c->timed++;
}

/*
 * The interrupt entry code and the tracer (arch/x86/traps.c,
 * kernel/irqsoff.c), interrupts off: the interrupt on line just cost
 * cycles, from its entry until interrupts came back on: at its own iret,
 * or (switched) in the thread the scheduler switched to from inside it.
 * Inline: it runs on every interrupt.
 */
static inline __attribute__((always_inline)) void
irq_account(unsigned int line, u32 cycles, bool switched)
{
	struct irq_line_costs *c = &irq_costs[line];

	if (likely(!irq_took_page && !switched))
		irq_cost_add(&c->plain, cycles);
	else if (irq_took_page)
		irq_cost_add(&c->page, cycles);
	else
		irq_cost_add(&c->switched, cycles);
}


#endif
