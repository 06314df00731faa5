/*
 * printk.h - the kernel's log, with levels as in Linux.
 *
 * A message starts with a level marker (KERN_ERR "...") or gets
 * KERN_DEFAULT. Messages at a level numerically above the console log level
 * (loglevel= on the command line, default 7 = everything but debug) are not
 * shown. Every console (serial, VGA) receives every shown message.
 * printk() is safe in interrupt context: it never sleeps and never waits
 * for anyone; when it finds the consoles free it writes them itself.
 *
 * A shown message is queued in the log ring (kernel/printk.c) and written
 * to the consoles by the console owner, with interrupts on when the owner
 * is a thread. So a message may reach the consoles a little after printk()
 * returns, always in order; console_flush() waits for it.
 */
#ifndef LABYRINTH_KERNEL_PRINTK_H
#define LABYRINTH_KERNEL_PRINTK_H

#include <types.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"	/* system is unusable */
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"	/* an error: a bad call was refused */
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"	/* boot progress */
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_DEFAULT	""		/* shown at LOGLEVEL_DEFAULT */
#define KERN_CONT	KERN_SOH "c"	/* continue the previous line */

#define LOGLEVEL_DEFAULT	4
#define CONSOLE_LOGLEVEL_DEFAULT 7

extern int console_loglevel;

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_err(...)	printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...)	printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...)	printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...)	printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...)	printk(KERN_DEBUG __VA_ARGS__)

/*
 * The log ring: LOG_BUF_SIZE bytes of text queued for the consoles. A
 * message that finds it full is dropped whole and its bytes counted in
 * log_lost_total; "[N bytes of log lost]" then appears where it was.
 */
#define LOG_BUF_SIZE	(16 * 1024)	/* a power of two */
#define CONSOLE_CHUNK	64	/* most bytes the owner writes in one go */
extern unsigned long log_lost_total;

/*
 * The console owner writes what is queued; there is one at a time. Not a
 * spinlock: it does not count in locks_held(), and a thread that owns the
 * consoles may be preempted (the text waits for it meanwhile).
 *
 * console_trylock() - become the owner, if nobody is. Any context.
 * console_unlock() - the owner writes everything queued, its own and what
 * others queued meanwhile, then lets go. Writes run with the caller's
 * interrupt state; only the chunk bounds are taken with interrupts off.
 */
bool console_trylock(void);
void console_unlock(void);
/*
 * Become the owner, waiting (yielding) while someone else is: for a
 * thread that may sleep and does not own the consoles already. False
 * where it may not wait; then the caller does not own them. Release with
 * console_unlock().
 */
bool console_lock(void);
/*
 * Wait until everything queued before the call is written. A thread that
 * may sleep yields to an owner that was preempted; anywhere else this
 * writes only if nobody owns the consoles, and may return early.
 */
void console_flush(void);
/*
 * Wait until no owner is inside a console's write (by owning the consoles
 * once). Only where the caller may sleep and is not the owner itself;
 * elsewhere it returns at once.
 */
void console_wait_idle(void);
/*
 * Write everything queued now, interrupts off, ignoring the owner. For the
 * dying: an owner interrupted mid-chunk may see that chunk written twice.
 */
void console_flush_force(void);
/*
 * Panic, oops, double fault: force out what is queued, and from now on
 * write every message at once, whoever owns the consoles. Never undone.
 */
void console_emergency(void);

/*
 * Reading the log ring back. The ring keeps the last LOG_BUF_SIZE bytes
 * queued (messages and shell output, in the order the consoles got them),
 * written or not. A reader walks positions from the oldest byte held to
 * the newest at the time it started.
 *
 * log_reader_start() - start at the oldest byte held; returns how many
 * bytes the ring has let go of before it (0 if it never wrapped).
 * log_read() - copy up to size bytes, at most 256 at a time with
 * interrupts off (0 at the end; call again for more). Where writers have
 * overwritten bytes the reader had not reached yet, it skips to the oldest
 * byte held and sets *skipped to the count skipped. Any context.
 * log_dump() - dmesg: give what the ring holds, oldest first, to write()
 * (console_write() for the shell's dmesg), as the consoles' owner; a
 * wrapped ring starts at a whole line, after "[N earlier bytes of log
 * overwritten]". A thread that may sleep: waits for the consoles; -EBUSY
 * where it may not.
 */
struct log_reader {
	unsigned int pos;	/* the next byte to read */
	unsigned int end;	/* log_head when the reader started */
};
unsigned long log_reader_start(struct log_reader *r);
size_t log_read(struct log_reader *r, char *buf, size_t size,
		unsigned long *skipped);
int log_dump(void (*write)(const char *text, size_t len));

/*
 * Print the current call chain (frame-pointer walk, symbol names).
 * Provided by arch/x86 in the kernel and by a stub in host tests.
 */
void dump_stack(void);

#endif
