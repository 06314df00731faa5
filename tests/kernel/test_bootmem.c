/*
 * test_bootmem.c - the memory map parser, fed made-up Multiboot structures.
 *
 * Each case builds a multiboot_info in kernel memory (so its physical
 * address is real), runs bootmem_find_ranges() and checks the ranges that
 * would go to the allocator, and what was said: a capture console records
 * the errors and warnings printed meanwhile (not the tables), so a case
 * can check that a message names the field that was wrong. The real boot's
 * `bootmem` record is saved and put back around each case.
 *
 * Bad pointers are made with addresses the kernel cannot read: at or past
 * DIRECT_MAP_SIZE, straddling it, or wrapping 2^32 (0xfffffff0 + 0x20).
 * Reading through one would fault, so a case that oopses is a failure too.
 */
#include <asm/page.h>
#include <kernel/console.h>
#include <kernel/bootmem.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include <mm/gfp.h>
#include <mm/init.h>
#include <tests/kernel/ktest.h>

#define MIB(x)	((u64)(x) << 20)
#define KIB(x)	((u64)(x) << 10)
#define NOWHERE	0xF0000000u	/* physical, far past the direct map */

static struct multiboot_info fake_mbi;
static struct multiboot_mmap_entry fake_map[100];
static struct multiboot_module fake_mods[BOOTMEM_MAX_MODULES];
static struct mem_range out[BOOTMEM_MAX_RANGES];
static struct bootmem_info fake_result;

extern char _kernel_phys_end[];

/* ---- what was said ---- */

static char said_text[2048];
static size_t said_len;
static int said_saved_level;

static void said_write(const char *text, size_t len)
{
	len = MIN(len, sizeof(said_text) - 1 - said_len);
	memcpy(said_text + said_len, text, len);
	said_len += len;
	said_text[said_len] = '\0';
}

static struct console said_console = { .name = "bootmem-test",
				       .write = said_write };

/* Record errors and warnings from here on (not the INFO tables). */
static void said_start(void)
{
	console_flush();
	said_len = 0;
	said_text[0] = '\0';
	said_saved_level = console_loglevel;
	console_loglevel = 5;	/* KERN_WARNING and more urgent */
	console_register(&said_console);
}

static void said_stop(void)
{
	console_unregister(&said_console);	/* after what is queued */
	console_loglevel = said_saved_level;
}

/* True if the recorded text holds needle. */
static bool said(const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= said_len; i++)
		if (!memcmp(said_text + i, needle, n))
			return true;
	return false;
}

/*
 * Did bootmem or the Multiboot checks say anything? (Another part of the
 * kernel may print meanwhile: a lab 2 handout's fallback at its first
 * tick, say.)
 */
static bool said_by_bootmem(void)
{
	return said("bootmem") || said("multiboot");
}

#define EXPECT_SAID(t, needle) do { \
	if (!said(needle)) \
		ktest_fail((t), __FILE__, __LINE__, "no message with '%s'; " \
			   "said: '%s'", (needle), said_text); \
} while (0)

/* ---- made-up structures ---- */

static void map_reset(void)
{
	memset(&fake_mbi, 0, sizeof(fake_mbi));
	memset(fake_map, 0, sizeof(fake_map));
	memset(fake_mods, 0, sizeof(fake_mods));
}

static void map_set(unsigned int i, u64 addr, u64 len, u32 type)
{
	fake_map[i].size = 20;
	fake_map[i].addr = addr;
	fake_map[i].len = len;
	fake_map[i].type = type;
	fake_mbi.flags |= MULTIBOOT_INFO_MEM_MAP;
	fake_mbi.mmap_addr = (u32)__pa(fake_map);
	fake_mbi.mmap_length = (i + 1) * sizeof(fake_map[0]);
}

/* A usable map of 1..128 MiB, and mem_lower/upper saying 1..16 MiB. */
static void map_plain_with_fallback(void)
{
	map_reset();
	map_set(0, MIB(1), MIB(127), MULTIBOOT_MEMORY_AVAILABLE);
	fake_mbi.flags |= MULTIBOOT_INFO_MEMORY;
	fake_mbi.mem_lower = 639;
	fake_mbi.mem_upper = 15 * 1024;
}

