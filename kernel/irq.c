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
 */
#include <asm/i8259.h>
#include <asm/irqflags.h>
#include <kernel/context.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <trace/events.h>

struct irq_desc {
	irq_handler_t handler;
	void *arg;
	const char *name;
	struct irq_stats stats;
};

static struct irq_desc irq_desc[NR_IRQ_LINES];

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
	trace_irq_handler_exit(line);
	irq_exit();
	if (!in_interrupt())
		sched_irq_exit();
}

void irq_get_stats(unsigned int line, struct irq_stats *st)
{
	unsigned long flags;

	if (line >= NR_IRQ_LINES) {
		*st = (struct irq_stats){ 0 };
		return;
	}
	local_irq_save(flags);
	*st = irq_desc[line].stats;
	local_irq_restore(flags);
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
}
