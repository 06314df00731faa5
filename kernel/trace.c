/*
 * trace.c - the event trace in the kernel: the `trace` shell command, the
 * trace= parameter, and the clock the dump's header names.
 *
 * The ring and the trace points are portable (kernel/trace_ring.c,
 * include/trace/); the dump's text is mm/trace.c. Here only what needs the
 * kernel: the command line, the shell, and the TSC's rate, which the
 * kernel knows two ways: under QEMU's -icount shift=0 (the test kernel's
 * `icount` flag says so) the TSC counts guest instructions, one
 * nanosecond each, so 1 GHz exactly; otherwise the timer sampler
 * calibrates it against the PIT once it has digested a block.
 */
#include <drivers/sampler.h>
#include <kernel/cmdline.h>
#include <kernel/shell.h>
#include <kernel/trace.h>
#include <lib/string.h>
#include <mm/trace.h>

int trace_setup_param(const char *value)
{
	if (!strcmp(value, "on"))
		trace_set_enabled(true);
	else if (!strcmp(value, "off"))
		trace_set_enabled(false);
	else
		return -EINVAL;
	return 0;
}

/* The TSC's rate in Hz and how it is known; 0 and "unknown" if not. */
static u64 trace_tsc_hz(const char **how)
{
	struct sampler_stats st;

	if (cmdline_has("icount")) {
		*how = "icount";
		return 1000000000ull;
	}
	sampler_get_stats(&sampler_live, &st);
	*how = st.tsc_hz ? "calibrated" : "unknown";
	return st.tsc_hz;
}

static void trace_do_dump(struct seq *out)
{
	const char *how;
	u64 hz = trace_tsc_hz(&how);

	trace_dump(out, hz, how);
}

static int cmd_trace(struct seq *out, int argc, char **argv)
{
	const char *op = argc == 2 ? argv[1] : "";

	if (!strcmp(op, "on")) {
		trace_set_enabled(true);
		seq_puts(out, "trace: on\n");
	} else if (!strcmp(op, "off")) {
		trace_set_enabled(false);
		seq_puts(out, "trace: off\n");
	} else if (!strcmp(op, "clear")) {
		trace_clear();
		seq_puts(out, "trace: cleared\n");
	} else if (!strcmp(op, "dump")) {
		trace_do_dump(out);
	} else if (!strcmp(op, "stat")) {
		trace_show_stat(out);
	} else {
		return -EINVAL;
	}
	return 0;
}
SHELL_COMMAND(trace, "the event trace: allocations, frees, interrupts...",
	      "trace on|off|clear|dump|stat", cmd_trace);
