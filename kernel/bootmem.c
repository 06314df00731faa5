/*
 * bootmem.c - from the Multiboot memory map to the ranges mm/ manages.
 *
 * Steps, each a small function below:
 *   1. check the map before reading it: mmap_addr and mmap_length inside
 *      memory the kernel can read, every entry's size word inside
 *      mmap_length (mmap_check); print it as a table (mmap_print);
 *   2. collect the usable ("available") entries (mmap_add_usable);
 *   3. cut every other entry out of what was collected, so that where
 *      entries overlap, reserved wins whatever their order
 *      (mmap_cut_reserved);
 *      if the map is missing or fails step 1, use mem_lower/mem_upper
 *      instead (read_mem_fields), with a message naming what was wrong;
 *   4. count, and clip to [1 MiB, end of the direct map), ignoring what
 *      lies above 4 GiB (a 32-bit kernel without PAE cannot reach it)
 *      (clip_and_count);
 *   5. cut out the kernel image and everything the loader left for us:
 *      the information, the map, the strings, the modules and their
 *      strings (cut_boot_structures);
 *   6. hand the remaining page-aligned ranges to mm_init().
 *
 * The invariant that keeps reserved memory out of the allocator: a
 * range_set holds usable memory only. Reserved ranges are never collected,
 * only cut away, so when the table is full (BOOTMEM_MAX_RANGES) what is
 * given up is the smallest usable range, counted in bootmem.lost_bytes and
 * said at boot, never a hole that would then be handed out.
 *
 * A malformed map entry, case by case:
 *   - length 0: dropped alone, with a note (real BIOS maps have them);
 *   - a size word under 20, or running past mmap_length, or an end past
 *     2^64: the map's framing cannot be trusted, so none of it is used;
 *     mem_lower/mem_upper are, as for a missing map;
 *   - a type this file does not know: reserved.
 *
 * Every pointer the loader gave is checked (kernel/multiboot.c) before it
 * is read; what only needs reserving is cut whatever it says, in 64-bit
 * arithmetic: cutting too much loses usable memory, never more.
 */
#include <asm/page.h>
#include <kernel/bootmem.h>
#include <kernel/printk.h>
#include <lib/format.h>
#include <lib/string.h>
#include <mm/init.h>

#define ONE_MIB		0x100000ULL
#define FOUR_GIB	0x100000000ULL
#define MMAP_ENTRY_MIN	20	/* addr, len, type: after the size word */

struct range64 {
	u64 start, end;		/* [start, end) */
};

/* Usable memory only (see the top of this file), sorted, disjoint. */
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

/* "896 KiB", "3 MiB": exact, in the largest unit that divides bytes. */
static const char *size_str(u64 bytes, char *buf, size_t size)
{
	if (bytes % ONE_MIB == 0)
		snprintf(buf, size, "%llu MiB", bytes >> 20);
	else if (bytes % 1024 == 0)
		snprintf(buf, size, "%llu KiB", bytes >> 10);
	else
		snprintf(buf, size, "%llu bytes", bytes);
	return buf;
}

/* ---- the range table ---- */

static u64 range_len(const struct range64 *r)
{
	return r->end - r->start;
}

/* The first range that ends at or after start: where start belongs. */
static unsigned int range_find(const struct range_set *set, u64 start)
{
	unsigned int i = 0;

	while (i < set->nr && set->r[i].end < start)
		i++;
	return i;
}

/* Grow range i to cover [start, end), then swallow the ranges it reaches. */
static void range_merge(struct range_set *set, unsigned int i, u64 start,
			u64 end)
{
	struct range64 *r = &set->r[i];

	r->start = MIN(r->start, start);
	r->end = MAX(r->end, end);
	while (i + 1 < set->nr && r[1].start <= r->end) {
		r->end = MAX(r->end, r[1].end);
		memmove(&set->r[i + 1], &set->r[i + 2],
			(set->nr - i - 2) * sizeof(set->r[0]));
		set->nr--;
	}
}

/*
 * The table is full and [start, end) touches none of its ranges: give up
 * the smallest usable range, the newcomer's or one already there. Counted
 * in bootmem.lost_bytes. True if the newcomer now has a slot.
 */
