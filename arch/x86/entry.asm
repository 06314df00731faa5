; entry.asm - the first instructions of every interrupt and exception.
;
; One small stub per vector (0..31 exceptions, 32..47 the 16 IRQ lines)
; makes the stack uniform: it pushes a zero where the CPU pushed no error
; code, then the vector number, and jumps to interrupt_common. That saves
; the rest of struct pt_regs (asm/ptrace.h), loads the kernel data segments
; and calls x86_interrupt(regs) in C (arch/x86/traps.c).
;
; Before the call, interrupt_common also lays down a frame record that
; links to the interrupted code (saved EBP, then the interrupted EIP as if it
; were a return address), so a backtrace taken inside a handler walks on
; through the code the interrupt stopped.
;
; Right after PUSHA (the 4th instruction of an IRQ's path), the TSC's low
; word goes to irq_entry_tsc: the moment the interrupt entered, for the
; interrupts-off tracer and each handler's cost (arch/x86/traps.c).
;
; All gates are interrupt gates: the CPU clears IF on entry, and IRET puts
; the interrupted EFLAGS back. The double fault (vector 8) is a task gate
; to double_fault_task, on a stack of its own (see asm/desc.h).

PT_EIP		equ 56		; offsetof(struct pt_regs, eip)
KERNEL_DS	equ 0x10

section .text
extern x86_interrupt
extern x86_double_fault
extern irq_entry_tsc

%macro STUB_NOERR 1
isr_stub_%1:
	push dword 0
	push dword %1
	jmp interrupt_common
%endmacro

%macro STUB_ERR 1
isr_stub_%1:
	push dword %1		; the CPU already pushed an error code
	jmp interrupt_common
%endmacro

%assign v 0
%rep 48
; the vectors for which the CPU pushes an error code
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
	STUB_ERR v
%else
	STUB_NOERR v
%endif
%assign v v + 1
%endrep

interrupt_common:
	pusha
	rdtsc				; EAX, EDX are saved: free to use
	mov [irq_entry_tsc], eax
	push ds
	push es
	push fs
	push gs
	mov ax, KERNEL_DS
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	cld
	mov eax, esp			; struct pt_regs *
	push dword [eax + PT_EIP]	; frame record: "return address"
	push ebp			; and the interrupted frame pointer
	mov ebp, esp
	push eax
	call x86_interrupt
	mov esp, ebp
	pop ebp
	add esp, 4			; the frame record's EIP
global interrupt_return
interrupt_return:
	pop gs
	pop fs
	pop es
	pop ds
	popa
	add esp, 8			; vector and error code
	iret

; The double-fault task starts here with a fresh stack holding the error
; code (always 0). It never returns: the report ends in a halt.
global double_fault_task
double_fault_task:
	xor ebp, ebp			; ends backtraces of this stack
	call x86_double_fault
.halt:
	cli
	hlt
	jmp .halt

section .rodata
global isr_stub_table
align 4
isr_stub_table:
%assign v 0
%rep 48
	dd isr_stub_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
