/*
 * test_mm_edges.c - the zone room's watermark test, the path of each GFP
 * class, and the reserve, one page above and at each watermark (lab 4,
 * exercises 3 and 4), and the boot checks that watch them.
 *
 * The watermarks come from the command line, not from the formula, so
 * that these tests pass whatever exercises 1 and 2 give:
 *
 *   wmark_dma=20,30,40      wmark_normal=40,60,80      (min, low, high)
 *
 * "At the edge" a zone has exactly a block and the watermark free, and a
 * room that keeps the watermark serves; one frame fewer, and it misses:
 *
 *   Normal free  61  GFP_KERNEL order 0 -> Normal (keeps 60 = low)
 *                60  GFP_KERNEL: Normal misses; DMA or nothing
 *                41  GFP_ATOMIC order 0 -> Normal (keeps 40 = min)
 *                40  GFP_ATOMIC: Normal misses; DMA, then the reserve
 *
 * The zones are eaten straight from the buddy lists (eat_zone()), so the
 * hot room stays empty and no free count moves behind a test's back.
 */
#include "host.h"

#define N_MIN	40
#define N_LOW	60
#define D_MIN	20
#define D_LOW	30

static void setup(void)
{
	mm_setup_param("wmark_dma", "20,30,40");
	mm_setup_param("wmark_normal", "40,60,80");
	ht_boot(64);
}

static struct zone *const normal = &zones[ZONE_NORMAL];
static struct zone *const dma = &zones[ZONE_DMA];

/* ---- the lab's boot checks: a test says when they fell back ---- */

/* The line of the boot log that holds text, into buf ("" if none). */
static const char *boot_line(const char *text, char *buf, size_t size)
{
	const char *s = strstr(host_log(), text), *b;
	size_t n;

	buf[0] = '\0';
	if (!s)
		return buf;
	for (b = s; b > host_log() && b[-1] != '\n'; b--)
		;
	n = strcspn(b, "\n");
	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), b);
	return buf;
}

/*
 * False, with the boot check's words, if the kernel found the zone
 * room's test wrong at boot and ignores the watermarks: then what these
 * tests see is the fallback, not the student's code.
 */
static bool room_test_passed(void)
{
	char line[400];

	if (!mm_wmark_test_fallback)
		return true;
	ht_fail(__FILE__, __LINE__, "the boot self-test of the zone room's "
		"test (exercise 3) failed: %s",
		boot_line("zone_watermark_ok()", line, sizeof(line)));
	return false;
}

static bool paths_passed(void)
{
	char line[400];

	if (!mm_paths_broken)
		return true;
	ht_fail(__FILE__, __LINE__, "the boot check of the paths found %u "
		"class%s breaking a rule (exercise 4): %s", mm_paths_broken,
		mm_paths_broken == 1 ? "" : "es",
		boot_line("mm: the paths", line, sizeof(line)));
	return false;
}

/* ---- eating a zone down to an edge ---- */

static struct page *eaten[20000];
static unsigned long nr_eaten;

/* Take frames out of z's buddy lists until it has `leave` free. */
static void eat_zone(struct zone *z, unsigned long leave)
{
	unsigned int poisoned;
	struct page *page;

	spin_lock(&z->lock);
	while (z->nr_free > leave && nr_eaten < ARRAY_SIZE(eaten)) {
		page = __buddy_take(z, 0, &poisoned);
		page->flags = PG_head;
		page->order = 0;
		eaten[nr_eaten++] = page;
	}
	spin_unlock(&z->lock);
}

/* Every page back, through the allocator's own paths. */
static void give_back(void)
{
	while (nr_eaten)
		free_page(eaten[--nr_eaten]);
	EXPECT(ht_pages_come_back());
	EXPECT_CHECK();
}

static bool in_zone(const struct page *page, const struct zone *z)
{
	return page && page_zone(page) == z;
}

/* What the caller frees at the end: blocks it took, with their order. */
static struct page *held[16];
static unsigned int held_order[16], nr_held;

