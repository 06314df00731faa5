/*
 * test_refill.c - in-kernel tests of the refill of exclusive rooms.
 *
 * A room is made for an unused IRQ line; the test allocates from it in a
 * simulated interrupt on that line, as a handler would, and checks that the
 * handler's refill_check() asks for a refill once the room is below half
 * its target, and that a refill pass (what the refill thread runs) tops it
 * back up with zeroed pages.
 */
#include <asm/irqflags.h>
#include <kernel/context.h>
#include <kernel/refill.h>
#include <mm/exclusive.h>
#include <mm/gfp.h>
#include <mm/view.h>
#include <tests/kernel/ktest.h>

#define TEST_LINE	12	/* the PS/2 mouse line: never raised here */
#define TARGET		4

/* Allocate as IRQ12 would, then run its refill check. */
static struct page *irq_alloc(int room)
{
	unsigned long flags;
	struct page *page;

	local_irq_save(flags);
	irq_enter(TEST_LINE);
	page = alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE);
	refill_check(room);
	irq_exit();
	local_irq_restore(flags);
	return page;
}

static void irq_free(struct page *page)
{
	unsigned long flags;

	local_irq_save(flags);
	irq_enter(TEST_LINE);
	free_page(page);
	irq_exit();
	local_irq_restore(flags);
}

static bool page_is_zero(struct page *page)
{
	const u32 *w = page_address(page);

	for (size_t i = 0; i < PAGE_SIZE / sizeof(*w); i++)
		if (w[i])
			return false;
	return true;
}

static void refill_tops_room_up_to_target(struct ktest *t)
{
	unsigned long before = mm_free_pages();
	struct page *pages[3];
	int room;

	room = excl_room_create(OWNER_IRQ(TEST_LINE), TARGET, "test-refill");
	KTEST_EXPECT(t, room >= 0);
	if (room < 0)
		return;
	KTEST_EXPECT_EQ(t, refill_register(room, TARGET), 0);
	KTEST_EXPECT_EQ(t, excl_room_count(room), 0);
	KTEST_EXPECT_EQ(t, refill_run_once(), TARGET);
	KTEST_EXPECT_EQ(t, excl_room_count(room), TARGET);
	KTEST_EXPECT(t, !refill_pending());

	pages[0] = irq_alloc(room);
	pages[1] = irq_alloc(room);
	KTEST_EXPECT(t, !refill_pending());	/* 2 of 4: not below half */
	pages[2] = irq_alloc(room);
	KTEST_EXPECT(t, refill_pending());	/* 1 of 4 */
	for (int i = 0; i < 3; i++) {
		KTEST_EXPECT(t, pages[i] != NULL);
		if (pages[i])
			KTEST_EXPECT(t, page_is_zero(pages[i]));
	}
	KTEST_EXPECT_EQ(t, excl_room_count(room), 1);
	KTEST_EXPECT_EQ(t, refill_run_once(), 3);
	KTEST_EXPECT_EQ(t, excl_room_count(room), TARGET);
	KTEST_EXPECT(t, !refill_pending());

	for (int i = 0; i < 3; i++)
		if (pages[i])
			irq_free(pages[i]);
	refill_unregister(room);
	KTEST_EXPECT_EQ(t, excl_room_destroy(room), TARGET);
	KTEST_EXPECT_EQ(t, mm_free_pages(), before);
}

/* Refill needs process context: from a handler it is refused. */
static void refill_refused_in_interrupt(struct ktest *t)
{
	unsigned long flags;
	int room, err;

	room = excl_room_create(OWNER_IRQ(TEST_LINE), TARGET, "test-refill");
	KTEST_EXPECT(t, room >= 0);
	if (room < 0)
		return;
	local_irq_save(flags);
	irq_enter(TEST_LINE);
	err = excl_room_refill(room);
	irq_exit();
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, err, -EPERM);
	KTEST_EXPECT_EQ(t, excl_room_count(room), 0);
	excl_room_destroy(room);
}

static const struct ktest_case refill_cases[] = {
	KTEST_CASE(refill_tops_room_up_to_target),
	KTEST_CASE(refill_refused_in_interrupt),
};
KTEST_SUITE(refill_suite, "refill", refill_cases);
