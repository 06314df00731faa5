/*
 * test_mm_views.c - meminfo, buddyinfo, zoneinfo and the labyrinth map,
 * captured through a seq_buf.
 */
#include "host.h"

static char out[16384];
static struct seq_buf sb;

static void setup(void)
{
	ht_boot(64);
	seq_buf_init(&sb, out, sizeof(out));
}

static bool has(const char *text)
{
	return strstr(out, text) != NULL;
}

/* "MemTotal:" padded to 16 columns, the number in 8, then " kB". */
static void view_meminfo_fields(void)
{
	char line[64];
	struct page *p = alloc_pages(GFP_KERNEL, 4);

	mm_show_meminfo(&sb.seq);
	snprintf(line, sizeof(line), "MemTotal:       %8lu kB\n",
		 mm_total_pages() * 4);
	EXPECT(has(line));
	snprintf(line, sizeof(line), "MemFree:        %8lu kB\n",
		 (mm_total_pages() - 16) * 4);
	EXPECT(has(line));
	EXPECT(has("HotRoom:"));
	EXPECT(has("ExclusiveRooms:"));
	EXPECT(has("Reserved:"));
	free_pages(p, 4);
}

/* The test's interrupt: moves a page from its zone to the hot room. */
static void irq_moves_a_page(void)
{
	host_irq_enter(0);
	free_page(alloc_page(GFP_ATOMIC));
	host_irq_exit();
}

/*
 * meminfo reads its counts at one moment: an interrupt that moves a page
 * from a zone to the hot room in the middle does not count it twice
 * (which made MemUsed wrap below 0).
 */
static void view_meminfo_one_snapshot(void)
{
	char line[64];

	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), 0);
	host_irq_hook = irq_moves_a_page;
	mm_show_meminfo(&sb.seq);
	EXPECT(host_irq_hook == NULL);		/* the interrupt came */
	EXPECT_EQ(hot_room_pages(&hot_rooms[0]), 1);
	snprintf(line, sizeof(line), "MemFree:        %8lu kB\n",
		 mm_total_pages() * 4);
	EXPECT(has(line));
	EXPECT(has("MemUsed:               0 kB\n"));
}

static void view_free_pages_counts_hot(void)
{
	struct page *p = alloc_page(GFP_KERNEL);

	EXPECT_EQ(mm_free_pages(), mm_total_pages() - 1);
	free_page(p);
	EXPECT_EQ(mm_free_pages(), mm_total_pages());
	EXPECT_EQ(hot_rooms[0].count, 1);
}

static void view_buddyinfo_counts(void)
{
	char line[160];
	int n = 0;
	unsigned int o;

	mm_show_buddyinfo(&sb.seq);
	n += snprintf(line + n, sizeof(line) - n, "zone      DMA:");
	for (o = 0; o < NR_ORDERS; o++)
		n += snprintf(line + n, sizeof(line) - n, " %6lu",
			      zones[ZONE_DMA].free_area[o].nr_free);
	EXPECT(has(line));
	EXPECT(has("zone   Normal:"));
}

static void view_zoneinfo_watermarks(void)
{
	char line[64];

	mm_show_zoneinfo(&sb.seq);
	snprintf(line, sizeof(line), "min      %lu\n",
		 zones[ZONE_NORMAL].wmark[WMARK_MIN]);
	EXPECT(has(line));
	snprintf(line, sizeof(line), "high     %lu\n",
		 zones[ZONE_DMA].wmark[WMARK_HIGH]);
	EXPECT(has(line));
	EXPECT(has("zone DMA\n"));
	EXPECT(has("reserve room"));
}

static void view_labyrinth_map(void)
{
	struct page *p;
	int id = excl_room_create(OWNER_IRQ(1), 4, "kbd");

	excl_room_refill(id);
	spin_lock(&zones[ZONE_NORMAL].lock);
	host_irq_enter(1);
	p = alloc_pages(GFP_ATOMIC, 1);
	host_irq_exit();
	spin_unlock(&zones[ZONE_NORMAL].lock);
	mm_show_labyrinth(&sb.seq);
	EXPECT(has("hot (cpu 0)"));
	EXPECT(has("exclusive kbd"));
	EXPECT(has("owner IRQ1, target 4"));
	EXPECT(has("GFP_KERNEL "));
	EXPECT(has("hot -> Normal>low -> DMA>low; else sleep"));
	EXPECT(has("hot -> Normal>min -> DMA>min -> reserve(Normal) -> "
		   "reserve(DMA)"));
	EXPECT(has("GFP_ATOMIC|GFP_DMA"));
	EXPECT(has("collisions 1"));
	free_pages(p, 1);
}

/*
 * Every path starts in the same column, two spaces after the longest class
 * name ("GFP_KERNEL|GFP_DMA in atomic context", 37 characters), so no name
 * runs into its path.
 */
static void view_labyrinth_paths_aligned(void)
{
	int col = 2 + (int)strlen("GFP_KERNEL|GFP_DMA in atomic context") + 2;
	char want[64];
	unsigned int i;

	mm_show_labyrinth(&sb.seq);
	EXPECT(has("  GFP_KERNEL|GFP_DMA in atomic context  DMA>min;"));
	for (i = 0; i < NR_GFP_CLASSES; i++) {
		const char *line;

		snprintf(want, sizeof(want), "\n  %s ", gfp_classes[i].name);
		line = strstr(out, want);
		EXPECT(line != NULL);
		if (!line)
			continue;
		line++;		/* past the newline */
		EXPECT(line[col - 1] == ' ');
		EXPECT(line[col] == 'h' || line[col] == 'D');	/* hot, DMA */
	}
}

static const struct host_test tests[] = {
	HT(view_meminfo_fields),
	HT(view_meminfo_one_snapshot),
	HT(view_free_pages_counts_hot),
	HT(view_buddyinfo_counts),
	HT(view_zoneinfo_watermarks),
	HT(view_labyrinth_map),
	HT(view_labyrinth_paths_aligned),
};

int main(void)
{
	return ht_main("mm_views", tests, ARRAY_SIZE(tests), setup);
}
