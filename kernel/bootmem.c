/*
 * bootmem.c - from the Multiboot memory map to the ranges mm/ manages.
 *
 * Steps, each a small function below:
 *   1. collect the usable ("available") entries of the map, ignoring what
 *      lies above 4 GiB (a 32-bit kernel without PAE cannot reach it);
 *      fall back to mem_lower/mem_upper if the map is missing or malformed;
 *   2. print the map as a table;
 *   3. clip to [1 MiB, end of direct map) and cut out the kernel image and
 *      every Multiboot structure (info, map, command line, modules);
 *   4. hand the remaining page-aligned ranges to mm_init().
 */
#include <asm/page.h>
#include <kernel/bootmem.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include <mm/init.h>

#define ONE_MIB		0x100000ULL
#define FOUR_GIB	0x100000000ULL

struct range64 {
	u64 start, end;		/* [start, end) */
};

struct range_set {
	struct range64 r[BOOTMEM_MAX_RANGES];
	unsigned int nr;
};

struct bootmem_info bootmem;

extern char _kernel_phys_start[], _kernel_phys_end[];

static const char *const mmap_type_names[] = {
	[MULTIBOOT_MEMORY_AVAILABLE] = "usable",
	[MULTIBOOT_MEMORY_RESERVED] = "reserved",
	[MULTIBOOT_MEMORY_ACPI_RECLAIMABLE] = "ACPI data",
	[MULTIBOOT_MEMORY_NVS] = "ACPI NVS",
	[MULTIBOOT_MEMORY_BADRAM] = "bad RAM",
};

static const char *mmap_type_name(u32 type)
{
	if (type < ARRAY_SIZE(mmap_type_names) && mmap_type_names[type])
		return mmap_type_names[type];
	return "unknown";
}

/* Add [start, end) keeping the set sorted; overlapping ranges merge. */
static void range_add(struct range_set *set, u64 start, u64 end)
{
	unsigned int i = 0;

	if (start >= end)
		return;
	while (i < set->nr && set->r[i].end < start)
		i++;
	if (i < set->nr && set->r[i].start <= end) {
		struct range64 *r = &set->r[i];

		r->start = MIN(r->start, start);
		r->end = MAX(r->end, end);
		while (i + 1 < set->nr && r[1].start <= r->end) {
			r->end = MAX(r->end, r[1].end);
			memmove(&set->r[i + 1], &set->r[i + 2],
				(set->nr - i - 2) * sizeof(set->r[0]));
			set->nr--;
		}
		return;
	}
	if (set->nr == BOOTMEM_MAX_RANGES) {
		printk(KERN_WARNING "bootmem: too many ranges, dropping "
		       "%#llx-%#llx\n", start, end);
		return;
	}
	memmove(&set->r[i + 1], &set->r[i], (set->nr - i) * sizeof(set->r[0]));
	set->r[i].start = start;
	set->r[i].end = end;
	set->nr++;
}

/* Remove [start, end) from every range, splitting one if needed. */
static void range_cut(struct range_set *set, u64 start, u64 end)
{
	struct range_set out = { .nr = 0 };

	for (unsigned int i = 0; i < set->nr; i++) {
		struct range64 r = set->r[i];

		if (end <= r.start || start >= r.end) {
			range_add(&out, r.start, r.end);
			continue;
		}
		range_add(&out, r.start, MIN(start, r.end));
		range_add(&out, MAX(end, r.start), r.end);
	}
	*set = out;
}

static void print_entry(u64 start, u64 len, const char *type)
{
	printk(KERN_INFO "  %#018llx-%#018llx %10llu KiB  %s\n",
	       start, start + len - 1, len >> 10, type);
}

/*
 * Walk the map; true if it is well-formed and has usable memory. Each
 * entry must be at least 20 bytes after its size word and lie inside
 * mmap_length; a length of zero or wrapping past 2^64 is malformed.
 */
static bool read_mmap(const struct multiboot_info *mbi,
		      struct range_set *usable, struct range_set *holes)
{
	const u8 *p = __va(mbi->mmap_addr);
	const u8 *end = p + mbi->mmap_length;

	if (!(mbi->flags & MULTIBOOT_INFO_MEM_MAP) || mbi->mmap_length == 0)
		return false;
	printk(KERN_INFO "Memory map from the boot loader:\n");
	while (p < end) {
		const struct multiboot_mmap_entry *e = (const void *)p;

		unsigned int offset =
			(unsigned int)(p - (end - mbi->mmap_length));

		if (end - p < 24 || e->size < 20 ||
		    e->size > (u32)(end - p) - 4 ||
		    e->len == 0 || e->addr + e->len < e->addr) {
			printk(KERN_ERR "bootmem: malformed memory map entry "
			       "at offset %u\n", offset);
			return false;
		}
		print_entry(e->addr, e->len, mmap_type_name(e->type));
		if (e->type != MULTIBOOT_MEMORY_AVAILABLE)
			range_add(holes, e->addr, e->addr + e->len);
		else
			range_add(usable, e->addr, e->addr + e->len);
		p += e->size + 4;
	}
	return usable->nr > 0;
}

