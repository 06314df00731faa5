/*
 * irq.c - dispatching hardware interrupts to their handlers.
 *
 * irq_desc[] holds one handler per line and the counters. It changes only
 * with interrupts off (registration) and is read by irq_dispatch(), which
 * runs with interrupts off too: no lock is needed on one CPU.
 *
 * Order of one interrupt: spurious check (IRQ7/15), irq_enter(), handler,
 * EOI to the PIC, irq_exit(), then, back at the outermost level, the
 * scheduler may switch threads (sched_irq_exit()). The EOI comes before any
 * switch, or the PIC would hold back every lower-priority line until the
 * interrupted thread ran again.
 *
 * pic_mask(), pic_unmask() and pic_eoi() are lab 2's exercises: the chips
 * are asked, once per line, whether each call did its work (the pic_check_*
 * steps below); if not, the kernel says so and does it another way, rather
 * than lose every interrupt of a handout whose lab 2 is not done.
 */
#include <asm/i8259.h>
#include <asm/irqflags.h>
#include <kernel/context.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <lib/format.h>
#include <trace/events.h>

struct irq_desc {
	irq_handler_t handler;
	void *arg;
	const char *name;
	struct irq_stats stats;
};

static struct irq_desc irq_desc[NR_IRQ_LINES];
static u16 eoi_checked;		/* lines whose first end of interrupt was */
bool irq_took_page;		/* the interrupt being served took a page */
struct irq_line_costs irq_costs[NR_IRQ_LINES];

/* After pic_unmask(line) or pic_mask(line): is the chip's bit right? */
static void pic_check_mask(unsigned int line, bool masked)
{
	u16 imr = pic_read_imr(), bit = (u16)(1u << line);

	if (!(imr & bit) == !masked)
		return;
	pr_err("irq: pic_%smask(%u) left IRQ%u %s in the PIC (lab 2): %s it "
	       "here\n", masked ? "" : "un", line, line,
	       masked ? "open" : "masked", masked ? "masking" : "opening");
	pic_write_imr(masked ? imr | bit : imr & ~bit);
}

/*
 * After the first pic_eoi(line): is the line still in service? Then no EOI
 * reached the chip, and none ever will: every line of lower or equal
 * priority would stay blocked. Program the chips to end each interrupt by
 * themselves (which also ends this one) and say so.
 */
static void pic_check_eoi(unsigned int line)
{
	u16 busy = (u16)(1u << line);

	if ((eoi_checked & busy) || pic_auto_eoi_on())
		return;
	eoi_checked |= busy;
	if (line >= 8)
		busy |= 1u << PIC_CASCADE_IRQ;
	if (!(pic_read_isr() & busy))
		return;
	pic_auto_eoi();
	pr_err("irq: IRQ%u is still in service after pic_eoi(%u) (lab 2): "
	       "the PICs now end each interrupt by themselves (automatic "
	       "EOI)\n", line, line);
}

int irq_register(unsigned int line, irq_handler_t handler, void *arg,
		 const char *name)
{
	unsigned long flags;
	int ret = 0;

	if (line >= NR_IRQ_LINES || line == PIC_CASCADE_IRQ || !handler)
		return -EINVAL;
	local_irq_save(flags);
	if (irq_desc[line].handler) {
		ret = -EBUSY;
	} else {
		irq_desc[line].handler = handler;
		irq_desc[line].arg = arg;
		irq_desc[line].name = name;
		irq_set_name((int)line, name);
		pic_unmask(line);
		pic_check_mask(line, false);
	}
	local_irq_restore(flags);
	return ret;
}

int irq_unregister(unsigned int line)
{
	unsigned long flags;

	if (line >= NR_IRQ_LINES || line == PIC_CASCADE_IRQ)
		return -EINVAL;
	if (!irq_desc[line].handler)
		return -ENOENT;
	local_irq_save(flags);
	pic_mask(line);
	pic_check_mask(line, true);
	irq_desc[line].handler = NULL;
	irq_desc[line].arg = NULL;
	local_irq_restore(flags);
	return 0;
}

/*
 * A line raised with nobody to serve it: mask it so it cannot storm. The
 * mask also keeps this report to one per line.
 */
static void irq_unhandled(unsigned int line)
{
	irq_desc[line].stats.unhandled++;
	pic_mask(line);
	pic_check_mask(line, true);
	pr_warn("irq: IRQ%u raised with no handler: line masked\n", line);
}

void irq_dispatch(unsigned int line)
{
	struct irq_desc *desc = &irq_desc[line];

	if (pic_spurious(line)) {
		desc->stats.spurious++;
		return;
	}
	irq_enter((int)line);
	trace_irq_handler_entry(line);
	if (desc->handler) {
		desc->stats.count++;
		desc->handler(line, desc->arg);
	} else {
		irq_unhandled(line);
	}
	pic_eoi(line);
	pic_check_eoi(line);
	trace_irq_handler_exit(line);
	irq_exit();
	if (!in_interrupt())
		sched_irq_exit();
}

