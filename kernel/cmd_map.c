/*
 * cmd_map.c - the shell's `map`: physical memory as a picture.
 *
 * Every frame's state comes from mm/map.c (free by block order, reserve,
 * hot, exclusive, allocated, reserved). The whole of memory fits in 23
 * lines of 79 cells, so a cell stands for several frames: the state most
 * of them are in wins (a tie goes to the rarer state), and a free cell
 * shows the largest block order among its free frames. `map FIRST END`
 * draws only those frames, so fewer of them share a cell.
 *
 * The picture is text (a character per state, a legend under it), so the
 * serial console shows it as it is; on the VGA screen the same lines are
 * then painted in colour (vga_paint_above_cursor(), past the scrollback,
 * which keeps the plain text). Lines are 79 cells,
 * not 80: a full line would make the VGA console wrap and leave an empty
 * line under each row.
 *
 * `map raw` prints the runs of frames in one state, in the format
 * tools/trace-report reads for its before and after pictures
 * (docs/TRACING.md).
 */
#include <kernel/console.h>
#include <drivers/vga.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/string.h>
#include <mm/map.h>
#include <mm/page.h>

#define MAP_COLS	79
#define MAP_ROWS	23
#define MAP_CELLS	(MAP_COLS * MAP_ROWS)
#define VGA_LINE	80

/* A state's character and VGA attribute (background << 4 | foreground). */
static const struct {
	char ch;
	u8 attr;
} map_style[NR_FRAME_STATES] = {
	[FRAME_FREE] = { '0', 0x0a },		/* light green on black */
	[FRAME_RESERVE] = { 'r', 0x4f },	/* white on red */
	[FRAME_HOT] = { 'h', 0x6e },		/* yellow on brown */
	[FRAME_EXCLUSIVE] = { 'x', 0x5f },	/* white on magenta */
	[FRAME_ALLOCATED] = { '#', 0x17 },	/* grey on blue */
	[FRAME_RESERVED] = { '-', 0x08 },	/* dark grey on black */
};

#define FREE_BIG_ORDER	5	/* from here on, free cells are bright */
#define FREE_BIG_ATTR	0x2f	/* white on green */
#define BLANK_ATTR	0x07

/* The legend line, in pieces of one colour each. */
static const struct {
	const char *text;
	u8 attr;
} legend[] = {
	{ "0-4", 0x0a }, { ",", BLANK_ATTR }, { "5-A", FREE_BIG_ATTR },
	{ " free (order)  ", BLANK_ATTR },
	{ "r", 0x4f }, { " reserve  ", BLANK_ATTR },
	{ "h", 0x6e }, { " hot  ", BLANK_ATTR },
	{ "x", 0x5f }, { " exclusive  ", BLANK_ATTR },
	{ "#", 0x17 }, { " allocated  ", BLANK_ATTR },
	{ "-", 0x08 }, { " reserved", BLANK_ATTR },
};

static struct map_cell cells[MAP_CELLS];
static u16 paint[(MAP_ROWS + 1) * VGA_LINE];

static char cell_char(const struct map_cell *c)
{
	if (c->state >= NR_FRAME_STATES)
		return ' ';
	if (c->state == FRAME_FREE)
		return "0123456789A"[MIN(c->order, 10u)];
	return map_style[c->state].ch;
}

static u8 cell_attr(const struct map_cell *c)
{
	if (c->state >= NR_FRAME_STATES)
		return BLANK_ATTR;
	if (c->state == FRAME_FREE && c->order >= FREE_BIG_ORDER)
		return FREE_BIG_ATTR;
	return map_style[c->state].attr;
}

/* Print the legend line and fill its paint line from cell 0. */
static void map_legend(struct seq *out, u16 *line)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(legend); i++) {
		const char *t = legend[i].text;

		seq_puts(out, t);
		for (; *t && n < VGA_LINE; t++)
			line[n++] = (u16)(legend[i].attr << 8 | (u8)*t);
	}
	seq_puts(out, "\n");
}

/*
 * Print the rows of the picture (cells[0..used), the last row cut short)
 * and fill paint[] with the same cells; returns the lines to paint.
 */
static unsigned int map_print(struct seq *out, unsigned int used)
{
	unsigned int rows = (used + MAP_COLS - 1) / MAP_COLS, r, c, i, n;
	char line[MAP_COLS + 2];

	for (i = 0; i < ARRAY_SIZE(paint); i++)
		paint[i] = BLANK_ATTR << 8 | ' ';
	for (r = 0; r < rows; r++) {
		n = MIN(used - r * MAP_COLS, (unsigned int)MAP_COLS);
		for (c = 0; c < n; c++) {
			const struct map_cell *cell = &cells[r * MAP_COLS + c];

			line[c] = cell_char(cell);
			paint[r * VGA_LINE + c] =
				(u16)(cell_attr(cell) << 8 | (u8)line[c]);
		}
		line[n] = '\n';
		line[n + 1] = '\0';
		seq_puts(out, line);
	}
	map_legend(out, &paint[rows * VGA_LINE]);
	return rows + 1;
}

/*
 * On the VGA screen, colour the lines just printed: only for the shell's
 * own output, once it is written, and while this thread owns the consoles
 * (console_lock() waits for another owner to finish). Where it may not
 * wait, the picture stays plain.
 */
static void map_paint(struct seq *out, unsigned int rows)
{
	if (out != &seq_console)
		return;
	console_flush();
	if (!console_lock())
		return;
	vga_paint_above_cursor(paint, rows);
	console_unlock();
}

/* Parse FIRST END into a range of frames, or say what is wrong. */
static int map_range(struct seq *out, char **argv, pfn_t *first, pfn_t *end)
{
	unsigned long a, b;

	if (parse_ulong(argv[0], &a) || parse_ulong(argv[1], &b)) {
		seq_printf(out, "map: '%s %s' are not frame numbers\n",
			   argv[0], argv[1]);
		return -EINVAL;
	}
	if (a >= b || b > max_pfn) {
		seq_printf(out, "map: frames %#lx to %#lx: need FIRST < END <= "
			   "%#lx (max_pfn)\n", a, b, max_pfn);
		return -ERANGE;
	}
	*first = a;
	*end = b;
	return 0;
}

static int cmd_map(struct seq *out, int argc, char **argv)
{
	bool raw = argc > 1 && !strcmp(argv[1], "raw");
	int nargs = argc - 1 - raw;
	pfn_t first = 0, end = max_pfn;
	unsigned long per;
	unsigned int used;
	int err;

	if (nargs != 0 && nargs != 2)
		return -EINVAL;
	if (nargs == 2) {
		err = map_range(out, argv + 1 + raw, &first, &end);
		if (err)
			return err;
	}
	if (raw) {
		mm_show_map_raw(out, first, end);
		return 0;
	}
	per = (end - first + MAP_CELLS - 1) / MAP_CELLS;
	used = mm_map_cells(first, per, cells, (unsigned int)MIN(
		(end - first + per - 1) / per, (unsigned long)MAP_CELLS));
	seq_printf(out, "map: frames %#lx-%#lx (%lu), %lu a cell, the state "
		   "of most\n", first, end, end - first, per);
	map_paint(out, map_print(out, used));
	return 0;
}
SHELL_COMMAND(map, "physical memory as a picture (colours on VGA)",
	      "map [raw] [FIRST END]", cmd_map);
