/*
 * stacktrace.c - frame-pointer backtraces: dump_stack() and its helpers.
 *
 * See asm/stacktrace.h for the rules of the walk. Everything here runs in
 * any context, oops included: no locks, no allocation, nothing but reads
 * of memory the bounds check has already placed inside a known stack.
 */
#include <asm/stacktrace.h>
#include <kernel/printk.h>
#include <kernel/thread.h>

extern char boot_stack_bottom[], boot_stack_top[];

bool stack_bounds(unsigned long addr, unsigned long *lo, unsigned long *hi)
{
	if (addr >= (unsigned long)boot_stack_bottom &&
	    addr < (unsigned long)boot_stack_top) {
		*lo = (unsigned long)boot_stack_bottom;
		*hi = (unsigned long)boot_stack_top;
		return true;
	}
	return thread_stack_bounds(addr, lo, hi);
}

void walk_stack_from(unsigned long ebp, stack_trace_fn fn, void *arg)
{
	unsigned long lo, hi;

	if (!ebp || !stack_bounds(ebp, &lo, &hi))
		return;
	for (unsigned int n = 0; n < STACK_WALK_MAX; n++) {
		const unsigned long *frame = (const unsigned long *)ebp;
		unsigned long next;

		if (ebp < lo || ebp + 2 * sizeof(long) > hi || (ebp & 3))
			return;
		if (!frame[1] || !fn(arg, frame[1]))
			return;
		next = frame[0];
		if (next <= ebp)	/* zero ends it; a loop would too */
			return;
		ebp = next;
	}
}

struct trace_buf {
	unsigned long *pcs;
	unsigned int max, n;
};

static bool save_one(void *arg, unsigned long pc)
{
	struct trace_buf *tb = arg;

	if (tb->n >= tb->max)
		return false;
	tb->pcs[tb->n++] = pc;
	return true;
}

unsigned int save_stack_trace(unsigned long *pcs, unsigned int max)
{
	struct trace_buf tb = { pcs, max, 0 };

	walk_stack_from((unsigned long)__builtin_frame_address(0), save_one,
			&tb);
	return tb.n;
}

/* Printing state: runs of one address (deep recursion) print as one line. */
struct trace_printer {
	const char *loglvl;
	unsigned long last;
	unsigned int repeats;
};

static void flush_repeats(struct trace_printer *tp)
{
	if (tp->repeats)
		printk("%s   ... the line above %u more time%s\n", tp->loglvl,
		       tp->repeats, tp->repeats == 1 ? "" : "s");
	tp->repeats = 0;
}

static bool print_one(void *arg, unsigned long pc)
{
	struct trace_printer *tp = arg;

	if (pc == tp->last) {
		tp->repeats++;
		return true;
	}
	flush_repeats(tp);
	tp->last = pc;
	printk("%s [<%08lx>] %pB\n", tp->loglvl, pc, (void *)pc);
	return true;
}

void show_stack_from(unsigned long ebp, const char *loglvl)
{
	struct trace_printer tp = { loglvl, 0, 0 };

	printk("%sCall trace:\n", loglvl);
	walk_stack_from(ebp, print_one, &tp);
	flush_repeats(&tp);
}

/*
 * The call chain of dump_stack()'s caller, as panic() and reports want,
 * at KERN_ERR: shown at every log level but the quietest.
 */
void dump_stack(void)
{
	show_stack_from((unsigned long)__builtin_frame_address(0), KERN_ERR);
}
