/*
 * cmd_drivers.c - shell commands of the interrupt users: kbd, sampler,
 * refill, stress.
 *
 * The views themselves live with the drivers (kbd_show(), sampler_show(),
 * refill_show()), so gdb and tests can print them too; this file only
 * parses arguments.
 */
#include <drivers/keyboard.h>
#include <drivers/sampler.h>
#include <kernel/refill.h>
#include <kernel/shell.h>
#include <kernel/stress.h>
#include <lib/string.h>

#define STRESS_DEFAULT_SECONDS	5

SHELL_VIEW(kbd, "keyboard counters: received, delivered, dropped, queued",
	   kbd_show);

static int cmd_sampler(struct seq *out, int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "reset")))
		return -EINVAL;
	if (argc == 2) {
		sampler_reset_jitter(&sampler_live);
		seq_puts(out, "sampler: jitter extremes and missing ticks "
			 "start afresh\n");
		return 0;
	}
	sampler_show(out);
	return 0;
}
SHELL_COMMAND(sampler, "timer sampler: blocks, overruns, jitter "
	      "(reset: its extremes)", "sampler [reset]", cmd_sampler);

SHELL_VIEW(refill, "the refill thread and the exclusive rooms it watches",
	   refill_show);

static int cmd_stress(struct seq *out, int argc, char **argv)
{
	unsigned long seconds = STRESS_DEFAULT_SECONDS;

	if (argc > 2)
		return -EINVAL;
	if (argc == 2 && (parse_ulong(argv[1], &seconds) || !seconds ||
			  seconds > STRESS_MAX_SECONDS)) {
		seq_printf(out, "stress: SECONDS is 1 to %u\n",
			   STRESS_MAX_SECONDS);
		return -EINVAL;
	}
	return stress_start((unsigned int)seconds, out);
}
SHELL_COMMAND(stress, "hold memory at the reserve for SECONDS (default 5)",
	      "stress [SECONDS]", cmd_stress);
