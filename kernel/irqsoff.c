/*
 * irqsoff.c - the interrupts-off tracer: keeps the longest sections.
 *
 * The hooks of asm/irqsoff.h open and close one section at a time, with
 * interrupts off. A section longer than IRQSOFF_FLOOR_CYCLES comes here
 * (irqsoff_record(), or irqsoff_irq_long() for an interrupt closed by its
 * own iret), and so does every interrupt's section closed elsewhere (its
 * handler switched threads), for its cost (irq_account()). A long one
 * goes into the table of the IRQSOFF_TOP longest sites, unless it began
 * in an exempt function (counted apart), and counts against the rule if
 * longer than IRQSOFF_RULE_CYCLES.
 *
 * Everything here runs with interrupts off (the hooks' callers turned them
 * off, or we do) and for a bounded time: a record is a walk of the
 * IRQSOFF_TOP entries, plus, for a thread's section, a symbol lookup (a
 * binary search) to see whether its function is exempt.
 *
 * Invariants (interrupts off): top[0..nr_top) are distinct sites (kind,
 * begin, end), each with the longest of its sections recorded and how
 * many were. One CPU, no lock.
 */
#include <asm/irqflags.h>
#include <asm/irqsoff.h>
#include <asm/tsc.h>
#include <kernel/context.h>
#include <kernel/irq.h>
#include <kernel/irqsoff.h>
#include <kernel/printk.h>
#include <kernel/kallsyms.h>
#include <lib/format.h>
#include <lib/string.h>

struct irqsoff_cpu irqsoff_cpu;

static struct irqsoff_site top[IRQSOFF_TOP];
static unsigned int nr_top;
static u32 over_rule;
static u64 taken_at;		/* TSC at the last take (or start) */

/*
 * The functions that keep interrupts off for long on purpose. Each is
 * named where it does it; docs/PERFORMANCE.md says why each must.
 */
static struct irqsoff_exempt exempt[] = {
	{ "mm_check", "it recounts every room at once: check, stress's end",
	  0, 0 },
};
_Static_assert(ARRAY_SIZE(exempt) <= IRQSOFF_EXEMPT_MAX, "exempt[]");

/* The exempt entry whose function holds ip, or NULL. */
static struct irqsoff_exempt *exempt_of(unsigned long ip)
{
	const char *name = symbol_lookup(ip, NULL);

	if (!name)
		return NULL;
	for (unsigned int i = 0; i < ARRAY_SIZE(exempt); i++)
		if (!strcmp(exempt[i].fn, name))
			return &exempt[i];
	return NULL;
}

static struct irqsoff_site *site_find(u8 kind, unsigned long begin,
				      unsigned long end)
{
	for (unsigned int i = 0; i < nr_top; i++)
		if (top[i].kind == kind && top[i].begin_ip == begin &&
		    top[i].end_ip == end)
			return &top[i];
	return NULL;
}

/* The slot a new site takes: a free one, or the shortest kept. */
static struct irqsoff_site *site_slot(void)
{
	struct irqsoff_site *low = &top[0];

	if (nr_top < IRQSOFF_TOP)
		return &top[nr_top++];
	for (unsigned int i = 1; i < nr_top; i++)
		if (top[i].cycles < low->cycles)
			low = &top[i];
	return low;
}

/* A closed section longer than the threshold, for the top sites. */
static void irqsoff_top(u8 kind, unsigned long begin, u32 cycles,
			unsigned long end_ip)
{
	struct irqsoff_exempt *ex = begin ? exempt_of(begin) : NULL;
	struct irqsoff_site *s;

	if (ex) {
		ex->count++;
		ex->longest = MAX(ex->longest, cycles);
		return;
	}
	if (cycles > IRQSOFF_RULE_CYCLES)
		over_rule++;
	s = site_find(kind, begin, end_ip);
	if (!s) {
		s = site_slot();
		if (s->cycles >= cycles)
			return;	/* shorter than every site kept */
		*s = (struct irqsoff_site){ .kind = kind, .begin_ip = begin,
					    .end_ip = end_ip };
	}
	s->count++;
	s->cycles = MAX(s->cycles, cycles);
}

/*
 * A section just closed (asm/irqsoff.h), longer than the threshold or
 * opened by an interrupt; interrupts off, its kind and begin still in
 * irqsoff_cpu. A handler's is its cost too.
 */
