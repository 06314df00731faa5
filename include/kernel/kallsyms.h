/*
 * kallsyms.h - the kernel's symbol table: from a code address to the name
 * of its function (kernel/kallsyms.c).
 */
#ifndef LABYRINTH_KERNEL_KALLSYMS_H
#define LABYRINTH_KERNEL_KALLSYMS_H

/*
 * The function containing addr: its name, and *offset (if not NULL) set
 * to addr's distance from its start; NULL outside the kernel's code.
 */
const char *symbol_lookup(unsigned long addr, unsigned long *offset);
/* Hand symbol_lookup() to lib/'s %pS (kmain, first thing). */
void kallsyms_init(void);

#endif
