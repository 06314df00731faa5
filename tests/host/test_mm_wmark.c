/*
 * test_mm_wmark.c - the watermark formula (lab 4, exercises 1 and 2), its
 * command-line overrides, and the boot check that falls back when the
 * formula gives nothing usable.
 *
 * The formula's two parts are called directly, each with figures worked
 * out by hand here, so that a test of exercise 1 passes with exercise 1
 * alone:
 *
 *   min_free_kbytes_for(pages)   4 * sqrt(kB), clamped to [128, 65536],
 *                                then to 1/16 of memory
 *   zone_wmark_formula(z, m, t)  min = m * present / t, at most half the
 *                                zone, at least 1; low = min +
 *                                max(min / 4, 1); high = min + max(min / 2, 2)
 */
#include "host.h"

static void setup(void)
{
	ht_boot(64);
}

#define MIB_PAGES(n)	((unsigned long)(n) << (20 - PAGE_SHIFT))

/* ---- exercise 1: min_free_kbytes ---- */

/* 4 * sqrt(kB), the square root rounded down. */
static void wmark_min_free_kbytes_sqrt(void)
{
	EXPECT_EQ(min_free_kbytes_for(MIB_PAGES(16)), 512);	/* 128 */
	EXPECT_EQ(min_free_kbytes_for(MIB_PAGES(64)), 1024);	/* 256 */
	EXPECT_EQ(min_free_kbytes_for(MIB_PAGES(100)), 1280);	/* 320 */
	EXPECT_EQ(min_free_kbytes_for(MIB_PAGES(128)), 1448);	/* 362.0 */
	EXPECT_EQ(min_free_kbytes_for(32217), 1432);	/* -m 128: 358.98 */
	EXPECT_EQ(min_free_kbytes_for(MIB_PAGES(3072)), 7092); /* 1773.6 */
}

/*
 * Clamps: at most 65536 (from 4 * sqrt(kB) = 131072 at 1 TiB), and never
 * more than 1/16 of memory, which on a tiny machine wins over the floor of
 * 128: 1 MiB keeps 64 kB, not 128.
 */
static void wmark_min_free_kbytes_clamped(void)
{
	EXPECT_EQ(min_free_kbytes_for(MIB_PAGES(1024 * 1024)), 65536);
	EXPECT_EQ(min_free_kbytes_for(MIB_PAGES(300 * 1024)), 65536);
	EXPECT_EQ(min_free_kbytes_for(MIB_PAGES(200 * 1024)), 57924);
	EXPECT_EQ(min_free_kbytes_for(MIB_PAGES(2)), 128);	/* not 180 */
	EXPECT_EQ(min_free_kbytes_for(MIB_PAGES(1)), 64);
	EXPECT_EQ(min_free_kbytes_for(128), 32);		/* 512 kB */
	EXPECT_EQ(min_free_kbytes_for(0), 0);
}

/* ---- exercise 2: a zone's watermarks ---- */

/* The watermarks zone_wmark_formula() gives a zone of present pages. */
static void formula(unsigned long present, unsigned long total_min,
		    unsigned long total, unsigned long *wm)
{
	struct zone z = { .name = "test", .present = present };

	zone_wmark_formula(&z, total_min, total);
	memcpy(wm, z.wmark, sizeof(z.wmark));
}

#define EXPECT_WMARKS(wm, min, low, high) do { \
	EXPECT_EQ((wm)[WMARK_MIN], (min)); \
	EXPECT_EQ((wm)[WMARK_LOW], (low)); \
	EXPECT_EQ((wm)[WMARK_HIGH], (high)); \
} while (0)

/*
 * min is the zone's share of the total by size, rounded down: QEMU's
 * -m 128 has DMA 3705 and Normal 28512 of 32217 pages, and 1432 kB is 358
 * pages to share.
 */
static void wmark_zone_share(void)
{
	unsigned long wm[NR_WMARK];

	formula(3705, 358, 32217, wm);
	EXPECT_WMARKS(wm, 41, 51, 61);		/* 41.17 */
	formula(28512, 358, 32217, wm);
	EXPECT_WMARKS(wm, 316, 395, 474);	/* 316.83 */
	formula(786432, 16384, 1048576, wm);
	EXPECT_WMARKS(wm, 12288, 15360, 18432);
	formula(1000, 100, 1000, wm);
	EXPECT_WMARKS(wm, 100, 125, 150);
}

/*
 * The clamps of min: at most half the zone, at least 1; low and high at
 * least one and two pages above it, so min < low < high in any zone.
 */
static void wmark_zone_clamped(void)
{
	unsigned long wm[NR_WMARK];

	formula(10, 100, 10, wm);		/* 100 > half of 10 */
	EXPECT_WMARKS(wm, 5, 6, 7);
	formula(1, 100, 1000, wm);		/* 0.1 */
	EXPECT_WMARKS(wm, 1, 2, 3);
	formula(400, 3, 1000, wm);		/* 1.2 */
	EXPECT_WMARKS(wm, 1, 2, 3);
	formula(3000, 9, 3000, wm);		/* 9: min / 4 = 2 */
	EXPECT_WMARKS(wm, 9, 11, 13);
	formula(700, 10, 1000, wm);		/* 7: 7 + 1, 7 + 3 */
	EXPECT_WMARKS(wm, 7, 8, 10);
	formula(300, 10, 1000, wm);		/* 3: min / 2 = 1 < 2 */
	EXPECT_WMARKS(wm, 3, 4, 5);
}

