/*
 * test_vga.c - in-kernel tests of the VGA console's scrollback logic.
 *
 * Each case drives its own struct vga_screen: cells in a buffer instead of
 * 0xB8000 and a ring of TEST_LINES lines, through the same functions the
 * live console uses, and reads the rows back as text.
 */
#include <drivers/vga.h>
#include <lib/format.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

#define TEST_LINES	40	/* the screen and 15 lines above it */

static u16 cells[VGA_ROWS * VGA_COLS];
static u16 ring[TEST_LINES][VGA_COLS];
static struct vga_screen scr;

static void screen_setup(void)
{
	scr = (struct vga_screen){ .cells = cells, .ring = ring,
				   .nr_lines = TEST_LINES };
	vga_screen_reset(&scr);
}

/* Row r of the cells on view, trailing blanks cut. */
static const char *row(unsigned int r)
{
	static char text[VGA_COLS + 1];
	int end = 0;

	for (int c = 0; c < VGA_COLS; c++) {
		text[c] = (char)(cells[r * VGA_COLS + c] & 0xff);
		if (text[c] != ' ')
			end = c + 1;
	}
	text[end] = '\0';
	return text;
}

static void write_str(const char *s)
{
	vga_screen_write(&scr, s, strlen(s));
}

/* "line 0\n" to "line n-1\n". */
static void write_lines(unsigned int n)
{
	char buf[16];

	for (unsigned int i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "line %u\n", i);
		write_str(buf);
	}
}

static bool row_is(unsigned int r, const char *want)
{
	return !strcmp(row(r), want);
}

/* 60 lines on a 25-row screen: the last 24 show, the cursor row is empty. */
static void vga_lines_scroll_off_the_top(struct ktest *t)
{
	screen_setup();
	write_lines(60);
	KTEST_EXPECT(t, row_is(0, "line 36"));
	KTEST_EXPECT(t, row_is(23, "line 59"));
	KTEST_EXPECT(t, row_is(24, ""));
	KTEST_EXPECT_EQ(t, scr.row, 24);
	KTEST_EXPECT_EQ(t, scr.first, 36);
}

/*
 * The view moves back half a screen at a time, as far as the ring holds
 * lines (40 - 25 = 15 here), and forward to the live screen again.
 */
static void vga_view_moves_back_and_forward(struct ktest *t)
{
	screen_setup();
	write_lines(60);
	KTEST_EXPECT_EQ(t, vga_screen_scroll(&scr, VGA_SCROLL_STEP), 12);
	KTEST_EXPECT(t, row_is(0, "line 24"));
	KTEST_EXPECT(t, row_is(24, "line 48"));
	KTEST_EXPECT_EQ(t, vga_screen_scroll(&scr, VGA_SCROLL_STEP), 15);
	KTEST_EXPECT(t, row_is(0, "line 21"));	/* the oldest line kept */
	KTEST_EXPECT_EQ(t, vga_screen_scroll(&scr, -VGA_SCROLL_STEP), 3);
	KTEST_EXPECT(t, row_is(0, "line 33"));
	KTEST_EXPECT_EQ(t, vga_screen_scroll(&scr, -100), 0);
	KTEST_EXPECT(t, row_is(0, "line 36"));
	KTEST_EXPECT(t, row_is(24, ""));
}

/* Before the screen has filled, there is nothing above it to show. */
static void vga_view_stays_on_a_short_screen(struct ktest *t)
{
	screen_setup();
	write_lines(10);
	KTEST_EXPECT_EQ(t, vga_screen_scroll(&scr, VGA_SCROLL_STEP), 0);
	KTEST_EXPECT(t, row_is(0, "line 0"));
	write_lines(20);		/* 30 lines: 6 went off the top */
	KTEST_EXPECT_EQ(t, vga_screen_scroll(&scr, VGA_SCROLL_STEP), 6);
	KTEST_EXPECT(t, row_is(0, "line 0"));
}

/* New output brings the view back to the bottom, then goes on there. */
static void vga_output_returns_the_view(struct ktest *t)
{
	screen_setup();
	write_lines(60);
	write_str("prompt> ");
	vga_screen_scroll(&scr, VGA_SCROLL_STEP);
	KTEST_EXPECT(t, row_is(24, "line 48"));
	write_str("x");
	KTEST_EXPECT_EQ(t, scr.back, 0);
	KTEST_EXPECT(t, row_is(24, "prompt> x"));
	KTEST_EXPECT(t, row_is(23, "line 59"));
	/* The lines written while the view was back are in the ring too. */
	write_str("\nmore\n");
	vga_screen_scroll(&scr, 2);
	KTEST_EXPECT(t, row_is(24, "prompt> x"));
	KTEST_EXPECT(t, row_is(0, "line 36"));
}

/* Long lines wrap; \b moves back, \r to the start, and both keep the row. */
static void vga_wrap_backspace_return(struct ktest *t)
{
	char line[86];

	screen_setup();
	memset(line, 'a', 85);
	line[85] = '\0';
	write_str(line);
	KTEST_EXPECT_EQ(t, scr.row, 1);
	KTEST_EXPECT_EQ(t, scr.col, 5);
	KTEST_EXPECT(t, row_is(1, "aaaaa"));
	write_str("\b\bZ\rB");
	KTEST_EXPECT(t, row_is(1, "BaaZa"));
	KTEST_EXPECT_EQ(t, strlen(row(0)), VGA_COLS);
}

/*
 * The live console: Shift-PgUp's step moves the view, unless output came
 * after the key (its write count moved on): then the view stays at the
 * bottom, where that output brought it.
 */
static void vga_live_scroll_after_output_is_void(struct ktest *t)
{
	unsigned int seen;

	printk("vga-test: the screen has filled long ago\n");
	console_flush();
	KTEST_EXPECT_EQ(t, vga_scrollback(1, vga_writes()), VGA_SCROLL_STEP);
	KTEST_EXPECT_EQ(t, vga_scrollback(-1, vga_writes()), 0);
	seen = vga_writes();
	printk("vga-test: output after the key\n");
	console_flush();
	KTEST_EXPECT_EQ(t, vga_scrollback(1, seen), 0);
	KTEST_EXPECT(t, vga_writes() != seen);
}

static const struct ktest_case vga_cases[] = {
	KTEST_CASE(vga_lines_scroll_off_the_top),
	KTEST_CASE(vga_view_moves_back_and_forward),
	KTEST_CASE(vga_view_stays_on_a_short_screen),
	KTEST_CASE(vga_output_returns_the_view),
	KTEST_CASE(vga_wrap_backspace_return),
	KTEST_CASE(vga_live_scroll_after_output_is_void),
};
KTEST_SUITE(vga_suite, "vga", vga_cases);
