; switch.asm - the context switch between kernel threads.
;
; switch_to(&prev->esp, next->esp) saves the callee-saved registers (the
; C calling convention lets the caller assume only these survive) on prev's
; stack, stores prev's stack pointer, loads next's, and pops next's
; registers: the RET then returns into wherever next called switch_to from,
; or, for a thread that never ran, into thread_start. Called with
; interrupts off (kernel/sched.c); EFLAGS travels with the caller, which
; saved and restores it.
;
; A new thread's stack is laid out by kernel/thread.c as
;   [thread_start] [ebp = 0] [ebx = struct thread *] [esi = 0] [edi = 0]
; so thread_start finds its thread in EBX and a zero frame pointer, which
; ends every backtrace of that thread.

section .text
extern thread_main

global switch_to
switch_to:
	mov eax, [esp + 4]		; &prev->esp
	mov edx, [esp + 8]		; next->esp
	push ebp
	push ebx
	push esi
	push edi
	mov [eax], esp
	mov esp, edx
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret

global thread_start
thread_start:
	push ebx			; thread_main(struct thread *)
	call thread_main		; never returns
.halt:
	cli
	hlt
	jmp .halt

section .note.GNU-stack noalloc noexec nowrite progbits
