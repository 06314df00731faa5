/*
 * test_mm_init.c - mm_init(): mem_map, reserved frames, zones, watermarks
 * and the command-line parameters.
 */
#include "host.h"

#define MIB(x)	((unsigned long)(x) << 20)

static void setup(void)
{
	ht_boot(64);
}

static void init_struct_page_16_bytes(void)
{
	EXPECT_EQ(sizeof(struct page), 16);
}

/* Every usable frame but mem_map's is free; the rest is reserved. */
static void init_ranges_all_free(void)
{
	unsigned long usable = (MIB(8) + MIB(64) - (128UL << 10) - MIB(12)) >>
			       PAGE_SHIFT;

	EXPECT_EQ(mm_total_pages(), usable - mm_map_pages);
	EXPECT_EQ(zone_free_total(), mm_total_pages());
	EXPECT_EQ(mm_reserved_pages, max_pfn - mm_total_pages());
	EXPECT_EQ(max_pfn, (MIB(64) - (128UL << 10)) >> PAGE_SHIFT);
	EXPECT_CHECK();
}

static void init_holes_reserved(void)
{
	EXPECT(mem_map[0].flags & PG_reserved);
	EXPECT(mem_map[(MIB(2) >> PAGE_SHIFT) - 1].flags & PG_reserved);
	EXPECT(!(mem_map[MIB(2) >> PAGE_SHIFT].flags & PG_reserved));
	EXPECT(mem_map[MIB(10) >> PAGE_SHIFT].flags & PG_reserved);
	EXPECT(mem_map[(MIB(12) >> PAGE_SHIFT) - 1].flags & PG_reserved);
}

/* mem_map sits at the top of the highest range and is reserved. */
static void init_map_at_top_reserved(void)
{
	pfn_t first = __pa(mem_map) >> PAGE_SHIFT;
	pfn_t i;

	EXPECT_EQ(first + mm_map_pages, max_pfn);
	EXPECT_EQ(mm_map_pages, (max_pfn * 16 + PAGE_SIZE - 1) >> PAGE_SHIFT);
	for (i = first; i < max_pfn; i++)
		EXPECT(mem_map[i].flags & PG_reserved);
}

/* Boot must not write the free pages: a pattern put there survives. */
static void init_free_pages_untouched(void)
{
	struct mem_range r = { MIB(2), MIB(20) };
	unsigned char *low;
	unsigned long i, bad = 0;

	host_ram_setup(MIB(20));
	low = __va(MIB(2));
	memset(low, 0xa5, MIB(16));
	EXPECT_EQ(mm_init(&r, 1), 0);
	for (i = 0; i < MIB(16); i++)
		bad += low[i] != 0xa5;
	EXPECT_EQ(bad, 0);
	EXPECT_CHECK();
}

static void init_bad_ranges_refused(void)
{
	struct mem_range unsorted[2] = { { MIB(4), MIB(8) },
					 { MIB(2), MIB(3) } };
	struct mem_range unaligned = { MIB(2) + 10, MIB(8) };
	struct mem_range empty = { MIB(2), MIB(2) };
	struct mem_range above = { MIB(2), MIB(128) };

	EXPECT_EQ(ht_boot_ranges(MIB(64), unsorted, 2), -EINVAL);
	EXPECT_EQ(ht_boot_ranges(MIB(64), &unaligned, 1), -EINVAL);
	EXPECT_EQ(ht_boot_ranges(MIB(64), &empty, 1), -EINVAL);
	EXPECT_EQ(ht_boot_ranges(MIB(64), &above, 1), -EINVAL);
	EXPECT_EQ(ht_boot_ranges(MIB(64), NULL, 0), -EINVAL);
}

static void init_map_too_big_refused(void)
{
	struct mem_range r[2] = { { MIB(1), MIB(1) + PAGE_SIZE },
				  { MIB(63), MIB(63) + 4 * PAGE_SIZE } };

	EXPECT_EQ(ht_boot_ranges(MIB(64), r, 2), -ENOMEM);
}

