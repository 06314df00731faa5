/*
 * asm/page.h - page size and the direct map (x86, 32-bit, no PAE).
 *
 * The kernel is linked at PAGE_OFFSET + 1 MiB. Physical memory from 0 to
 * DIRECT_MAP_SIZE is mapped at PAGE_OFFSET, so a physical address and its
 * kernel virtual address differ by a constant. Memory above DIRECT_MAP_SIZE
 * is not managed. Virtual addresses from VMAP_START up are left for mappings
 * built page by page (thread stacks with guard pages).
 * mm/ includes this header; host tests supply their own asm/page.h.
 */
#ifndef LABYRINTH_ASM_PAGE_H
#define LABYRINTH_ASM_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define PAGE_OFFSET	0xC0000000UL
#define KERNEL_PHYS_BASE 0x00100000UL
/* 896 MiB direct map, as in Linux's lowmem; the top 128 MiB of VA is vmap. */
#define DIRECT_MAP_SIZE	0x38000000UL
#define VMAP_START	(PAGE_OFFSET + DIRECT_MAP_SIZE)
#define VMAP_END	0xFFC00000UL

#ifndef __ASSEMBLER__
#define __va(pa)	((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)	((unsigned long)(va) - PAGE_OFFSET)
#endif

#endif
