/*
 * test_arch.c - in-kernel tests of the machine layer: descriptor tables,
 * the timer, IRQ registration, interrupt context, symbols and backtraces.
 *
 * They run in the test kernel after arch_init(), with interrupts on.
 */
#include <asm/desc.h>
#include <asm/i8259.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/stacktrace.h>
#include <asm/timer.h>
#include <kernel/arch.h>
#include <kernel/context.h>
#include <kernel/irq.h>
#include <lib/format.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

extern const u32 isr_stub_table[];

/* Wait for n ticks (or give up after a long busy loop: timer dead). */
static bool wait_ticks(unsigned long n)
{
	unsigned long start = jiffies;

	for (unsigned long spin = 0; jiffies - start < n; spin++) {
		if (spin > 400000000UL)
			return false;
		cpu_relax();
	}
	return true;
}

static void arch_idt_gates_present(struct ktest *t)
{
	for (unsigned int v = 0; v < NR_EXCEPTIONS + NR_IRQS; v++)
		KTEST_EXPECT(t, idt_gate_present(v));
	KTEST_EXPECT_EQ(t, idt_gate_handler(VEC_PAGE_FAULT),
			isr_stub_table[VEC_PAGE_FAULT]);
	KTEST_EXPECT_EQ(t, idt_gate_handler(IRQ_VECTOR_BASE),
			isr_stub_table[IRQ_VECTOR_BASE]);
	/* The double fault is a task gate: no handler address. */
	KTEST_EXPECT_EQ(t, idt_gate_handler(VEC_DOUBLE_FAULT), 0);
	KTEST_EXPECT(t, !idt_gate_present(0x80));
}

static void arch_irqs_enabled_after_init(struct ktest *t)
{
	KTEST_EXPECT(t, !irqs_disabled());
	KTEST_EXPECT(t, !(pic_read_mask() & (1u << TIMER_IRQ)));
	KTEST_EXPECT(t, pic_read_mask() & (1u << 5));	/* nobody on IRQ5 */
}

/* Loose bounds: QEMU under load may lose time, never gain much. */
static void arch_jiffies_advance_at_timer_hz(struct ktest *t)
{
	unsigned long j0 = jiffies;

	KTEST_EXPECT(t, wait_ticks(timer_hz / 10));	/* ~100 ms */
	KTEST_EXPECT(t, jiffies - j0 >= timer_hz / 10);
	KTEST_EXPECT_EQ(t, timer_divisor(),
			(PIT_INPUT_HZ + timer_hz / 2) / timer_hz);
}

static void never_called(unsigned int line __unused, void *arg __unused)
{
}

static void arch_irq_register_rejects_bad_line(struct ktest *t)
{
	static int dummy;
	irq_handler_t h = never_called;

	KTEST_EXPECT_EQ(t, irq_register(16, h, &dummy, "bad"), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_register(1000, h, &dummy, "bad"), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_register(PIC_CASCADE_IRQ, h, &dummy, "x"),
			-EINVAL);
	KTEST_EXPECT_EQ(t, irq_register(5, NULL, &dummy, "null"), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_register(TIMER_IRQ, h, &dummy, "dup"), -EBUSY);
	KTEST_EXPECT_EQ(t, irq_unregister(16), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_unregister(5), -ENOENT);
}

static void arch_in_interrupt_only_in_handlers(struct ktest *t)
{
	unsigned long j0, in0;
	unsigned long flags;

	KTEST_EXPECT(t, !in_interrupt());
	KTEST_EXPECT_EQ(t, current_irq(), -1);
	local_irq_save(flags);	/* a stable pair of counts */
	j0 = jiffies;
	in0 = timer_ticks_in_irq;
	local_irq_restore(flags);
	KTEST_EXPECT(t, wait_ticks(5));
	local_irq_save(flags);
	KTEST_EXPECT(t, timer_ticks_in_irq - in0 >= 5);
	KTEST_EXPECT_EQ(t, timer_ticks_in_irq - in0, jiffies - j0);
	local_irq_restore(flags);
	KTEST_EXPECT(t, !in_interrupt());
}

static void arch_irq_counts_timer(struct ktest *t)
{
	struct irq_stats st0, st1;

	irq_get_stats(TIMER_IRQ, &st0);
	KTEST_EXPECT(t, wait_ticks(3));
	irq_get_stats(TIMER_IRQ, &st1);
	KTEST_EXPECT(t, st1.count - st0.count >= 3);
	KTEST_EXPECT_EQ(t, st1.unhandled, 0);
}

static void arch_symbol_lookup_known_function(struct ktest *t)
{
	unsigned long off = 1;
	const char *name = symbol_lookup((unsigned long)arch_init, &off);

	KTEST_EXPECT(t, name && !strcmp(name, "arch_init"));
	KTEST_EXPECT_EQ(t, off, 0);
	name = symbol_lookup((unsigned long)arch_init + 3, &off);
	KTEST_EXPECT(t, name && !strcmp(name, "arch_init"));
	KTEST_EXPECT_EQ(t, off, 3);
	KTEST_EXPECT(t, !symbol_lookup(0x1000, &off));
}

/* noinline: so the trace has a frame of its own to find. */
static __attribute__((noinline)) unsigned int trace_here(unsigned long *pcs,
							 unsigned int max)
{
	return save_stack_trace(pcs, max);
}

static bool trace_has(const unsigned long *pcs, unsigned int n,
		      const char *fn)
{
	for (unsigned int i = 0; i < n; i++) {
		const char *name = symbol_lookup(pcs[i], NULL);

		if (name && !strcmp(name, fn))
			return true;
	}
	return false;
}

static void arch_backtrace_names_callers(struct ktest *t)
{
	unsigned long pcs[STACK_WALK_MAX];
	unsigned int n = trace_here(pcs, ARRAY_SIZE(pcs));

	KTEST_EXPECT(t, n >= 3);
	KTEST_EXPECT(t, n <= STACK_WALK_MAX);
	KTEST_EXPECT(t, trace_has(pcs, n, "arch_backtrace_names_callers"));
	KTEST_EXPECT(t, trace_has(pcs, n, "kmain"));
	KTEST_EXPECT_EQ(t, trace_here(pcs, 1), 1);
}

static void arch_backtrace_stops_on_bad_frame(struct ktest *t)
{
	unsigned long lo, hi;

	KTEST_EXPECT(t, stack_bounds((unsigned long)__builtin_frame_address(0),
				     &lo, &hi));
	KTEST_EXPECT(t, !stack_bounds(0, &lo, &hi));
	KTEST_EXPECT(t, !stack_bounds(0x1234, &lo, &hi));
}

static const struct ktest_case arch_cases[] = {
	KTEST_CASE(arch_idt_gates_present),
	KTEST_CASE(arch_irqs_enabled_after_init),
	KTEST_CASE(arch_jiffies_advance_at_timer_hz),
	KTEST_CASE(arch_irq_register_rejects_bad_line),
	KTEST_CASE(arch_in_interrupt_only_in_handlers),
	KTEST_CASE(arch_irq_counts_timer),
	KTEST_CASE(arch_symbol_lookup_known_function),
	KTEST_CASE(arch_backtrace_names_callers),
	KTEST_CASE(arch_backtrace_stops_on_bad_frame),
};
KTEST_SUITE(arch_suite, "arch", arch_cases);
