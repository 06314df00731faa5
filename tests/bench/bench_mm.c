/*
 * bench_mm.c - what an allocation costs, at 16 MiB, 256 MiB and 3 GiB.
 *
 * Each measured operation is one noinline function bench_op_*(), so that
 * callgrind can count exactly its instructions (--toggle-collect=bench_op_*)
 * and the timing loop calls the same code:
 *
 *   floor_pair   a bare pop and push on a pfn-linked free list (the floor)
 *   hot_pair     alloc_page(GFP_ATOMIC) + free_page, through the hot room
 *                (both inline here: no call in the common case)
 *   hot_pair_k   the same with GFP_KERNEL (adds the atomic-context check)
 *   zone_pair    alloc_page(GFP_KERNEL) + free_page through the zone room
 *                with the hot room off, the smallest free block of order 1:
 *                one halving and one merge (the common case)
 *   zone_pair_deep  the same with every free block of order 10: the
 *                deepest split (10 halvings) and merge (10 merges)
 *   order4_pair  alloc_pages(GFP_KERNEL, 4) + free_pages(, 4), same state
 *   atomic_worst alloc_page(GFP_ATOMIC) alone in the worst state: hot room
 *                empty, every other frame allocated, both zones under min,
 *                the only free block of order 10 in the last room of the
 *                path (DMA's reserve): every room is tried, every order
 *                scanned, 10 halvings
 *   hot_pair_traced  hot_pair with tracing on: two records (alloc, free)
 *
 * The same program is built twice: build/host/bench_mm with the trace
 * points compiled in (tracing off but for hot_pair_traced), and
 * build/host/bench_mm_notrace with them compiled out (TRACE_COMPILED_OUT),
 * so that hot_pair in the two shows what a trace point costs when off.
 *
 * Usage: bench_mm            median ns per op (clock_gettime)
 *        bench_mm --callgrind  N calls per op and size, with a callgrind
 *                              dump after each (run under valgrind; see
 *                              tests/bench/callgrind-report)
 */
#include "host.h"
#include <time.h>
#include <valgrind/callgrind.h>

#define MIB(x)	((unsigned long)(x) << 20)

#ifdef TRACE_COMPILED_OUT
#define TRACE_POINTS	"compiled out"
#else
#define TRACE_POINTS	"compiled in"
#endif

static const unsigned long sizes[] = { MIB(16), MIB(256), MIB(3072) };
static const char *const size_names[] = { "16MiB", "256MiB", "3GiB" };

static bool under_callgrind;
static struct page *hot_page;
static struct pfn_list floor_list;

/* ---- the measured operations ---- */

noinline void bench_op_floor_pair(void)
{
	struct page *page = pfn_list_pop(&floor_list);

	pfn_list_add(&floor_list, page);
}

noinline void bench_op_hot_pair(void)
{
	free_page(alloc_page(GFP_ATOMIC));
}

noinline void bench_op_hot_pair_traced(void)
{
	free_page(alloc_page(GFP_ATOMIC));
}

noinline void bench_op_hot_pair_k(void)
{
	free_page(alloc_page(GFP_KERNEL));
}

noinline void bench_op_zone_pair(void)
{
	free_page(alloc_page(GFP_KERNEL));
}

noinline void bench_op_zone_pair_deep(void)
{
	free_page(alloc_page(GFP_KERNEL));
}

noinline void bench_op_order4_pair(void)
{
	free_pages(alloc_pages(GFP_KERNEL, 4), 4);
}

static struct page *worst_page;

noinline void bench_op_atomic_worst(void)
{
	worst_page = alloc_page(GFP_ATOMIC);
}

/* Not measured: put the worst state back. */
static void atomic_worst_undo(void)
{
	free_page(worst_page);
}

/* ---- states ---- */

