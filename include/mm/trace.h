/*
 * mm/trace.h - the event trace as text (mm/trace.c): the dump that the
 * shell's `trace dump`, gdb's lab-trace and tools/trace-report share, and
 * the statistics of `trace stat`. The ring and the trace points are in
 * include/trace/. The format: docs/TRACING.md.
 */
#ifndef LABYRINTH_MM_TRACE_H
#define LABYRINTH_MM_TRACE_H

#include <types.h>
#include <lib/seq.h>
#include <mm/exclusive.h>
#include <mm/zone.h>
#include <trace/trace.h>

/* The free pages of every room at one moment, for the dump's header. */
struct trace_rooms {
	unsigned long zone_free[MAX_NR_ZONES];
	unsigned long hot;
	unsigned long excl[NR_EXCL_ROOMS];
};

/* Read the counts now (without locks: with interrupts off, a hint). */
void trace_snapshot_rooms(struct trace_rooms *c);
/*
 * Pause tracing and read the counts in the same step with interrupts off,
 * so that they are the counts just after the last record. Returns whether
 * tracing was on (for trace_resume()).
 */
bool trace_pause_snapshot(struct trace_rooms *c);

/* A room's name in the dump ("hot", "Normal", "reserve(DMA)", "excl0"). */
const char *trace_room_name(unsigned int room, char *buf, size_t size);
/* A context's name in the dump ("irq0", "thread3", "none"). */
const char *trace_ctx_name(unsigned int ctx, char *buf, size_t size);

/* The longest line of the dump, its newline included. */
#define TRACE_LINE_MAX	160

/* One record as one line of the dump. */
void trace_show_record(struct seq *s, unsigned int cpu,
		       const struct trace_record *r);
/* One CPU's block: its line, the fields line, its records, its end line. */
void trace_show_cpu(struct seq *s, unsigned int cpu);
/*
 * The whole dump: tracing paused while it prints (and put back as it
 * was), the header with the clock (tsc_hz, 0 if unknown, and how it is
 * known: "icount", "calibrated", "unknown") and the rooms, then each CPU.
 */
void trace_dump(struct seq *s, u64 tsc_hz, const char *clock);
/* counts[e]: records of event e in cpu's ring (NR_TRACE_EVENTS slots). */
void trace_count_events(unsigned int cpu, unsigned long *counts);
/* `trace stat`: on or off, the ring's size, records, lost, per event. */
void trace_show_stat(struct seq *s);

#endif