/* Run the parser on mbi quietly, keeping the real boot's record. */
static int find_in(const struct multiboot_info *mbi)
{
	struct bootmem_info saved = bootmem;
	int n;

	said_start();
	n = bootmem_find_ranges(mbi, out, BOOTMEM_MAX_RANGES);
	said_stop();
	fake_result = bootmem;
	bootmem = saved;
	return n;
}

static int find(void)
{
	return find_in(&fake_mbi);
}

/* True if one of the n ranges found shares a byte with [start, end). */
static bool found_overlaps(int n, u64 start, u64 end)
{
	for (int i = 0; i < n; i++)
		if (out[i].start < end && start < out[i].end)
			return true;
	return false;
}

/* The bytes of the n ranges found. */
static u64 found_bytes(int n)
{
	u64 sum = 0;

	for (int i = 0; i < n; i++)
		sum += out[i].end - out[i].start;
	return sum;
}

/* True if [start, end) lies wholly in one of the n ranges found. */
static bool found_covers(int n, u64 start, u64 end)
{
	for (int i = 0; i < n; i++)
		if (out[i].start <= start && end <= out[i].end)
			return true;
	return false;
}

/* QEMU's map for -m 64: low RAM, BIOS holes, RAM to 64 MiB - 128 KiB. */
static void bootmem_qemu_map_64m(struct ktest *t)
{
	map_reset();
	map_set(0, 0, 0x9fc00, MULTIBOOT_MEMORY_AVAILABLE);
	map_set(1, 0x9fc00, 0x400, MULTIBOOT_MEMORY_RESERVED);
	map_set(2, 0xf0000, 0x10000, MULTIBOOT_MEMORY_RESERVED);
	map_set(3, MIB(1), MIB(63) - 0x20000, MULTIBOOT_MEMORY_AVAILABLE);
	map_set(4, MIB(64) - 0x20000, 0x20000, MULTIBOOT_MEMORY_RESERVED);
	KTEST_EXPECT_EQ(t, find(), 1);
	/* The first MiB and the kernel image (with the fake map) are out. */
	KTEST_EXPECT_EQ(t, out[0].start, (uintptr_t)_kernel_phys_end);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(64) - 0x20000);
	KTEST_EXPECT(t, !fake_result.from_fallback);
	KTEST_EXPECT_EQ(t, fake_result.ram_bytes, 0x9fc00 + MIB(63) - 0x20000);
	KTEST_EXPECT(t, !said_by_bootmem());	/* nothing to complain about */
}

/* An entry whose size word is too small: the whole map is distrusted. */
static void bootmem_malformed_map_falls_back(struct ktest *t)
{
	map_plain_with_fallback();
	map_set(1, MIB(200), MIB(32), MULTIBOOT_MEMORY_AVAILABLE);
	fake_map[1].size = 4;
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, fake_result.from_fallback);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(16));
	EXPECT_SAID(t, "entry at offset 24: its size word is under 20");
	EXPECT_SAID(t, "falling back to mem_lower=639 KiB, mem_upper=15360");
}

/* A size word that would take the walk past mmap_length: fall back. */
static void bootmem_size_word_past_mmap_length_falls_back(struct ktest *t)
{
	map_plain_with_fallback();
	map_set(1, MIB(200), MIB(32), MULTIBOOT_MEMORY_AVAILABLE);
	fake_map[1].size = 1000;
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, fake_result.from_fallback);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(16));
	EXPECT_SAID(t, "offset 24: its size word runs past mmap_length");
}

/* Trailing bytes too few for an entry: fall back. */
static void bootmem_short_tail_falls_back(struct ktest *t)
{
	map_plain_with_fallback();
	fake_mbi.mmap_length += 8;
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, fake_result.from_fallback);
	EXPECT_SAID(t, "offset 24: fewer bytes than an entry");
}

