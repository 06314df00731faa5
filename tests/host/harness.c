/*
 * harness.c - KTAP output, booting the allocator per test, snapshots.
 */
#include "host.h"
#include <stdarg.h>

unsigned int ht_failed;

void ht_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("    # %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	ht_failed++;
}

int ht_boot_ranges(unsigned long ram_bytes, const struct mem_range *r,
		   unsigned int nr)
{
	host_ctx_reset();
	host_ram_setup(ram_bytes);
	host_log_clear();
	mm_set_sleep_ops(NULL);
	return mm_init(r, nr);
}

void ht_boot(unsigned long mib)
{
	unsigned long top = (mib << 20) - (128UL << 10);
	struct mem_range r[2] = {
		{ 2UL << 20, 10UL << 20 }, { 12UL << 20, top },
	};

	if (ht_boot_ranges(mib << 20, r, 2)) {
		fprintf(stderr, "mm_init failed:\n%s", host_log());
		exit(2);
	}
}

/*
 * The last lines mm/ printed (its reports, mm_check()'s mismatches), as
 * KTAP diagnostics after a failure: the newest say most about it.
 */
static void print_log_tail(unsigned int lines)
{
	const char *log = host_log(), *p = log + strlen(log);
	unsigned int n = 0;

	while (p > log && n <= lines)
		if (*--p == '\n' && p[1])
			n++;
	if (*p == '\n')
		p++;
	while (*p) {
		int len = (int)strcspn(p, "\n");

		printf("    # log: %.*s\n", len > 200 ? 200 : len, p);
		p += len + (p[len] == '\n');
	}
}

int ht_main(const char *suite, const struct host_test *tests,
	    unsigned int nr, void (*setup)(void))
{
	unsigned int i, bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n# Subtest: %s\n1..%u\n", suite, nr);
	for (i = 0; i < nr; i++) {
		ht_failed = 0;
		mm_params_reset();
		if (setup)
			setup();
		tests[i].run();
		host_point_hook = NULL;
		host_ctx_reset();
		if (ht_failed) {
			bad++;
			print_log_tail(12);
		}
		printf("%sok %u %s\n", ht_failed ? "not " : "", i + 1,
		       tests[i].name);
	}
	printf("# %s: %u passed, %u failed\n", suite, nr - bad, bad);
	return bad ? 1 : 0;
}

void snap_take(struct mm_snapshot *s)
{
	s->nr = max_pfn;
	s->map = malloc(max_pfn * sizeof(struct page));
	memcpy(s->map, mem_map, max_pfn * sizeof(struct page));
	memcpy(s->zones, zones, sizeof(zones));
	s->hot = hot_rooms[0];
	memcpy(s->rooms, excl_rooms, sizeof(excl_rooms));
}

static bool zone_same(const struct zone *a, const struct zone *b)
{
	return a->nr_free == b->nr_free && a->nr_poisoned == b->nr_poisoned &&
	       !memcmp(a->free_area, b->free_area, sizeof(a->free_area)) &&
	       a->lock.locked == b->lock.locked;
}

bool snap_same(const struct mm_snapshot *s)
{
	unsigned int i;

	if (s->nr != max_pfn ||
	    memcmp(s->map, mem_map, max_pfn * sizeof(struct page)))
		return false;
	for (i = 0; i < MAX_NR_ZONES; i++)
		if (!zone_same(&s->zones[i], &zones[i]))
			return false;
	if (s->hot.count != hot_rooms[0].count ||
	    memcmp(s->hot.pages, hot_rooms[0].pages,
		   s->hot.count * sizeof(s->hot.pages[0])) ||
	    s->hot.nr_spill != hot_rooms[0].nr_spill ||
	    s->hot.spill.first != hot_rooms[0].spill.first)
		return false;
	for (i = 0; i < NR_EXCL_ROOMS; i++)
		if (s->rooms[i].count != excl_rooms[i].count ||
		    s->rooms[i].list.first != excl_rooms[i].list.first)
			return false;
	return true;
}

void snap_free(struct mm_snapshot *s)
{
	free(s->map);
	s->map = NULL;
}

unsigned long zone_free_total(void)
{
	return zones[ZONE_DMA].nr_free + zones[ZONE_NORMAL].nr_free;
}

void ht_destroy_rooms(void)
{
	int id;

	for (id = 0; id < NR_EXCL_ROOMS; id++)
		if (excl_rooms[id].name)
			excl_room_destroy(id);
}

/*
 * Take every order-MAX_ORDER block GFP_KERNEL can get (the allocator gives
 * its hot room back before it would sleep), chained through their first
 * word, then free them all: every page must now be in the zones. Pages
 * stranded in a room, or left unmerged, show as a shortfall.
 */
bool ht_pages_come_back(void)
{
	void *chain = NULL, *p;

	while ((p = get_free_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER))) {
		*(void **)p = chain;
		chain = p;
	}
	while (chain) {
		p = chain;
		chain = *(void **)p;
		free_pages_addr(p, MAX_ORDER);
	}
	return zone_free_total() == mm_total_pages();
}

bool ht_all_bytes(const void *p, int c, unsigned long n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++ != (unsigned char)c)
			return false;
	return true;
}
