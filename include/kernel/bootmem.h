/*
 * bootmem.h - the physical memory the boot loader told us about.
 *
 * bootmem_init() reads the Multiboot memory map (or, if it is missing or
 * malformed, mem_lower/mem_upper), prints it as a table, takes out what is
 * not free (reserved entries, the first MiB, the kernel image, the
 * Multiboot structures and modules, anything above the direct map) and
 * hands the rest to mm_init(). Reserved memory is never handed out, even
 * when a map has more entries than the tables here hold.
 */
#ifndef LABYRINTH_KERNEL_BOOTMEM_H
#define LABYRINTH_KERNEL_BOOTMEM_H

#include <kernel/multiboot.h>
#include <types.h>

/* Separate usable ranges kept; beyond, the smallest are left out (said). */
#define BOOTMEM_MAX_RANGES	32
/* A longer memory map is taken as malformed (real ones are < 1 KiB). */
#define BOOTMEM_MMAP_MAX	65536
/* Modules kept out of the allocator; a larger mods_count is cut (said). */
#define BOOTMEM_MAX_MODULES	64

struct bootmem_info {
	u64 ram_bytes;		/* usable RAM reported (some may be lost) */
	u64 unmanaged_bytes;	/* usable RAM above the direct map, not used */
	u64 ignored_above_4g;	/* usable RAM above 4 GiB, ignored */
	u64 lost_bytes;		/* usable, left out: BOOTMEM_MAX_RANGES full */
	bool from_fallback;	/* bad or no map: mem_lower/upper used */
};

extern struct bootmem_info bootmem;

struct mem_range;

/*
 * Steps 1-3 without the hand-over: fill out[] with the free page-aligned
 * ranges; returns their number or a negative errno. Fills `bootmem`.
 * Tests call it with a made-up multiboot_info.
 */
int bootmem_find_ranges(const struct multiboot_info *mbi,
			struct mem_range *out, unsigned int max);

/* Returns what mm_init() returned (0 on success). */
int bootmem_init(const struct multiboot_info *mbi);

#endif
