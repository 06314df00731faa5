/*
 * shell.c - a line-oriented shell on the console.
 *
 * The shell reads characters from the console input ring (filled by the
 * serial and keyboard interrupt handlers), edits one line (backspace, ^U to
 * erase the line, ^C to drop it, Up and Down to walk the history of lines
 * run before), splits it into words and runs the command whose table entry
 * has that name. Commands live with the code they show; this file has only
 * the ones about the shell and the machine itself.
 */
#include <kernel/console.h>
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

/* Take n characters back off the screen: "\b \b" each, a few at a time. */
static void echo_rubout(size_t n)
{
	char s[3 * 16 + 1];

	while (n) {
		size_t k = MIN(n, (size_t)16);

		memset(s, '\b', k);
		memset(s + k, ' ', k);
		memset(s + 2 * k, '\b', k);
		s[3 * k] = '\0';
		echo(s);
		n -= k;
	}
}

/* Copy a line into a LINE_MAX buffer, cut to fit; returns its length. */
static size_t copy_line(char *dst, const char *src)
{
	size_t n = strnlen(src, LINE_MAX - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

/*
 * The lines run before, newest last: a ring of HISTORY_LINES. A line is
 * kept when Enter runs it, unless it is empty or the same as the newest.
 */
#define HISTORY_LINES 32

struct history {
	char lines[HISTORY_LINES][LINE_MAX];
	unsigned int added;	/* lines ever kept; the newest is added - 1 */
};

static unsigned int history_size(const struct history *h)
{
	return MIN(h->added, (unsigned int)HISTORY_LINES);
}

/* The n-th newest line, n = 1 for the newest; n <= history_size(). */
static const char *history_line(const struct history *h, unsigned int n)
{
	return h->lines[(h->added - n) % HISTORY_LINES];
}

static void history_add(struct history *h, const char *line)
{
	if (!*line || (h->added && !strcmp(history_line(h, 1), line)))
		return;
	copy_line(h->lines[h->added % HISTORY_LINES], line);
	h->added++;
}

/*
 * Escape sequences: what a terminal sends for a key with no character,
 * ESC [ or ESC O, parameters, one final byte ("\e[A" is Up). The keyboard
 * driver sends the same for its arrows, so this is the one way to read them.
 */
enum esc_state { ESC_NONE, ESC_SEEN, ESC_SEQ };

/* The line being typed. Characters past the end are counted, not kept. */
struct line_editor {
	char buf[LINE_MAX];
	size_t len;
	size_t lost;		/* typed after the buffer was full */
	enum esc_state esc;
	unsigned int back;	/* history line shown: 0 the new line */
	char draft[LINE_MAX];	/* the new line, while history is shown */
	struct history *hist;
};

static void line_erase(struct line_editor *ed)
{
	echo_rubout(ed->len);
	ed->len = 0;
	ed->lost = 0;
}

/* Show text in place of the line being edited. */
static void line_replace(struct line_editor *ed, const char *text)
{
	line_erase(ed);
	ed->len = copy_line(ed->buf, text);
	echo(ed->buf);
}

/* Up (older, dir 1) or Down (newer, dir -1) in the history. */
static void line_history(struct line_editor *ed, int dir)
{
	unsigned int to = ed->back + dir;

	if (dir < 0 ? ed->back == 0 : to > history_size(ed->hist))
		return;
	if (ed->back == 0) {	/* leaving the new line: keep it */
		ed->buf[ed->len] = '\0';
		copy_line(ed->draft, ed->buf);
	}
	ed->back = to;
	line_replace(ed, to ? history_line(ed->hist, to) : ed->draft);
}

/*
 * One byte of an escape sequence (after ESC); true while it goes on.
 * Only Up and Down mean something here; any other key's sequence is
 * read to its end and dropped, so none of it lands in the line.
 */
static bool line_escape(struct line_editor *ed, char c)
{
	if (ed->esc == ESC_SEEN) {
		ed->esc = (c == '[' || c == 'O') ? ESC_SEQ : ESC_NONE;
		return ed->esc == ESC_SEQ;	/* else: a key after ESC */
	}
	if (c >= 0x20 && c <= 0x3f)		/* parameters, intermediates */
		return true;
	ed->esc = ESC_NONE;
	if (c == 'A')
		line_history(ed, 1);
	else if (c == 'B')
		line_history(ed, -1);
	return c >= 0x40 && c <= 0x7e;		/* else: not a sequence */
}

/* Apply one key; returns true when the line is complete (Enter). */
static bool line_key(struct line_editor *ed, char c)
{
	if (ed->esc != ESC_NONE && line_escape(ed, c))
		return false;
	if (c == 0x1b) {
		ed->esc = ESC_SEEN;
		return false;
	}
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
		if (c == 0x03) {
			echo("^C\n" SHELL_PROMPT);
			ed->back = 0;		/* a fresh line; nothing kept */
		}
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
 * Read one line with simple editing and the history (Up, Down). A line
 * longer than the buffer is not run cut short (the missing words could
 * change its meaning): it is refused as a whole, with a message, and not
 * kept in the history.
 */
static bool read_line(struct line_editor *ed)
{
	ed->len = 0;
	ed->lost = 0;
	ed->esc = ESC_NONE;
	ed->back = 0;
	while (!line_key(ed, console_getc()))
		;
	if (!ed->lost) {
		history_add(ed->hist, ed->buf);
		return true;
	}
	seq_printf(&seq_console, "line too long (at most %u characters); "
		   "ignored\n", (unsigned int)sizeof(ed->buf) - 1);
	return false;
}

void shell_run(void)
{
	static struct history hist;	/* off the stack: one shell */
	static struct line_editor ed = { .hist = &hist };

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
