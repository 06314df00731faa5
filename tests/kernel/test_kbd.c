/*
 * test_kbd.c - in-kernel tests of the keyboard: decoding and the pipeline.
 *
 * The decoder is fed scancode bytes directly. The pipeline tests build their
 * own struct kbd (the live one is left alone): the "handler" runs in a
 * simulated interrupt on an unused line (irq_enter() with interrupts off,
 * so the pages it takes are owned by that line), and the test itself is the
 * consumer. After every step the counters must balance:
 * received == delivered + dropped + queued.
 *
 * Test kernels only: kbd_irq_test_hook() makes the live IRQ1 handler call
 * GFP_KERNEL when booted with kbd_test=gfp_kernel, for the integration test
 * of the "sleeping allocation in atomic context" report.
 */
#include <asm/irqflags.h>
#include <drivers/keyboard.h>
#include <drivers/vga.h>
#include <kernel/cmdline.h>
#include <kernel/context.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include <mm/debug.h>
#include <mm/gfp.h>
#include <mm/view.h>
#include <tests/kernel/ktest.h>

#define TEST_LINE	13	/* the FPU line: never raised here */

static char got[256];
static unsigned int nr_got;

static void capture(struct kbd *k __unused, char c)
{
	if (nr_got < sizeof(got) - 1)
		got[nr_got++] = c;
	got[nr_got] = '\0';
}

/* A KBD_KEY_* code as text: "<U>" for Up, "<SPU>" for Shift-PgUp. */
static void capture_key(int key)
{
	static const char *const names[] = { "U", "D", "R", "L", "PU", "PD" };
	unsigned int i = (unsigned int)(key & ~KBD_KEY_SHIFT) - KBD_KEY_UP;

	capture(NULL, '<');
	if (key & KBD_KEY_SHIFT)
		capture(NULL, 'S');
	for (const char *s = i < ARRAY_SIZE(names) ? names[i] : "?"; *s; s++)
		capture(NULL, *s);
	capture(NULL, '>');
}

/* Decode a byte string; the characters and keys made, as a C string. */
static const char *decode_all(struct kbd_decoder *dec, const u8 *codes,
			      size_t n)
{
	nr_got = 0;
	got[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int c = kbd_decode(dec, codes[i]);

		if (c >= KBD_KEY_UP)
			capture_key(c);
		else if (c != KBD_NO_CHAR)
			capture(NULL, (char)c);
	}
	return got;
}

#define DECODE(dec, ...) ({ \
	static const u8 _c[] = { __VA_ARGS__ }; \
	decode_all((dec), _c, sizeof(_c)); })

static void kbd_decode_letters_and_shift(struct ktest *t)
{
	struct kbd_decoder d = { 0 };

	/* a down, a up, LShift down, a, LShift up, a, 1, RShift+1 */
	KTEST_EXPECT(t, !strcmp(DECODE(&d, 0x1E, 0x9E, 0x2A, 0x1E, 0x9E, 0xAA,
				       0x1E, 0x9E, 0x02, 0x82, 0x36, 0x02,
				       0x82, 0xB6), "aAa1!"));
	KTEST_EXPECT(t, !d.lshift && !d.rshift);
	/* Fake shifts around an arrow (E0 2A E0 48): a plain Up. */
	KTEST_EXPECT(t, !strcmp(DECODE(&d, 0xE0, 0x2A, 0xE0, 0x48, 0xE0, 0xC8,
				       0xE0, 0xAA, 0x30), "<U>b"));
}

static void kbd_decode_caps_lock(struct ktest *t)
{
	struct kbd_decoder d = { 0 };

	/*
	 * Caps on, held so that it repeats once (an even number of makes:
	 * toggling on each would leave it off), then a, Shift+a, 1.
	 */
	KTEST_EXPECT(t, !strcmp(DECODE(&d, 0x3A, 0x3A, 0xBA, 0x1E, 0x2A,
				       0x1E, 0xAA, 0x02), "Aa1"));
	KTEST_EXPECT(t, d.caps);
	KTEST_EXPECT(t, !strcmp(DECODE(&d, 0x3A, 0xBA, 0x1E), "a"));
	KTEST_EXPECT(t, !d.caps);
}

