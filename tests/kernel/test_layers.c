/*
 * test_layers.c - the lower layers reach up only through what the upper
 * ones register: the tick's users (asm/timer.h), the console layer's
 * emergency output (kernel/console.h), lib/'s symbol hook (lib/format.h).
 */
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/timer.h>
#include <kernel/console.h>
#include <kernel/arch.h>
#include <kernel/kallsyms.h>
#include <lib/format.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

/* ------------------------------------------------------- tick handlers */

#define CALLS_MAX	64
static volatile char calls[CALLS_MAX];
static volatile unsigned int nr_calls;

static void note(char c)
{
	if (nr_calls < CALLS_MAX)
		calls[nr_calls++] = c;
}

static void tick_a(void)
{
	note('a');
}

static void tick_b(void)
{
	note('b');
}

static const struct tick_handler ha = { "test-a", tick_a, 15 };
static const struct tick_handler hb = { "test-b", tick_b, 12 };
static const struct tick_handler hdup = { "test-dup", tick_a, 12 };
static const struct tick_handler hnone = { "test-none", NULL, 13 };

static bool wait_calls(unsigned int n)
{
	for (unsigned long spin = 0; nr_calls < n; spin++) {
		if (spin > 400000000UL)
			return false;
		cpu_relax();
	}
	return true;
}

/*
 * Registered a then b, b (order 12) runs before a (order 15) on every
 * tick; both run between the scheduler's place and the sampler's as
 * their orders say. Refusals: a taken order, no fn.
 */
static void layers_tick_handlers_run_in_order(struct ktest *t)
{
	const struct tick_handler *list[TIMER_MAX_TICK_HANDLERS];
	unsigned int n, i;

	nr_calls = 0;
	KTEST_EXPECT_EQ(t, timer_add_tick_handler(&ha), 0);
	KTEST_EXPECT_EQ(t, timer_add_tick_handler(&hb), 0);
	KTEST_EXPECT_EQ(t, timer_add_tick_handler(&hdup), -EEXIST);
	KTEST_EXPECT_EQ(t, timer_add_tick_handler(&ha), -EEXIST);
	KTEST_EXPECT_EQ(t, timer_add_tick_handler(&hnone), -EINVAL);
	n = timer_tick_handlers(list, ARRAY_SIZE(list));
	for (i = 1; i < n; i++)
		KTEST_EXPECT(t, list[i - 1]->order < list[i]->order);
	KTEST_EXPECT(t, wait_calls(8));
	KTEST_EXPECT_EQ(t, timer_del_tick_handler(&ha), 0);
	KTEST_EXPECT_EQ(t, timer_del_tick_handler(&hb), 0);
	KTEST_EXPECT_EQ(t, timer_del_tick_handler(&hb), -ENOENT);
	/* The first tick may have found only a, registered first. */
	i = calls[0] == 'a' ? 1 : 0;
	for (; i + 1 < MIN(nr_calls, (unsigned int)CALLS_MAX); i += 2) {
		KTEST_EXPECT_EQ(t, calls[i], 'b');
		KTEST_EXPECT_EQ(t, calls[i + 1], 'a');
	}
	KTEST_EXPECT_EQ(t, timer_tick_handlers(list, ARRAY_SIZE(list)), n - 2);
}

/* --------------------------------------------------------- the oops' way */

static char said[64];
static size_t said_len;

static void said_write(const char *text, size_t len)
{
	for (size_t i = 0; i < len && said_len < sizeof(said) - 1; i++)
		said[said_len++] = text[i];
	said[said_len] = '\0';
}

static struct console said_console = { .name = "said",
				       .write = said_write };

/*
 * The emergency output goes to the one console set for it, unregistered
 * or not, past the log ring; none set, it is dropped.
 */
static void layers_emergency_output_reaches_its_console(struct ktest *t)
{
	struct console *old = console_set_emergency(&said_console);

	said_len = 0;
	console_emergency_write("dying\n", 6);
	KTEST_EXPECT(t, !strcmp(said, "dying\n"));
	console_set_emergency(NULL);
	console_emergency_write("lost\n", 5);
	KTEST_EXPECT_EQ(t, said_len, 6);
	console_set_emergency(old);
	KTEST_EXPECT(t, old != NULL);	/* the serial port, since boot */
}

/* ------------------------------------------------------ lib's symbol hook */

/* %pS names a function through the hook kmain set, else prints the
 * address. */
static void layers_lib_names_symbols_through_a_hook(struct ktest *t)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%pS", (void *)arch_init);
	KTEST_EXPECT(t, !strcmp(buf, "arch_init+0x0"));
	format_set_symbol_lookup(NULL);
	snprintf(buf, sizeof(buf), "%pS", (void *)0xc0101234);
	format_set_symbol_lookup(symbol_lookup);
	KTEST_EXPECT(t, !strcmp(buf, "0xc0101234"));
}

static const struct ktest_case layers_cases[] = {
	KTEST_CASE(layers_tick_handlers_run_in_order),
	KTEST_CASE(layers_emergency_output_reaches_its_console),
	KTEST_CASE(layers_lib_names_symbols_through_a_hook),
};
KTEST_SUITE(layers_suite, "layers", layers_cases);
