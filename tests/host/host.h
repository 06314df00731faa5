/*
 * host.h - what host test programs share: the fake machine (RAM arena,
 * context, captured log), a KTAP harness, and allocator snapshots.
 */
#ifndef LABYRINTH_TESTS_HOST_H
#define LABYRINTH_TESTS_HOST_H

#include <types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/context.h>
#include <asm/irqflags.h>
#include "mm/internal.h"
#include <mm/init.h>
#include <mm/view.h>
#include <mm/sleep.h>

/* ---- the fake machine (host.c) ---- */

/* Map size bytes of RAM at physical 0 (an arena of that size is reused). */
void host_ram_setup(unsigned long size);
/* Back to process context, thread 1, interrupts on, no locks. */
void host_ctx_reset(void);
/* The log printk wrote since the last clear (KERN_ levels stripped). */
const char *host_log(void);
void host_log_clear(void);
bool host_log_has(const char *text);

/* ---- booting the allocator for a test ---- */

/*
 * A fresh machine of mib MiB laid out like QEMU's: usable 2..10 MiB and
 * 12 MiB..(top - 128 KiB) (a hole, and room for a kernel image), then
 * mm_init() with default parameters. Aborts the test on failure.
 */
void ht_boot(unsigned long mib);
/* The same with explicit ranges (already set params are kept). */
int ht_boot_ranges(unsigned long ram_bytes, const struct mem_range *r,
		   unsigned int nr);

/* ---- KTAP harness (harness.c) ---- */

struct host_test {
	const char *name;
	void (*run)(void);
};

#define HT(fn)	{ #fn, fn }

extern unsigned int ht_failed;	/* expectations failed in this test */

void ht_fail(const char *file, int line, const char *fmt, ...)
	__printf(3, 4);

#define EXPECT(cond) do { \
	if (!(cond)) \
		ht_fail(__FILE__, __LINE__, "expected %s", #cond); \
} while (0)

#define EXPECT_EQ(a, b) do { \
	long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) \
		ht_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
			#a, #b, _a, _b); \
} while (0)

/* mm_check() must be clean. */
#define EXPECT_CHECK() EXPECT_EQ(mm_check(), 0)

/*
 * Run every test (each after setup(), if given) and print KTAP version 1.
 * Returns the process exit status: 0 if all passed.
 */
int ht_main(const char *suite, const struct host_test *tests,
	    unsigned int nr, void (*setup)(void));

/* ---- snapshots: the allocator state, to prove a refused call changed
 * nothing ---- */

struct mm_snapshot {
	struct page *map;
	pfn_t nr;
	struct zone zones[MAX_NR_ZONES];
	struct hot_room hot;
	struct excl_room rooms[NR_EXCL_ROOMS];
};

void snap_take(struct mm_snapshot *s);
/* Same frames, lists and counts (statistics are ignored)? */
bool snap_same(const struct mm_snapshot *s);
void snap_free(struct mm_snapshot *s);

/* Free frames the zones hold (both zones). */
unsigned long zone_free_total(void);
/* Destroy every exclusive room (their pages go back to the zones). */
void ht_destroy_rooms(void);
/*
 * Every page comes back to the zones through the allocator's own paths (no
 * mm_drain_hot()): call it with nothing allocated and no exclusive room.
 */
bool ht_pages_come_back(void);

/* True if the n bytes at p all equal c (zero fill, poison). */
bool ht_all_bytes(const void *p, int c, unsigned long n);

#endif
