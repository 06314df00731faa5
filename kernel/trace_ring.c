/*
 * trace_ring.c - the event trace's ring: writing records, pausing, reading.
 *
 * One ring per CPU (trace_rings[], indexed by smp_processor_id() as the
 * hot room is). A record is claimed and filled with interrupts off on its
 * own CPU, so the only writers that can meet are a thread and the
 * interrupts that arrive around its section: each claims its own slot.
 * written counts the records since the last clear; slot written %
 * TRACE_RING_SIZE is the next, so once the ring is full each record
 * overwrites the oldest, and written - TRACE_RING_SIZE records are lost.
 *
 * Portable: compiled into the kernel and the host tests. It allocates
 * nothing. The time stamp comes from <asm/trace_clock.h>, the context from
 * current_owner(), both part of the machine interface mm/ uses.
 */
#include <asm/irqflags.h>
#include <trace/trace.h>

struct trace_ring trace_rings[NR_CPUS];
bool trace_on;

static const char *const event_names[NR_TRACE_EVENTS] = {
	[TRACE_NONE] = "none",
	[TRACE_ALLOC] = "alloc",
	[TRACE_ALLOC_FAIL] = "alloc_fail",
	[TRACE_FREE] = "free",
	[TRACE_FREE_REFUSED] = "free_refused",
	[TRACE_MISS] = "miss",
	[TRACE_COLLISION] = "collision",
	[TRACE_SLEEP] = "sleep",
	[TRACE_WAKE] = "wake",
	[TRACE_HANDOFF] = "handoff",
	[TRACE_REFILL] = "refill",
	[TRACE_DRAIN] = "drain",
	[TRACE_IRQ_ENTER] = "irq_enter",
	[TRACE_IRQ_EXIT] = "irq_exit",
	[TRACE_SWITCH] = "switch",
};

const char *trace_event_name(unsigned int event)
{
	return event < NR_TRACE_EVENTS ? event_names[event] : "?";
}

/*
 * Interrupts are off (irq: what local_irq_save() returned). Claim and fill
 * the next slot. The flag is tested again here: a trace point that passed
 * its test just before trace_pause() (a thread preempted between the two)
 * writes nothing once the reader runs. Kept short: this is the cost of
 * every event while tracing (docs/PERFORMANCE.md). The arguments are
 * stored before the call that names the context, so that little has to
 * live across it.
 */
static inline __attribute__((always_inline))
void __trace_write(unsigned long irq, u32 info, u32 pfn, u32 arg, u32 gfp,
		   void *caller, u64 now)
{
	struct trace_ring *r = &trace_rings[smp_processor_id()];
	struct trace_record *rec;

	if (unlikely(!trace_on))
		return;
	rec = &r->rec[r->written++ & (TRACE_RING_SIZE - 1)];
	rec->tsc = now;
	rec->caller = (uintptr_t)caller;
	rec->pfn = pfn;
	rec->arg = arg;
	rec->gfp = (u16)gfp;
	if (irqs_disabled_flags(irq))
		info |= TRACE_F_IRQS_OFF << TRACE_INFO_FLAGS_SHIFT;
	rec->info = info;
	rec->ctx = (u16)current_owner();
}

/* The ticks from t0 to now for ARG, at most TRACE_ARG_NONE - 1. */
static inline u32 trace_ticks(u64 now, u64 t0)
{
	u64 ticks = now - t0;

	return ticks < TRACE_ARG_NONE ? (u32)ticks : TRACE_ARG_NONE - 1;
}

void __trace_event(u32 info, u32 pfn, u32 arg, u32 gfp, void *caller)
{
	u64 now = trace_clock();
	unsigned long irq;

	local_irq_save(irq);
	__trace_write(irq, info, pfn, arg, gfp, caller, now);
	local_irq_restore(irq);
}

void __trace_event_timed(u32 info, u32 pfn, u32 gfp, void *caller, u64 t0)
{
	u64 now = trace_clock();
	u32 arg = t0 ? trace_ticks(now, t0) : TRACE_ARG_NONE;
	unsigned long irq;

	local_irq_save(irq);
	__trace_write(irq, info, pfn, arg, gfp, caller, now);
	local_irq_restore(irq);
}

void __trace_event_took(u32 info, u32 pfn, u32 gfp, void *caller, u64 t0)
{
	u64 now = trace_clock();
	unsigned long irq;

	local_irq_save(irq);
	__trace_write(irq, info, pfn, trace_ticks(now, t0), gfp, caller, now);
	local_irq_restore(irq);
}

void trace_set_enabled(bool on)
{
	trace_on = on;
}

void trace_clear(void)
{
	unsigned long flags;
	unsigned int cpu;

	local_irq_save(flags);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		trace_rings[cpu].written = 0;
	local_irq_restore(flags);
}

bool trace_pause(void)
{
	unsigned long flags;
	bool was;

	local_irq_save(flags);
	was = trace_on;
	trace_on = false;
	local_irq_restore(flags);
	return was;
}

void trace_resume(bool was_on)
{
	if (was_on)
		trace_on = true;
}

unsigned long trace_entries(unsigned int cpu)
{
	unsigned long n = trace_rings[cpu].written;

	return MIN(n, (unsigned long)TRACE_RING_SIZE);
}

unsigned long trace_lost(unsigned int cpu)
{
	return trace_rings[cpu].written - trace_entries(cpu);
}

const struct trace_record *trace_record_at(unsigned int cpu, unsigned long i)
{
	const struct trace_ring *r = &trace_rings[cpu];
	unsigned long first = r->written - trace_entries(cpu);

	return &r->rec[(first + i) & (TRACE_RING_SIZE - 1)];
}
