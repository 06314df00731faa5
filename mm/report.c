/*
 * report.c - the one place every allocator report goes through.
 *
 * Put a breakpoint on mm_report() to stop at any bad call. Each report names
 * the function, the caller's address, the frame number, the order and the
 * context, then prints a backtrace. Reports can come from interrupt handlers,
 * so they are rate-limited without a clock: per kind, the first
 * REPORT_BURST are printed, then every REPORT_EVERY-th, with the number
 * suppressed in between. Every report is counted (mm_report_count()).
 */
#include "internal.h"
#include <lib/format.h>

#define REPORT_BURST	5
#define REPORT_EVERY	1000

static unsigned long report_count[NR_MM_BUGS];	/* (I) */
static unsigned long report_last[NR_MM_BUGS];	/* count at the last print */

static const char *const bug_names[NR_MM_BUGS] = {
	[MM_BUG_DOUBLE_FREE] = "double free",
	[MM_BUG_NOT_ALLOCATED] = "free of a page never allocated",
	[MM_BUG_RESERVED] = "free of a reserved page",
	[MM_BUG_WRONG_ORDER] = "wrong order",
	[MM_BUG_FOREIGN_FREE] = "foreign free of an exclusive page",
	[MM_BUG_FOREIGN_HANDOFF] = "foreign hand-off of an exclusive page",
	[MM_BUG_POISON] = "poisoned page changed",
	[MM_BUG_BAD_FLAGS] = "invalid gfp flags",
	[MM_BUG_BAD_ORDER] = "invalid order",
	[MM_BUG_SLEEP_ATOMIC] = "sleeping allocation in atomic context",
	[MM_BUG_BAD_CALL] = "bad call",
	[MM_BUG_ASSERT] = "assertion failed",
	[MM_WARN_ALLOC_FAIL] = "allocation failure",
};

const char *mm_bug_name(enum mm_bug kind)
{
	return kind < NR_MM_BUGS ? bug_names[kind] : "?";
}

unsigned long mm_report_count(enum mm_bug kind)
{
	return kind < NR_MM_BUGS ? report_count[kind] : 0;
}

unsigned long mm_report_suppressed(enum mm_bug kind)
{
	return kind < NR_MM_BUGS ? report_count[kind] - report_last[kind] : 0;
}

void mm_reports_reset(void)
{
	unsigned int i;

	for (i = 0; i < NR_MM_BUGS; i++)
		report_count[i] = report_last[i] = 0;
}

/* Count one report of kind; return how many were suppressed, or -1. */
static long report_ratelimit(enum mm_bug kind)
{
	unsigned long flags, n, missed;

	local_irq_save(flags);
	n = ++report_count[kind];
	if (n > REPORT_BURST && n % REPORT_EVERY) {
		local_irq_restore(flags);
		return -1;
	}
	missed = n - 1 - report_last[kind];
	report_last[kind] = n;
	local_irq_restore(flags);
	return (long)missed;
}

noinline void mm_report(enum mm_bug kind, const char *func, void *caller,
			pfn_t pfn, unsigned int order, const char *fmt, ...)
{
	const char *level = kind == MM_WARN_ALLOC_FAIL ? KERN_WARNING :
			    KERN_ERR;
	char ctx[96], what[256];
	long missed = report_ratelimit(kind);
	va_list ap;

	if (missed < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (pfn == ~0UL)	/* no frame: a request, not a page */
		printk("%smm: %s in %s(): order %u, caller " CALLER_FMT "\n",
		       level, mm_bug_name(kind), func, order, caller);
	else
		printk("%smm: %s in %s(): pfn %#lx order %u, caller "
		       CALLER_FMT "\n", level, mm_bug_name(kind), func, pfn,
		       order, caller);
	printk("%smm:   %s\n", level, what);
	printk("%smm:   context: %s\n", level,
	       describe_context(ctx, sizeof(ctx)));
	if (missed)
		printk("%smm:   (%ld similar reports suppressed)\n", level,
		       missed);
	if (kind != MM_WARN_ALLOC_FAIL)
		dump_stack();
}

noinline void mm_assert_failed(const char *cond, const char *func,
			       const char *file, int line)
{
	mm_report(MM_BUG_ASSERT, func, __builtin_return_address(0), ~0UL, 0,
		  "MM_ASSERT(%s) at %s:%d", cond, file, line);
}