void irqsoff_record(u32 cycles, unsigned long end_ip)
{
	u8 kind = irqsoff_cpu.open;

	if (kind >= IRQSOFF_IRQ(0))
		irq_account(kind - IRQSOFF_IRQ(0), cycles, true);
	if (irqsoff_cpu.enabled && cycles > IRQSOFF_FLOOR_CYCLES)
		irqsoff_top(kind, kind == IRQSOFF_THREAD ?
			    irqsoff_cpu.begin_ip : 0, cycles, end_ip);
}

void irqsoff_irq_long(unsigned int line, u32 cycles, unsigned long ip)
{
	if (irqsoff_cpu.enabled)
		irqsoff_top((u8)IRQSOFF_IRQ(line), 0, cycles, ip);
}

/* Interrupts off. Forget everything recorded; the open section stays. */
static void __irqsoff_reset(void)
{
	memset(top, 0, sizeof(top));
	nr_top = 0;
	over_rule = 0;
	irqsoff_cpu.sections = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(exempt); i++)
		exempt[i].count = exempt[i].longest = 0;
	taken_at = rdtsc();
}

void irqsoff_set_enabled(bool on)
{
	unsigned long flags;

	local_irq_save(flags);
	__irqsoff_reset();
	irqsoff_cpu.enabled = on;
	local_irq_restore(flags);
}

void irqsoff_init(void)
{
	irqsoff_set_enabled(true);
}

static void sort_sites(struct irqsoff_site *s, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		struct irqsoff_site key = s[i];
		unsigned int j = i;

		for (; j > 0 && s[j - 1].cycles < key.cycles; j--)
			s[j] = s[j - 1];
		s[j] = key;
	}
}

void irqsoff_take(struct irqsoff_report *r)
{
	unsigned long flags;
	u64 now;

	local_irq_save(flags);
	now = rdtsc();
	memcpy(r->top, top, sizeof(top));
	r->nr_top = nr_top;
	r->sections = irqsoff_cpu.sections;
	r->over_rule = over_rule;
	r->span = now - taken_at;
	r->enabled = irqsoff_cpu.enabled;
	memcpy(r->exempt, exempt, sizeof(exempt));
	r->nr_exempt = ARRAY_SIZE(exempt);
	__irqsoff_reset();
	local_irq_restore(flags);
	sort_sites(r->top, r->nr_top);
}

const char *irqsoff_begin_name(const struct irqsoff_site *s, char *buf,
			       size_t size)
{
	if (s->kind >= IRQSOFF_IRQ(0)) {
		int line = s->kind - IRQSOFF_IRQ(0);

		snprintf(buf, size, "IRQ%d (%s) entry", line, irq_name(line));
	} else {
		snprintf(buf, size, "%pS", (void *)s->begin_ip);
	}
	return buf;
}

void irqsoff_show(struct seq *out)
{
	static struct irqsoff_report r;	/* the shell's: one reader at once */
	char begin[48], end[48];

	irqsoff_take(&r);
	seq_printf(out, "irqsoff: tracer %s; %u sections with interrupts off "
		   "in %llu cycles\n", r.enabled ? "on" : "off", r.sections,
		   r.span);
	if (!r.nr_top) {
		seq_puts(out, "  none recorded\n");
	} else {
		seq_printf(out, "  the longest sites (over %u cycles; seen: "
			   "how many such sections):\n", IRQSOFF_FLOOR_CYCLES);
		seq_printf(out, "  %10s %7s  %-28s %s\n", "cycles", "seen",
			   "interrupts off at", "back on at");
	}
	for (unsigned int i = 0; i < r.nr_top; i++) {
		const struct irqsoff_site *s = &r.top[i];

		snprintf(end, sizeof(end), "%pS", (void *)s->end_ip);
		seq_printf(out, "  %10u %7u  %-28s %s\n", s->cycles, s->count,
			   irqsoff_begin_name(s, begin, sizeof(begin)), end);
	}
	seq_printf(out, "  longer than %u cycles (one period at 192 kHz, "
		   "-icount): %u\n", IRQSOFF_RULE_CYCLES, r.over_rule);
	for (unsigned int i = 0; i < r.nr_exempt; i++)
		seq_printf(out, "  exempt: %s: %u, longest %u cycles\n"
			   "    (%s)\n", r.exempt[i].fn, r.exempt[i].count,
			   r.exempt[i].longest, r.exempt[i].why);
}
