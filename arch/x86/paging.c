/*
 * paging.c - page tables for the vmap area (see asm/pgtable.h).
 *
 * The page tables come from a small static pool, VMAP_TABLES of them, each
 * covering 4 MiB from VMAP_START up: enough for the thread stacks, and it
 * keeps the allocator out of the page-table path (a stack mapping never
 * waits for a page table). A table, once installed in the page directory,
 * stays: only its entries come and go.
 */
#include <asm/page.h>
#include <asm/pgtable.h>

#define VMAP_TABLES	4
#define PTRS_PER_TABLE	1024
#define PDE_SHIFT	22

extern u32 boot_page_dir[];	/* boot/entry.asm */
static u32 vmap_tables[VMAP_TABLES][PTRS_PER_TABLE]
	__attribute__((aligned(PAGE_SIZE)));

static bool in_vmap_pool(unsigned long va)
{
	return va >= VMAP_START &&
	       va - VMAP_START < (unsigned long)VMAP_TABLES << PDE_SHIFT;
}

/* The PTE slot for va, installing its page table if create is set. */
static u32 *pte_slot(unsigned long va, bool create)
{
	unsigned int t = (va - VMAP_START) >> PDE_SHIFT;
	u32 *pde = &boot_page_dir[va >> PDE_SHIFT];

	if (!in_vmap_pool(va))
		return NULL;
	if (!(*pde & PTE_PRESENT)) {
		if (!create)
			return NULL;
		*pde = __pa(vmap_tables[t]) | PTE_PRESENT | PTE_WRITE;
	}
	return &vmap_tables[t][(va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1)];
}

int vmap_map_page(unsigned long va, phys_addr_t pa)
{
	u32 *pte = pte_slot(va & PAGE_MASK, true);

	if (!pte)
		return -EINVAL;
	if (*pte & PTE_PRESENT)
		return -EBUSY;
	/* Not present before: no stale TLB entry to flush. */
	*pte = (pa & PAGE_MASK) | PTE_PRESENT | PTE_WRITE;
	return 0;
}

void vmap_unmap_page(unsigned long va)
{
	u32 *pte = pte_slot(va & PAGE_MASK, false);

	if (!pte)
		return;
	*pte = 0;
	__asm__ volatile("invlpg (%0)" : : "r"(va & PAGE_MASK) : "memory");
}

u32 vmap_pte(unsigned long va)
{
	u32 *pte = pte_slot(va & PAGE_MASK, false);

	return pte ? *pte : 0;
}