static void init_16mib_only_dma(void)
{
	struct mem_range r = { MIB(1), MIB(16) };

	EXPECT_EQ(ht_boot_ranges(MIB(16), &r, 1), 0);
	EXPECT_EQ(zones[ZONE_NORMAL].present, 0);
	EXPECT_EQ(zones[ZONE_DMA].present, mm_total_pages());
	EXPECT(alloc_page(GFP_KERNEL) != NULL);
	EXPECT_CHECK();
}

/* Zones split at 16 MiB; no free block crosses it. */
static void init_zone_boundary(void)
{
	struct zone *dma = &zones[ZONE_DMA], *normal = &zones[ZONE_NORMAL];

	EXPECT_EQ(dma->present, (MIB(8) + MIB(4)) >> PAGE_SHIFT);
	EXPECT_EQ(dma->end_pfn, DMA_END_PFN);
	EXPECT_EQ(normal->start_pfn, DMA_END_PFN);
	EXPECT_EQ(dma->present + normal->present, mm_total_pages());
	EXPECT_EQ(dma->nr_free, dma->present);
	EXPECT_CHECK();	/* checks each block lies inside its zone */
}

/* Adjacent ranges become one run of maximal blocks. */
static void init_adjacent_ranges_merge(void)
{
	struct mem_range r[3] = { { MIB(4), MIB(5) }, { MIB(5), MIB(8) },
				  { MIB(8), MIB(40) } };

	EXPECT_EQ(ht_boot_ranges(MIB(40), r, 3), 0);
	EXPECT_EQ(zones[ZONE_DMA].free_area[MAX_ORDER].nr_free, 3);
	EXPECT_EQ(zones[ZONE_DMA].free_area[0].nr_free, 0);
	EXPECT_CHECK();
}

/* The formula: 4 * sqrt(kB), split by zone size, low = 5/4, high = 3/2. */
static void wmark_formula(void)
{
	unsigned long total = mm_total_pages();
	unsigned long mfk = 4 * int_sqrt(total * 4);
	unsigned long i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];
		unsigned long min = mfk / 4 * z->present / total;

		EXPECT_EQ(z->wmark[WMARK_MIN], min);
		EXPECT_EQ(z->wmark[WMARK_LOW], min + min / 4);
		EXPECT_EQ(z->wmark[WMARK_HIGH], min + min / 2);
		EXPECT(z->wmark[WMARK_MIN] < z->wmark[WMARK_LOW]);
		EXPECT(z->wmark[WMARK_LOW] < z->wmark[WMARK_HIGH]);
	}
}

static void wmark_int_sqrt(void)
{
	EXPECT_EQ(int_sqrt(0), 0);
	EXPECT_EQ(int_sqrt(1), 1);
	EXPECT_EQ(int_sqrt(16384), 128);
	EXPECT_EQ(int_sqrt(16383), 127);
	EXPECT_EQ(int_sqrt(3UL << 20), 1773);
}

/* Tiny machines clamp min_free_kbytes to 1/16 of memory. */
static void wmark_small_machine_clamped(void)
{
	struct mem_range r = { MIB(2), MIB(3) };

	EXPECT_EQ(ht_boot_ranges(MIB(3), &r, 1), 0);
	EXPECT(zones[ZONE_DMA].wmark[WMARK_HIGH] < zones[ZONE_DMA].present);
	EXPECT_EQ(zones[ZONE_DMA].wmark[WMARK_MIN],
		  mm_total_pages() * 4 / 16 / 4);
	EXPECT_CHECK();
}

static void param_min_free_kbytes_override(void)
{
	unsigned long total;

	EXPECT_EQ(mm_setup_param("min_free_kbytes", "4096"), 0);
	ht_boot(64);
	total = mm_total_pages();
	EXPECT_EQ(zones[ZONE_DMA].wmark[WMARK_MIN],
		  1024 * zones[ZONE_DMA].present / total);
	EXPECT_EQ(zones[ZONE_NORMAL].wmark[WMARK_MIN],
		  1024 * zones[ZONE_NORMAL].present / total);
}

