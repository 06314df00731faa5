/*
 * cmdline.h - the kernel command line.
 *
 * The boot loader passes one string. QEMU's -kernel puts the kernel's file
 * name first ("build/kernel.elf hz=100"); GRUB passes only what follows the
 * kernel path in grub.cfg. Words of the form name=value are parameters;
 * each subsystem declares the ones it takes with a handler that returns 0,
 * or -EINVAL to reject a bad value (the default then stays, and the reason
 * is printed).
 */
#ifndef LABYRINTH_KERNEL_CMDLINE_H
#define LABYRINTH_KERNEL_CMDLINE_H

#include <types.h>

#define CMDLINE_MAX 256

/* The raw command line, copied at boot (the loader's copy may be reused). */
extern char boot_cmdline[CMDLINE_MAX];

void cmdline_init(const char *raw);
/* Apply every name=value parameter through the known handlers. */
void cmdline_parse(void);
/* True if the word `flag` (no '=') or `flag=...` appears. */
bool cmdline_has(const char *flag);
/* Copy the value of name= into buf; false if absent. */
bool cmdline_get(const char *name, char *buf, size_t size);

/* Kernel parameters handled in kernel/cmdline.c. */
extern unsigned int timer_hz;	/* hz=, default 1000 */

#endif
