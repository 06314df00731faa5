/*
 * test_mm_poison.c - page_poison_intact() finds every change to a
 * poisoned page, at every place in its sixteen-word steps (mm/exclusive.c),
 * and names the first byte changed.
 */
#include "host.h"

static void setup(void)
{
	ht_boot(16);
}

/* A poisoned page with one byte changed at off: found, at off. */
static bool change_found(struct page *p, unsigned int off, u8 value)
{
	u8 *b = page_address(p);
	unsigned int where = ~0u;
	bool intact;

	page_poison(p);
	b[off] = value;
	intact = page_poison_intact(p, &where);
	return !intact && where == off;
}

/*
 * Each byte of the first and last steps (16 words, 64 bytes), and
 * some in between, with values that clear a bit of the poison (0x6a),
 * set one it lacks (0x7b), clear all (0) and set all (0xff).
 */
static void poison_every_change_found(void)
{
	static const u8 values[] = { 0x6a, 0x7b, 0x00, 0xff };
	struct page *p = alloc_page(GFP_KERNEL);
	unsigned int where = 0;

	EXPECT(p != NULL);
	page_poison(p);
	EXPECT(page_poison_intact(p, &where));
	for (unsigned int v = 0; v < ARRAY_SIZE(values); v++) {
		for (unsigned int off = 0; off < 64; off++)
			EXPECT(change_found(p, off, values[v]));
		for (unsigned int off = PAGE_SIZE - 64; off < PAGE_SIZE; off++)
			EXPECT(change_found(p, off, values[v]));
		for (unsigned int off = 64; off < PAGE_SIZE - 64; off += 97)
			EXPECT(change_found(p, off, values[v]));
	}
	p->flags &= (u16)~PG_poisoned;
	free_page(p);
	EXPECT_CHECK();
}

/*
 * Two changes that would cancel out in a check that folds the words into
 * an AND and an OR (one clears a bit, the other sets one): found, and the
 * first is named.
 */
static void poison_compensating_changes_found(void)
{
	struct page *p = alloc_page(GFP_KERNEL);
	u8 *b = page_address(p);
	unsigned int where = ~0u;

	EXPECT(p != NULL);
	page_poison(p);
	b[8] = 0x6b & ~0x01;	/* clears a bit in one word... */
	b[76] = 0x6b | 0x10;	/* ...and sets another in the next step */
	EXPECT(!page_poison_intact(p, &where));
	EXPECT_EQ(where, 8);
	p->flags &= (u16)~PG_poisoned;
	free_page(p);
	EXPECT_CHECK();
}

static const struct host_test tests[] = {
	HT(poison_every_change_found),
	HT(poison_compensating_changes_found),
};

int main(void)
{
	return ht_main("mm_poison", tests, ARRAY_SIZE(tests), setup);
}