static void param_wmark_zone(void)
{
	EXPECT_EQ(mm_setup_param("wmark_dma", "10,20,30"), 0);
	EXPECT_EQ(mm_setup_param("wmark_normal", "100,150,200"), 0);
	ht_boot(64);
	EXPECT_EQ(zones[ZONE_DMA].wmark[WMARK_MIN], 10);
	EXPECT_EQ(zones[ZONE_DMA].wmark[WMARK_LOW], 20);
	EXPECT_EQ(zones[ZONE_DMA].wmark[WMARK_HIGH], 30);
	EXPECT_EQ(zones[ZONE_NORMAL].wmark[WMARK_HIGH], 200);
	EXPECT_CHECK();
}

/* A per-zone override that does not fit the zone falls back, loudly. */
static void param_wmark_too_big_falls_back(void)
{
	EXPECT_EQ(mm_setup_param("wmark_dma", "10,20,999999"), 0);
	ht_boot(64);
	EXPECT(zones[ZONE_DMA].wmark[WMARK_HIGH] < zones[ZONE_DMA].present);
	EXPECT(host_log_has("wmark_dma=: high 999999 does not fit"));
}

static void param_bad_values_refused(void)
{
	EXPECT_EQ(mm_setup_param("min_free_kbytes", "lots"), -EINVAL);
	EXPECT_EQ(mm_setup_param("min_free_kbytes", ""), -EINVAL);
	EXPECT_EQ(mm_setup_param("min_free_kbytes", "12x"), -EINVAL);
	EXPECT_EQ(mm_setup_param("min_free_kbytes", NULL), -EINVAL);
	EXPECT_EQ(mm_setup_param("wmark_dma", "30,20,10"), -EINVAL);
	EXPECT_EQ(mm_setup_param("wmark_dma", "0,1,2"), -EINVAL);
	EXPECT_EQ(mm_setup_param("wmark_normal", "1,2"), -EINVAL);
	EXPECT_EQ(mm_setup_param("wmark_normal", "1,2,3,4"), -EINVAL);
	EXPECT_EQ(mm_setup_param("mm_hot_high", "0"), -EINVAL);
	EXPECT(host_log_has("min_free_kbytes=lots"));
	EXPECT_EQ(param_min_free_kbytes, 0);
	EXPECT(!param_wmark[ZONE_DMA].set);
}

/* The message quotes the value as given, not what the parser left. */
static void param_error_quotes_value(void)
{
	host_log_clear();
	EXPECT_EQ(mm_setup_param("min_free_kbytes", "12x"), -EINVAL);
	EXPECT(host_log_has("min_free_kbytes=12x:"));
	EXPECT_EQ(mm_setup_param("mm_hot_high", "5000"), -EINVAL);
	EXPECT(host_log_has("mm_hot_high=5000:"));
}

static void param_unknown_name(void)
{
	EXPECT_EQ(mm_setup_param("console", "ttyS0"), -ENOENT);
	EXPECT_EQ(mm_setup_param(NULL, "1"), -ENOENT);
}

static void param_hot_high_override(void)
{
	EXPECT_EQ(mm_setup_param("mm_hot_high", "8"), 0);
	ht_boot(64);
	EXPECT_EQ(hot_rooms[0].high, 8);
}

static const struct host_test tests[] = {
	HT(init_struct_page_16_bytes),
	HT(init_ranges_all_free),
	HT(init_holes_reserved),
	HT(init_map_at_top_reserved),
	HT(init_free_pages_untouched),
	HT(init_bad_ranges_refused),
	HT(init_map_too_big_refused),
	HT(init_16mib_only_dma),
	HT(init_zone_boundary),
	HT(init_adjacent_ranges_merge),
	HT(wmark_formula),
	HT(wmark_int_sqrt),
	HT(wmark_small_machine_clamped),
	HT(param_min_free_kbytes_override),
	HT(param_wmark_zone),
	HT(param_wmark_too_big_falls_back),
	HT(param_bad_values_refused),
	HT(param_error_quotes_value),
	HT(param_unknown_name),
	HT(param_hot_high_override),
};

int main(void)
{
	return ht_main("mm_init", tests, ARRAY_SIZE(tests), setup);
}