static void kbd_decode_ctrl(struct ktest *t)
{
	struct kbd_decoder d = { 0 };

	/* LCtrl+c, RCtrl (E0 1D) + u, then plain c. */
	KTEST_EXPECT(t, !strcmp(DECODE(&d, 0x1D, 0x2E, 0xAE, 0x9D, 0xE0, 0x1D,
				       0x16, 0x96, 0xE0, 0x9D, 0x2E),
				"\x03\x15" "c"));
	KTEST_EXPECT(t, !d.lctrl && !d.rctrl);
}

static void kbd_decode_special_keys(struct ktest *t)
{
	struct kbd_decoder d = { 0 };

	/* Enter, Backspace, Tab, keypad Enter and /, Pause, then x. */
	KTEST_EXPECT(t, !strcmp(DECODE(&d, 0x1C, 0x0E, 0x0F, 0xE0, 0x1C, 0xE0,
				       0x35, 0xE1, 0x1D, 0x45, 0xE1, 0x9D,
				       0xC5, 0xFA, 0x2D), "\n\b\t\n/x"));
}

/* The arrows and Page Up/Down give key codes, with Shift if it is held. */
static void kbd_decode_extended_keys(struct ktest *t)
{
	struct kbd_decoder d = { 0 };

	/* Up, Down, Right, Left, PgUp, PgDn (each pressed and released). */
	KTEST_EXPECT(t, !strcmp(DECODE(&d, 0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x50,
				       0xE0, 0xD0, 0xE0, 0x4D, 0xE0, 0xCD,
				       0xE0, 0x4B, 0xE0, 0xCB, 0xE0, 0x49,
				       0xE0, 0xC9, 0xE0, 0x51, 0xE0, 0xD1),
				"<U><D><R><L><PU><PD>"));
	/* LShift+PgUp, RShift+PgDn, Home and Insert (nothing), x. */
	KTEST_EXPECT(t, !strcmp(DECODE(&d, 0x2A, 0xE0, 0x49, 0xE0, 0xC9, 0xAA,
				       0x36, 0xE0, 0x51, 0xB6, 0xE0, 0x47,
				       0xE0, 0x52, 0x2D), "<SPU><SPD>x"));
	/* Without the prefix the same codes are the keypad's digits. */
	KTEST_EXPECT(t, !strcmp(DECODE(&d, 0x48, 0x50, 0x49), "829"));
}

/* ---- the pipeline ---- */

static void feed(struct kbd *k, const u8 *codes, size_t n)
{
	unsigned long flags;

	local_irq_save(flags);
	irq_enter(TEST_LINE);
	for (size_t i = 0; i < n; i++)
		kbd_receive(k, codes[i]);
	irq_exit();
	local_irq_restore(flags);
}

static void release(struct kbd *k)
{
	unsigned long flags;

	local_irq_save(flags);
	irq_enter(TEST_LINE);
	kbd_release_current(k);
	irq_exit();
	local_irq_restore(flags);
}

static bool balanced(struct kbd *k)
{
	struct kbd_stats st;

	kbd_get_stats(k, &st);
	return kbd_stats_balanced(&st);
}

static struct kbd tk;

static void kbd_pipeline_delivers_in_order(struct ktest *t)
{
	static const u8 hi[] = { 0x23, 0xA3, 0x17, 0x97, 0x1C, 0x9C };
	struct kbd_stats st;

	kbd_setup(&tk, current_owner(), -1, capture);
	nr_got = 0;
	feed(&tk, hi, sizeof(hi));
	KTEST_EXPECT(t, balanced(&tk));
	KTEST_EXPECT(t, kbd_pending(&tk));
	KTEST_EXPECT_EQ(t, kbd_drain(&tk, 100), sizeof(hi));
	KTEST_EXPECT(t, !strcmp(got, "hi\n"));
	kbd_get_stats(&tk, &st);
	KTEST_EXPECT_EQ(t, st.received, 6);
	KTEST_EXPECT_EQ(t, st.delivered, 6);
	KTEST_EXPECT_EQ(t, st.queued, 0);
	KTEST_EXPECT_EQ(t, st.chars, 3);
	KTEST_EXPECT_EQ(t, st.pages_taken, 1);
	release(&tk);
}

