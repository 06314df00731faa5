/*
 * multiboot.c - reading what the boot loader left, without trusting it.
 *
 * Every pointer in the Multiboot information is a physical address the
 * loader chose, and every length a number it wrote. The kernel can read
 * physical memory only through the direct map, [0, DIRECT_MAP_SIZE): a
 * pointer past it faults (an oops, or before arch_init() an early
 * exception, boot/early.asm). So each field is checked here before it is
 * read: the whole structure must lie inside the direct map, with its end
 * computed in 64 bits (0xfffffff0 + 0x20 must not wrap to 0x10), and a
 * string must end within BOOT_STRING_MAX bytes. A field that fails is
 * reported once, by its name in the Multiboot specification, and treated
 * as absent; what to do instead is the caller's choice (kernel/bootmem.c
 * falls back to mem_lower/mem_upper for the memory map, say).
 */
#include <asm/page.h>
#include <kernel/multiboot.h>
#include <kernel/printk.h>
#include <lib/string.h>

bool boot_ptr_ok(u64 phys, u64 len)
{
	return phys < DIRECT_MAP_SIZE && len <= DIRECT_MAP_SIZE - phys;
}

bool boot_ptr_check(const char *field, u64 phys, u64 len)
{
	if (boot_ptr_ok(phys, len))
		return true;
	printk(KERN_ERR "multiboot: %s: %llu bytes at %#llx do not lie in the "
	       "first %lu MiB, the memory the kernel can read\n", field, len,
	       phys, DIRECT_MAP_SIZE >> 20);
	return false;
}

const char *boot_string(const char *field, u32 phys)
{
	const char *s = __va(phys);
	size_t room, len;

	if (!phys)
		return NULL;
	if (!boot_ptr_ok(phys, 1)) {
		if (field)
			printk(KERN_ERR "multiboot: %s: the string at %#x lies "
			       "past the first %lu MiB, the memory the kernel "
			       "can read\n", field, phys,
			       DIRECT_MAP_SIZE >> 20);
		return NULL;
	}
	room = MIN((u64)BOOT_STRING_MAX, DIRECT_MAP_SIZE - (u64)phys);
	len = strnlen(s, room);
	if (len < room)
		return s;
	if (field && room < BOOT_STRING_MAX)
		printk(KERN_ERR "multiboot: %s: the string at %#x runs past "
		       "the memory the kernel can read\n", field, phys);
	else if (field)
		printk(KERN_ERR "multiboot: %s: the string at %#x has no NUL "
		       "within %d bytes\n", field, phys, BOOT_STRING_MAX);
	return NULL;
}

const struct multiboot_info *boot_info(u32 phys)
{
	if (!boot_ptr_check("the information structure (EBX)", phys,
			    sizeof(struct multiboot_info)))
		return NULL;
	return __va(phys);
}

const char *multiboot_cmdline(const struct multiboot_info *mbi)
{
	const char *s = NULL;

	if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
		s = boot_string("cmdline", mbi->cmdline);
	return s ? s : "";
}
