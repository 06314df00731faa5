/*
 * mm/init.h - how boot hands memory to the page allocator.
 *
 * The command-line parser calls mm_setup_param() for every name=value, then
 * boot calls mm_init() once with the usable RAM. After mm_init() returns 0,
 * alloc_pages() works.
 */
#ifndef LABYRINTH_MM_INIT_H
#define LABYRINTH_MM_INIT_H

#include <types.h>

/* Usable RAM [start, end), page aligned. */
struct mem_range {
	phys_addr_t start, end;
};

/*
 * Build mem_map inside usable memory, mark every frame not handed over as
 * reserved, set the watermarks and free the rest into the zones. The ranges
 * are sorted, non-overlapping, page aligned, below DIRECT_MAP_SIZE, already
 * minus the first MiB, the kernel image and the Multiboot structures.
 * Free pages are not touched. Returns 0, or -EINVAL for bad ranges, -ENOMEM
 * if mem_map fits nowhere.
 */
int mm_init(const struct mem_range *usable, unsigned int nr);

/*
 * Take a kernel command-line parameter, before mm_init(). Returns -ENOENT if
 * the name is not the allocator's, -EINVAL for a bad value (reported here:
 * the caller need not), 0 when taken. Names:
 *   min_free_kbytes=N        the total min watermark in KiB (split between
 *                            zones by size; low and high follow from it)
 *   wmark_dma=MIN,LOW,HIGH   one zone's watermarks in pages, MIN<LOW<HIGH
 *   wmark_normal=MIN,LOW,HIGH
 *   mm_hot_high=N            most pages the hot room keeps (1..1024)
 *   mm_wait_ms=N             the bound on a GFP_KERNEL wait, in ms
 *                            (0..600000, default 3000; mm/sleep.h)
 */
int mm_setup_param(const char *name, const char *value);

#endif