/*
 * The consumer turns an arrow into the escape sequence a terminal sends,
 * and counts Shift-PgUp/PgDn for the VGA scrollback without a character.
 */
static void kbd_pipeline_arrows_and_scroll_keys(struct ktest *t)
{
	static const u8 keys[] = {
		0xE0, 0x48, 0xE0, 0xC8,			/* Up */
		0xE0, 0x50, 0xE0, 0xD0,			/* Down */
		0x2A, 0xE0, 0x49, 0xE0, 0xC9,		/* Shift-PgUp */
		0xE0, 0x49, 0xE0, 0xC9,			/* Shift-PgUp */
		0xE0, 0x51, 0xE0, 0xD1, 0xAA,		/* Shift-PgDn */
		0xE0, 0x49, 0xE0, 0xC9,			/* PgUp */
		0x2D, 0xAD,				/* x */
	};
	struct kbd_stats st;

	kbd_setup(&tk, current_owner(), -1, capture);
	nr_got = 0;
	feed(&tk, keys, sizeof(keys));
	KTEST_EXPECT_EQ(t, kbd_drain(&tk, ~0u), sizeof(keys));
	KTEST_EXPECT(t, !strcmp(got, "\x1b[A\x1b[B\x1b[5~x"));
	KTEST_EXPECT_EQ(t, tk.scroll, 1);	/* two back, one forward */
	kbd_get_stats(&tk, &st);
	KTEST_EXPECT_EQ(t, st.chars, 11);
	KTEST_EXPECT_EQ(t, st.delivered, sizeof(keys));
	KTEST_EXPECT(t, kbd_stats_balanced(&st));
	release(&tk);
}

/*
 * Output on the VGA console after a Shift-PgUp brings the view back to
 * the bottom: the steps counted before it are dropped when the next one
 * comes, and vga_scrollback() is told which output they saw.
 */
static void kbd_scroll_steps_before_output_are_void(struct ktest *t)
{
	static const u8 shift_pgup[] = { 0x2A, 0xE0, 0x49, 0xE0, 0xC9, 0xAA };

	kbd_setup(&tk, current_owner(), -1, capture);
	feed(&tk, shift_pgup, sizeof(shift_pgup));
	feed(&tk, shift_pgup, sizeof(shift_pgup));
	kbd_drain(&tk, ~0u);
	KTEST_EXPECT_EQ(t, tk.scroll, 2);
	KTEST_EXPECT_EQ(t, tk.scroll_seen, vga_writes());
	printk("kbd-test: output after two Shift-PgUp\n");
	console_flush();
	KTEST_EXPECT(t, tk.scroll_seen != vga_writes());
	feed(&tk, shift_pgup, sizeof(shift_pgup));
	kbd_drain(&tk, ~0u);
	KTEST_EXPECT_EQ(t, tk.scroll, 1);	/* the two before are void */
	KTEST_EXPECT_EQ(t, tk.scroll_seen, vga_writes());
	release(&tk);
}

/* A full page is handed off; the consumer reads it and frees it. */
static void kbd_pipeline_full_page_handoff(struct ktest *t)
{
	static u8 codes[KBD_BUF_CAPACITY + 10];
	unsigned long before = mm_free_pages();
	struct kbd_stats st;

	memset(codes, 0x9E, sizeof(codes));	/* releases: no characters */
	kbd_setup(&tk, current_owner(), -1, capture);
	feed(&tk, codes, sizeof(codes));
	kbd_get_stats(&tk, &st);
	KTEST_EXPECT_EQ(t, st.pages_taken, 2);
	KTEST_EXPECT_EQ(t, st.pages_queued, 1);
	KTEST_EXPECT_EQ(t, st.queued, sizeof(codes));
	KTEST_EXPECT(t, kbd_stats_balanced(&st));
	KTEST_EXPECT_EQ(t, kbd_drain(&tk, ~0u), sizeof(codes));
	kbd_get_stats(&tk, &st);
	KTEST_EXPECT_EQ(t, st.pages_freed, 1);
	KTEST_EXPECT_EQ(t, st.pages_queued, 0);
	KTEST_EXPECT_EQ(t, st.delivered, sizeof(codes));
	release(&tk);
	KTEST_EXPECT_EQ(t, mm_free_pages(), before);
}

