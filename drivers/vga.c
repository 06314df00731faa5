/*
 * vga.c - the VGA text screen (80x25 cells at physical 0xB8000), with a
 * scrollback of the lines that went off its top.
 *
 * Each cell is a character byte and an attribute byte. Every line written
 * lives in a ring of lines (struct vga_screen, include/drivers/vga.h); the
 * screen shows VGA_ROWS consecutive lines of it: the newest, or older ones
 * while the view is moved back. When the cursor passes the last row, the
 * screen's top line number moves on by one: the line stays in the ring
 * until the ring wraps onto it. The hardware cursor follows the text
 * through the CRT controller's registers 14 and 15, and hides while the
 * view is moved back.
 *
 * Who calls: vga_write() runs as the console owner (kernel/printk.c), and
 * vga_scrollback() takes the consoles first, so the two never overlap.
 * Only the forced flush of a dying kernel ignores the owner. The keys
 * that move the view are read by the keyboard's console thread, which
 * moves it later; if output came in between, the move is dropped: output
 * brings the view to the bottom whichever ran first.
 */
#include <asm/io.h>
#include <asm/page.h>
#include <kernel/console.h>
#include <drivers/vga.h>
#include <kernel/printk.h>
#include <lib/string.h>

#define VGA_ATTR	0x07	/* light grey on black */
#define VGA_BLANK	((u16)(VGA_ATTR << 8 | ' '))
#define CRTC_INDEX	0x3D4
#define CRTC_DATA	0x3D5

/* ---- the screen and its ring, on any memory ---- */

static u16 *ring_line(struct vga_screen *s, unsigned int n)
{
	return s->ring[n % s->nr_lines];
}

/* Lines above the screen still in the ring: how far back the view goes. */
static unsigned int vga_history(const struct vga_screen *s)
{
	return MIN(s->first, s->nr_lines - VGA_ROWS);
}

/* Copy the lines on view to the cells. */
static void vga_redraw(struct vga_screen *s)
{
	unsigned int top = s->first - s->back;

	for (unsigned int r = 0; r < VGA_ROWS; r++)
		memcpy(s->cells + r * VGA_COLS, ring_line(s, top + r),
		       VGA_COLS * sizeof(u16));
}

void vga_screen_reset(struct vga_screen *s)
{
	for (unsigned int n = 0; n < s->nr_lines; n++)
		for (unsigned int c = 0; c < VGA_COLS; c++)
			s->ring[n][c] = VGA_BLANK;
	s->first = s->row = s->col = s->back = 0;
	vga_redraw(s);
}

/*
 * The cursor passed the last row: the screen's top moves one line on, and
 * the line that comes into view is blanked in the ring (it held a line
 * from nr_lines ago). The view is live, so the cells move with it.
 */
static void vga_newline_scroll(struct vga_screen *s)
{
	u16 *line;

	s->first++;
	s->row = VGA_ROWS - 1;
	line = ring_line(s, s->first + s->row);
	for (unsigned int c = 0; c < VGA_COLS; c++)
		line[c] = VGA_BLANK;
	memmove(s->cells, s->cells + VGA_COLS,
		(VGA_ROWS - 1) * VGA_COLS * sizeof(u16));
	memcpy(s->cells + (VGA_ROWS - 1) * VGA_COLS, line,
	       VGA_COLS * sizeof(u16));
}

static void vga_putc(struct vga_screen *s, char c)
{
	u16 cell = (u16)(VGA_ATTR << 8 | (u8)c);

	switch (c) {
	case '\n':
		s->col = 0;
		s->row++;
		break;
	case '\r':
		s->col = 0;
		break;
	case '\b':
		if (s->col)
			s->col--;
		break;
	default:
		ring_line(s, s->first + s->row)[s->col] = cell;
		s->cells[s->row * VGA_COLS + s->col] = cell;
		if (++s->col == VGA_COLS) {
			s->col = 0;
			s->row++;
		}
	}
	if (s->row == VGA_ROWS)
		vga_newline_scroll(s);
}

void vga_screen_write(struct vga_screen *s, const char *text, size_t len)
{
	if (s->back) {		/* new output: back to the bottom first */
		s->back = 0;
		vga_redraw(s);
	}
	for (size_t i = 0; i < len; i++)
		vga_putc(s, text[i]);
}

unsigned int vga_screen_scroll(struct vga_screen *s, int lines)
{
	long to = (long)s->back + lines;

	to = MAX(to, 0L);
	to = MIN(to, (long)vga_history(s));
	if ((unsigned int)to != s->back) {
		s->back = (unsigned int)to;
		vga_redraw(s);
	}
	return s->back;
}

/* ---- the live console ---- */

static u16 vga_ring[VGA_SCROLLBACK][VGA_COLS];
static volatile unsigned int vga_nr_writes;	/* by the console owner */
static struct vga_screen vga = {
	.cells = (u16 *)__va(0xB8000),
	.ring = vga_ring,
	.nr_lines = VGA_SCROLLBACK,
};

/* The hardware cursor at the text cursor; off the screen (hidden) while
 * the view is moved back. */
static void vga_move_cursor(void)
{
	unsigned int pos = vga.back ? VGA_ROWS * VGA_COLS :
			   vga.row * VGA_COLS + vga.col;

	outb(CRTC_INDEX, 14);
	outb(CRTC_DATA, (u8)(pos >> 8));
	outb(CRTC_INDEX, 15);
	outb(CRTC_DATA, (u8)pos);
}

static void vga_write(const char *text, size_t len)
{
	vga_screen_write(&vga, text, len);
	vga_move_cursor();
	vga_nr_writes++;
}

static struct console vga_console = {
	.name = "vga",
	.write = vga_write,
};

unsigned int vga_writes(void)
{
	return vga_nr_writes;
}

unsigned int vga_scrollback(int steps, unsigned int seen)
{
	unsigned int back;

	if (!console_lock())
		return 0;	/* may not wait here: the view stays */
	if (vga_nr_writes == seen) {	/* else output came after the keys */
		vga_screen_scroll(&vga, steps * VGA_SCROLL_STEP);
		vga_move_cursor();
	}
	back = vga.back;
	console_unlock();
	return back;
}

/*
 * Paint rows lines of cells (attribute << 8 | character, VGA_COLS a line)
 * over the rows just above the cursor: over the text a command has just
 * printed, to colour it. Written straight to the screen's cells, past the
 * scrollback: the colours stay until the lines scroll away, and the ring
 * keeps the plain text (scrolled back, the lines show without colour).
 * Rows above the top are left out; nothing is painted while the view is
 * moved back. The caller owns the consoles (console_lock()), so nothing is
 * written meanwhile.
 */
void vga_paint_above_cursor(const u16 *cells, unsigned int rows)
{
	unsigned int skip = rows > vga.row ? rows - vga.row : 0;
	unsigned int top = vga.row + skip - rows;

	if (vga.back)
		return;
	memcpy(vga.cells + top * VGA_COLS, cells + skip * VGA_COLS,
	       (rows - skip) * VGA_COLS * sizeof(u16));
}

void vga_init(void)
{
	vga_screen_reset(&vga);
	vga_move_cursor();
	console_register(&vga_console);
}
