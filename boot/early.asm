; early.asm - what the entry code needs before the kernel can help itself:
; a CPU check, a boot GDT, an early IDT that reports any exception, and a
; way to print a line on the serial port and the VGA text screen.
;
; It all runs in two modes: before paging (a linear address is the physical
; one) and after, at the direct map's alias (physical + KERNEL_VMA), until
; arch_init() loads the real GDT and IDT (arch/x86/gdt.c, idt.c). So it is
; linked at its physical address, in .boot.text with _start; its code jumps
; and calls only relative to itself, and every data address is formed as
; [ebx + physical address]: the caller passes EBX = 0 with paging off,
; EBX = KERNEL_VMA with paging on (the exception handler reads CR0 to know).
;
; Nothing here returns to a kernel that failed: cpu_check and the early
; exception handler print their line and halt for good (interrupts off,
; HLT in a loop), so QEMU's -no-reboot stays up with the message on screen
; instead of ending in a silent triple fault.

%include "boot/layout.inc"

global early_gdt_load
global early_idt_load
global cpu_check

COM1		equ 0x3F8
CRTC_INDEX	equ 0x3D4
CRTC_DATA	equ 0x3D5
VGA_TEXT	equ 0xB8000
VGA_COLS	equ 80
VGA_ROWS	equ 25
VGA_ATTR_ALERT	equ 0x4F		; white on red: this line stops the boot
VGA_BLANK	equ 0x0720		; a grey space, for scrolled-in lines
EARLY_VECTORS	equ 32			; the CPU exceptions

EFLAGS_ID	equ 1 << 21		; can be flipped iff CPUID exists
; CPUID leaf 1, EDX: what the kernel uses.
CPU_PSE		equ 1 << 3		; 4 MiB pages (the direct map)
CPU_TSC		equ 1 << 4		; rdtsc (the timer sampler)
CPU_CMOV	equ 1 << 15		; cmov (gcc -march=i686, all over the C)
CPU_NEEDS	equ CPU_PSE | CPU_TSC | CPU_CMOV

; Print the string at label %1 (linked physically), in either mode.
%macro PUTS 1
	lea esi, [ebx + %1]
	call early_puts
%endmacro

section .boot.text exec

; ---------------------------------------------------------------- GDT

; Load the boot GDT (flat code BOOT_CS, flat data BOOT_DS: the selectors
; arch/x86/gdt.c uses too, so the early IDT's gates stay valid when it
; replaces this table). The loader's GDT may lie anywhere, even in memory
; about to be reused (Multiboot says so): ours is in the kernel image.
; EBX = the mode's offset. Selectors are reloaded by the caller.
early_gdt_load:
	lea eax, [ebx + boot_gdt]
	sub esp, 8
	mov word [esp + 2], boot_gdt_end - boot_gdt - 1
	mov [esp + 4], eax
	lgdt [esp + 2]
	add esp, 8
	ret

; ---------------------------------------------------------------- IDT

; Point the 32 exception gates at the early stubs, at this mode's address,
; and load the early IDT. EBX = the mode's offset. Clobbers EAX, ECX, EDX.
early_idt_load:
	lea edx, [ebx + early_idt - KERNEL_VMA]
	xor ecx, ecx
.gate:
	mov eax, [ebx + early_stub_table + ecx * 4]
	add eax, ebx
	mov [edx + ecx * 8], ax			; offset 0..15
	mov word [edx + ecx * 8 + 2], BOOT_CS
	mov word [edx + ecx * 8 + 4], 0x8E00	; present, ring 0, intr. gate
	shr eax, 16
	mov [edx + ecx * 8 + 6], ax		; offset 16..31
	inc ecx
	cmp ecx, EARLY_VECTORS
	jne .gate
	sub esp, 8
	mov word [esp + 2], EARLY_VECTORS * 8 - 1
	mov [esp + 4], edx
	lidt [esp + 2]
	add esp, 8
	ret