static struct page *hold(struct page *page, unsigned int order)
{
	if (page && nr_held < ARRAY_SIZE(held)) {
		held[nr_held] = page;
		held_order[nr_held++] = order;
	}
	return page;
}

static void release(void)
{
	while (nr_held) {
		nr_held--;
		free_pages(held[nr_held], held_order[nr_held]);
	}
	give_back();
}

/* ---- exercise 3: the zone room's test, asked through the room ---- */

/* A GFP_KERNEL-like request of this order for zone_room_take(). */
static struct alloc_ctx room_ctx(const struct zone *z, unsigned int order)
{
	return (struct alloc_ctx){ .gfp = GFP_KERNEL, .order = order,
				   .cls = &gfp_classes[CLASS_KERNEL],
				   .room = (u8)zone_troom(z) };
}

static const char *const mark_names[] = { "min", "low", "high" };

/*
 * The zone room of z, at the edge of each watermark (order 0 and 2):
 * with 2^order + wmark free it serves, and the zone keeps exactly wmark;
 * one frame fewer and it misses, changing nothing but its miss count.
 */
static void room_edges(struct zone *z)
{
	for (unsigned int order = 0; order <= 2; order += 2) {
		for (unsigned int m = WMARK_MIN; m < NR_WMARK; m++) {
			unsigned long edge = (1UL << order) + z->wmark[m];
			struct alloc_ctx ac = room_ctx(z, order);
			unsigned long served = z->room.served;
			unsigned long misses = z->room.misses;
			struct page *page;

			eat_zone(z, edge);
			page = zone_room_take(z, &ac, m);
			if (!page)
				ht_fail(__FILE__, __LINE__, "zone %s, %lu "
					"free, order %u, %s %lu: no block, "
					"want one", z->name, edge, order,
					mark_names[m], z->wmark[m]);
			EXPECT_EQ(z->nr_free, page ? z->wmark[m] : edge);
			EXPECT_EQ(z->room.served, served + 1);
			if (page)
				zone_room_put(page, order, false);
			eat_zone(z, edge - 1);
			page = zone_room_take(z, &ac, m);
			if (page) {
				ht_fail(__FILE__, __LINE__, "zone %s, %lu "
					"free, order %u, %s %lu: a block, "
					"which leaves %lu", z->name, edge - 1,
					order, mark_names[m], z->wmark[m],
					z->nr_free);
				zone_room_put(page, order, false);
			}
			EXPECT_EQ(z->room.misses, misses + 1);
			EXPECT_EQ(z->nr_free, edge - 1);
			give_back();
		}
	}
}

static void edge_room_normal(void)
{
	if (room_test_passed())
		room_edges(normal);
}

static void edge_room_dma(void)
{
	if (room_test_passed())
		room_edges(dma);
}

/* ---- exercise 4: the paths, as the labyrinth view prints them ---- */

/* Class id's path as `labyrinth` prints it, between its name and ';'. */
static const char *path_text(unsigned int id, char *buf, size_t size)
{
	char line[256], *p, *end;
	struct seq_buf sb;

	seq_buf_init(&sb, line, sizeof(line));
	path_show(&sb.seq, &gfp_classes[id]);
	p = line + 2 + strlen(gfp_classes[id].name);
	while (*p == ' ')
		p++;
	end = strchr(p, ';');
	snprintf(buf, size, "%.*s", (int)(end ? end - p : (long)strlen(p)),
		 p);
	return buf;
}

static void expect_path(unsigned int id, const char *want)
{
	char got[256];

	path_text(id, got, sizeof(got));
	if (strcmp(got, want))
		ht_fail(__FILE__, __LINE__, "%s walks\n    #   %s\n    # "
			"want\n    #   %s", gfp_classes[id].name, got, want);
}

static void path_table_gfp_kernel(void)
{
	expect_path(CLASS_KERNEL, "hot -> Normal>low -> DMA>low");
	expect_path(CLASS_DMA_KERNEL, "DMA>low");
}