static bool range_make_room(struct range_set *set, u64 start, u64 end)
{
	unsigned int small = 0;

	for (unsigned int i = 1; i < set->nr; i++)
		if (range_len(&set->r[i]) < range_len(&set->r[small]))
			small = i;
	if (end - start <= range_len(&set->r[small])) {
		bootmem.lost_bytes += end - start;
		return false;
	}
	bootmem.lost_bytes += range_len(&set->r[small]);
	memmove(&set->r[small], &set->r[small + 1],
		(set->nr - small - 1) * sizeof(set->r[0]));
	set->nr--;
	return true;
}

/* Add usable [start, end), keeping the set sorted; overlaps merge. */
static void range_add(struct range_set *set, u64 start, u64 end)
{
	unsigned int i;

	if (start >= end)
		return;
	i = range_find(set, start);
	if (i < set->nr && set->r[i].start <= end) {
		range_merge(set, i, start, end);
		return;
	}
	if (set->nr == BOOTMEM_MAX_RANGES) {
		if (!range_make_room(set, start, end))
			return;
		i = range_find(set, start);
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

	if (start >= end)
		return;
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

/* ---- steps 1-3: the memory map ---- */

/*
 * The entry at byte off of the map, or NULL at its end. Only for a map
 * that mmap_check() accepted: every entry then lies inside mmap_length.
 */
static const struct multiboot_mmap_entry *
mmap_entry(const struct multiboot_info *mbi, u32 off)
{
	if (off >= mbi->mmap_length)
		return NULL;
	return __va(mbi->mmap_addr + off);
}

#define for_each_mmap_entry(e, off, mbi) \
	for ((off) = 0; ((e) = mmap_entry((mbi), (off))); \
	     (off) += (e)->size + 4)

/* What is wrong with the entry at byte off of a map of len bytes, or NULL. */
static const char *mmap_entry_bad(const struct multiboot_mmap_entry *e,
				  u32 off, u32 len)
{
	if (len - off < sizeof(*e))
		return "fewer bytes than an entry are left in mmap_length";
	if (e->size < MMAP_ENTRY_MIN)
		return "its size word is under 20";
	if (e->size > len - off - 4)
		return "its size word runs past mmap_length";
	if (e->len && e->addr + e->len < e->addr)
		return "its end wraps past 2^64";
	return NULL;
}

/* Step 1. The map's bounds and each entry's framing; false if unusable. */
static bool mmap_check(const struct multiboot_info *mbi)
{
	u32 len = mbi->mmap_length;

	if (!(mbi->flags & MULTIBOOT_INFO_MEM_MAP)) {
		printk(KERN_WARNING "bootmem: the loader gave no memory map\n");
		return false;
	}
	if (len == 0 || len > BOOTMEM_MMAP_MAX) {
		printk(KERN_ERR "bootmem: mmap_length %u is not in 1..%u\n",
		       len, BOOTMEM_MMAP_MAX);
		return false;
	}
	if (!boot_ptr_check("mmap_addr", mbi->mmap_addr, len))
		return false;
	for (u32 off = 0; off < len;) {
		const struct multiboot_mmap_entry *e = __va(mbi->mmap_addr +
							    off);
		const char *why = mmap_entry_bad(e, off, len);

		if (why) {
			printk(KERN_ERR "bootmem: malformed memory map entry "
			       "at offset %u: %s\n", off, why);
			return false;
		}
		off += e->size + 4;
	}
	return true;
}

static void print_entry(u64 start, u64 len, const char *type)
{
	printk(KERN_INFO "  %#018llx-%#018llx %10llu KiB  %s\n",
	       start, start + len - 1, len >> 10, type);
}

/* Step 1. The map as a table; an empty entry gets a note instead. */
static void mmap_print(const struct multiboot_info *mbi)
{
	const struct multiboot_mmap_entry *e;
	u32 off;

	printk(KERN_INFO "Memory map from the boot loader:\n");
	for_each_mmap_entry(e, off, mbi) {
		if (e->len)
			print_entry(e->addr, e->len, mmap_type_name(e->type));
		else
			printk(KERN_WARNING "bootmem: memory map entry at "
			       "offset %u (%#llx, %s) has length 0: dropped\n",
			       off, e->addr, mmap_type_name(e->type));
	}
}

/* Step 2. Every usable entry into the set. */
static void mmap_add_usable(const struct multiboot_info *mbi,
			    struct range_set *usable)
{
#ifndef LAB1_STARTER		/* lab 1 solution */
	const struct multiboot_mmap_entry *e;
	u32 off;

	for_each_mmap_entry(e, off, mbi)
		if (e->type == MULTIBOOT_MEMORY_AVAILABLE)
			range_add(usable, e->addr, e->addr + e->len);
#else				/* lab 1 starter */
	/*
	 * LAB 1, exercise 1 (docs/labs/lab1-boot.md, "Usable memory").
	 * Walk the entries of the map (for_each_mmap_entry(), above, in
	 * mmap_print()) and add [addr, addr + len) of every entry of type
	 * MULTIBOOT_MEMORY_AVAILABLE to usable with range_add(). Until you
	 * write it, the map lists no usable RAM and the kernel falls back to
	 * mem_lower/mem_upper.
	 */
#endif				/* lab 1 */
}

/* Step 3. Every other entry out of it: reserved wins over usable. */
static void mmap_cut_reserved(const struct multiboot_info *mbi,
			      struct range_set *usable)
{
#ifndef LAB1_STARTER		/* lab 1 solution */
	const struct multiboot_mmap_entry *e;
	u32 off;

	for_each_mmap_entry(e, off, mbi)
		if (e->type != MULTIBOOT_MEMORY_AVAILABLE)
			range_cut(usable, e->addr, e->addr + e->len);
#else				/* lab 1 starter */
	/*
	 * LAB 1, exercise 2 (docs/labs/lab1-boot.md, "Reserved wins").
	 * Every entry that is not MULTIBOOT_MEMORY_AVAILABLE (reserved, ACPI,
	 * bad RAM, a type nobody knows) must not be handed out, even where a
	 * usable entry says otherwise: cut it out of usable with
	 * range_cut(). Why is this a second walk, after every usable entry
	 * is in, and not a branch of the first?
	 */
#endif				/* lab 1 */
}

/* Steps 1-3; false (and the set empty) if the map cannot be used. */
static bool read_mmap(const struct multiboot_info *mbi,
		      struct range_set *usable)
{
	if (!mmap_check(mbi))
		return false;
	mmap_print(mbi);
	mmap_add_usable(mbi, usable);
	mmap_cut_reserved(mbi, usable);
	if (usable->nr)
		return true;
	printk(KERN_ERR "bootmem: the memory map lists no usable RAM\n");
	return false;
}

/* The fallback: mem_lower KiB at 0, mem_upper KiB from 1 MiB. */
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

/* ---- step 4 ---- */

/* Account for what we cannot use: above 4 GiB, above the direct map. */
static void clip_and_count(struct range_set *usable)
{
	char size[24];

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
#ifndef LAB1_STARTER		/* lab 1 solution */
	range_cut(usable, 0, ONE_MIB);	/* BIOS data, VGA, option ROMs */
#else				/* lab 1 starter */
	/*
	 * LAB 1, exercise 3 (docs/labs/lab1-boot.md, "What is not free"):
	 * the first MiB holds what the BIOS and the boot loader left, even
	 * where the map says usable: keep all of it out of usable.
	 */
#endif				/* lab 1 */
	if (bootmem.ignored_above_4g)
		printk(KERN_WARNING "bootmem: ignoring %s above 4 GiB "
		       "(a 32-bit kernel without PAE cannot address it)\n",
		       size_str(bootmem.ignored_above_4g, size, sizeof(size)));
	if (bootmem.unmanaged_bytes)
		printk(KERN_WARNING "bootmem: %s above the %lu MiB direct map "
		       "is not managed\n",
		       size_str(bootmem.unmanaged_bytes, size, sizeof(size)),
		       DIRECT_MAP_SIZE >> 20);
}

/* ---- step 5 ---- */

/* A loader string: its bytes and NUL, if it can be read (said if not). */
static void cut_string(struct range_set *usable, const char *field, u32 phys)
{
	const char *s = boot_string(field, phys);

	if (s)
		range_cut(usable, phys, (u64)phys + strlen(s) + 1);
}

/* Module i: its bytes [mod_start, mod_end) and its string. */
static void cut_module(struct range_set *usable,
		       const struct multiboot_module *m, unsigned int i)
{
	char field[32];

	if (m->mod_end < m->mod_start)
		printk(KERN_ERR "multiboot: mods[%u]: mod_end %#x is below "
		       "mod_start %#x: its memory is not known\n", i,
		       m->mod_end, m->mod_start);
	else
		range_cut(usable, m->mod_start, m->mod_end);
	snprintf(field, sizeof(field), "mods[%u].string", i);
	cut_string(usable, field, m->string);
}

/* The module table, at most BOOTMEM_MAX_MODULES of its entries. */
static void cut_modules(struct range_set *usable,
			const struct multiboot_info *mbi)
{
	const struct multiboot_module *mods;
	u32 n = mbi->mods_count;
	u64 bytes;

	if (n > BOOTMEM_MAX_MODULES) {
		printk(KERN_ERR "multiboot: mods_count %u is more than %u: "
		       "only the first %u modules are kept out of the "
		       "allocator\n", n, BOOTMEM_MAX_MODULES,
		       BOOTMEM_MAX_MODULES);
		n = BOOTMEM_MAX_MODULES;
	}
	bytes = (u64)n * sizeof(*mods);
	range_cut(usable, mbi->mods_addr, mbi->mods_addr + bytes);
	if (!n || !boot_ptr_check("mods_addr", mbi->mods_addr, bytes))
		return;
	mods = __va(mbi->mods_addr);
	for (u32 i = 0; i < n; i++)
		cut_module(usable, &mods[i], i);
}

/* The kernel image and everything the loader left for us to read. */
static void cut_boot_structures(struct range_set *usable,
				const struct multiboot_info *mbi)
{
#ifndef LAB1_STARTER		/* lab 1 solution */
	u32 mi = (u32)__pa(mbi);

	range_cut(usable, (uintptr_t)_kernel_phys_start,
		  (uintptr_t)_kernel_phys_end);
	range_cut(usable, mi, (u64)mi + sizeof(*mbi));
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP)
		range_cut(usable, mbi->mmap_addr,
			  (u64)mbi->mmap_addr + mbi->mmap_length);
#else				/* lab 1 starter */
	/*
	 * LAB 1, exercise 4 (docs/labs/lab1-boot.md, "What is not free").
	 * Cut out of usable: the kernel image, from _kernel_phys_start to
	 * _kernel_phys_end (physical addresses, from boot/linker.ld); the
	 * multiboot_info structure itself (mbi is its virtual address:
	 * __pa() gives the physical one); and the memory map, if the
	 * loader gave one (MULTIBOOT_INFO_MEM_MAP in mbi->flags): mmap_length
	 * bytes at mmap_addr. Compute ends in 64 bits. The strings and
	 * modules below are cut for you.
	 */
#endif				/* lab 1 */
	/* kmain already said what was wrong with it: no second message. */
	if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
		cut_string(usable, NULL, mbi->cmdline);
	if (mbi->flags & MULTIBOOT_INFO_LOADER_NAME)
		cut_string(usable, "boot_loader_name", mbi->boot_loader_name);
	if (mbi->flags & MULTIBOOT_INFO_MODS)
		cut_modules(usable, mbi);
}

/* ---- step 6 ---- */

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

static void report_lost(void)
{
	char size[24];

	if (bootmem.lost_bytes)
		printk(KERN_WARNING "bootmem: more than %u separate usable "
		       "ranges: %s of usable RAM left out\n",
		       BOOTMEM_MAX_RANGES,
		       size_str(bootmem.lost_bytes, size, sizeof(size)));
}

int bootmem_find_ranges(const struct multiboot_info *mbi,
			struct mem_range *out, unsigned int max)
{
	struct range_set usable = { .nr = 0 };

	memset(&bootmem, 0, sizeof(bootmem));
	if (!read_mmap(mbi, &usable)) {
		usable.nr = 0;
		bootmem.lost_bytes = 0;
		bootmem.from_fallback = true;
		if (!read_mem_fields(mbi, &usable)) {
			printk(KERN_EMERG "bootmem: the boot loader gave no "
			       "memory information at all\n");
			return -EINVAL;
		}
	}
	clip_and_count(&usable);
	cut_boot_structures(&usable, mbi);
	report_lost();
	return (int)page_align_ranges(&usable, out, max);
}

/* Cut [start, end) from ranges if it is there, saying so; the new count. */
static int keep_out(struct mem_range *ranges, int n, u64 start, u64 end,
		    const char *what)
{
	struct range_set set = { .nr = 0 };
	bool hit = false;

	for (int i = 0; i < n; i++) {
		hit |= ranges[i].start < end && start < ranges[i].end;
		range_add(&set, ranges[i].start, ranges[i].end);
	}
	if (!hit)
		return n;
	printk(KERN_ERR "bootmem: %s (%#llx-%#llx) is in the ranges for the "
	       "allocator: the steps of bootmem_find_ranges() do not reserve "
	       "it (lab 1); cut out here\n", what, start, end - 1);
	range_cut(&set, start, end);
	return (int)page_align_ranges(&set, ranges, BOOTMEM_MAX_RANGES);
}

/*
 * The last guard before mm_init(): what the kernel cannot give away and
 * go on running, whatever the steps above found. A handout of lab 1 starts
 * without some of those steps; the kernel then says what was missed, here,
 * instead of handing out its own code. (The in-kernel tests call
 * bootmem_find_ranges() and see the steps' own result.)
 */
static int keep_out_boot_memory(const struct multiboot_info *mbi,
				struct mem_range *ranges, int n)
{
	u32 mi = (u32)__pa(mbi);

	n = keep_out(ranges, n, 0, ONE_MIB, "the first MiB");
	n = keep_out(ranges, n, (uintptr_t)_kernel_phys_start,
		     (uintptr_t)_kernel_phys_end, "the kernel image");
	n = keep_out(ranges, n, mi, (u64)mi + sizeof(*mbi),
		     "the multiboot information");
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP)
		n = keep_out(ranges, n, mbi->mmap_addr,
			     (u64)mbi->mmap_addr + mbi->mmap_length,
			     "the memory map");
	return n;
}