/* An entry whose end wraps past 2^64 cannot be meant: fall back. */
static void bootmem_entry_wrapping_2_64_falls_back(struct ktest *t)
{
	map_plain_with_fallback();
	map_set(1, 0xFFFFFFFFFFFF0000ULL, MIB(1), MULTIBOOT_MEMORY_RESERVED);
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, fake_result.from_fallback);
	EXPECT_SAID(t, "its end wraps past 2^64");
}

static void bootmem_missing_map_falls_back(struct ktest *t)
{
	map_reset();
	fake_mbi.flags = MULTIBOOT_INFO_MEMORY;
	fake_mbi.mem_lower = 639;
	fake_mbi.mem_upper = 7 * 1024;
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, fake_result.from_fallback);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(8));
	EXPECT_SAID(t, "the loader gave no memory map");
}

static void bootmem_no_information_is_an_error(struct ktest *t)
{
	map_reset();
	KTEST_EXPECT_EQ(t, find(), -EINVAL);
}

/* mmap_addr far past the direct map: never read, fall back. */
static void bootmem_mmap_addr_outside_falls_back(struct ktest *t)
{
	map_plain_with_fallback();
	fake_mbi.mmap_addr = NOWHERE;
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, fake_result.from_fallback);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(16));
	EXPECT_SAID(t, "mmap_addr: 24 bytes at 0xf0000000 do not lie in");
}

/* A map that starts inside the direct map and ends past it. */
static void bootmem_mmap_straddling_direct_map_end_falls_back(struct ktest *t)
{
	map_plain_with_fallback();
	fake_mbi.mmap_addr = DIRECT_MAP_SIZE - 24;
	fake_mbi.mmap_length = 48;
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, fake_result.from_fallback);
	EXPECT_SAID(t, "mmap_addr: 48 bytes at 0x37ffffe8");
}

/* 0xfffffff0 + 0x20 wraps to 0x10 in 32 bits: it must not pass. */
static void bootmem_mmap_wrapping_2_32_falls_back(struct ktest *t)
{
	map_plain_with_fallback();
	fake_mbi.mmap_addr = 0xFFFFFFF0;
	fake_mbi.mmap_length = 0x20;
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, fake_result.from_fallback);
	EXPECT_SAID(t, "mmap_addr: 32 bytes at 0xfffffff0");
}

static void bootmem_mmap_length_too_long_falls_back(struct ktest *t)
{
	map_plain_with_fallback();
	fake_mbi.mmap_length = BOOTMEM_MMAP_MAX + 24;
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, fake_result.from_fallback);
	EXPECT_SAID(t, "mmap_length 65560 is not in 1..65536");
}

/* A zero-length entry is dropped alone: the rest of the map is used. */
static void bootmem_zero_length_entry_dropped_alone(struct ktest *t)
{
	map_plain_with_fallback();
	map_set(0, MIB(1), MIB(15), MULTIBOOT_MEMORY_AVAILABLE);
	map_set(1, MIB(16), 0, MULTIBOOT_MEMORY_RESERVED);
	map_set(2, MIB(32), MIB(32), MULTIBOOT_MEMORY_AVAILABLE);
	KTEST_EXPECT_EQ(t, find(), 2);
	KTEST_EXPECT(t, !fake_result.from_fallback);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(16));
	KTEST_EXPECT_EQ(t, out[1].start, MIB(32));
	KTEST_EXPECT_EQ(t, out[1].end, MIB(64));
	EXPECT_SAID(t, "entry at offset 24 (0x1000000, reserved) has length 0: "
		    "dropped");
}

/* RAM above the direct map is counted, not used; above 4 GiB ignored. */
static void bootmem_clips_high_memory(struct ktest *t)
{
	map_reset();
	map_set(0, MIB(1), MIB(3071), MULTIBOOT_MEMORY_AVAILABLE);
	map_set(1, MIB(4096), MIB(512), MULTIBOOT_MEMORY_AVAILABLE);
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT_EQ(t, out[0].end, DIRECT_MAP_SIZE);
	KTEST_EXPECT_EQ(t, fake_result.unmanaged_bytes,
			MIB(3072) - DIRECT_MAP_SIZE);
	KTEST_EXPECT_EQ(t, fake_result.ignored_above_4g, MIB(512));
	EXPECT_SAID(t, "2176 MiB above the 896 MiB direct map is not managed");
	EXPECT_SAID(t, "ignoring 512 MiB above 4 GiB");
}