static void boot(unsigned long size)
{
	struct mem_range r = { MIB(1), size - (128UL << 10) };

	host_ctx_reset();
	trace_set_enabled(false);
	trace_clear();
	host_ram_setup(size);
	if (mm_init(&r, 1)) {
		fprintf(stderr, "mm_init failed\n%s", host_log());
		exit(2);
	}
}

/* Caller holds z->lock. Take a block and mark it allocated. */
static void hold_block(struct zone *z, unsigned int order)
{
	unsigned int poisoned;
	struct page *blk = __buddy_take(z, order, &poisoned);

	blk->flags = PG_head;
	blk->order = (u8)order;
}

/* Take every free block of order < top out of zone z, and keep it. */
static void hold_small_blocks(struct zone *z, unsigned int top)
{
	unsigned int o;

	spin_lock(&z->lock);
	for (o = 0; o < top; o++)
		while (z->free_area[o].nr_free)
			hold_block(z, o);
	spin_unlock(&z->lock);
}

static void state_hot(unsigned long size)
{
	boot(size);
	hot_page = alloc_page(GFP_KERNEL);
	free_page(hot_page);		/* now the hot room's only page */
	pfn_list_init(&floor_list);
	pfn_list_add(&floor_list, pfn_to_page(page_to_pfn(hot_page) + 1));
}

/* As state_hot, tracing on (compiled out: it stays off). */
static void state_hot_traced(unsigned long size)
{
	state_hot(size);
#ifndef TRACE_COMPILED_OUT
	trace_set_enabled(true);
#endif
}

static void state_deep_split(unsigned long size)
{
	boot(size);
	hot_rooms[0].high = 0;		/* frees go to the zone */
	hold_small_blocks(&zones[ZONE_DMA], MAX_ORDER);
	hold_small_blocks(&zones[ZONE_NORMAL], MAX_ORDER);
}

/* The first zone of the path has no order-0 block and one order-1 one. */
static void state_split_one(unsigned long size)
{
	struct zone *z;

	boot(size);
	hot_rooms[0].high = 0;
	z = zones[ZONE_NORMAL].present ? &zones[ZONE_NORMAL] : &zones[ZONE_DMA];
	hold_small_blocks(z, 2);
	spin_lock(&z->lock);
	hold_block(z, 1);	/* splits a bigger block: one order-1 left */
	spin_unlock(&z->lock);
}

/* Everything allocated but one order-10 block in DMA; zones under min. */
static void state_atomic_worst(unsigned long size)
{
	pfn_t pfn, head = 1024;

	mm_params_reset();
	mm_setup_param("wmark_dma", "2048,2560,3072");
	mm_setup_param("wmark_normal", "2048,2560,3072");
	boot(size);
	mm_params_reset();
	hot_rooms[0].high = 0;
	hold_small_blocks(&zones[ZONE_DMA], MAX_ORDER + 1);
	hold_small_blocks(&zones[ZONE_NORMAL], MAX_ORDER + 1);
	spin_lock(&zones[ZONE_DMA].lock);
	for (pfn = head; pfn < head + 1024; pfn++)
		mem_map[pfn].flags = 0;
	__buddy_free(&zones[ZONE_DMA], pfn_to_page(head), MAX_ORDER);
	spin_unlock(&zones[ZONE_DMA].lock);
}

/* ---- measuring ---- */

struct bench {
	const char *name;
	void (*op)(void);
	void (*undo)(void);		/* after each op, not measured */
	void (*state)(unsigned long size);
};

static const struct bench benches[] = {
	{ "floor_pair", bench_op_floor_pair, NULL, state_hot },
	{ "hot_pair", bench_op_hot_pair, NULL, state_hot },
	{ "hot_pair_k", bench_op_hot_pair_k, NULL, state_hot },
	{ "zone_pair", bench_op_zone_pair, NULL, state_split_one },
	{ "zone_pair_deep", bench_op_zone_pair_deep, NULL, state_deep_split },
	{ "order4_pair", bench_op_order4_pair, NULL, state_deep_split },
	{ "atomic_worst", bench_op_atomic_worst, atomic_worst_undo,
	  state_atomic_worst },
	{ "hot_pair_traced", bench_op_hot_pair_traced, NULL,
	  state_hot_traced },
};

