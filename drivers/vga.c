/*
 * vga.c - the VGA text screen (80x25 cells at physical 0xB8000).
 *
 * Each cell is a character byte and an attribute byte. The screen scrolls
 * up when the cursor passes the last line; the hardware cursor follows the
 * text through the CRT controller's registers 14 and 15.
 */
#include <asm/io.h>
#include <asm/page.h>
#include <drivers/console.h>
#include <lib/string.h>

#define VGA_COLS	80
#define VGA_ROWS	25
#define VGA_ATTR	0x07	/* light grey on black */
#define CRTC_INDEX	0x3D4
#define CRTC_DATA	0x3D5

static u16 *const vga_cells = (u16 *)__va(0xB8000);
static unsigned int vga_row, vga_col;

static void vga_write(const char *text, size_t len);

static struct console vga_console = {
	.name = "vga",
	.write = vga_write,
};

static void vga_move_cursor(void)
{
	unsigned int pos = vga_row * VGA_COLS + vga_col;

	outb(CRTC_INDEX, 14);
	outb(CRTC_DATA, (u8)(pos >> 8));
	outb(CRTC_INDEX, 15);
	outb(CRTC_DATA, (u8)pos);
}

static void vga_scroll(void)
{
	memmove(vga_cells, vga_cells + VGA_COLS,
		(VGA_ROWS - 1) * VGA_COLS * sizeof(u16));
	for (unsigned int c = 0; c < VGA_COLS; c++)
		vga_cells[(VGA_ROWS - 1) * VGA_COLS + c] = VGA_ATTR << 8 | ' ';
	vga_row = VGA_ROWS - 1;
}

static void vga_putc(char c)
{
	switch (c) {
	case '\n':
		vga_col = 0;
		vga_row++;
		break;
	case '\r':
		vga_col = 0;
		break;
	case '\b':
		if (vga_col)
			vga_col--;
		break;
	default:
		vga_cells[vga_row * VGA_COLS + vga_col] =
			(u16)(VGA_ATTR << 8 | (u8)c);
		if (++vga_col == VGA_COLS) {
			vga_col = 0;
			vga_row++;
		}
	}
	if (vga_row == VGA_ROWS)
		vga_scroll();
}

static void vga_write(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		vga_putc(text[i]);
	vga_move_cursor();
}

/*
 * Paint rows lines of cells (attribute << 8 | character, VGA_COLS a line)
 * over the rows just above the cursor: over the text a command has just
 * printed, to colour it. Written straight to the screen, not through the
 * console: the colours stay until the lines scroll away, and the text
 * beneath is what the consoles wrote. Rows above the top are left out.
 * The caller owns the consoles (console_trylock()), so nothing is written
 * meanwhile.
 */
void vga_paint_above_cursor(const u16 *cells, unsigned int rows)
{
	unsigned int skip = rows > vga_row ? rows - vga_row : 0;
	unsigned int top = vga_row + skip - rows;

	memcpy(vga_cells + top * VGA_COLS, cells + skip * VGA_COLS,
	       (rows - skip) * VGA_COLS * sizeof(u16));
}

void vga_init(void)
{
	for (unsigned int i = 0; i < VGA_ROWS * VGA_COLS; i++)
		vga_cells[i] = VGA_ATTR << 8 | ' ';
	vga_row = vga_col = 0;
	vga_move_cursor();
	console_register(&vga_console);
}