static void path_table_gfp_atomic(void)
{
	expect_path(CLASS_ATOMIC, "hot -> Normal>min -> DMA>min -> "
		    "reserve(Normal) -> reserve(DMA)");
	expect_path(CLASS_DMA_ATOMIC, "DMA>min -> reserve(DMA)");
}

static void path_table_no_sleep(void)
{
	expect_path(CLASS_NOSLEEP, "hot -> Normal>min -> DMA>min");
	expect_path(CLASS_DMA_NOSLEEP, "DMA>min");
}

/* ---- exercises 3 and 4: each class walks its path, at the edges ---- */

/*
 * GFP_KERNEL: Normal down to low, then DMA down to low, then nothing (it
 * would sleep: no hooks here); never a reserve. An order-2 block needs
 * four frames above low.
 */
static void edge_gfp_kernel_stops_at_low(void)
{
	if (!room_test_passed() || !paths_passed())
		return;
	eat_zone(normal, N_LOW + 1);
	eat_zone(dma, D_LOW + 1);
	EXPECT(in_zone(hold(alloc_page(GFP_KERNEL), 0), normal));
	EXPECT_EQ(normal->nr_free, N_LOW);
	EXPECT(in_zone(hold(alloc_page(GFP_KERNEL), 0), dma));
	EXPECT_EQ(dma->nr_free, D_LOW);
	EXPECT(hold(alloc_page(GFP_KERNEL | __GFP_NOWARN), 0) == NULL);
	EXPECT_EQ(mm_would_sleep_count(), 1);
	EXPECT_EQ(normal->nr_free, N_LOW);
	EXPECT_EQ(dma->nr_free, D_LOW);
	EXPECT_EQ(normal->reserve.served + dma->reserve.served, 0);
	release();
	eat_zone(normal, N_LOW + 4);
	eat_zone(dma, D_LOW + 3);
	EXPECT(in_zone(hold(alloc_pages(GFP_KERNEL, 2), 2), normal));
	EXPECT(hold(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2), 2) == NULL);
	EXPECT_EQ(dma->nr_free, D_LOW + 3);
	release();
}

/*
 * GFP_ATOMIC: Normal down to min, DMA down to min, then the reserve of
 * Normal, then that of DMA, then NULL. GFP_KERNEL, between low and min,
 * gets nothing meanwhile.
 */
static void edge_gfp_atomic_reserve_last(void)
{
	if (!room_test_passed() || !paths_passed())
		return;
	eat_zone(normal, N_MIN + 1);
	eat_zone(dma, D_MIN + 1);
	EXPECT(hold(alloc_page(GFP_KERNEL | __GFP_NOWARN), 0) == NULL);
	EXPECT(in_zone(hold(alloc_page(GFP_ATOMIC), 0), normal));
	EXPECT(in_zone(hold(alloc_page(GFP_ATOMIC), 0), dma));
	EXPECT_EQ(normal->nr_free, N_MIN);
	EXPECT_EQ(dma->nr_free, D_MIN);
	EXPECT_EQ(normal->reserve.served + dma->reserve.served, 0);
	EXPECT(in_zone(hold(alloc_page(GFP_ATOMIC), 0), normal));
	EXPECT_EQ(normal->reserve.served, 1);
	EXPECT_EQ(normal->nr_free, N_MIN - 1);
	eat_zone(normal, 0);
	EXPECT(in_zone(hold(alloc_page(GFP_ATOMIC), 0), dma));
	EXPECT_EQ(dma->reserve.served, 1);
	eat_zone(dma, 0);
	EXPECT(hold(alloc_page(GFP_ATOMIC | __GFP_NOWARN), 0) == NULL);
	EXPECT_EQ(gfp_classes[CLASS_ATOMIC].failures, 1);
	release();
}

/*
 * GFP_DMA: the DMA zone's rooms only, whatever Normal holds; with
 * GFP_KERNEL down to low, with GFP_ATOMIC down to min, then DMA's reserve.
 */
