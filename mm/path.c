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
 *
 * The tables are lab 4's exercise: path_check() holds them against these
 * rules at boot and says what each breaks; the kernel walks them as they
 * are.
 */
#include "internal.h"
#include <lib/string.h>
#include <lib/format.h>

#define HOT		{ ROOM_HOT, 0, 0 }
#define ZONE(z, m)	{ ROOM_ZONE, (z), (m) }
#define RESERVE(z)	{ ROOM_RESERVE, (z), 0 }
#define END		{ ROOM_END, 0, 0 }

#ifndef LAB4_STARTER		/* lab 4 solution */
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
#else				/* lab 4 starter */
/*
 * LAB 4, exercise 4 (docs/labs/lab4-watermarks.md, "The paths"). Write
 * each class's path as the table of docs/mm.md, "The paths", says: which
 * rooms, in which order, and which watermark each zone room keeps; which
 * classes enter the reserve rooms, and where. Until you do, every class
 * walks the plain path below (the DMA classes its DMA part), which keeps
 * min in every zone and enters no reserve, and mm_init() lists what each
 * path is missing.
 */
static const struct path_step path_kernel[] = {
	HOT, ZONE(ZONE_NORMAL, WMARK_MIN), ZONE(ZONE_DMA, WMARK_MIN), END
};
static const struct path_step path_atomic[] = {
	HOT, ZONE(ZONE_NORMAL, WMARK_MIN), ZONE(ZONE_DMA, WMARK_MIN), END
};
static const struct path_step path_nosleep[] = {
	HOT, ZONE(ZONE_NORMAL, WMARK_MIN), ZONE(ZONE_DMA, WMARK_MIN), END
};
static const struct path_step path_dma_kernel[] = {
	ZONE(ZONE_DMA, WMARK_MIN), END
};
static const struct path_step path_dma_atomic[] = {
	ZONE(ZONE_DMA, WMARK_MIN), END
};
static const struct path_step path_dma_nosleep[] = {
	ZONE(ZONE_DMA, WMARK_MIN), END
};
#endif				/* lab 4 */

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

/* ---- the boot check of the paths (lab 4) ---- */

unsigned int mm_paths_broken;

/* What one walk over a path found. */
struct path_facts {
	unsigned int rooms;
	unsigned int zone_steps[MAX_NR_ZONES], reserve_steps[MAX_NR_ZONES];
	bool hot_first, leaves_dma, dma_before_normal, reserve_early;
	int bad_mark;		/* a zone step's other mark, or -1 */
};

static void path_facts(const struct path_step *path, enum wmark want,
		       struct path_facts *f)
{
	const struct path_step *st;
	bool dma_seen = false, zone_after_reserve = false;
	unsigned int reserves = 0;

	*f = (struct path_facts){ .bad_mark = -1 };
	f->hot_first = path->kind == ROOM_HOT;
	for (st = path; st->kind != ROOM_END && f->rooms < 16; st++) {
		f->rooms++;
		f->leaves_dma |= st->kind == ROOM_HOT || st->zone != ZONE_DMA;
		if (st->kind == ROOM_RESERVE) {
			f->reserve_steps[st->zone % MAX_NR_ZONES]++;
			reserves++;
		} else if (st->kind == ROOM_ZONE) {
			f->zone_steps[st->zone % MAX_NR_ZONES]++;
			f->dma_before_normal |= dma_seen &&
						st->zone == ZONE_NORMAL;
			dma_seen |= st->zone == ZONE_DMA;
			zone_after_reserve |= reserves > 0;
			if (st->mark != want && f->bad_mark < 0)
				f->bad_mark = st->mark;
		}
	}
	f->reserve_early = zone_after_reserve;
}

/* Append "what" to the problems in buf, comma-separated. */
static void problem(char *buf, size_t size, const char *what)
{
	size_t n = strlen(buf);

	if (n + 1 < size)
		snprintf(buf + n, size - n, "%s%s", n ? ", " : "", what);
}

/*
 * The rules of docs/mm.md, "The paths", that class id's path breaks, in
 * words, into buf ("" if none). A DMA class walks the DMA zone's rooms
 * only; the others start with the hot room and walk Normal, then DMA.
 * GFP_KERNEL keeps low in each zone room, the others min; GFP_ATOMIC
 * alone enters the reserve rooms, after every zone room.
 */
static void path_problems(unsigned int id, char *buf, size_t size)
{
	bool dma = id >= CLASS_DMA_KERNEL;
	unsigned int base = id % CLASS_DMA_KERNEL, z, reserves = 0;
	enum wmark want = base == CLASS_KERNEL ? WMARK_LOW : WMARK_MIN;
	char what[48];
	struct path_facts f;

	buf[0] = '\0';
	path_facts(gfp_classes[id].path, want, &f);
	if (!f.rooms) {
		problem(buf, size, "walks no room");
		return;
	}
	if (dma && f.leaves_dma)
		problem(buf, size, "leaves the DMA zone");
	if (!dma && !f.hot_first)
		problem(buf, size, "does not start with the hot room");
	for (z = 0; z < MAX_NR_ZONES; z++) {
		reserves += f.reserve_steps[z];
		if (dma && z != ZONE_DMA)
			continue;	/* leaves_dma said it */
		if (f.zone_steps[z] != 1) {
			snprintf(what, sizeof(what), "walks %s's zone room "
				 "%u times", zones[z].name, f.zone_steps[z]);
			problem(buf, size, what);
		}
	}
	if (!dma && f.dma_before_normal)
		problem(buf, size, "walks DMA before Normal");
	if (f.bad_mark >= 0) {
		snprintf(what, sizeof(what), "stops at %s, not %s",
			 wmark_names[f.bad_mark % NR_WMARK], wmark_names[want]);
		problem(buf, size, what);
	}
	if (base != CLASS_ATOMIC && reserves)
		problem(buf, size, "enters the reserve");
	if (base == CLASS_ATOMIC && !reserves)
		problem(buf, size, "enters no reserve");
	if (base == CLASS_ATOMIC && reserves && f.reserve_early)
		problem(buf, size, "enters a reserve before a zone room");
}

/*
 * Check every class's path against the rules at boot, and list what each
 * breaks in one message. The tables are lab 4's exercise, and a handout
 * of lab 4 (or of an earlier lab) starts with plain ones: the kernel walks
 * them as they are, and says what they miss. Boot, from mm_init().
 */
void path_check(void)
{
	char msg[400] = "", one[160];
	unsigned int id;
	size_t n;

	mm_paths_broken = 0;
	for (id = 0; id < NR_GFP_CLASSES; id++) {
		path_problems(id, one, sizeof(one));
		if (!one[0])
			continue;
		mm_paths_broken++;
		n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, "%s%s %s", n ? "; " : "",
			 gfp_classes[id].name, one);
	}
	if (mm_paths_broken)
		pr_err("mm: the paths in mm/path.c break their rules (lab 4): "
		       "%s\n", msg);
}