/* QEMU -m 897: 896 KiB above the direct map, not "0 MiB". */
static void bootmem_unmanaged_size_is_exact(struct ktest *t)
{
	map_reset();
	map_set(0, MIB(1), MIB(896) - KIB(128), MULTIBOOT_MEMORY_AVAILABLE);
	map_set(1, MIB(897) - KIB(128), KIB(128), MULTIBOOT_MEMORY_RESERVED);
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT_EQ(t, fake_result.unmanaged_bytes, KIB(896));
	EXPECT_SAID(t, "bootmem: 896 KiB above the 896 MiB direct map is not "
		    "managed");
}

/* Overlapping entries: reserved wins; unsorted entries are sorted. */
static void bootmem_reserved_wins_over_usable(struct ktest *t)
{
	map_reset();
	map_set(0, MIB(16), MIB(16), MULTIBOOT_MEMORY_AVAILABLE);
	map_set(1, MIB(1), MIB(15), MULTIBOOT_MEMORY_AVAILABLE);
	map_set(2, MIB(20), MIB(1), MULTIBOOT_MEMORY_RESERVED);
	KTEST_EXPECT_EQ(t, find(), 2);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(20));
	KTEST_EXPECT_EQ(t, out[1].start, MIB(21));
	KTEST_EXPECT_EQ(t, out[1].end, MIB(32));
}

/* ... whichever comes first in the map, and whatever its type number. */
static void bootmem_reserved_listed_first_still_wins(struct ktest *t)
{
	map_reset();
	map_set(0, MIB(20), MIB(1), MULTIBOOT_MEMORY_NVS);
	map_set(1, MIB(24), MIB(1), 77);	/* unknown: reserved */
	map_set(2, MIB(1), MIB(31), MULTIBOOT_MEMORY_AVAILABLE);
	KTEST_EXPECT_EQ(t, find(), 3);
	KTEST_EXPECT(t, !found_overlaps(3, MIB(20), MIB(21)));
	KTEST_EXPECT(t, !found_overlaps(3, MIB(24), MIB(25)));
	KTEST_EXPECT_EQ(t, out[2].end, MIB(32));
}

/*
 * The information structure and the map are read after the allocator is
 * up (the command line, the shell's views), so they stay out of it even
 * when they lie outside the kernel image: here each in a page of its own,
 * taken from the allocator, inside a usable entry of 1..128 MiB.
 */
static void bootmem_info_and_map_reserved(struct ktest *t)
{
	struct page *info_page = alloc_page(GFP_KERNEL);
	struct page *map_page = alloc_page(GFP_KERNEL);
	struct multiboot_info *mbi;
	struct multiboot_mmap_entry *map;
	u64 info_pa, map_pa;
	int n;

	if (!info_page || !map_page) {
		ktest_fail(t, __FILE__, __LINE__, "no pages for the test");
		goto out;
	}
	mbi = page_address(info_page);
	map = page_address(map_page);
	info_pa = (u64)page_to_pfn(info_page) << PAGE_SHIFT;
	map_pa = (u64)page_to_pfn(map_page) << PAGE_SHIFT;
	memset(mbi, 0, sizeof(*mbi));
	map[0] = (struct multiboot_mmap_entry){ 20, MIB(1), MIB(127),
						 MULTIBOOT_MEMORY_AVAILABLE };
	mbi->flags = MULTIBOOT_INFO_MEM_MAP;
	mbi->mmap_addr = (u32)map_pa;
	mbi->mmap_length = sizeof(map[0]);
	n = find_in(mbi);
	KTEST_EXPECT(t, n > 0);
	KTEST_EXPECT(t, !found_overlaps(n, info_pa, info_pa + sizeof(*mbi)));
	KTEST_EXPECT(t, !found_overlaps(n, map_pa, map_pa + sizeof(map[0])));
	/* Only those two pages: the rest of the entry past the image stays. */
	KTEST_EXPECT_EQ(t, found_bytes(n), MIB(128) - 2 * PAGE_SIZE -
			ALIGN_UP((uintptr_t)_kernel_phys_end, PAGE_SIZE));
out:
	if (info_page)
		free_page(info_page);
	if (map_page)
		free_page(map_page);
}

