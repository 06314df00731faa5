/*
 * trace.c - the event trace's ring: writing records, pausing, reading.
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
 * Claim and fill the next slot, interrupts off. The flag is tested again
 * here: a trace point that passed its test just before trace_pause() (a
 * thread preempted between the two) writes nothing once the reader runs.
 */
static inline __attribute__((always_inline))
void trace_write(unsigned int event, u32 pfn, unsigned int order,
			unsigned int gfp, unsigned int room, u32 arg,
			void *caller, u64 now, u8 flags)
{
	struct trace_ring *r = &trace_rings[smp_processor_id()];
	owner_t ctx = current_owner();
	struct trace_record *rec;
	unsigned long irq;

	local_irq_save(irq);
	if (likely(trace_on)) {
		rec = &r->rec[r->written++ & (TRACE_RING_SIZE - 1)];
		rec->tsc = now;
		rec->caller = (unsigned long)caller;
		rec->pfn = pfn;
		rec->arg = arg;
		rec->gfp = (u16)gfp;
		rec->ctx = (u16)ctx;
		rec->event = (u8)event;
		rec->order = (u8)order;
		rec->room = (u8)room;
		rec->flags = flags;
	}
	local_irq_restore(irq);
}

void __trace_event(unsigned int event, u32 pfn, unsigned int order,
		   unsigned int gfp, unsigned int room, u32 arg, void *caller)
{
	u8 flags = irqs_disabled() ? TRACE_F_IRQS_OFF : 0;

	trace_write(event, pfn, order, gfp, room, arg, caller, trace_clock(),
		    flags);
}

void __trace_event_timed(unsigned int event, u32 pfn, unsigned int order,
			 unsigned int gfp, unsigned int room, void *caller,
			 u64 t0)
{
	u8 flags = irqs_disabled() ? TRACE_F_IRQS_OFF : 0;
	u64 now = trace_clock();
	u32 arg = TRACE_ARG_NONE;

	if (t0)
		arg = now - t0 < TRACE_ARG_NONE ? (u32)(now - t0) :
						  TRACE_ARG_NONE - 1;
	trace_write(event, pfn, order, gfp, room, arg, caller, now, flags);
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
