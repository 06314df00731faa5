/*
 * trace.c - the event trace as text: the dump and its statistics.
 *
 * The ring itself is kernel/trace_ring.c; this file knows the allocator's rooms,
 * so it names them and prints, with the records, the room counts at the
 * moment the dump paused tracing. A reader that walks the records back
 * from those counts (tools/trace-report) rebuilds the free pages of every
 * room over time: each alloc, free, drain and refill moves pages between
 * rooms and callers, and nothing else does.
 *
 * The format is stable and documented in docs/TRACING.md; gdb's lab-trace
 * (tools/gdb/trace.py) prints the same lines. Format 1:
 *
 *   # labyrinth-trace 1
 *   # tsc_hz HZ HOW
 *   # zone NAME start PFN end PFN present N free N min N low N high N
 *   # room hot free N
 *   # room exclN name NAME owner CONTEXT free N
 *   # cpu N size N record N entries N written N lost N
 *   # fields TSC CPU CONTEXT IRQS EVENT PFN ORDER GFP ROOM ARG CALLER
 *   <one line per record, oldest first, 11 fields, '-' where none>
 *   # end cpu N records N
 *
 * Process context (a dump takes long: it prints thousands of lines).
 */
#include "internal.h"
#include <lib/format.h>
#include <mm/trace.h>

#define TRACE_FORMAT	1

const char *trace_room_name(unsigned int room, char *buf, size_t size)
{
	if (room == TROOM_NONE)
		snprintf(buf, size, "-");
	else if (room == TROOM_HOT)
		snprintf(buf, size, "hot");
	else if (room >= TROOM_ZONE && room < TROOM_ZONE + MAX_NR_ZONES)
		snprintf(buf, size, "%s", zones[room - TROOM_ZONE].name);
	else if (room >= TROOM_RESERVE && room < TROOM_RESERVE + MAX_NR_ZONES)
		snprintf(buf, size, "reserve(%s)",
			 zones[room - TROOM_RESERVE].name);
	else if (room >= TROOM_EXCL && room < TROOM_EXCL + NR_EXCL_ROOMS)
		snprintf(buf, size, "excl%u", room - TROOM_EXCL);
	else
		snprintf(buf, size, "?%u", room);
	return buf;
}

const char *trace_ctx_name(unsigned int ctx, char *buf, size_t size)
{
	if (OWNER_IS_THREAD(ctx))
		snprintf(buf, size, "thread%u", ctx - OWNER_THREAD_BASE);
	else if (OWNER_IS_IRQ(ctx))
		snprintf(buf, size, "irq%u", ctx - OWNER_IRQ_BASE);
	else
		snprintf(buf, size, "none");
	return buf;
}

/* The ARG column: what it holds depends on the event. */
static void show_arg(struct seq *s, const struct trace_record *r)
{
	char who[16];

	if (r->arg == TRACE_ARG_NONE)
		seq_printf(s, " %10s", "-");
	else if (r->event == TRACE_HANDOFF || r->event == TRACE_SWITCH)
		seq_printf(s, " %10s", trace_ctx_name(r->arg, who,
						      sizeof(who)));
	else
		seq_printf(s, " %10u", r->arg);
}

/* One record's line, built in s (a buffer). */
static void trace_format_record(struct seq *s, unsigned int cpu,
				const struct trace_record *r)
{
	char ctx[16], room[24], num[16];

	seq_printf(s, "%14llu %u %-9s %-3s %-12s", (unsigned long long)r->tsc,
		   cpu, trace_ctx_name(r->ctx, ctx, sizeof(ctx)),
		   r->flags & TRACE_F_IRQS_OFF ? "off" : "on",
		   trace_event_name(r->event));
	if (r->pfn == TRACE_PFN_NONE)
		snprintf(num, sizeof(num), "-");
	else
		snprintf(num, sizeof(num), "0x%x", r->pfn);
	seq_printf(s, " %7s", num);
	if (r->order == TRACE_ORDER_NONE)
		seq_printf(s, " %2s", "-");
	else
		seq_printf(s, " %2u", r->order);
	if (r->gfp == TRACE_GFP_NONE)
		snprintf(num, sizeof(num), "-");
	else
		snprintf(num, sizeof(num), "0x%x", r->gfp);
	seq_printf(s, " %4s", num);
	seq_printf(s, " %-15s", trace_room_name(r->room, room, sizeof(room)));
	show_arg(s, r);
	if (r->caller)
		seq_printf(s, " " CALLER_FMT "\n",
			   (void *)(uintptr_t)r->caller);
	else
		seq_puts(s, " -\n");
}

