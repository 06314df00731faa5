/*
 * test_bootmem.c - the memory map parser, fed made-up Multiboot maps.
 *
 * Each case builds a multiboot_info in kernel memory (so its physical
 * address is real), runs bootmem_find_ranges() and checks the ranges that
 * would go to the allocator. The real boot's `bootmem` record is saved and
 * put back around each case.
 */
#include <asm/page.h>
#include <kernel/bootmem.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include <mm/init.h>
#include <tests/kernel/ktest.h>

#define MIB(x)	((u64)(x) << 20)

static struct multiboot_info fake_mbi;
static struct multiboot_mmap_entry fake_map[8];
static struct mem_range out[BOOTMEM_MAX_RANGES];
static struct bootmem_info fake_result;

extern char _kernel_phys_end[];

static void map_reset(void)
{
	memset(&fake_mbi, 0, sizeof(fake_mbi));
	memset(fake_map, 0, sizeof(fake_map));
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

/* Run the parser quietly, keeping the real boot's record. */
static int find(void)
{
	struct bootmem_info saved = bootmem;
	int level = console_loglevel, n;

	console_loglevel = 2;	/* the tables would bury the KTAP lines */
	n = bootmem_find_ranges(&fake_mbi, out, BOOTMEM_MAX_RANGES);
	console_loglevel = level;
	fake_result = bootmem;
	bootmem = saved;
	return n;
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
}

/* An entry whose size word is too small: the whole map is distrusted. */
static void bootmem_malformed_map_falls_back(struct ktest *t)
{
	map_reset();
	map_set(0, MIB(1), MIB(31), MULTIBOOT_MEMORY_AVAILABLE);
	map_set(1, MIB(32), MIB(32), MULTIBOOT_MEMORY_AVAILABLE);
	fake_map[1].size = 4;
	fake_mbi.flags |= MULTIBOOT_INFO_MEMORY;
	fake_mbi.mem_lower = 639;
	fake_mbi.mem_upper = 15 * 1024;		/* 1..16 MiB */
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT(t, fake_result.from_fallback);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(16));
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
}

static void bootmem_no_information_is_an_error(struct ktest *t)
{
	map_reset();
	KTEST_EXPECT_EQ(t, find(), -EINVAL);
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

/* Ranges that are not page-aligned shrink to whole pages. */
static void bootmem_unaligned_ranges_shrink(struct ktest *t)
{
	map_reset();
	map_set(0, MIB(8) + 100, MIB(1), MULTIBOOT_MEMORY_AVAILABLE);
	KTEST_EXPECT_EQ(t, find(), 1);
	KTEST_EXPECT_EQ(t, out[0].start, MIB(8) + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, out[0].end, MIB(9));
}

static const struct ktest_case bootmem_cases[] = {
	KTEST_CASE(bootmem_qemu_map_64m),
	KTEST_CASE(bootmem_malformed_map_falls_back),
	KTEST_CASE(bootmem_missing_map_falls_back),
	KTEST_CASE(bootmem_no_information_is_an_error),
	KTEST_CASE(bootmem_clips_high_memory),
	KTEST_CASE(bootmem_reserved_wins_over_usable),
	KTEST_CASE(bootmem_unaligned_ranges_shrink),
};
KTEST_SUITE(bootmem_suite, "bootmem", bootmem_cases);