/* Ranges that are not page-aligned shrink to whole pages. */
static void bootmem_unaligned_ranges_shrink(struct ktest *t)
{
	map_reset();
	map_set(0, MIB(8) + 100, MIB(1), MULTIBOOT_MEMORY_AVAILABLE);
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT_EQ(t, out[0].start, MIB(8) + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(9));
}

#define HOLES		45
#define HOLE_SIZE	KIB(64)

/*
 * More reserved entries than the range table holds, listed between the
 * usable ones that they punch holes in:
 *
 *	usable  [1 MiB + 2k MiB, 3 MiB + 2k MiB)   k = 0..44: one span
 *	reserved [2 MiB + 2k MiB, + 64 KiB)        inside it
 *	usable  [100 MiB, 164 MiB)                 listed last, the largest
 *
 * The span becomes 46 pieces, more than BOOTMEM_MAX_RANGES: some usable
 * memory is left out (said), the smallest pieces, but not one reserved
 * byte may reach the allocator, and the largest range stays.
 */
static void bootmem_many_holes_never_handed_out(struct ktest *t)
{
	unsigned int e = 0;
	int n;

	map_reset();
	for (unsigned int k = 0; k < HOLES; k++) {
		map_set(e++, MIB(1 + 2 * k), MIB(2),
			MULTIBOOT_MEMORY_AVAILABLE);
		map_set(e++, MIB(2 + 2 * k), HOLE_SIZE,
			k % 2 ? MULTIBOOT_MEMORY_RESERVED :
				MULTIBOOT_MEMORY_ACPI_RECLAIMABLE);
	}
	map_set(e++, MIB(100), MIB(64), MULTIBOOT_MEMORY_AVAILABLE);
	n = find();
	KTEST_EXPECT_EQ(t, n, BOOTMEM_MAX_RANGES);
	for (unsigned int k = 0; k < HOLES; k++) {
		u64 hole = MIB(2 + 2 * k);

		if (found_overlaps(n, hole, hole + HOLE_SIZE))
			ktest_fail(t, __FILE__, __LINE__, "reserved entry %u "
				   "(%#llx) handed out", k, hole);
	}
	KTEST_EXPECT(t, found_covers(n, MIB(100), MIB(164)));
	KTEST_EXPECT(t, fake_result.lost_bytes > 0);
	EXPECT_SAID(t, "more than 32 separate usable ranges");
	EXPECT_SAID(t, "of usable RAM left out");
}

/* ---- the other Multiboot fields ---- */

/* The information structure itself: wholly in the direct map, or refused. */
static void bootmem_info_outside_direct_map_refused(struct ktest *t)
{
	said_start();
	KTEST_EXPECT(t, boot_info(NOWHERE) == NULL);
	/* Just fits; one byte further does not. */
	KTEST_EXPECT(t, boot_info(DIRECT_MAP_SIZE - sizeof(fake_mbi)) != NULL);
	KTEST_EXPECT(t, boot_info(DIRECT_MAP_SIZE - sizeof(fake_mbi) + 1) ==
			NULL);
	KTEST_EXPECT(t, boot_info((u32)__pa(&fake_mbi)) == &fake_mbi);
	said_stop();
	EXPECT_SAID(t, "the information structure (EBX): 96 bytes at "
		    "0xf0000000");
	EXPECT_SAID(t, "the information structure (EBX): 96 bytes at "
		    "0x37ffffa1");
}

