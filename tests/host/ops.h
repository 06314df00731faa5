/*
 * ops.h - a machine for random operation sequences on the allocator, shared
 * by the seeded random test and the libFuzzer target.
 *
 * Each op is decoded from one 32-bit word: allocations with mixed orders,
 * flags, contexts and owners; frees in the owner's context; hand-offs;
 * exclusive room refills; forced collisions; refused bad calls. The machine
 * tracks every live block, tags its memory, and checks the tags on free, so
 * two allocations sharing a frame are caught.
 */
#ifndef LABYRINTH_TESTS_HOST_OPS_H
#define LABYRINTH_TESTS_HOST_OPS_H

#include "host.h"

#define OPS_MAX_LIVE	2048
#define OPS_NR_ROOMS	3

struct ops_block {
	struct page *page;
	unsigned int order;
	owner_t owner;		/* the context that must free it */
	bool exclusive;
	u64 tag;
};

struct ops_state {
	struct ops_block live[OPS_MAX_LIVE];
	unsigned int nr_live;
	int rooms[OPS_NR_ROOMS];
	u64 next_tag;
	unsigned long ops, allocs, fails, frees, refused;
	const char *error;	/* first broken expectation, or NULL */
};

/* Boot a 32 MiB machine with three exclusive rooms. */
void ops_begin(struct ops_state *st);
/* Run one op; false (and st->error) if an expectation broke. */
bool ops_step(struct ops_state *st, u32 word);
/* Free everything, give every page back; false if any is missing. */
bool ops_end(struct ops_state *st);

#endif
