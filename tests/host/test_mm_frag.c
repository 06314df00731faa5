/*
 * test_mm_frag.c - the fragmentation indexes (lab 6) on made-up free lists,
 * and their rows in buddyinfo.
 *
 * A free list is given by its counts, nr[k] = free blocks of order k. Every
 * expected value below was worked out by hand from the definitions in
 * docs/labs/lab6-measurement.md (integer division, rounding down); the
 * comment above each list shows the sums. A failure names the list, the
 * order, what the function returned and what was expected.
 */
#include "host.h"

/* A made-up zone: its counts, and a name for the failure messages. */
struct frag_list {
	const char *name;
	unsigned long nr[NR_ORDERS];
};

/*
 * After a fragmenting workload: 6 single frames, 3 pairs, 2 blocks of 4
 * and 1 of 8. Free pages 6 + 6 + 8 + 8 = 28, in 12 blocks.
 */
static const struct frag_list scattered = { "scattered", { 6, 3, 2, 1 } };
/* One block of 4 MiB and a single frame: 1025 pages in 2 blocks. */
static const struct frag_list whole = { "whole", { 1, [10] = 1 } };
/* Only three small blocks: 4 pages in 3 blocks. */
static const struct frag_list scarce = { "scarce", { 2, 1 } };
/* Nothing free at all. */
static const struct frag_list empty = { "empty", { 0 } };
/* One block of 8 frames, nothing else. */
static const struct frag_list single = { "single", { [3] = 1 } };
/* Large counts: 3000 blocks of 4 MiB, 5 of every other order. */
static const struct frag_list big = { "big", { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
					      3000 } };

static void fail_value(const struct frag_list *l, unsigned int order,
		       const char *what, long got, long want, int line)
{
	char counts[128];
	int n = 0;

	for (unsigned int k = 0; k < NR_ORDERS; k++)
		n += snprintf(counts + n, sizeof(counts) - n, "%s%lu",
			      k ? " " : "", l->nr[k]);
	ht_fail(__FILE__, line, "list %s {%s}, order %u: %s is %ld, expected "
		"%ld%s", l->name, counts, order, what, got, want,
		got == FRAG_NOT_COMPUTED && strchr(what, '(') ?
		" (FRAG_NOT_COMPUTED: not written yet)" : "");
}

#define EXPECT_INDEX(l, order, what, got, want) do { \
	long _g = (long)(got), _w = (long)(want); \
	if (_g != _w) \
		fail_value(l, order, what, _g, _w, __LINE__); \
} while (0)

/* fill_contig_page_info() of list l at order, against the three counts. */
static void expect_info(const struct frag_list *l, unsigned int order,
			unsigned long pages, unsigned long blocks,
			unsigned long suitable)
{
	struct contig_page_info info = { 111, 222, 333 };	/* junk */

	fill_contig_page_info(l->nr, order, &info);
	EXPECT_INDEX(l, order, "free_pages", info.free_pages, pages);
	EXPECT_INDEX(l, order, "free_blocks_total", info.free_blocks_total,
		     blocks);
	EXPECT_INDEX(l, order, "free_blocks_suitable",
		     info.free_blocks_suitable, suitable);
}

/* Every free frame and every free block, whatever the order asked. */
static void frag_fill_counts_pages_and_blocks(void)
{
	for (unsigned int o = 0; o < NR_ORDERS; o++) {
		struct contig_page_info info;

		fill_contig_page_info(scattered.nr, o, &info);
		EXPECT_INDEX(&scattered, o, "free_pages", info.free_pages, 28);
		EXPECT_INDEX(&scattered, o, "free_blocks_total",
			     info.free_blocks_total, 12);
		fill_contig_page_info(whole.nr, o, &info);
		EXPECT_INDEX(&whole, o, "free_pages", info.free_pages, 1025);
		EXPECT_INDEX(&whole, o, "free_blocks_total",
			     info.free_blocks_total, 2);
	}
	expect_info(&empty, 0, 0, 0, 0);
	expect_info(&empty, 10, 0, 0, 0);
	/* 5 * (2^10 - 1) + 3000 * 1024 = 5115 + 3072000 */
	expect_info(&big, 4, 3077115, 3050, 5 * 63 + 3000 * 64);
}

/*
 * The blocks of order >= j, each counted as the 2^(k - j) blocks of
 * order j it splits into. scattered: at order 1, 3 + 2 * 2 + 1 * 4 = 11;
 * at order 2, 2 + 1 * 2 = 4; at order 3, 1; above, none.
 */
