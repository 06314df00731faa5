/*
 * path.c - the paths: which rooms each allocation class walks, in order.
 *
 * A path follows from the GFP flags alone (and, for GFP_KERNEL, from whether
 * the caller may sleep). It is a short fixed list, so the work of every
 * allocation is bounded whatever the size of memory:
 *
 *   GFP_KERNEL            hot, NORMAL above low, DMA above low; then sleeps
 *                         (never forever: mm/sleep.c)
 *   GFP_ATOMIC            hot, NORMAL above min, DMA above min, reserve
 *   GFP_KERNEL where it may not sleep: the GFP_ATOMIC path minus the reserve
 *   GFP_DMA (with either) the DMA zone's rooms only
 *
 * GFP_EXCLUSIVE puts the owner's exclusive room in front of any of these
 * (alloc.c). The tables below are also what the labyrinth view prints.
 */
#include "internal.h"
#include <lib/string.h>

#define HOT		{ ROOM_HOT, 0, 0 }
#define ZONE(z, m)	{ ROOM_ZONE, (z), (m) }
#define RESERVE(z)	{ ROOM_RESERVE, (z), 0 }
#define END		{ ROOM_END, 0, 0 }

static const struct path_step path_kernel[] = {
	HOT, ZONE(ZONE_NORMAL, WMARK_LOW), ZONE(ZONE_DMA, WMARK_LOW), END
};
static const struct path_step path_atomic[] = {
	HOT, ZONE(ZONE_NORMAL, WMARK_MIN), ZONE(ZONE_DMA, WMARK_MIN),
	RESERVE(ZONE_NORMAL), RESERVE(ZONE_DMA), END
};
static const struct path_step path_nosleep[] = {
	HOT, ZONE(ZONE_NORMAL, WMARK_MIN), ZONE(ZONE_DMA, WMARK_MIN), END
};
static const struct path_step path_dma_kernel[] = {
	ZONE(ZONE_DMA, WMARK_LOW), END
};
static const struct path_step path_dma_atomic[] = {
	ZONE(ZONE_DMA, WMARK_MIN), RESERVE(ZONE_DMA), END
};
static const struct path_step path_dma_nosleep[] = {
	ZONE(ZONE_DMA, WMARK_MIN), END
};

struct gfp_class gfp_classes[NR_GFP_CLASSES] = {
	[CLASS_KERNEL] = { "GFP_KERNEL", path_kernel,
			   "sleep until pages are freed, walk again; "
			   "never forever", 0 },
	[CLASS_ATOMIC] = { "GFP_ATOMIC", path_atomic,
			   "NULL at once, counted", 0 },
	[CLASS_NOSLEEP] = { "GFP_KERNEL in atomic context", path_nosleep,
			    "NULL at once, counted", 0 },
	[CLASS_DMA_KERNEL] = { "GFP_KERNEL|GFP_DMA", path_dma_kernel,
			       "sleep until pages are freed, walk again; "
			       "never forever", 0 },
	[CLASS_DMA_ATOMIC] = { "GFP_ATOMIC|GFP_DMA", path_dma_atomic,
			       "NULL at once, counted", 0 },
	[CLASS_DMA_NOSLEEP] = { "GFP_KERNEL|GFP_DMA in atomic context",
				path_dma_nosleep, "NULL at once, counted", 0 },
};

/* The class of a valid gfp; atomic_ctx: GFP_KERNEL may not sleep here. */
struct gfp_class *gfp_class_of(gfp_t gfp, bool atomic_ctx)
{
	unsigned int id;

	if (gfp & __GFP_HIGH)
		id = CLASS_ATOMIC;
	else if (atomic_ctx)
		id = CLASS_NOSLEEP;
	else
		id = CLASS_KERNEL;
	if (gfp & __GFP_DMA)
		id += CLASS_DMA_KERNEL;
	return &gfp_classes[id];
}

/* The hot room's step: it serves order 0 only. */
static struct page *path_hot_take(struct alloc_ctx *ac)
{
	struct page *page;

	if (ac->order)
		return NULL;
	page = hot_room_take();
	if (!page)
		trace_mm_room_miss(TROOM_HOT, 0, ac->caller);
	return page;
}

/* Try one room of a path; ac->room names it for the trace. */
static struct page *path_step_take(const struct path_step *st,
				   struct alloc_ctx *ac)
{
	switch (st->kind) {
	case ROOM_HOT:
		ac->room = TROOM_HOT;
		return path_hot_take(ac);
	case ROOM_ZONE:
		ac->room = (u8)(TROOM_ZONE + st->zone);
		return zone_room_take(&zones[st->zone], ac, st->mark);
	case ROOM_RESERVE:
		ac->room = (u8)(TROOM_RESERVE + st->zone);
		return reserve_room_take(&zones[st->zone], ac);
	}
	return NULL;
}

/* Walk ac's path once; return the first page a room serves, or NULL. */
struct page *path_walk(struct alloc_ctx *ac)
{
	const struct path_step *st;
	struct page *page;

	for (st = ac->cls->path; st->kind != ROOM_END; st++) {
		page = path_step_take(st, ac);
		if (page)
			return page;
	}
	return NULL;
}

static const char *const wmark_names[] = { "min", "low", "high" };

/* The longest class name: the width of the name column. */
static int class_name_width(void)
{
	size_t i, w = 0;

	for (i = 0; i < NR_GFP_CLASSES; i++)
		w = MAX(w, strlen(gfp_classes[i].name));
	return (int)w;
}

/*
 * Print a class's path on one line, as the labyrinth view shows it: the
 * name padded to the longest class name, two spaces, the path.
 */
void path_show(struct seq *s, const struct gfp_class *cls)
{
	const struct path_step *st;

	seq_printf(s, "  %-*s  ", class_name_width(), cls->name);
	for (st = cls->path; st->kind != ROOM_END; st++) {
		if (st != cls->path)
			seq_puts(s, " -> ");
		if (st->kind == ROOM_HOT)
			seq_puts(s, "hot");
		else if (st->kind == ROOM_ZONE)
			seq_printf(s, "%s>%s", zones[st->zone].name,
				   wmark_names[st->mark]);
		else
			seq_printf(s, "reserve(%s)", zones[st->zone].name);
	}
	seq_printf(s, "; else %s [failed %lu]\n", cls->on_fail,
		   cls->failures);
}
