/*
 * mm/map.h - physical memory as a map: the state of every frame
 * (mm/map.c), for the shell's `map`, tools/trace-report's pictures and
 * the host tests.
 *
 * A frame is in one of these states:
 *
 *   free       in a free block of a zone's buddy lists (with its order)
 *   reserve    free, but its zone is at or under its min watermark: only
 *              the reserve room (GFP_ATOMIC) can hand it out now
 *   hot        free, in the hot room
 *   exclusive  in an exclusive room, or an allocated exclusive page: one
 *              owner
 *   allocated  in an allocated block (or a block in transit between rooms)
 *   reserved   never handed to the allocator (the first MiB, the kernel,
 *              mem_map, holes)
 *
 * The frames are read without locks, as a hint: a picture taken while
 * others allocate may show a block in the middle of a move.
 */
#ifndef LABYRINTH_MM_MAP_H
#define LABYRINTH_MM_MAP_H

#include <types.h>
#include <lib/seq.h>

enum frame_state {
	FRAME_FREE,
	FRAME_RESERVE,
	FRAME_HOT,
	FRAME_EXCLUSIVE,
	FRAME_ALLOCATED,
	FRAME_RESERVED,
	NR_FRAME_STATES
};

/* Frames in a row in the same state (and, free or reserve, block order). */
struct frame_run {
	pfn_t pfn;
	unsigned long count;
	enum frame_state state;
	unsigned int order;	/* free and reserve: the block's order */
};

/* "free", "reserve", "hot", "exclusive", "allocated", "reserved". */
const char *frame_state_name(enum frame_state state);

/*
 * Call fn for each run of frames in [first, end), in frame order: frames
 * of one block, and of neighbouring blocks in the same state and order,
 * come as one run. end is clamped to max_pfn. Process context.
 */
void mm_frame_runs(pfn_t first, pfn_t end,
		   void (*fn)(const struct frame_run *run, void *arg),
		   void *arg);

/*
 * A cell of the map stands for per frames: its state is the one most of
 * them are in; a tie goes to the rarer state, in the order exclusive, hot,
 * reserve, free, allocated, reserved. A free (or reserve) cell shows the
 * largest block order among its free frames.
 */
struct map_cell {
	u8 state;	/* enum frame_state */
	u8 order;	/* largest free block order, for free and reserve */
};

/*
 * Fill cells[0..nr) for the frames [first, first + nr * per) (clamped to
 * max_pfn: cells past the end get NR_FRAME_STATES). Returns the cells
 * used. Process context.
 */
unsigned int mm_map_cells(pfn_t first, unsigned long per,
			  struct map_cell *cells, unsigned int nr);

/*
 * The map as text, one line per run, in a format tools/trace-report reads
 * (docs/TRACING.md):
 *
 *   # labyrinth-map 1
 *   # frames FIRST END
 *   # zone NAME start PFN end PFN
 *   # fields PFN COUNT STATE ORDER
 *   0x0 256 reserved -
 *   ...
 *   # end runs N frames N
 */
void mm_show_map_raw(struct seq *s, pfn_t first, pfn_t end);

#endif