; One stub per exception: the stack then holds the vector, an error code
; (0 where the CPU pushes none), EIP, CS, EFLAGS.
%macro EARLY_STUB 1
early_stub_%1:
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || \
	%1 == 29 || %1 == 30
	push dword %1
%else
	push dword 0
	push dword %1
%endif
	jmp early_exception
%endmacro

%assign v 0
%rep EARLY_VECTORS
	EARLY_STUB v
%assign v v + 1
%endrep

; "early exception 14 (Page fault) at EIP 0xc0101f3a before the IDT was
; set up", then the error code and CR2, on both screens; then halt.
early_exception:
	cli
	cld
	xor ebx, ebx
	mov eax, cr0
	test eax, CR0_PG
	jz .mode
	mov ebx, KERNEL_VMA
.mode:
	; A fault while reporting one (it could recur forever): stop now.
	bts dword [ebx + early_reporting - KERNEL_VMA], 0
	jc early_halt
	mov ebp, esp			; [ebp] vector, +4 error, +8 EIP
	call early_console_begin
	PUTS msg_exc_head
	mov eax, [ebp]
	call early_putdec
	PUTS msg_exc_open
	mov eax, [ebp]
	mov esi, [ebx + early_exc_names + eax * 4]
	add esi, ebx
	call early_puts
	PUTS msg_exc_at
	mov eax, [ebp + 8]
	call early_puthex
	PUTS msg_exc_tail
	mov eax, [ebp + 4]
	call early_puthex
	PUTS msg_exc_cr2
	mov eax, cr2
	call early_puthex
	PUTS msg_halted
	jmp early_halt

; ---------------------------------------------------------------- CPU

