/*
 * asm/pgtable.h - 4 KiB mappings in the vmap area (arch/x86/paging.c).
 *
 * The direct map uses 4 MiB pages set up at boot. The vmap area
 * (VMAP_START..VMAP_END, asm/page.h) is mapped page by page instead, through
 * page tables this layer owns, so that single pages can be left unmapped:
 * the guard page under each thread stack. There is one page directory
 * (boot_page_dir) shared by every thread, so a mapping is seen everywhere
 * at once. Call these with interrupts on or off, never from an interrupt
 * handler (they are not reentrant).
 */
#ifndef LABYRINTH_ASM_PGTABLE_H
#define LABYRINTH_ASM_PGTABLE_H

#include <types.h>

#define PTE_PRESENT	0x001u
#define PTE_WRITE	0x002u

/* Map the page at va to physical pa, read/write, kernel only. */
int vmap_map_page(unsigned long va, phys_addr_t pa);
/* Remove the mapping of va (if any) and flush it from the TLB. */
void vmap_unmap_page(unsigned long va);
/* The page table entry for va: 0 when no table covers it. */
u32 vmap_pte(unsigned long va);

static inline bool vmap_page_present(unsigned long va)
{
	return vmap_pte(va) & PTE_PRESENT;
}

#endif