/*
 * No page at all: the emergency ring takes KBD_EMERGENCY_SIZE scancodes,
 * the rest are dropped, and every step balances. Newer keys queue behind
 * the ring even once pages are back, so the order holds.
 */
static void kbd_emergency_ring_under_failure(struct ktest *t)
{
	u8 codes[KBD_EMERGENCY_SIZE + 20];
	struct kbd_stats st;

	memset(codes, 0x9F, sizeof(codes));
	kbd_setup(&tk, current_owner(), -1, capture);
	tk.fail_alloc = true;
	for (size_t i = 0; i < sizeof(codes); i++) {
		feed(&tk, &codes[i], 1);
		KTEST_EXPECT(t, balanced(&tk));
	}
	kbd_get_stats(&tk, &st);
	KTEST_EXPECT_EQ(t, st.received, sizeof(codes));
	KTEST_EXPECT_EQ(t, st.queued, KBD_EMERGENCY_SIZE);
	KTEST_EXPECT_EQ(t, st.dropped, 20);
	KTEST_EXPECT_EQ(t, st.pages_taken, 0);
	KTEST_EXPECT_EQ(t, kbd_drain(&tk, 10), 10);	/* room for 10 */
	tk.fail_alloc = false;
	feed(&tk, (const u8[]){ 0x1E }, 1);	/* behind the ring: 'a' */
	KTEST_EXPECT_EQ(t, tk.pages_taken, 0);
	KTEST_EXPECT(t, balanced(&tk));
	nr_got = 0;
	KTEST_EXPECT_EQ(t, kbd_drain(&tk, ~0u), KBD_EMERGENCY_SIZE - 10 + 1);
	KTEST_EXPECT(t, !strcmp(got, "a"));
	feed(&tk, (const u8[]){ 0x30 }, 1);	/* ring empty: a page again */
	KTEST_EXPECT_EQ(t, tk.pages_taken, 1);
	kbd_drain(&tk, ~0u);
	kbd_get_stats(&tk, &st);
	KTEST_EXPECT_EQ(t, st.received, st.delivered + st.dropped);
	KTEST_EXPECT(t, !strcmp(got, "ab"));
	release(&tk);
}

/*
 * A full page whose hand-off fails (here: no valid consumer) stays the
 * current page, and the next key goes to the emergency ring. The page's
 * keys are older and must come out first; once the hand-off works again,
 * keys flow through pages as before. No key is lost or reordered.
 */
static void kbd_handoff_failure_keeps_order(struct ktest *t)
{
	static u8 codes[KBD_BUF_CAPACITY];
	unsigned long reports = mm_report_count(MM_BUG_BAD_CALL);
	unsigned long before = mm_free_pages();
	struct kbd_stats st;

	memset(codes, 0x9E, sizeof(codes));	/* releases: no characters */
	codes[sizeof(codes) - 1] = 0x1E;	/* the page's last key: 'a' */
	kbd_setup(&tk, OWNER_NONE, -1, capture);
	feed(&tk, codes, sizeof(codes));	/* fills the page exactly */
	feed(&tk, (const u8[]){ 0x30 }, 1);	/* 'b': hand-off refused */
	kbd_get_stats(&tk, &st);
	KTEST_EXPECT_EQ(t, st.handoff_failures, 1);
	KTEST_EXPECT_EQ(t, mm_report_count(MM_BUG_BAD_CALL), reports + 1);
	KTEST_EXPECT_EQ(t, st.emergency_now, 1);
	KTEST_EXPECT_EQ(t, st.queued, sizeof(codes) + 1);
	KTEST_EXPECT(t, kbd_stats_balanced(&st));
	nr_got = 0;
	KTEST_EXPECT_EQ(t, kbd_drain(&tk, ~0u), sizeof(codes) + 1);
	KTEST_EXPECT(t, !strcmp(got, "ab"));
	tk.consumer = current_owner();		/* the hand-off can work now */
	feed(&tk, (const u8[]){ 0x2E }, 1);	/* 'c': a new page */
	kbd_get_stats(&tk, &st);
	KTEST_EXPECT_EQ(t, st.pages_taken, 2);
	KTEST_EXPECT_EQ(t, st.handoff_failures, 1);
	kbd_drain(&tk, ~0u);
	KTEST_EXPECT(t, !strcmp(got, "abc"));
	kbd_get_stats(&tk, &st);
	KTEST_EXPECT_EQ(t, st.received, st.delivered + st.dropped);
	KTEST_EXPECT_EQ(t, st.dropped, 0);
	release(&tk);
	KTEST_EXPECT_EQ(t, mm_free_pages(), before);
}

