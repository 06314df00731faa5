/*
 * printk.h - the kernel's log, with levels as in Linux.
 *
 * A message starts with a level marker (KERN_ERR "...") or gets
 * KERN_DEFAULT. Messages at a level numerically above the console log level
 * (loglevel= on the command line, default 7 = everything but debug) are not
 * shown. Every console (serial, VGA) receives every shown message.
 * printk() is safe in interrupt context: it never sleeps.
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
 * Print the current call chain (frame-pointer walk, symbol names).
 * Provided by arch/x86 in the kernel and by a stub in host tests.
 */
void dump_stack(void);

#endif