static void frag_fill_suitable_blocks_split(void)
{
	expect_info(&scattered, 0, 28, 12, 28);
	expect_info(&scattered, 1, 28, 12, 11);
	expect_info(&scattered, 2, 28, 12, 4);
	expect_info(&scattered, 3, 28, 12, 1);
	expect_info(&scattered, 4, 28, 12, 0);
	expect_info(&scattered, 10, 28, 12, 0);
	expect_info(&whole, 0, 1025, 2, 1025);
	expect_info(&whole, 9, 1025, 2, 2);
	expect_info(&whole, 10, 1025, 2, 1);
	expect_info(&single, 3, 8, 1, 1);
	expect_info(&single, 2, 8, 1, 2);
}

/*
 * The index at order of counts the test gives itself (not those of
 * fill_contig_page_info(): each exercise is tested on its own).
 */
static int unusable_of(unsigned int order, unsigned long pages,
		       unsigned long blocks, unsigned long suitable)
{
	struct contig_page_info info = { pages, blocks, suitable };

	return unusable_free_index(order, &info);
}

/*
 * scattered (28 pages): order 1 cannot use the 6 single frames:
 * 6000 / 28 = 214; order 2 loses 6 + 6 = 12 pages: 428; order 3 loses
 * 20: 714; order 4 loses all 28: 1000. whole: only the single frame is
 * lost at orders 1 to 10: 1000 / 1025 = 0.
 */
static void frag_unusable_made_up_lists(void)
{
	static const int want[] = { 0, 214, 428, 714, 1000 };
	static const unsigned long suitable[] = { 28, 11, 4, 1, 0 };

	for (unsigned int o = 0; o < ARRAY_SIZE(want); o++)
		EXPECT_INDEX(&scattered, o, "unusable_free_index()",
			     unusable_of(o, 28, 12, suitable[o]),
			     want[o]);
	EXPECT_INDEX(&whole, 1, "unusable_free_index()",
		     unusable_of(1, 1025, 2, 512), 0);
	EXPECT_INDEX(&whole, 10, "unusable_free_index()",
		     unusable_of(10, 1025, 2, 1), 0);
	/* big at order 4: 5 * 15 = 75 of 3077115 pages lost: 0.024 -> 0 */
	EXPECT_INDEX(&big, 4, "unusable_free_index()",
		     unusable_of(4, 3077115, 3050, 192315), 0);
	/* scarce at order 1: 2 of 4 pages lost */
	EXPECT_INDEX(&scarce, 1, "unusable_free_index()",
		     unusable_of(1, 4, 3, 1), 500);
}

/* Nothing free: nothing usable (1000); order 0 can use every frame (0). */
static void frag_unusable_edges(void)
{
	for (unsigned int o = 0; o < NR_ORDERS; o++)
		EXPECT_INDEX(&empty, o, "unusable_free_index()",
			     unusable_of(o, 0, 0, 0), 1000);
	EXPECT_INDEX(&single, 0, "unusable_free_index()",
		     unusable_of(0, 8, 1, 8), 0);
	EXPECT_INDEX(&single, 3, "unusable_free_index()",
		     unusable_of(3, 8, 1, 1), 0);
	EXPECT_INDEX(&single, 4, "unusable_free_index()",
		     unusable_of(4, 8, 1, 0), 1000);
}

static int extfrag_of(unsigned int order, unsigned long pages,
		      unsigned long blocks, unsigned long suitable)
{
	struct contig_page_info info = { pages, blocks, suitable };

	return fragmentation_index(order, &info);
}

/*
 * No block of the order is free, so the request would fail; the index
 * is 1000 - (1000 + pages * 1000 / 2^order) / blocks. scattered at order
 * 4: 1000 - (1000 + 28000 / 16) / 12 = 1000 - 2750 / 12 = 1000 - 229 =
 * 771; at order 5: 1000 - 1875 / 12 = 844; at order 10: 28000 / 1024 =
 * 27, 1000 - 1027 / 12 = 915. scarce at order 5: 4000 / 32 = 125,
 * 1000 - 1125 / 3 = 625.
 */
static void frag_extfrag_made_up_lists(void)
{
	EXPECT_INDEX(&scattered, 4, "fragmentation_index()",
		     extfrag_of(4, 28, 12, 0), 771);
	EXPECT_INDEX(&scattered, 5, "fragmentation_index()",
		     extfrag_of(5, 28, 12, 0), 844);
	EXPECT_INDEX(&scattered, 10, "fragmentation_index()",
		     extfrag_of(10, 28, 12, 0), 915);
	EXPECT_INDEX(&scarce, 5, "fragmentation_index()",
		     extfrag_of(5, 4, 3, 0), 625);
	/* scarce at order 2: 4000 / 4 = 1000, 1000 - 2000 / 3 = 334 */
	EXPECT_INDEX(&scarce, 2, "fragmentation_index()",
		     extfrag_of(2, 4, 3, 0), 334);
}