/* Real exhaustion: every page taken by a hog, then keys arrive. */
static void kbd_emergency_ring_under_exhaustion(struct ktest *t)
{
	unsigned long before = mm_free_pages();
	void *hog = NULL, *p;
	struct kbd_stats st;
	u8 codes[100];

	while ((p = get_free_page(GFP_ATOMIC | __GFP_NOWARN))) {
		*(void **)p = hog;	/* chain the pages through themselves */
		hog = p;
	}
	memset(codes, 0x1E, sizeof(codes));
	kbd_setup(&tk, current_owner(), -1, capture);
	feed(&tk, codes, sizeof(codes));
	kbd_get_stats(&tk, &st);
	KTEST_EXPECT(t, kbd_stats_balanced(&st));
	KTEST_EXPECT_EQ(t, st.pages_taken, 0);
	KTEST_EXPECT_EQ(t, st.queued, KBD_EMERGENCY_SIZE);
	KTEST_EXPECT_EQ(t, st.dropped, sizeof(codes) - KBD_EMERGENCY_SIZE);
	KTEST_EXPECT(t, st.alloc_failures >= 1);
	while (hog) {
		p = hog;
		hog = *(void **)p;
		free_page_addr(p);
	}
	nr_got = 0;
	kbd_drain(&tk, ~0u);
	KTEST_EXPECT_EQ(t, nr_got, KBD_EMERGENCY_SIZE);
	KTEST_EXPECT(t, balanced(&tk));
	KTEST_EXPECT_EQ(t, mm_free_pages(), before);
}

static const struct ktest_case kbd_cases[] = {
	KTEST_CASE(kbd_decode_letters_and_shift),
	KTEST_CASE(kbd_decode_caps_lock),
	KTEST_CASE(kbd_decode_ctrl),
	KTEST_CASE(kbd_decode_special_keys),
	KTEST_CASE(kbd_decode_extended_keys),
	KTEST_CASE(kbd_pipeline_delivers_in_order),
	KTEST_CASE(kbd_pipeline_arrows_and_scroll_keys),
	KTEST_CASE(kbd_scroll_steps_before_output_are_void),
	KTEST_CASE(kbd_pipeline_full_page_handoff),
	KTEST_CASE(kbd_handoff_failure_keeps_order),
	KTEST_CASE(kbd_emergency_ring_under_failure),
	KTEST_CASE(kbd_emergency_ring_under_exhaustion),
};
KTEST_SUITE(kbd_suite, "keyboard", kbd_cases);

/*
 * kbd_test=gfp_kernel: the live IRQ1 handler makes a sleeping allocation.
 * mm/ must report "sleeping allocation in atomic context" with this caller,
 * serve it without sleeping, and the kernel must keep running.
 */
void kbd_irq_test_hook(struct kbd *k __unused)
{
	static int mode = -1;
	char value[16];
	struct page *page;

	if (mode < 0)
		mode = cmdline_get("kbd_test", value, sizeof(value)) &&
		       !strcmp(value, "gfp_kernel");
	if (!mode)
		return;
	page = alloc_page(GFP_KERNEL);
	if (page)
		free_page(page);
}
