/*
 * mm/debug.h - the allocator's checks, as tests, gdb and the shell see them.
 *
 * Every bad call is reported through mm_report() (mm/report.c: break there),
 * rate-limited per kind, counted, and refused with the state unchanged. Not
 * seen: a second free of a block allocated again since the first, which
 * looks like a correct free (docs/mm.md, "What a double free check cannot
 * see"). mm_check() recounts every room from scratch.
 */
#ifndef LABYRINTH_MM_DEBUG_H
#define LABYRINTH_MM_DEBUG_H

#include <types.h>

enum mm_bug {
	MM_BUG_DOUBLE_FREE,	/* free of a page already free, or in transit */
	MM_BUG_NOT_ALLOCATED,	/* free of a page no allocation handed out */
	MM_BUG_RESERVED,	/* free of a reserved frame */
	MM_BUG_WRONG_ORDER,	/* free with another order than allocated */
	MM_BUG_FOREIGN_FREE,	/* exclusive page freed by a non-owner */
	MM_BUG_FOREIGN_HANDOFF,	/* exclusive page handed off by a non-owner */
	MM_BUG_POISON,		/* a poisoned free page was written to */
	MM_BUG_BAD_FLAGS,	/* invalid GFP flag combination */
	MM_BUG_BAD_ORDER,	/* order above MAX_ORDER (or exclusive > 0) */
	MM_BUG_SLEEP_ATOMIC,	/* GFP_KERNEL where sleeping is forbidden */
	MM_BUG_BAD_CALL,	/* another misuse (bad room id, bad context) */
	MM_BUG_ASSERT,		/* an internal MM_ASSERT() failed */
	MM_WARN_ALLOC_FAIL,	/* an allocation returned NULL */
	NR_MM_BUGS
};

/* How many times each kind was reported (printed or suppressed). */
unsigned long mm_report_count(enum mm_bug kind);
/*
 * Reports of kind the rate limit suppressed since the last one printed: 0
 * right after a report of kind that was printed, so a caller that just
 * caused one can tell the reader whether it is on the console.
 */
unsigned long mm_report_suppressed(enum mm_bug kind);
const char *mm_bug_name(enum mm_bug kind);

/*
 * Verify every invariant of every room; print each mismatch. Returns 0 if all
 * hold, else minus the number of mismatches. A block that another context is
 * moving between rooms (in transit, PG_transit) is accounted for, not lost:
 * the check runs true beside threads and interrupts that allocate and free.
 * Any context: it turns interrupts off and takes every zone lock without
 * waiting; if one is busy (only in an interrupt that arrived while the code
 * it interrupted held it, or with the caller holding it) it checks nothing,
 * says so, and returns -EBUSY. Walks all of mem_map, with interrupts off:
 * for tests and debugging, not hot paths.
 */
int mm_check(void);
/* Frames the last mm_check() found in transit (0 before the first). */
unsigned long mm_check_in_transit(void);

#endif