/* A block of the order (or larger) is free: the request succeeds. */
static void frag_extfrag_block_free(void)
{
	EXPECT_INDEX(&scattered, 3, "fragmentation_index()",
		     extfrag_of(3, 28, 12, 1), -1000);
	EXPECT_INDEX(&scattered, 0, "fragmentation_index()",
		     extfrag_of(0, 28, 12, 28), -1000);
	EXPECT_INDEX(&whole, 10, "fragmentation_index()",
		     extfrag_of(10, 1025, 2, 1), -1000);
	EXPECT_INDEX(&big, 10, "fragmentation_index()",
		     extfrag_of(10, 3077115, 3050, 3000), -1000);
}

/*
 * Nothing free: 0 (lack of memory, not fragmentation). One free block too
 * small: 1000 - (1000 + 8000 / 16) / 1 = -500 by the formula; the index
 * is never below 0 when the request fails, so 0.
 */
static void frag_extfrag_lack_of_memory(void)
{
	for (unsigned int o = 0; o < NR_ORDERS; o++)
		EXPECT_INDEX(&empty, o, "fragmentation_index()",
			     extfrag_of(o, 0, 0, 0), 0);
	EXPECT_INDEX(&single, 4, "fragmentation_index()",
		     extfrag_of(4, 8, 1, 0), 0);
	EXPECT_INDEX(&single, 10, "fragmentation_index()",
		     extfrag_of(10, 8, 1, 0), 0);
}

/*
 * buddyinfo on a fake 64 MiB machine: under each zone's counts, its two
 * index rows, one value per order in the counts' columns, as Linux prints
 * them (0.xxx, -1.000), each computed from the counts above it.
 */
static void frag_buddyinfo_shows_the_indexes(void)
{
	static char out[4096];
	struct seq_buf sb;
	unsigned long nr[NR_ORDERS];
	struct contig_page_info info;
	char want[256];
	int n = 0;

	ht_boot(64);
	seq_buf_init(&sb, out, sizeof(out));
	mm_show_buddyinfo(&sb.seq);
	for (unsigned int o = 0; o < NR_ORDERS; o++)
		nr[o] = zones[ZONE_DMA].free_area[o].nr_free;
	n += snprintf(want + n, sizeof(want) - n, "\n  unusable:   ");
	for (unsigned int o = 0; o < NR_ORDERS; o++) {
		int v;

		fill_contig_page_info(nr, o, &info);
		v = unusable_free_index(o, &info);
		n += snprintf(want + n, sizeof(want) - n, "  %d.%03d",
			      v / 1000, v % 1000);
	}
	n += snprintf(want + n, sizeof(want) - n, "\n  extfrag:    ");
	for (unsigned int o = 0; o < NR_ORDERS; o++) {
		int v;

		fill_contig_page_info(nr, o, &info);
		v = fragmentation_index(o, &info);
		n += snprintf(want + n, sizeof(want) - n, v < 0 ? " -%d.%03d" :
			      "  %d.%03d", (v < 0 ? -v : v) / 1000,
			      (v < 0 ? -v : v) % 1000);
	}
	if (!strstr(out, want))
		ht_fail(__FILE__, __LINE__, "buddyinfo lacks the DMA zone's "
			"rows%s\nbuddyinfo:\n%s", want, out);
	EXPECT(strstr(out, "\nzone   Normal:") != NULL);
	EXPECT(strstr(out, "lab 6") == NULL);	/* nothing missing */
}

/* The boot probe finds every function written. */
static void frag_probe_finds_every_function(void)
{
	ht_boot(16);
	EXPECT(!frag_fill_missing);
	EXPECT(!frag_unusable_missing);
	EXPECT(!frag_extfrag_missing);
}

static const struct host_test tests[] = {
	HT(frag_fill_counts_pages_and_blocks),
	HT(frag_fill_suitable_blocks_split),
	HT(frag_unusable_made_up_lists),
	HT(frag_unusable_edges),
	HT(frag_extfrag_made_up_lists),
	HT(frag_extfrag_block_free),
	HT(frag_extfrag_lack_of_memory),
	HT(frag_buddyinfo_shows_the_indexes),
	HT(frag_probe_finds_every_function),
};

int main(void)
{
	return ht_main("mm_frag", tests, ARRAY_SIZE(tests), NULL);
}