static void edge_gfp_dma_only_dma(void)
{
	if (!room_test_passed() || !paths_passed())
		return;
	eat_zone(dma, D_LOW + 1);
	EXPECT(in_zone(hold(alloc_page(GFP_KERNEL | GFP_DMA), 0), dma));
	EXPECT(hold(alloc_page(GFP_KERNEL | GFP_DMA | __GFP_NOWARN), 0) ==
	       NULL);
	EXPECT_EQ(dma->nr_free, D_LOW);
	eat_zone(dma, D_MIN + 1);
	EXPECT(in_zone(hold(alloc_page(GFP_ATOMIC | GFP_DMA), 0), dma));
	EXPECT_EQ(dma->reserve.served, 0);
	EXPECT(in_zone(hold(alloc_page(GFP_ATOMIC | GFP_DMA), 0), dma));
	EXPECT_EQ(dma->reserve.served, 1);
	eat_zone(dma, 0);
	EXPECT(hold(alloc_page(GFP_ATOMIC | GFP_DMA | __GFP_NOWARN), 0) ==
	       NULL);
	EXPECT_EQ(normal->room.served + normal->reserve.served, 0);
	EXPECT_EQ(normal->room.misses + normal->reserve.misses, 0);
	EXPECT_EQ(hot_rooms[0].stats.served + hot_rooms[0].stats.misses, 0);
	release();
}

/*
 * An interrupt handler finds both zones at min: GFP_ATOMIC is served from
 * the reserve; GFP_KERNEL there (a bug, reported) is served as GFP_ATOMIC
 * without the reserve, so it gets nothing. With the reserve empty too,
 * GFP_ATOMIC returns NULL at once: it never waits, even with hooks that
 * would let it.
 */
static int never_called(unsigned long seen, unsigned int ms)
{
	(void)seen;
	(void)ms;
	ht_fail(__FILE__, __LINE__, "an allocation in an interrupt waited");
	return -EAGAIN;
}

static unsigned long zero_clock(void)
{
	return 0;
}

static const struct mm_sleep_ops never_ops = {
	.wait_for_pages = never_called, .clock_ms = zero_clock,
};

static void edge_interrupt_takes_the_reserve(void)
{
	if (!room_test_passed() || !paths_passed())
		return;
	eat_zone(normal, N_MIN);
	eat_zone(dma, D_MIN);
	mm_set_sleep_ops(&never_ops);
	host_irq_enter(1);
	EXPECT(in_zone(hold(alloc_page(GFP_ATOMIC), 0), normal));
	EXPECT(hold(alloc_page(GFP_KERNEL | __GFP_NOWARN), 0) == NULL);
	host_irq_exit();
	EXPECT_EQ(normal->reserve.served, 1);
	EXPECT_EQ(mm_report_count(MM_BUG_SLEEP_ATOMIC), 1);
	EXPECT_EQ(gfp_classes[CLASS_NOSLEEP].failures, 1);
	eat_zone(normal, 0);
	eat_zone(dma, 0);
	host_irq_enter(1);
	EXPECT(hold(alloc_page(GFP_ATOMIC | __GFP_NOWARN), 0) == NULL);
	host_irq_exit();
	EXPECT_EQ(gfp_classes[CLASS_ATOMIC].failures, 1);
	mm_set_sleep_ops(NULL);
	release();
}

/* ---- the boot checks themselves ---- */

/* The solution passes them all, silently. */
static void check_boot_quiet(void)
{
	EXPECT(!mm_wmark_test_fallback);
	EXPECT_EQ(mm_paths_broken, 0);
	EXPECT(!host_log_has("(lab 4"));
}

/* With the fallback, the zone rooms ignore watermarks: no reserve. */
static void check_room_fallback_ignores_watermarks(void)
{
	mm_wmark_test_fallback = true;
	eat_zone(normal, N_MIN);
	EXPECT(in_zone(hold(alloc_page(GFP_ATOMIC), 0), normal));
	EXPECT_EQ(normal->room.served, 1);
	EXPECT_EQ(normal->reserve.served, 0);
	mm_wmark_test_fallback = false;
	release();
}