#define ROUNDS	101
#define BATCH	2000

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median ns of one op: batches when there is no undo, else op by op. */
static double median_ns(const struct bench *b, double clock_cost)
{
	static double t[ROUNDS];
	unsigned int r, i;

	for (r = 0; r < ROUNDS; r++) {
		double sum = 0;
		u64 t0 = now_ns();

		for (i = 0; i < BATCH; i++) {
			if (b->undo) {
				u64 a = now_ns();

				b->op();
				sum += (double)(now_ns() - a) - clock_cost;
				b->undo();
			} else {
				b->op();
			}
		}
		t[r] = b->undo ? sum / BATCH : (double)(now_ns() - t0) / BATCH;
	}
	qsort(t, ROUNDS, sizeof(t[0]), cmp_double);
	return t[ROUNDS / 2];
}

static double clock_cost_ns(void)
{
	static double t[ROUNDS];
	unsigned int r, i;

	for (r = 0; r < ROUNDS; r++) {
		double sum = 0;

		for (i = 0; i < BATCH; i++) {
			u64 a = now_ns();

			sum += (double)(now_ns() - a);
		}
		t[r] = sum / BATCH;
	}
	qsort(t, ROUNDS, sizeof(t[0]), cmp_double);
	return t[ROUNDS / 2];
}

/* Under callgrind: N calls, then a dump named "<op> <size>". */
static void count_instructions(const struct bench *b, const char *size)
{
	char label[64];
	unsigned int i;

	b->op();		/* warm: first-touch faults are not the op's */
	if (b->undo)
		b->undo();
	CALLGRIND_ZERO_STATS;
	for (i = 0; i < BATCH; i++) {
		b->op();
		if (b->undo)
			b->undo();
	}
	snprintf(label, sizeof(label), "%s%s %s %u", b->name,
		 strcmp(TRACE_POINTS, "compiled in") ? "@notrace" : "", size,
		 BATCH);
	CALLGRIND_DUMP_STATS_AT(label);
}

/* Boot-time set-up: mm_init() writes mem_map, never the free pages. */
static void time_mm_init(void)
{
	unsigned int s;

	printf("%-16s", "mm_init_ms");
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		u64 t0;

		boot(sizes[s]);		/* fault the arena's mem_map in */
		t0 = now_ns();
		boot(sizes[s]);
		printf(" %10.2f", (double)(now_ns() - t0) / 1e6);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	double clock_cost = 0;
	unsigned int s, i;

	under_callgrind = argc > 1 && !strcmp(argv[1], "--callgrind");
	if (!under_callgrind) {
		clock_cost = clock_cost_ns();
		printf("# median ns per op (%u rounds of %u; clock_gettime "
		       "cost %.1f ns subtracted for single ops), trace points "
		       "%s\n", ROUNDS, BATCH, clock_cost, TRACE_POINTS);
		printf("%-16s %10s %10s %10s\n", "op", size_names[0],
		       size_names[1], size_names[2]);
	}
	for (i = 0; i < ARRAY_SIZE(benches); i++) {
		const struct bench *b = &benches[i];

		if (!under_callgrind)
			printf("%-16s", b->name);
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			b->state(sizes[s]);
			if (under_callgrind)
				count_instructions(b, size_names[s]);
			else
				printf(" %10.1f", median_ns(b, clock_cost));
			if (mm_check()) {
				fprintf(stderr, "%s: mm_check failed\n%s",
					b->name, host_log());
				return 1;
			}
		}
		if (!under_callgrind)
			printf("\n");
	}
	if (!under_callgrind)
		time_mm_init();
	return 0;
}