/* A command line kmain cannot read is dropped, named, and boot goes on. */
static void bootmem_cmdline_unreadable_dropped(struct ktest *t)
{
	static const char line[] = "hz=100";

	map_plain_with_fallback();
	fake_mbi.flags |= MULTIBOOT_INFO_CMDLINE;
	fake_mbi.cmdline = NOWHERE;
	said_start();
	KTEST_EXPECT(t, !strcmp(multiboot_cmdline(&fake_mbi), ""));
	fake_mbi.cmdline = 0xFFFFFFFF;
	KTEST_EXPECT(t, !strcmp(multiboot_cmdline(&fake_mbi), ""));
	fake_mbi.cmdline = (u32)__pa(line);
	KTEST_EXPECT(t, multiboot_cmdline(&fake_mbi) == line);
	said_stop();
	EXPECT_SAID(t, "cmdline: the string at 0xf0000000 lies past");
	EXPECT_SAID(t, "cmdline: the string at 0xffffffff lies past");
}

/* A string that does not end where the kernel can read it is refused. */
static void bootmem_unterminated_string_refused(struct ktest *t)
{
	char *page = get_free_page(GFP_KERNEL);

	if (!page) {
		KTEST_SKIP(t, "no free page");
		return;
	}
	memset(page, 'x', PAGE_SIZE);	/* BOOT_STRING_MAX bytes, no NUL */
	said_start();
	KTEST_EXPECT(t, boot_string("cmdline", (u32)__pa(page)) == NULL);
	page[PAGE_SIZE - 1] = '\0';
	KTEST_EXPECT(t, boot_string("cmdline", (u32)__pa(page)) == page);
	said_stop();
	free_page_addr(page);
	EXPECT_SAID(t, "has no NUL within 4096 bytes");
}

/* boot_loader_name past the direct map: said, and boot goes on. */
static void bootmem_loader_name_unreadable_reported(struct ktest *t)
{
	map_plain_with_fallback();
	fake_mbi.flags |= MULTIBOOT_INFO_LOADER_NAME;
	fake_mbi.boot_loader_name = NOWHERE;
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, !fake_result.from_fallback);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(128));
	EXPECT_SAID(t, "boot_loader_name: the string at 0xf0000000 lies");
}

/*
 * The loader's strings and modules outside the kernel image, in memory
 * the map calls usable: all of them stay out of the allocator. Each
 * string has a page of its own (a cut keeps its whole page out).
 */
static void bootmem_strings_and_modules_reserved(struct ktest *t)
{
	char *name = get_free_page(GFP_KERNEL);
	char *mod_string = get_free_page(GFP_KERNEL);
	u64 name_at = __pa(name), string_at = __pa(mod_string);
	int n;

	if (!name || !mod_string) {
		free_page_addr(name);
		free_page_addr(mod_string);
		KTEST_SKIP(t, "no free page");
		return;
	}
	memcpy(name + 100, "GRUB 2.06", 10);
	memcpy(mod_string + 200, "initrd.img", 11);
	map_plain_with_fallback();
	fake_mbi.flags |= MULTIBOOT_INFO_LOADER_NAME | MULTIBOOT_INFO_MODS;
	fake_mbi.boot_loader_name = (u32)name_at + 100;
	fake_mbi.mods_count = 1;
	fake_mbi.mods_addr = (u32)__pa(fake_mods);
	fake_mods[0].mod_start = (u32)MIB(40);
	fake_mods[0].mod_end = (u32)MIB(41) + 100;
	fake_mods[0].string = (u32)string_at + 200;
	n = find();
	free_page_addr(name);
	free_page_addr(mod_string);
	KTEST_EXPECT(t, !found_overlaps(n, name_at + 100, name_at + 110));
	KTEST_EXPECT(t, !found_overlaps(n, string_at + 200, string_at + 211));
	KTEST_EXPECT(t, !found_overlaps(n, MIB(40), MIB(41) + 100));
	KTEST_EXPECT(t, !said_by_bootmem());
}

/*
 * mods_count 0x10000001: its byte size wraps 32 bits to 16. Only the
 * first BOOTMEM_MAX_MODULES are read (and reserved), and it is said.
 */