void irq_note_page(void)
{
	if (in_interrupt())
		irq_took_page = true;
}

/* Interrupts off: the counters of c, not its recent costs. */
static void irq_cost_counts(struct irq_cost *dst, const struct irq_cost *c)
{
	dst->timed = c->timed;
	dst->min = c->min;
	dst->max = c->max;
}

void irq_get_stats(unsigned int line, struct irq_stats *st)
{
	const struct irq_stats *src;
	const struct irq_line_costs *c;
	unsigned long flags;

	*st = (struct irq_stats){ 0 };
	if (line >= NR_IRQ_LINES)
		return;
	src = &irq_desc[line].stats;
	c = &irq_costs[line];
	local_irq_save(flags);
	st->count = src->count;
	st->spurious = src->spurious;
	st->unhandled = src->unhandled;
	irq_cost_counts(&st->cost, &c->plain);
	irq_cost_counts(&st->cost_switch, &c->switched);
	irq_cost_counts(&st->cost_page, &c->page);
	local_irq_restore(flags);
	for (unsigned int i = 0; i < IRQ_COST_RECENT; i++) {
		st->cost.recent[i] = c->plain.recent[i];
		st->cost_switch.recent[i] = c->switched.recent[i];
		st->cost_page.recent[i] = c->page.recent[i];
	}
}

/* Interrupts off. The recent ring is ignored once timed is 0. */
static void irq_cost_reset(struct irq_cost *c)
{
	c->timed = 0;
	c->min = c->max = 0;
}

void irq_reset_costs(void)
{
	unsigned long flags;

	for (unsigned int line = 0; line < NR_IRQ_LINES; line++) {
		struct irq_line_costs *c = &irq_costs[line];

		local_irq_save(flags);	/* one line at a time: short */
		irq_cost_reset(&c->plain);
		irq_cost_reset(&c->switched);
		irq_cost_reset(&c->page);
		local_irq_restore(flags);
	}
}

u32 irq_cost_median(const struct irq_cost *c)
{
	u32 v[IRQ_COST_RECENT];
	unsigned int n = MIN(c->timed, (unsigned long)IRQ_COST_RECENT);

	if (!n)
		return 0;
	for (unsigned int i = 0; i < n; i++) {	/* insertion sort */
		unsigned int j = i;

		for (; j > 0 && v[j - 1] > c->recent[i]; j--)
			v[j] = v[j - 1];
		v[j] = c->recent[i];
	}
	return v[n / 2];
}

static void irq_show_cost(struct seq *out, unsigned int line,
			  const char *name, const char *what,
			  const struct irq_cost *c)
{
	char label[24];

	if (!c->timed)
		return;
	snprintf(label, sizeof(label), "%s%s", name, what);
	seq_printf(out, "%3u  %-20s %9lu %8u %8u %8u\n", line, label, c->timed,
		   c->min, irq_cost_median(c), c->max);
}

/* The second table of irqstat: what each line's interrupts cost. */
static void irq_show_costs(struct seq *out)
{
	struct irq_stats st;

	seq_printf(out, "cost in TSC cycles, from entry until interrupts are "
		   "back on (median: last %u)\n", IRQ_COST_RECENT);
	seq_printf(out, "IRQ  %-20s %9s %8s %8s %8s\n", "name", "timed", "min",
		   "median", "max");
	for (unsigned int line = 0; line < NR_IRQ_LINES; line++) {
		const struct irq_desc *d = &irq_desc[line];
		const char *name = d->handler ? d->name : "-";

		irq_get_stats(line, &st);
		irq_show_cost(out, line, name, ", plain", &st.cost);
		irq_show_cost(out, line, name, ", switching",
			      &st.cost_switch);
		irq_show_cost(out, line, name, ", with a page",
			      &st.cost_page);
	}
}

void irq_show_stats(struct seq *out)
{
	u16 mask = pic_read_mask();

	seq_printf(out, "IRQ  %-10s %12s %9s %9s  state\n", "name", "count",
		   "spurious", "unhandled");
	for (unsigned int line = 0; line < NR_IRQ_LINES; line++) {
		struct irq_stats st;
		const struct irq_desc *d = &irq_desc[line];

		irq_get_stats(line, &st);
		if (!d->handler && !st.count && !st.spurious && !st.unhandled)
			continue;
		seq_printf(out, "%3u  %-10s %12lu %9lu %9lu  %s\n", line,
			   d->handler ? d->name : "-", st.count, st.spurious,
			   st.unhandled,
			   mask & (1u << line) ? "masked" : "open");
	}
	irq_show_costs(out);
}