/*
 * The line is built whole and written in one piece: a message printed
 * meanwhile (an interrupt's) comes between two lines, never inside one.
 */
void trace_show_record(struct seq *s, unsigned int cpu,
		       const struct trace_record *r)
{
	char line[TRACE_LINE_MAX];
	struct seq_buf sb;

	seq_buf_init(&sb, line, sizeof(line));
	trace_format_record(&sb.seq, cpu, r);
	seq_puts(s, line);
}

void trace_snapshot_rooms(struct trace_rooms *c)
{
	unsigned int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		c->zone_free[i] = zones[i].nr_free;
	c->hot = hot_room_pages(&hot_rooms[smp_processor_id()]);
	for (i = 0; i < NR_EXCL_ROOMS; i++)
		c->excl[i] = excl_rooms[i].name ? excl_rooms[i].count : 0;
}

bool trace_pause_snapshot(struct trace_rooms *c)
{
	unsigned long flags;
	bool was;

	local_irq_save(flags);
	was = trace_pause();
	trace_snapshot_rooms(c);
	local_irq_restore(flags);
	return was;
}

/* The header's lines about the rooms, with their counts from c. */
static void show_rooms_header(struct seq *s, const struct trace_rooms *c)
{
	char who[16];
	unsigned int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &zones[i];

		seq_printf(s, "# zone %s start 0x%lx end 0x%lx present %lu free "
			   "%lu min %lu low %lu high %lu\n", z->name,
			   z->start_pfn, z->end_pfn, z->present,
			   c->zone_free[i], z->wmark[WMARK_MIN],
			   z->wmark[WMARK_LOW], z->wmark[WMARK_HIGH]);
	}
	seq_printf(s, "# room hot free %lu\n", c->hot);
	for (i = 0; i < NR_EXCL_ROOMS; i++) {
		const struct excl_room *r = &excl_rooms[i];

		if (r->name)
			seq_printf(s, "# room excl%u name %s owner %s free "
				   "%lu\n", i, r->name,
				   trace_ctx_name(r->owner, who, sizeof(who)),
				   c->excl[i]);
	}
}

void trace_show_cpu(struct seq *s, unsigned int cpu)
{
	unsigned long i, n = trace_entries(cpu);

	seq_printf(s, "# cpu %u size %u record %u entries %lu written %lu "
		   "lost %lu\n", cpu, TRACE_RING_SIZE,
		   (unsigned int)sizeof(struct trace_record), n,
		   trace_rings[cpu].written, trace_lost(cpu));
	seq_puts(s, "# fields TSC CPU CONTEXT IRQS EVENT PFN ORDER GFP ROOM "
		 "ARG CALLER\n");
	for (i = 0; i < n; i++)
		trace_show_record(s, cpu, trace_record_at(cpu, i));
	seq_printf(s, "# end cpu %u records %lu\n", cpu, n);
}

void trace_dump(struct seq *s, u64 tsc_hz, const char *clock)
{
	struct trace_rooms c;
	bool was = trace_pause_snapshot(&c);
	unsigned int cpu;

	seq_printf(s, "# labyrinth-trace %d\n", TRACE_FORMAT);
	seq_printf(s, "# tsc_hz %llu %s\n", (unsigned long long)tsc_hz, clock);
	show_rooms_header(s, &c);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		trace_show_cpu(s, cpu);
	trace_resume(was);
}

void trace_count_events(unsigned int cpu, unsigned long *counts)
{
	unsigned long i, n = trace_entries(cpu);
	unsigned int e;

	for (e = 0; e < NR_TRACE_EVENTS; e++)
		counts[e] = 0;
	for (i = 0; i < n; i++) {
		e = trace_record_at(cpu, i)->event;
		counts[e < NR_TRACE_EVENTS ? e : TRACE_NONE]++;
	}
}

void trace_show_stat(struct seq *s)
{
	unsigned long counts[NR_TRACE_EVENTS];
	bool was = trace_pause();
	unsigned int cpu, e;

	seq_printf(s, "trace: %s; ring of %u records of %u bytes per cpu "
		   "(%u KiB)\n", was ? "on" : "off", TRACE_RING_SIZE,
		   (unsigned int)sizeof(struct trace_record),
		   (unsigned int)(sizeof(struct trace_ring) >> 10));
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		seq_printf(s, "cpu %u: %lu records, %lu written, %lu lost\n",
			   cpu, trace_entries(cpu), trace_rings[cpu].written,
			   trace_lost(cpu));
		trace_count_events(cpu, counts);
		for (e = 1; e < NR_TRACE_EVENTS; e++)
			seq_printf(s, "  %-13s %8lu\n", trace_event_name(e),
				   counts[e]);
	}
	trace_resume(was);
}
