; entry.asm - the first instructions of Labyrinth.
;
; The boot loader (GRUB, or QEMU's -kernel) finds the Multiboot header below,
; loads the kernel at physical 1 MiB and jumps to _start in 32-bit protected
; mode with paging off, EAX = 0x2BADB002 and EBX = the physical address of
; the Multiboot information.
;
; Before anything else: a stack (the loader's ESP is undefined), our own GDT
; (the loader's may lie anywhere) and an early IDT whose handlers report any
; exception and halt, then a check that the CPU has what the kernel uses
; (boot/early.asm). A machine that lacks it says so and halts here.
;
; The kernel is linked in the higher half (0xC0000000 + 1 MiB), so before any
; C code runs we build one page directory that maps
;   - physical 0 .. 4 MiB at virtual 0 (only for the jump to the higher half;
;     removed right after, so a NULL pointer faults), and
;   - physical 0 .. 896 MiB at virtual 0xC0000000 (the direct map),
; with 4 MiB pages (CR4.PSE), turn paging on and jump up to higher_half
; (boot/higher_half.asm), which moves the stack and the early tables to the
; higher half, drops the low mapping and calls kmain(magic, info). The two
; halves live in two files because they are linked at addresses 3 GiB
; apart: one file each keeps the debug line tables simple enough for gdb.

%include "boot/layout.inc"

extern boot_page_dir
extern boot_stack_top
extern higher_half
extern early_gdt_load
extern early_idt_load
extern cpu_check

MB_FLAGS	equ 0x00000003		; page-align modules, give memory info
MB_CHECKSUM	equ -(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)

PDE_PRESENT	equ 0x001
PDE_WRITE	equ 0x002
PDE_4MB		equ 0x080
CR0_WP		equ 0x00010000
CR4_PSE		equ 0x00000010

section .multiboot
align 4
	dd MULTIBOOT_HEADER_MAGIC
	dd MB_FLAGS
	dd MB_CHECKSUM

section .boot.text exec
global _start
_start:
	cli
	cld
	mov esi, eax			; keep the loader's magic
	mov edi, ebx			; and the info pointer for kmain
	mov esp, boot_stack_top - KERNEL_VMA	; physical: paging is off

	xor ebx, ebx			; early.asm: addresses are physical
	call early_gdt_load
	jmp BOOT_CS:.flat
.flat:
	mov eax, BOOT_DS
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	call early_idt_load		; from here on an exception is reported
	call cpu_check			; returns only if the CPU will do

	; Fill boot_page_dir (addressed physically: paging is still off).
	mov edx, boot_page_dir - KERNEL_VMA
	xor ecx, ecx
.clear:
	mov dword [edx + ecx * 4], 0
	inc ecx
	cmp ecx, 1024
	jne .clear

	mov dword [edx], PDE_PRESENT | PDE_WRITE | PDE_4MB	; 0..4 MiB at 0

	mov ecx, 0			; 4 MiB slot number
	mov eax, PDE_PRESENT | PDE_WRITE | PDE_4MB
.direct:
	mov [edx + (KERNEL_VMA >> 22) * 4 + ecx * 4], eax
	add eax, 0x400000
	inc ecx
	cmp ecx, DIRECT_MAP_SIZE >> 22
	jne .direct

	mov eax, cr4
	or eax, CR4_PSE
	mov cr4, eax
	mov cr3, edx
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax

	mov eax, higher_half		; an absolute, higher-half address
	jmp eax				; boot/higher_half.asm

section .note.GNU-stack noalloc noexec nowrite progbits
