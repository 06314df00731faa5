/*
 * vga.h - the VGA text console (drivers/vga.c) and its scrollback.
 *
 * The screen is 80x25 cells at physical 0xB8000. Every line written is
 * also kept in a ring of lines (the screen's lines and some hundreds above
 * them), so the view can move back over what scrolled off the top:
 * Shift-PgUp and Shift-PgDn on the PS/2 keyboard, half a screen at a time.
 * New output brings the view back to the bottom first.
 *
 * The logic works on a struct vga_screen, so the in-kernel tests drive
 * their own screen (a buffer for cells, a small ring) with the same code.
 */
#ifndef LABYRINTH_DRIVERS_VGA_H
#define LABYRINTH_DRIVERS_VGA_H

#include <types.h>

#define VGA_COLS	80
#define VGA_ROWS	25
#define VGA_SCROLLBACK	400	/* lines the live console keeps */

/* Clear the screen and register it as a console (80x25 text mode). */
void vga_init(void);
#define VGA_SCROLL_STEP	(VGA_ROWS / 2)	/* lines per Shift-PgUp, as Linux */

struct vga_screen {
	u16 *cells;		/* VGA_ROWS * VGA_COLS cells on view */
	u16 (*ring)[VGA_COLS];	/* the lines kept, line n at n % nr_lines */
	unsigned int nr_lines;	/* lines in ring, at least VGA_ROWS */
	unsigned int first;	/* number of the screen's top line */
	unsigned int row, col;	/* the cursor, on the screen */
	unsigned int back;	/* lines the view is moved back; 0: live */
};

/* Blank the screen and the ring; the cursor to the top left. */
void vga_screen_reset(struct vga_screen *s);
/* Write text at the cursor ('\n', '\r', '\b' move it), view to the bottom. */
void vga_screen_write(struct vga_screen *s, const char *text, size_t len);
/*
 * Move the view lines back (older, lines > 0) or forward (lines < 0), as
 * far as the ring goes; returns the lines moved back now (0: live).
 */
unsigned int vga_screen_scroll(struct vga_screen *s, int lines);

/*
 * The live console: move its view steps half-screens back (steps > 0) or
 * forward, unless it was written to since vga_writes() returned seen (the
 * keys were pressed before that output, which brought the view back to
 * the bottom). Returns the lines the view is back now. Process context, a
 * thread that may sleep: it takes the consoles from their owner, so no
 * message is half written meanwhile; elsewhere it does nothing.
 */
unsigned int vga_scrollback(int steps, unsigned int seen);
/* How many writes the live console has had (any context). */
unsigned int vga_writes(void);
/*
 * Colour the rows lines just above the live console's cursor with cells
 * (attribute << 8 | character, VGA_COLS a line), straight on the screen,
 * not in the scrollback; the caller owns the consoles. The shell's map
 * draws so (kernel/cmd_map.c).
 */
void vga_paint_above_cursor(const u16 *cells, unsigned int rows);

#endif