static const struct path_step plain[] = {
	{ ROOM_HOT, 0, 0 }, { ROOM_ZONE, ZONE_NORMAL, WMARK_MIN },
	{ ROOM_ZONE, ZONE_DMA, WMARK_MIN }, { ROOM_END, 0, 0 }
};
static const struct path_step plain_dma[] = {
	{ ROOM_ZONE, ZONE_DMA, WMARK_MIN }, { ROOM_END, 0, 0 }
};
static const struct path_step backwards[] = {
	{ ROOM_RESERVE, ZONE_NORMAL, 0 }, { ROOM_ZONE, ZONE_DMA, WMARK_HIGH },
	{ ROOM_ZONE, ZONE_NORMAL, WMARK_MIN }, { ROOM_END, 0, 0 }
};
static const struct path_step nowhere[] = { { ROOM_END, 0, 0 } };

/* Run path_check() with some classes' paths replaced; then restore. */
static void check_paths_with(const struct path_step *const *paths)
{
	const struct path_step *saved[NR_GFP_CLASSES];
	unsigned int i;

	for (i = 0; i < NR_GFP_CLASSES; i++) {
		saved[i] = gfp_classes[i].path;
		if (paths[i])
			gfp_classes[i].path = paths[i];
	}
	host_log_clear();
	path_check();
	for (i = 0; i < NR_GFP_CLASSES; i++)
		gfp_classes[i].path = saved[i];
}

/* Lab 4's starter: every class walks the plain path. */
static void check_paths_starter_named(void)
{
	const struct path_step *const paths[NR_GFP_CLASSES] = {
		plain, plain, plain, plain_dma, plain_dma, plain_dma
	};

	check_paths_with(paths);
	EXPECT_EQ(mm_paths_broken, 4);
	EXPECT(host_log_has("mm: the paths in mm/path.c break their rules "
			    "(lab 4): GFP_KERNEL stops at min, not low; "
			    "GFP_ATOMIC enters no reserve; GFP_KERNEL|GFP_DMA "
			    "stops at min, not low; GFP_ATOMIC|GFP_DMA enters "
			    "no reserve\n"));
}

/* Other ways to get a path wrong, each named. */
static void check_paths_mistakes_named(void)
{
	const struct path_step *const paths[NR_GFP_CLASSES] = {
		backwards, nowhere, NULL, plain, NULL, NULL
	};

	unsigned int at_boot = mm_paths_broken;

	check_paths_with(paths);
	EXPECT(host_log_has("GFP_KERNEL does not start with the hot room, "
			    "walks DMA before Normal, stops at high, not low, "
			    "enters the reserve;"));
	EXPECT(host_log_has("; GFP_ATOMIC walks no room; "));
	EXPECT(host_log_has("GFP_KERNEL|GFP_DMA leaves the DMA zone, stops "
			    "at min, not low\n"));
	check_paths_with((const struct path_step *[NR_GFP_CLASSES]){ NULL });
	EXPECT_EQ(mm_paths_broken, at_boot);	/* the tables are back */
}

static const struct host_test tests[] = {
	HT(edge_room_normal),
	HT(edge_room_dma),
	HT(path_table_gfp_kernel),
	HT(path_table_gfp_atomic),
	HT(path_table_no_sleep),
	HT(edge_gfp_kernel_stops_at_low),
	HT(edge_gfp_atomic_reserve_last),
	HT(edge_gfp_dma_only_dma),
	HT(edge_interrupt_takes_the_reserve),
	HT(check_boot_quiet),
	HT(check_room_fallback_ignores_watermarks),
	HT(check_paths_starter_named),
	HT(check_paths_mistakes_named),
};

int main(void)
{
	return ht_main("mm_edges", tests, ARRAY_SIZE(tests), setup);
}
