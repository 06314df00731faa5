/*
 * shell.c - a line-oriented shell on the console.
 *
 * The shell reads characters from the console input ring (filled by the
 * serial and keyboard interrupt handlers), edits one line (backspace, ^U to
 * erase the line, ^C to drop it), splits it into words and runs the command
 * whose table entry has that name. Commands live with the code they show;
 * this file has only the ones about the shell and the machine itself.
 */
#include <drivers/console.h>
#include <kernel/shell.h>
#include <lib/string.h>

#define LINE_MAX 128

extern const struct shell_command __shell_commands_start[];
extern const struct shell_command __shell_commands_end[];

static const struct shell_command *find_command(const char *name)
{
	for (const struct shell_command *c = __shell_commands_start;
	     c < __shell_commands_end; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Split line in place at spaces; returns the number of words. */
static int split_words(char *line, char **argv, int max)
{
	int argc = 0;

	while (*line) {
		while (*line == ' ' || *line == '\t')
			*line++ = '\0';
		if (!*line)
			break;
		if (argc == max)
			return -1;
		argv[argc++] = line;
		while (*line && *line != ' ' && *line != '\t')
			line++;
	}
	return argc;
}

static int run_command(const struct shell_command *cmd, struct seq *out,
		       int argc, char **argv)
{
	if (cmd->run)
		return cmd->run(out, argc, argv);
	if (argc != 1)		/* a view takes no arguments */
		return -EINVAL;
	cmd->show(out);
	return 0;
}

int shell_execute(struct seq *out, char *line)
{
	char *argv[SHELL_MAX_ARGS];
	int argc = split_words(line, argv, SHELL_MAX_ARGS);
	const struct shell_command *cmd;
	int err;

	if (argc < 0) {
		seq_printf(out, "too many words (at most %d)\n",
			   SHELL_MAX_ARGS);
		return -EINVAL;
	}
	if (argc == 0)
		return 0;
	cmd = find_command(argv[0]);
	if (!cmd) {
		seq_printf(out, "%s: unknown command; type 'help' for the "
			   "list\n", argv[0]);
		return -ENOENT;
	}
	err = run_command(cmd, out, argc, argv);
	if (err == -EINVAL)
		seq_printf(out, "usage: %s\n", cmd->usage);
	return err;
}

/* Echo is shell output like any other: queued in order with messages. */
static void echo(const char *s)
{
	seq_puts(&seq_console, s);
}

/* The line being typed. Characters past the end are counted, not kept. */
struct line_editor {
	char buf[LINE_MAX];
	size_t len;
	size_t lost;	/* typed after the buffer was full */
};

static void line_erase(struct line_editor *ed)
{
	while (ed->len) {
		ed->len--;
		echo("\b \b");
	}
	ed->lost = 0;
}

/* Apply one key; returns true when the line is complete (Enter). */
static bool line_key(struct line_editor *ed, char c)
{
	if (c == '\r' || c == '\n') {
		echo("\n");
		ed->buf[ed->len] = '\0';
		return true;
	}
	if (c == '\b' || c == 0x7f) {		/* backspace or DEL */
		if (ed->lost) {
			ed->lost--;
		} else if (ed->len) {
			ed->len--;
			echo("\b \b");
		}
	} else if (c == 0x15 || c == 0x03) {	/* ^U or ^C */
		line_erase(ed);
		if (c == 0x03)
			echo("^C\n" SHELL_PROMPT);
	} else if (c >= ' ' && c < 0x7f) {
		char s[2] = { c, '\0' };

		if (ed->len + 1 < sizeof(ed->buf)) {
			ed->buf[ed->len++] = c;
			echo(s);
		} else {
			ed->lost++;	/* not echoed: the line stays as shown */
		}
	}
	return false;
}

/*
 * Read one line with simple editing. A line longer than the buffer is not
 * run cut short (the missing words could change its meaning): it is
 * refused as a whole, with a message.
 */
static bool read_line(struct line_editor *ed)
{
	ed->len = 0;
	ed->lost = 0;
	while (!line_key(ed, console_getc()))
		;
	if (!ed->lost)
		return true;
	seq_printf(&seq_console, "line too long (at most %u characters); "
		   "ignored\n", (unsigned int)sizeof(ed->buf) - 1);
	return false;
}

void shell_run(void)
{
	static struct line_editor ed;	/* off the stack: one shell */

	seq_puts(&seq_console, "Type 'help' for the list of commands.\n");
	for (;;) {
		seq_puts(&seq_console, SHELL_PROMPT);
		if (read_line(&ed))
			shell_execute(&seq_console, ed.buf);
	}
}

/*
 * The command that comes after prev in alphabetical order (the first one
 * for NULL). The table is in link order; a selection walk keeps it that way
 * and costs nothing that matters for twenty commands.
 */
static const struct shell_command *
next_by_name(const struct shell_command *prev)
{
	const struct shell_command *best = NULL;

	for (const struct shell_command *c = __shell_commands_start;
	     c < __shell_commands_end; c++) {
		if (prev && strcmp(c->name, prev->name) <= 0)
			continue;
		if (!best || strcmp(c->name, best->name) < 0)
			best = c;
	}
	return best;
}

static int cmd_help(struct seq *out, int argc, char **argv)
{
	const struct shell_command *c;

	if (argc > 2)
		return -EINVAL;
	if (argc == 2) {
		c = find_command(argv[1]);
		if (!c) {
			seq_printf(out, "help: no command '%s'\n", argv[1]);
			return -ENOENT;
		}
		seq_printf(out, "%s - %s\nusage: %s\n", c->name, c->help,
			   c->usage);
		return 0;
	}
	seq_puts(out, "Commands:\n");
	for (c = next_by_name(NULL); c; c = next_by_name(c))
		seq_printf(out, "  %-10s %s\n", c->name, c->help);
	return 0;
}
SHELL_COMMAND(help, "list the commands, or explain one", "help [COMMAND]",
	      cmd_help);
