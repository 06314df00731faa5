;
; higher_half.asm - the first instructions at the kernel's link address.
;
; boot/entry.asm jumps here with paging on, EDI = the Multiboot info
; (physical) and ESI = the loader's magic. From here on the kernel runs at
; 0xC0000000 and up: the boot stack, the boot GDT and the early IDT move to
; their higher-half addresses, and then the identity map of the first 4 MiB
; is dropped (in that order: an exception in between would find its IDT
; unmapped), so a NULL pointer now faults. Then kmain(magic, info).
; kmain ends the boot thread once the shell thread runs: it never returns.

%include "boot/layout.inc"

section .text
extern kmain
extern early_gdt_load
extern early_idt_load
global boot_page_dir
global higher_half
higher_half:
	mov esp, boot_stack_top
	; early.asm is linked physically: call it at its direct-map alias.
	mov ebx, KERNEL_VMA
	call early_gdt_load + KERNEL_VMA
	call early_idt_load + KERNEL_VMA

	; Drop the identity map: from here on, virtual page 0 is unmapped.
	mov dword [boot_page_dir], 0
	mov eax, cr3
	mov cr3, eax			; flush the TLB

	xor ebp, ebp			; a zero frame pointer ends backtraces
	push edi			; multiboot info (physical)
	push esi			; magic
	call kmain
.halt:
	cli
	hlt
	jmp .halt

section .bss
align 4096
boot_page_dir:
	resb 4096
; A spare page between the page directory and the stack: the boot stack
; has no guard page, and an overflow (stacks grow down) lands here rather
; than in the page directory. The shell does not run on this stack; it has
; a thread of its own with a real guard page (kernel/thread.c).
boot_stack_spare:
	resb 4096
global boot_stack_bottom
boot_stack_bottom:
	resb 16384
global boot_stack_top
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