static bool read_mem_fields(const struct multiboot_info *mbi,
			    struct range_set *usable)
{
	if (!(mbi->flags & MULTIBOOT_INFO_MEMORY))
		return false;
	printk(KERN_WARNING "bootmem: no usable memory map; falling back to "
	       "mem_lower=%u KiB, mem_upper=%u KiB\n", mbi->mem_lower,
	       mbi->mem_upper);
	print_entry(0, (u64)mbi->mem_lower << 10, "usable (mem_lower)");
	print_entry(ONE_MIB, (u64)mbi->mem_upper << 10, "usable (mem_upper)");
	range_add(usable, 0, (u64)mbi->mem_lower << 10);
	range_add(usable, ONE_MIB, ONE_MIB + ((u64)mbi->mem_upper << 10));
	return true;
}

/* Account for what we cannot use: above 4 GiB, above the direct map. */
static void clip_and_count(struct range_set *usable)
{
	for (unsigned int i = 0; i < usable->nr; i++) {
		struct range64 *r = &usable->r[i];

		bootmem.ram_bytes += r->end - r->start;
		if (r->end > FOUR_GIB)
			bootmem.ignored_above_4g +=
				r->end - MAX(r->start, FOUR_GIB);
		if (r->end > DIRECT_MAP_SIZE && r->start < FOUR_GIB)
			bootmem.unmanaged_bytes += MIN(r->end, FOUR_GIB) -
				MAX(r->start, (u64)DIRECT_MAP_SIZE);
	}
	range_cut(usable, DIRECT_MAP_SIZE, ~0ULL);
	range_cut(usable, 0, ONE_MIB);	/* BIOS data, VGA, option ROMs */
	if (bootmem.ignored_above_4g)
		printk(KERN_WARNING "bootmem: ignoring %llu MiB above 4 GiB "
		       "(a 32-bit kernel without PAE cannot address it)\n",
		       bootmem.ignored_above_4g >> 20);
	if (bootmem.unmanaged_bytes)
		printk(KERN_WARNING "bootmem: %llu MiB above the %lu MiB "
		       "direct map is not managed\n",
		       bootmem.unmanaged_bytes >> 20,
		       DIRECT_MAP_SIZE >> 20);
}

static void cut_string(struct range_set *usable, u32 phys)
{
	if (phys)
		range_cut(usable, phys, phys + strlen(__va(phys)) + 1);
}

/* The kernel image and everything the loader left for us to read. */
static void cut_boot_structures(struct range_set *usable,
				const struct multiboot_info *mbi)
{
	u32 mi = (u32)__pa(mbi);

	range_cut(usable, (uintptr_t)_kernel_phys_start,
		  (uintptr_t)_kernel_phys_end);
	range_cut(usable, mi, mi + sizeof(*mbi));
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP)
		range_cut(usable, mbi->mmap_addr,
			  (u64)mbi->mmap_addr + mbi->mmap_length);
	if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
		cut_string(usable, mbi->cmdline);
	if (mbi->flags & (1u << 9))	/* boot_loader_name */
		cut_string(usable, mbi->boot_loader_name);
	if (!(mbi->flags & MULTIBOOT_INFO_MODS))
		return;
	const struct multiboot_module *mods = __va(mbi->mods_addr);

	range_cut(usable, mbi->mods_addr,
		  mbi->mods_addr + mbi->mods_count * sizeof(*mods));
	for (u32 i = 0; i < mbi->mods_count; i++) {
		range_cut(usable, mods[i].mod_start, mods[i].mod_end);
		cut_string(usable, mods[i].string);
	}
}

/* Shrink each range to whole pages; returns how many remain. */
static unsigned int page_align_ranges(const struct range_set *usable,
				      struct mem_range *out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < usable->nr && n < max; i++) {
		u64 s = ALIGN_UP(usable->r[i].start, (u64)PAGE_SIZE);
		u64 e = ALIGN_DOWN(usable->r[i].end, (u64)PAGE_SIZE);

		if (s >= e)
			continue;
		out[n].start = (phys_addr_t)s;
		out[n].end = (phys_addr_t)e;
		n++;
	}
	return n;
}

int bootmem_find_ranges(const struct multiboot_info *mbi,
			struct mem_range *out, unsigned int max)
{
	struct range_set usable = { .nr = 0 }, holes = { .nr = 0 };

	memset(&bootmem, 0, sizeof(bootmem));
	if (!read_mmap(mbi, &usable, &holes)) {
		usable.nr = holes.nr = 0;
		bootmem.from_fallback = true;
		if (!read_mem_fields(mbi, &usable)) {
			printk(KERN_EMERG "bootmem: the boot loader gave no "
			       "memory information at all\n");
			return -EINVAL;
		}
	}
	/* A region listed both usable and reserved is reserved. */
	for (unsigned int i = 0; i < holes.nr; i++)
		range_cut(&usable, holes.r[i].start, holes.r[i].end);
	clip_and_count(&usable);
	cut_boot_structures(&usable, mbi);
	return (int)page_align_ranges(&usable, out, max);
}

int bootmem_init(const struct multiboot_info *mbi)
{
	struct mem_range ranges[BOOTMEM_MAX_RANGES];
	int n = bootmem_find_ranges(mbi, ranges, BOOTMEM_MAX_RANGES);
	u64 bytes = 0;

	if (n <= 0)
		return n ? n : -ENOMEM;
	for (int i = 0; i < n; i++)
		bytes += ranges[i].end - ranges[i].start;
	printk(KERN_INFO "bootmem: %llu KiB of %llu KiB usable RAM handed to "
	       "the page allocator in %d range%s\n", bytes >> 10,
	       bootmem.ram_bytes >> 10, n, n == 1 ? "" : "s");
	return mm_init(ranges, (unsigned int)n);
}
