/*
 * multiboot.h - the Multiboot (version 1) boot information structure.
 *
 * GRUB and QEMU's -kernel loader both leave EAX = MULTIBOOT_BOOTLOADER_MAGIC
 * and EBX = the physical address of struct multiboot_info when they jump to
 * _start. Which fields are valid is told by the bits of `flags`.
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

#endif
