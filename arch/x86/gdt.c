/*
 * gdt.c - the global descriptor table and the two task state segments.
 *
 * Flat model: code and data segments with base 0 and limit 4 GiB, ring 0
 * only (Labyrinth has no user mode). The kernel's TSS is loaded in TR only
 * so that the CPU has somewhere to save the registers when a double fault
 * switches to the double-fault task (see asm/desc.h). The double-fault task
 * starts at double_fault_task (entry.asm) on df_stack, with the kernel's page
 * directory and interrupts off.
 */
#include <asm/desc.h>
#include <asm/page.h>

#define DF_STACK_SIZE	8192

struct tss kernel_tss __attribute__((aligned(128)));
static struct tss df_tss __attribute__((aligned(128)));
static u8 df_stack[DF_STACK_SIZE] __attribute__((aligned(16)));
static u64 gdt[GDT_ENTRIES];

extern char boot_page_dir[];
extern char double_fault_task[];	/* entry.asm */

/* Access byte values: present, ring 0, and the type. */
#define SEG_CODE	0x9A	/* code, execute/read */
#define SEG_DATA	0x92	/* data, read/write */
#define SEG_TSS		0x89	/* available 32-bit TSS */
#define FLAGS_4K_32	0xC	/* 4 KiB granularity, 32-bit */
#define FLAGS_BYTE	0x0	/* byte granularity (TSS) */

static u64 gdt_entry(u32 base, u32 limit, u8 access, u8 flags)
{
	u64 e = limit & 0xFFFF;

	e |= (u64)(base & 0xFFFFFF) << 16;
	e |= (u64)access << 40;
	e |= (u64)((limit >> 16) & 0xF) << 48;
	e |= (u64)(flags & 0xF) << 52;
	e |= (u64)((base >> 24) & 0xFF) << 56;
	return e;
}

static void df_tss_init(void)
{
	df_tss.cr3 = __pa(boot_page_dir);
	df_tss.eip = (u32)double_fault_task;
	df_tss.eflags = 0x2;		/* bit 1 is always set; IF off */
	df_tss.esp = (u32)(df_stack + DF_STACK_SIZE);
	df_tss.ebp = 0;
	df_tss.cs = GDT_KERNEL_CS;
	df_tss.ss = df_tss.ds = df_tss.es = GDT_KERNEL_DS;
	df_tss.fs = df_tss.gs = GDT_KERNEL_DS;
	df_tss.iomap_base = sizeof(struct tss);
	kernel_tss.ss0 = GDT_KERNEL_DS;
	kernel_tss.iomap_base = sizeof(struct tss);
}

/* Load GDTR, reload every segment register, then TR. */
static void gdt_load(void)
{
	struct {
		u16 limit;
		u32 base;
	} __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (u32)gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\n\t"
			 "mov %2, %%ax\n\t"
			 "mov %%ax, %%ds\n\t"
			 "mov %%ax, %%es\n\t"
			 "mov %%ax, %%fs\n\t"
			 "mov %%ax, %%gs\n\t"
			 "mov %%ax, %%ss\n\t"
			 "mov %3, %%ax\n\t"
			 "ltr %%ax"
			 : : "m"(gdtr), "i"(GDT_KERNEL_CS), "i"(GDT_KERNEL_DS),
			   "i"(GDT_TSS)
			 : "eax", "memory");
}

void gdt_init(void)
{
	df_tss_init();
	gdt[0] = 0;
	gdt[GDT_KERNEL_CS / 8] = gdt_entry(0, 0xFFFFF, SEG_CODE, FLAGS_4K_32);
	gdt[GDT_KERNEL_DS / 8] = gdt_entry(0, 0xFFFFF, SEG_DATA, FLAGS_4K_32);
	gdt[GDT_TSS / 8] = gdt_entry((u32)&kernel_tss, sizeof(struct tss) - 1,
				     SEG_TSS, FLAGS_BYTE);
	gdt[GDT_DF_TSS / 8] = gdt_entry((u32)&df_tss, sizeof(struct tss) - 1,
					SEG_TSS, FLAGS_BYTE);
	gdt_load();
}