static void bootmem_huge_mods_count_bounded(struct ktest *t)
{
	int n;

	map_plain_with_fallback();
	fake_mbi.flags |= MULTIBOOT_INFO_MODS;
	fake_mbi.mods_count = 0x10000001;
	fake_mbi.mods_addr = (u32)__pa(fake_mods);
	fake_mods[0].mod_start = (u32)MIB(40);
	fake_mods[0].mod_end = (u32)MIB(41);
	fake_mods[BOOTMEM_MAX_MODULES - 1].mod_start = (u32)MIB(60);
	fake_mods[BOOTMEM_MAX_MODULES - 1].mod_end = (u32)MIB(61);
	n = find();
	KTEST_EXPECT(t, !found_overlaps(n, MIB(40), MIB(41)));
	KTEST_EXPECT(t, !found_overlaps(n, MIB(60), MIB(61)));
	KTEST_EXPECT(t, found_covers(n, MIB(61), MIB(128)));
	EXPECT_SAID(t, "mods_count 268435457 is more than 64");
}

/* A module table the kernel cannot read: said, modules not read. */
static void bootmem_mods_addr_unreadable_reported(struct ktest *t)
{
	map_plain_with_fallback();
	fake_mbi.flags |= MULTIBOOT_INFO_MODS;
	fake_mbi.mods_count = 2;
	fake_mbi.mods_addr = DIRECT_MAP_SIZE - 16;	/* one of two fits */
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(128));
	EXPECT_SAID(t, "mods_addr: 32 bytes at 0x37fffff0");
}

/* A module ending before it starts: named; its string still reserved. */
static void bootmem_module_end_below_start_reported(struct ktest *t)
{
	map_plain_with_fallback();
	fake_mbi.flags |= MULTIBOOT_INFO_MODS;
	fake_mbi.mods_count = 1;
	fake_mbi.mods_addr = (u32)__pa(fake_mods);
	fake_mods[0].mod_start = (u32)MIB(41);
	fake_mods[0].mod_end = (u32)MIB(40);
	fake_mods[0].string = NOWHERE;
	KTEST_EXPECT_EQ(t, find(), 1);
	EXPECT_SAID(t, "mods[0]: mod_end 0x2800000 is below mod_start "
		    "0x2900000");
	EXPECT_SAID(t, "mods[0].string: the string at 0xf0000000 lies");
}

static const struct ktest_case bootmem_cases[] = {
	KTEST_CASE(bootmem_qemu_map_64m),
	KTEST_CASE(bootmem_malformed_map_falls_back),
	KTEST_CASE(bootmem_size_word_past_mmap_length_falls_back),
	KTEST_CASE(bootmem_short_tail_falls_back),
	KTEST_CASE(bootmem_entry_wrapping_2_64_falls_back),
	KTEST_CASE(bootmem_missing_map_falls_back),
	KTEST_CASE(bootmem_no_information_is_an_error),
	KTEST_CASE(bootmem_mmap_addr_outside_falls_back),
	KTEST_CASE(bootmem_mmap_straddling_direct_map_end_falls_back),
	KTEST_CASE(bootmem_mmap_wrapping_2_32_falls_back),
	KTEST_CASE(bootmem_mmap_length_too_long_falls_back),
	KTEST_CASE(bootmem_zero_length_entry_dropped_alone),
	KTEST_CASE(bootmem_clips_high_memory),
	KTEST_CASE(bootmem_unmanaged_size_is_exact),
	KTEST_CASE(bootmem_reserved_wins_over_usable),
	KTEST_CASE(bootmem_reserved_listed_first_still_wins),
	KTEST_CASE(bootmem_unaligned_ranges_shrink),
	KTEST_CASE(bootmem_info_and_map_reserved),
	KTEST_CASE(bootmem_many_holes_never_handed_out),
	KTEST_CASE(bootmem_info_outside_direct_map_refused),
	KTEST_CASE(bootmem_cmdline_unreadable_dropped),
	KTEST_CASE(bootmem_unterminated_string_refused),
	KTEST_CASE(bootmem_loader_name_unreadable_reported),
	KTEST_CASE(bootmem_strings_and_modules_reserved),
	KTEST_CASE(bootmem_huge_mods_count_bounded),
	KTEST_CASE(bootmem_mods_addr_unreadable_reported),
	KTEST_CASE(bootmem_module_end_below_start_reported),
};
KTEST_SUITE(bootmem_suite, "bootmem", bootmem_cases);
