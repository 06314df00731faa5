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

void vga_init(void)
{
	for (unsigned int i = 0; i < VGA_ROWS * VGA_COLS; i++)
		vga_cells[i] = VGA_ATTR << 8 | ' ';
	vga_row = vga_col = 0;
	vga_move_cursor();
	console_register(&vga_console);
}