/* Where the loader put what it gave us (physical), for the curious. */
static void print_boot_structures(const struct multiboot_info *mbi)
{
	const char *cmd = NULL;

	if ((mbi->flags & MULTIBOOT_INFO_CMDLINE) &&
	    boot_ptr_ok(mbi->cmdline, 1))
		cmd = boot_string(NULL, mbi->cmdline);
	printk(KERN_INFO "bootmem: kernel image %#lx-%#lx, multiboot info "
	       "%#lx+%u", (unsigned long)(uintptr_t)_kernel_phys_start,
	       (unsigned long)(uintptr_t)_kernel_phys_end - 1,
	       (unsigned long)__pa(mbi), (unsigned int)sizeof(*mbi));
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP)
		printk(KERN_CONT ", memory map %#x+%u", mbi->mmap_addr,
		       mbi->mmap_length);
	if (cmd)
		printk(KERN_CONT ", command line %#x+%u", mbi->cmdline,
		       (unsigned int)strlen(cmd) + 1);
	printk(KERN_CONT "\n");
}

int bootmem_init(const struct multiboot_info *mbi)
{
	struct mem_range ranges[BOOTMEM_MAX_RANGES];
	int n = bootmem_find_ranges(mbi, ranges, BOOTMEM_MAX_RANGES);
	u64 bytes = 0;

	print_boot_structures(mbi);
	if (n > 0)
		n = keep_out_boot_memory(mbi, ranges, n);
	if (n <= 0)
		return n ? n : -ENOMEM;
	for (int i = 0; i < n; i++)
		bytes += ranges[i].end - ranges[i].start;
	printk(KERN_INFO "bootmem: %llu KiB of %llu KiB usable RAM handed to "
	       "the page allocator in %d range%s\n", bytes >> 10,
	       bootmem.ram_bytes >> 10, n, n == 1 ? "" : "s");
	return mm_init(ranges, (unsigned int)n);
}