/* ---- the whole of wmark_setup(), and its overrides ---- */

/* The zone's min as the formula would give it, computed here. */
static unsigned long expect_min(const struct zone *z, unsigned long mfk)
{
	unsigned long total = mm_total_pages();
	unsigned long min = mfk / 4 * z->present / total;

	min = min < z->present / 2 ? min : z->present / 2;
	return min ? min : 1;
}

static void expect_formula(unsigned long mfk)
{
	for (unsigned int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &zones[i];
		unsigned long min = expect_min(z, mfk);

		EXPECT_WMARKS(z->wmark, min, min + (min / 4 ? min / 4 : 1),
			      min + (min / 2 > 2 ? min / 2 : 2));
	}
}

/* A boot of 64 MiB: no fallback, the formula's figures in every zone. */
static void wmark_boot_uses_the_formula(void)
{
	EXPECT(!mm_wmark_fallback);
	EXPECT(!host_log_has("(lab 4, mm/param.c)"));
	expect_formula(4 * int_sqrt(mm_total_pages() * 4));
	EXPECT_CHECK();
}

/* min_free_kbytes=N replaces the square root, and is shared by size. */
static void wmark_min_free_kbytes_override(void)
{
	EXPECT_EQ(mm_setup_param("min_free_kbytes", "8192"), 0);
	ht_boot(64);
	EXPECT(!mm_wmark_fallback);
	expect_formula(8192);
	EXPECT_CHECK();
}

/* wmark_dma= wins for its zone; the other keeps the formula. */
static void wmark_zone_override(void)
{
	EXPECT_EQ(mm_setup_param("wmark_dma", "20,30,40"), 0);
	ht_boot(64);
	EXPECT(!mm_wmark_fallback);
	EXPECT_WMARKS(zones[ZONE_DMA].wmark, 20, 30, 40);
	EXPECT_EQ(zones[ZONE_NORMAL].wmark[WMARK_MIN],
		  expect_min(&zones[ZONE_NORMAL],
			     4 * int_sqrt(mm_total_pages() * 4)));
	EXPECT_CHECK();
}

/* ---- the boot check (mm/param.c, wmark_check()) ---- */

static void set_wmarks(struct zone *z, unsigned long min, unsigned long low,
		       unsigned long high)
{
	z->wmark[WMARK_MIN] = min;
	z->wmark[WMARK_LOW] = low;
	z->wmark[WMARK_HIGH] = high;
}

/* Watermarks left at 0 (lab 4's starter): one message, 0/1/2, no reserve. */
static void wmark_check_none_falls_back(void)
{
	set_wmarks(&zones[ZONE_DMA], 0, 0, 0);
	set_wmarks(&zones[ZONE_NORMAL], 0, 0, 0);
	host_log_clear();
	wmark_check();
	EXPECT(mm_wmark_fallback);
	EXPECT(host_log_has("mm: wmark_setup() set no watermarks (lab 4, "
			    "mm/param.c)"));
	EXPECT(!host_log_has("zone DMA"));
	EXPECT_WMARKS(zones[ZONE_DMA].wmark, 0, 1, 2);
	EXPECT_WMARKS(zones[ZONE_NORMAL].wmark, 0, 1, 2);
	EXPECT_CHECK();
	/* no reserve: GFP_ATOMIC takes the last page from a zone room */
	EXPECT(alloc_page(GFP_ATOMIC) != NULL);
	EXPECT_EQ(zones[ZONE_NORMAL].reserve.served, 0);
}

/* A zone whose watermarks are out of order: named, with what was found. */
static void wmark_check_unordered_zone_named(void)
{
	set_wmarks(&zones[ZONE_DMA], 10, 20, 30);
	set_wmarks(&zones[ZONE_NORMAL], 50, 50, 70);
	host_log_clear();
	wmark_check();
	EXPECT(mm_wmark_fallback);
	EXPECT(host_log_has("mm: zone Normal: wmark_setup() gave min 50, low "
			    "50, high 70, not 0 < min < low < high (lab 4, "
			    "mm/param.c): using min 0, low 1, high 2 instead: "
			    "no reserve here\n"));
	EXPECT(!host_log_has("zone DMA"));
	EXPECT_WMARKS(zones[ZONE_NORMAL].wmark, 0, 1, 2);
	EXPECT_WMARKS(zones[ZONE_DMA].wmark, 10, 20, 30);	/* kept */
	EXPECT_CHECK();
}

static void wmark_check_quiet_when_ordered(void)
{
	set_wmarks(&zones[ZONE_DMA], 1, 2, 3);
	set_wmarks(&zones[ZONE_NORMAL], 50, 60, 70);
	host_log_clear();
	wmark_check();
	EXPECT(!mm_wmark_fallback);
	EXPECT_EQ(strlen(host_log()), 0);
	EXPECT_WMARKS(zones[ZONE_NORMAL].wmark, 50, 60, 70);
}

static const struct host_test tests[] = {
	HT(wmark_min_free_kbytes_sqrt),
	HT(wmark_min_free_kbytes_clamped),
	HT(wmark_zone_share),
	HT(wmark_zone_clamped),
	HT(wmark_boot_uses_the_formula),
	HT(wmark_min_free_kbytes_override),
	HT(wmark_zone_override),
	HT(wmark_check_none_falls_back),
	HT(wmark_check_unordered_zone_named),
	HT(wmark_check_quiet_when_ordered),
};

int main(void)
{
	return ht_main("mm_wmark", tests, ARRAY_SIZE(tests), setup);
}
