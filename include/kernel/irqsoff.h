/*
 * irqsoff.h - the interrupts-off tracer: the longest sections with
 * interrupts off, where each began and ended (kernel/irqsoff.c).
 *
 * What a section is, and the hooks that time it, are in asm/irqsoff.h. The
 * tracer keeps the IRQSOFF_TOP longest sites since it was last read: a
 * site is a pair of places, where interrupts went off (a function, or a
 * hardware interrupt's entry) and where they came back on; each keeps its
 * longest section. It also counts every section, and those longer than
 * one period of a 192 kHz timer (IRQSOFF_RULE_CYCLES: the design's "5.2
 * us rule", docs/PERFORMANCE.md; in cycles of the TSC, which under QEMU's
 * -icount shift=0 are instructions and nanoseconds).
 *
 * A few functions must keep interrupts off for long, by design, and say
 * so: their sections are counted apart, by name (irqsoff_show() lists
 * them), never among the top nor against the rule. Boot is not traced at
 * all (the tracer starts when boot ends), and neither are panic and the
 * oops, which never turn interrupts back on.
 */
#ifndef LABYRINTH_KERNEL_IRQSOFF_H
#define LABYRINTH_KERNEL_IRQSOFF_H

#include <lib/seq.h>
#include <types.h>

#define IRQSOFF_TOP		8
#define IRQSOFF_RULE_CYCLES	5200	/* one period at 192 kHz, -icount */
#define IRQSOFF_EXEMPT_MAX	4

/* One site: where interrupts went off and came back on, its longest. */
struct irqsoff_site {
	u32 cycles;		/* the longest section of this site */
	u32 count;		/* its sections that were recorded */
	u8 kind;		/* IRQSOFF_THREAD or IRQSOFF_IRQ(line) */
	unsigned long begin_ip;	/* a thread section's cli; 0 for a handler */
	unsigned long end_ip;	/* where interrupts came back on */
};

/* A function allowed to keep interrupts off long, and what it did. */
struct irqsoff_exempt {
	const char *fn;		/* the function where the section begins */
	const char *why;
	u32 count;		/* its sections longer than the threshold */
	u32 longest;
};

/* What the tracer saw between two reads (irqsoff_take()). */
struct irqsoff_report {
	struct irqsoff_site top[IRQSOFF_TOP];	/* longest first */
	unsigned int nr_top;
	u32 sections;		/* every section closed */
	u32 over_rule;		/* of them, longer than IRQSOFF_RULE_CYCLES */
	u64 span;		/* TSC cycles the report covers */
	bool enabled;
	struct irqsoff_exempt exempt[IRQSOFF_EXEMPT_MAX];
	unsigned int nr_exempt;
};

/* Start tracing (kmain, as boot ends). */
void irqsoff_init(void);
/* Turn the tracer on or off; either way what was recorded is dropped. */
void irqsoff_set_enabled(bool on);
/*
 * Copy what was recorded since the last take into r, sorted longest
 * first, and start afresh. Interrupts are off for the copy only (a few
 * hundred instructions). Any context.
 */
void irqsoff_take(struct irqsoff_report *r);
/* The irqsoff view: the top sites, the rule, the exempt; then a reset. */
void irqsoff_show(struct seq *out);
/* Where a section began, as irqsoff_show() names it, into buf. */
const char *irqsoff_begin_name(const struct irqsoff_site *s, char *buf,
			       size_t size);

#endif