; Return if the CPU has what the kernel uses (CPUID, and in its leaf 1
; PSE, TSC, CMOV); otherwise say what is missing on both screens and halt.
; Paging off, EBX = 0. Keeps ESI and EDI (the loader's magic and info).
cpu_check:
	push esi
	push edi
	pushfd
	pop eax
	mov ecx, eax
	xor eax, EFLAGS_ID
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd				; EFLAGS as they were
	xor eax, ecx
	test eax, EFLAGS_ID
	jz .no_cpuid
	xor eax, eax
	cpuid				; EAX = the highest leaf
	cmp eax, 1
	jb .no_leaf1
	mov eax, 1
	cpuid
	xor ebx, ebx			; CPUID wrote it: paging is still off
	and edx, CPU_NEEDS
	cmp edx, CPU_NEEDS
	jne .lacking
	pop edi
	pop esi
	ret
.no_cpuid:
	call early_console_begin
	PUTS msg_cpu_no_cpuid
	jmp .needs
.no_leaf1:
	xor ebx, ebx
	call early_console_begin
	PUTS msg_cpu_no_leaf1
	jmp .needs
.lacking:
	call early_console_begin
	PUTS msg_cpu_lacks
	test edx, CPU_PSE
	jnz .pse_ok
	PUTS msg_cpu_pse
.pse_ok:
	test edx, CPU_TSC
	jnz .tsc_ok
	PUTS msg_cpu_tsc
.tsc_ok:
	test edx, CPU_CMOV
	jnz .needs
	PUTS msg_cpu_cmov
.needs:
	PUTS msg_cpu_needs
	PUTS msg_halted
	jmp early_halt

; Stop for good: NMIs wake HLT, so loop.
early_halt:
	cli
.again:
	hlt
	jmp .again

; ---------------------------------------------------------------- output

; Make both screens ready for a message: COM1 at 115200 8N1 with FIFOs and
; no interrupts (as drivers/serial.c, less its IRQ), and the VGA position
; at the start of the line below the hardware cursor, wherever the BIOS,
; the boot loader or the kernel left it. EBX = the mode's offset.
early_console_begin:
	pushad
	mov dx, COM1 + 1
	xor al, al
	out dx, al			; IER: no interrupts
	mov dx, COM1 + 3
	mov al, 0x80
	out dx, al			; LCR: DLAB, to set the divisor
	mov dx, COM1
	mov al, 1
	out dx, al			; 115200 / 1
	inc dx
	xor al, al
	out dx, al
	mov dx, COM1 + 3
	mov al, 0x03
	out dx, al			; 8N1
	mov dx, COM1 + 2
	mov al, 0xC7
	out dx, al			; FIFOs on and cleared
	mov dx, COM1 + 4
	mov al, 0x03
	out dx, al			; DTR, RTS

	mov dx, CRTC_INDEX
	mov al, 14
	out dx, al
	mov dx, CRTC_DATA
	in al, dx
	mov ah, al
	mov dx, CRTC_INDEX
	mov al, 15
	out dx, al
	mov dx, CRTC_DATA
	in al, dx			; AX = the cursor cell
	movzx eax, ax
	cmp eax, VGA_COLS * VGA_ROWS
	jb .inside
	mov eax, VGA_COLS * (VGA_ROWS - 1)
.inside:
	mov [ebx + early_vga_pos - KERNEL_VMA], eax
	xor edx, edx
	mov ecx, VGA_COLS
	div ecx
	test edx, edx
	jz .done			; already at the start of a line
	mov al, 10
	call early_vga_putc
.done:
	popad
	ret

; Print the NUL-terminated string at ESI (a linear address). EBX = offset.
early_puts:
	push eax
	push esi
.next:
	lodsb
	test al, al
	jz .end
	call early_putc
	jmp .next
.end:
	call early_vga_cursor
	pop esi
	pop eax
	ret

; EAX as 0x followed by 8 hex digits.
early_puthex:
	pushad
	mov edx, eax
	mov al, '0'
	call early_putc
	mov al, 'x'
	call early_putc
	mov ecx, 8
.digit:
	rol edx, 4
	mov al, dl
	and al, 0x0F
	add al, '0'
	cmp al, '9'
	jbe .put
	add al, 'a' - '0' - 10
.put:
	call early_putc
	loop .digit
	popad
	ret

; EAX (below 100) in decimal.
early_putdec:
	pushad
	xor edx, edx
	mov ecx, 10
	div ecx
	test eax, eax
	jz .ones
	add al, '0'
	call early_putc
.ones:
	mov al, dl
	add al, '0'
	call early_putc
	popad
	ret

; One character to both screens; LF is CR LF on the serial line.
early_putc:
	pushad
	cmp al, 10
	jne .serial
	push eax
	mov al, 13
	call early_serial_putc
	pop eax
.serial:
	call early_serial_putc
	call early_vga_putc
	popad
	ret

; AL to COM1, waiting (a bounded while) for the transmitter to empty.
early_serial_putc:
	push ecx
	push edx
	push eax
	mov ecx, 100000
	mov dx, COM1 + 5
.wait:
	in al, dx
	test al, 0x20
	jnz .ready
	loop .wait
.ready:
	pop eax
	mov dx, COM1
	out dx, al
	pop edx
	pop ecx
	ret

; AL to the VGA text screen at early_vga_pos; LF starts the next line, and
; the screen scrolls up when the position passes the last line.
early_vga_putc:
	pushad
	mov edi, [ebx + early_vga_pos - KERNEL_VMA]
	cmp al, 10
	je .newline
	mov ah, VGA_ATTR_ALERT
	mov [ebx + VGA_TEXT + edi * 2], ax
	inc edi
	jmp .check
.newline:
	mov eax, edi
	xor edx, edx
	mov ecx, VGA_COLS
	div ecx
	inc eax
	mul ecx
	mov edi, eax
.check:
	cmp edi, VGA_COLS * VGA_ROWS
	jb .store
	lea esi, [ebx + VGA_TEXT + VGA_COLS * 2]
	lea edi, [ebx + VGA_TEXT]
	mov ecx, VGA_COLS * (VGA_ROWS - 1) / 2
	rep movsd
	mov ax, VGA_BLANK
	mov ecx, VGA_COLS
	rep stosw
	mov edi, VGA_COLS * (VGA_ROWS - 1)
.store:
	mov [ebx + early_vga_pos - KERNEL_VMA], edi
	popad
	ret

; The hardware cursor to early_vga_pos.
early_vga_cursor:
	pushad
	mov ecx, [ebx + early_vga_pos - KERNEL_VMA]
	mov dx, CRTC_INDEX
	mov al, 14
	out dx, al
	mov dx, CRTC_DATA
	mov al, ch
	out dx, al
	mov dx, CRTC_INDEX
	mov al, 15
	out dx, al
	mov dx, CRTC_DATA
	mov al, cl
	out dx, al
	popad
	ret

; ---------------------------------------------------------------- data
; Read-only, next to the code: .boot.text is the one section linked at its
; physical address.

align 8
boot_gdt:
	dq 0
	dq 0x00CF9A000000FFFF		; BOOT_CS: code, base 0, 4 GiB, 32-bit
	dq 0x00CF92000000FFFF		; BOOT_DS: data, base 0, 4 GiB
boot_gdt_end:

align 4
early_stub_table:
%assign v 0
%rep EARLY_VECTORS
	dd early_stub_ %+ v
%assign v v + 1
%endrep

early_exc_names:
%assign v 0
%rep EARLY_VECTORS
	dd exc_name_ %+ v
%assign v v + 1
%endrep

; As arch/x86/traps.c names them.
exc_name_0	db "Divide error", 0
exc_name_1	db "Debug", 0
exc_name_2	db "Non-maskable interrupt", 0
exc_name_3	db "Breakpoint", 0
exc_name_4	db "Overflow", 0
exc_name_5	db "Bound range exceeded", 0
exc_name_6	db "Invalid opcode", 0
exc_name_7	db "Device not available", 0
exc_name_8	db "Double fault", 0
exc_name_9	db "Coprocessor segment overrun", 0
exc_name_10	db "Invalid TSS", 0
exc_name_11	db "Segment not present", 0
exc_name_12	db "Stack-segment fault", 0
exc_name_13	db "General protection fault", 0
exc_name_14	db "Page fault", 0
exc_name_15	db "Reserved", 0
exc_name_16	db "x87 floating-point error", 0
exc_name_17	db "Alignment check", 0
exc_name_18	db "Machine check", 0
exc_name_19	db "SIMD floating-point error", 0
exc_name_20	db "Virtualization exception", 0
exc_name_21	db "Control protection exception", 0
exc_name_22	db "Reserved", 0
exc_name_23	db "Reserved", 0
exc_name_24	db "Reserved", 0
exc_name_25	db "Reserved", 0
exc_name_26	db "Reserved", 0
exc_name_27	db "Reserved", 0
exc_name_28	db "Hypervisor injection", 0
exc_name_29	db "VMM communication", 0
exc_name_30	db "Security exception", 0
exc_name_31	db "Reserved", 0

msg_exc_head	db "early exception ", 0
msg_exc_open	db " (", 0
msg_exc_at	db ") at EIP ", 0
msg_exc_tail	db " before the IDT was set up", 10, "error code ", 0
msg_exc_cr2	db ", CR2 ", 0
msg_halted	db ": System halted", 10, 0

msg_cpu_no_cpuid db "Labyrinth cannot run on this CPU: it has no CPUID "
		db "instruction", 0
msg_cpu_no_leaf1 db "Labyrinth cannot run on this CPU: its CPUID tells "
		db "no features", 0
msg_cpu_lacks	db "Labyrinth cannot run on this CPU: it lacks", 0
msg_cpu_pse	db " PSE (4 MiB pages)", 0
msg_cpu_tsc	db " TSC (rdtsc)", 0
msg_cpu_cmov	db " CMOV", 0
msg_cpu_needs	db 10, "It needs an i686 (Pentium Pro or later): CPUID, "
		db "PSE, TSC, CMOV", 0

section .bss
align 8
early_idt:
	resb EARLY_VECTORS * 8
early_vga_pos:
	resd 1				; the next VGA cell to write
early_reporting:
	resd 1				; bit 0: an exception is being reported

section .note.GNU-stack noalloc noexec nowrite progbits
