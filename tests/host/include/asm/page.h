/*
 * asm/page.h (host tests) - the same API as the kernel's, over an arena.
 *
 * Physical address 0 is the first byte of a big anonymous mapping that plays
 * RAM (host_ram_setup() in tests/host/host.c), so __va()/__pa() are still a
 * constant offset and the direct map is as large as the arena.
 */
#ifndef LABYRINTH_HOST_ASM_PAGE_H
#define LABYRINTH_HOST_ASM_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

extern unsigned long host_ram_base;	/* where physical 0 lives */
extern unsigned long host_ram_size;	/* bytes of simulated RAM */

#define PAGE_OFFSET	host_ram_base
#define DIRECT_MAP_SIZE	host_ram_size

#define __va(pa)	((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)	((unsigned long)(va) - PAGE_OFFSET)

#endif
