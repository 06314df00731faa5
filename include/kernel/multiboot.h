/*
 * multiboot.h - the Multiboot (version 1) boot information structure.
 *
 * GRUB and QEMU's -kernel loader both leave EAX = MULTIBOOT_BOOTLOADER_MAGIC
 * and EBX = the physical address of struct multiboot_info when they jump to
 * _start. Which fields are valid is told by the bits of `flags`.
 *
 * Every address in it is physical and chosen by the loader: read nothing
 * through one before the helpers at the end of this file (kernel/
 * multiboot.c) have said it lies in memory the kernel can read.
 */
#ifndef LABYRINTH_KERNEL_MULTIBOOT_H
#define LABYRINTH_KERNEL_MULTIBOOT_H

#include <types.h>

#define MULTIBOOT_HEADER_MAGIC		0x1BADB002
#define MULTIBOOT_BOOTLOADER_MAGIC	0x2BADB002

#define MULTIBOOT_INFO_MEMORY		(1u << 0)	/* mem_lower/upper */
#define MULTIBOOT_INFO_CMDLINE		(1u << 2)
#define MULTIBOOT_INFO_MODS		(1u << 3)
#define MULTIBOOT_INFO_ELF_SHDR		(1u << 5)
#define MULTIBOOT_INFO_MEM_MAP		(1u << 6)
#define MULTIBOOT_INFO_LOADER_NAME	(1u << 9)

struct multiboot_info {
	u32 flags;
	u32 mem_lower;		/* KiB below 1 MiB */
	u32 mem_upper;		/* KiB above 1 MiB, up to the first hole */
	u32 boot_device;
	u32 cmdline;		/* physical address of a C string */
	u32 mods_count;
	u32 mods_addr;
	u32 syms[4];
	u32 mmap_length;	/* bytes */
	u32 mmap_addr;		/* physical address of the first entry */
	u32 drives_length;
	u32 drives_addr;
	u32 config_table;
	u32 boot_loader_name;
	u32 apm_table;
	u32 vbe[6];
} __attribute__((packed));

/*
 * One memory map entry. `size` counts the bytes after itself, so the next
 * entry starts at (char *)e + e->size + 4; entries may be larger than this
 * structure.
 */
struct multiboot_mmap_entry {
	u32 size;
	u64 addr;
	u64 len;
	u32 type;
} __attribute__((packed));

#define MULTIBOOT_MEMORY_AVAILABLE	1
#define MULTIBOOT_MEMORY_RESERVED	2
#define MULTIBOOT_MEMORY_ACPI_RECLAIMABLE 3
#define MULTIBOOT_MEMORY_NVS		4
#define MULTIBOOT_MEMORY_BADRAM		5

struct multiboot_module {
	u32 mod_start;
	u32 mod_end;
	u32 string;
	u32 reserved;
} __attribute__((packed));

/*
 * Reading the loader's information without trusting it (kernel/
 * multiboot.c). The kernel can read physical memory only through the
 * direct map, [0, DIRECT_MAP_SIZE) (boot/entry.asm); a structure must lie
 * wholly inside it, its end computed in 64 bits so that addr + len cannot
 * wrap. A string must end (NUL) within BOOT_STRING_MAX bytes.
 */
#define BOOT_STRING_MAX	4096	/* bytes, the NUL included */

/* True if [phys, phys + len) lies wholly in the direct map. */
bool boot_ptr_ok(u64 phys, u64 len);

/* boot_ptr_ok(), and if not, a message naming field ("mmap_addr", ...). */
bool boot_ptr_check(const char *field, u64 phys, u64 len);

/*
 * The loader's string at phys, or NULL: when phys is 0 (no string), or,
 * with a message naming field, when it is not readable or has no NUL
 * within BOOT_STRING_MAX bytes. A NULL field means no message.
 */
const char *boot_string(const char *field, u32 phys);

/*
 * The information structure at phys (the loader's EBX), or NULL with a
 * message if it does not lie wholly in the direct map.
 */
const struct multiboot_info *boot_info(u32 phys);

/* The command line, "" if there is none or it is unreadable (said). */
const char *multiboot_cmdline(const struct multiboot_info *mbi);

#endif
