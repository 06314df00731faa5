/*
 * map.c - the state of every frame, as runs and as the cells of a map.
 *
 * The walk goes from frame 0 up, a block at a time: a free block's head
 * (PG_buddy) and an allocated block's head (PG_head, or PG_transit on its
 * way between rooms) stand for their 2^order frames, whose tails carry no
 * state of their own. Any other frame stands for itself. The frames are
 * read without locks: a hint, as the views say when they read that way.
 */
#include "internal.h"
#include <mm/map.h>

static const char *const state_names[NR_FRAME_STATES] = {
	[FRAME_FREE] = "free",
	[FRAME_RESERVE] = "reserve",
	[FRAME_HOT] = "hot",
	[FRAME_EXCLUSIVE] = "exclusive",
	[FRAME_ALLOCATED] = "allocated",
	[FRAME_RESERVED] = "reserved",
};

const char *frame_state_name(enum frame_state state)
{
	return state < NR_FRAME_STATES ? state_names[state] : "?";
}

/* A zone at or under min: what free frames it has only the reserve serves. */
static bool zone_in_reserve(const struct zone *z)
{
	return z->nr_free <= z->wmark[WMARK_MIN];
}

/*
 * The state of the block or frame at pfn; *frames is how many frames it
 * stands for (1 for a lone frame, 2^order for a block's head).
 */
static enum frame_state frame_state_at(pfn_t pfn, unsigned long *frames,
				       unsigned int *order)
{
	const struct page *page = &mem_map[pfn];
	u16 flags = page->flags;

	*frames = 1;
	*order = 0;
	if ((flags & (PG_buddy | PG_head | PG_transit)) &&
	    page->order <= MAX_ORDER)
		*frames = 1UL << page->order;
	if (flags & PG_buddy) {
		*order = page->order;
		return zone_in_reserve(pfn_zone(pfn)) ? FRAME_RESERVE :
							FRAME_FREE;
	}
	if (flags & PG_head)
		return (flags & PG_exclusive) ? FRAME_EXCLUSIVE :
						FRAME_ALLOCATED;
	if (flags & PG_transit)
		return FRAME_ALLOCATED;
	if (flags & PG_hot)
		return FRAME_HOT;
	if (flags & PG_pool)
		return FRAME_EXCLUSIVE;
	if (flags & PG_reserved)
		return FRAME_RESERVED;
	return FRAME_ALLOCATED;	/* a frame in no block we walked: not free */
}

/* Hand the part of run inside [first, end) to fn, if any. */
static void emit_clipped(struct frame_run run, pfn_t first, pfn_t end,
			 void (*fn)(const struct frame_run *, void *),
			 void *arg)
{
	pfn_t stop = run.pfn + run.count;

	if (!run.count || stop <= first || run.pfn >= end)
		return;
	if (run.pfn < first)
		run.pfn = first;
	if (stop > end)
		stop = end;
	run.count = stop - run.pfn;
	fn(&run, arg);
}

void mm_frame_runs(pfn_t first, pfn_t end,
		   void (*fn)(const struct frame_run *run, void *arg),
		   void *arg)
{
	struct frame_run run = { 0 };
	enum frame_state st;
	unsigned long n;
	unsigned int order;
	pfn_t pfn = 0;

	end = MIN(end, max_pfn);
	while (pfn < end) {
		st = frame_state_at(pfn, &n, &order);
		n = MIN(n, max_pfn - pfn);
		if (run.count && st == run.state && order == run.order &&
		    run.pfn + run.count == pfn) {
			run.count += n;
		} else {
			emit_clipped(run, first, end, fn, arg);
			run = (struct frame_run){ pfn, n, st, order };
		}
		pfn += n;
	}
	emit_clipped(run, first, end, fn, arg);
}

/* ---- cells ---- */

/* Rarer states first: who wins a tie. */
static const u8 tie_order[NR_FRAME_STATES] = {
	FRAME_EXCLUSIVE, FRAME_HOT, FRAME_RESERVE, FRAME_FREE,
	FRAME_ALLOCATED, FRAME_RESERVED,
};

struct cell_walk {
	pfn_t first;
	unsigned long per;
	struct map_cell *cells;
	unsigned int nr;
	unsigned int cur;		/* the cell being counted */
	unsigned long count[NR_FRAME_STATES];
	unsigned int order;		/* largest free order in it */
	bool any;
};

/* Decide the cell being counted and start the next one. */
static void cell_close(struct cell_walk *w)
{
	unsigned int i, best = tie_order[0];

	for (i = 1; i < NR_FRAME_STATES; i++)
		if (w->count[tie_order[i]] > w->count[best])
			best = tie_order[i];
	if (w->any && w->cur < w->nr)
		w->cells[w->cur] = (struct map_cell){ (u8)best, (u8)w->order };
	for (i = 0; i < NR_FRAME_STATES; i++)
		w->count[i] = 0;
	w->order = 0;
	w->any = false;
	w->cur++;
}

static void cell_add(const struct frame_run *run, void *arg)
{
	struct cell_walk *w = arg;
	pfn_t pfn = run->pfn, stop = run->pfn + run->count;

	while (pfn < stop) {
		unsigned int cell = (unsigned int)((pfn - w->first) / w->per);
		pfn_t cell_end = w->first + (pfn_t)(cell + 1) * w->per;
		unsigned long n = MIN(stop, cell_end) - pfn;

		while (w->cur < cell)
			cell_close(w);
		w->count[run->state] += n;
		if (run->state == FRAME_FREE || run->state == FRAME_RESERVE)
			w->order = MAX(w->order, run->order);
		w->any = true;
		pfn += n;
	}
}

unsigned int mm_map_cells(pfn_t first, unsigned long per,
			  struct map_cell *cells, unsigned int nr)
{
	struct cell_walk w = { .first = first, .per = per ? per : 1,
			       .cells = cells, .nr = nr };
	unsigned int i, used;

	for (i = 0; i < nr; i++)
		cells[i] = (struct map_cell){ NR_FRAME_STATES, 0 };
	if (first >= max_pfn)
		return 0;
	mm_frame_runs(first, first + (pfn_t)nr * w.per, cell_add, &w);
	used = w.cur + w.any;
	cell_close(&w);
	return MIN(used, nr);
}

/* ---- the raw map ---- */

struct raw_walk {
	struct seq *s;
	unsigned long runs, frames;
};

static void raw_line(const struct frame_run *run, void *arg)
{
	struct raw_walk *w = arg;

	if (run->state == FRAME_FREE || run->state == FRAME_RESERVE)
		seq_printf(w->s, "0x%lx %lu %s %u\n", run->pfn, run->count,
			   frame_state_name(run->state), run->order);
	else
		seq_printf(w->s, "0x%lx %lu %s -\n", run->pfn, run->count,
			   frame_state_name(run->state));
	w->runs++;
	w->frames += run->count;
}

void mm_show_map_raw(struct seq *s, pfn_t first, pfn_t end)
{
	struct raw_walk w = { .s = s };
	unsigned int i;

	end = MIN(end, max_pfn);
	seq_puts(s, "# labyrinth-map 1\n");
	seq_printf(s, "# frames 0x%lx 0x%lx\n", first, end);
	for (i = 0; i < MAX_NR_ZONES; i++)
		seq_printf(s, "# zone %s start 0x%lx end 0x%lx\n",
			   zones[i].name, zones[i].start_pfn,
			   zones[i].end_pfn);
	seq_puts(s, "# fields PFN COUNT STATE ORDER\n");
	mm_frame_runs(first, end, raw_line, &w);
	seq_printf(s, "# end runs %lu frames %lu\n", w.runs, w.frames);
}
