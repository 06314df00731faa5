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

static int cmd_kbd(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	kbd_show(out);
	return 0;
}
SHELL_COMMAND(kbd, "keyboard counters: received, delivered, dropped, queued",
	      "kbd", cmd_kbd);

static int cmd_sampler(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	sampler_show(out);
	return 0;
}
SHELL_COMMAND(sampler, "timer sampler: blocks, overruns, tick jitter",
	      "sampler", cmd_sampler);

static int cmd_refill(struct seq *out, int argc, char **argv __unused)
{
	if (argc != 1)
		return -EINVAL;
	refill_show(out);
	return 0;
}
SHELL_COMMAND(refill, "the refill thread and the exclusive rooms it watches",
	      "refill", cmd_refill);

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
