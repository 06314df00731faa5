/*
 * console.h - where printk output goes and where shell input comes from.
 *
 * Each output device (16550 serial, VGA text) registers a struct console;
 * console_write() sends text to all of them. printk() and the shell do not
 * call it: they queue text in the log ring, and the console owner writes
 * it (kernel/printk.c, include/kernel/printk.h). Input characters from any
 * device (serial receive, keyboard) are pushed with console_input_push(),
 * usually from an interrupt handler, into one small ring that the shell
 * reads with console_getc(), asleep until something arrives.
 */
#ifndef LABYRINTH_KERNEL_CONSOLE_H
#define LABYRINTH_KERNEL_CONSOLE_H

#include <types.h>

struct console {
	const char *name;
	/* Any context; interrupts on (a thread owns) or off (in a handler). */
	void (*write)(const char *text, size_t len);
	struct console *next;
	/*
	 * Input, polled: a received byte, or -1 if none. NULL for a console
	 * that only writes. Interrupts off. console_trygetc() asks each
	 * console, for a byte that raised no interrupt (before its IRQ line
	 * was wired, say).
	 */
	int (*poll)(void);
};

void console_register(struct console *con);
/*
 * Take con off the list (a test's capture console, say), once what was
 * queued before has been written (console_flush()). Any context.
 */
void console_unregister(struct console *con);
/* Write to every console. The console owner only: see printk.h. */
void console_write(const char *text, size_t len);
/*
 * The emergency output: one console whose write needs nothing to work (no
 * lock, no state a fault may have left half changed: a polled UART), set
 * by its driver. console_emergency_write() sends text straight to it,
 * past the log ring and its owner, for a context that can trust nothing
 * else, such as an exception inside the oops (arch/x86/traps.c); with
 * none set, the text is dropped. Any context.
 */
/* Returns the one it replaces (NULL: none). */
struct console *console_set_emergency(struct console *con);
void console_emergency_write(const char *text, size_t len);

#define CONSOLE_CTRL_C	0x03

/*
 * Called by input drivers, in interrupt context or with interrupts off.
 * A character that finds the ring full is dropped and counted in
 * console_input_dropped. A Ctrl-C (0x03) while the thread that reads the
 * console is in an interruptible wait (kernel/thread.h) interrupts that
 * wait instead, and is counted in console_interrupts; otherwise it is
 * input like any other key.
 */
void console_input_push(char c);
extern unsigned long console_input_dropped;
extern unsigned long console_interrupts;
/* Free slots in the input ring, so a producer that can wait does. */
unsigned int console_input_room(void);
/*
 * True while the console's reader is in a wait that Ctrl-C can end: a
 * producer that waits for room must go on reading its keys then, or a
 * Ctrl-C typed behind a full ring would never reach that wait.
 */
bool console_reader_interruptible(void);
/* Next input character, or -1 when none is waiting. Never blocks. */
int console_trygetc(void);
/*
 * Wait until a character arrives: asleep once the scheduler is up and the
 * caller may sleep, else halting the CPU between interrupts (or spinning
 * with interrupts off).
 */
char console_getc(void);
/*
 * True while a thread sleeps in console_getc() for the next key: the
 * shell sits at its prompt (so a message printed meanwhile may end with a
 * fresh prompt).
 */
bool console_reader_waiting(void);

#endif
