/*
 * kallsyms.c - from a code address to a function name.
 *
 * The build links the kernel twice: the first link gives the addresses of
 * all functions, tools/gen-kallsyms turns them into sorted tables in the
 * .kallsyms section, and the second link includes them. The section sits
 * after .data, so adding it does not move any code and the addresses stay
 * true. A lookup is a binary search.
 *
 * lib/vsprintf.c prints %pS through it, once kallsyms_init() has set its
 * hook: lib/ does not call up into the kernel by name.
 */
#include <kernel/kallsyms.h>
#include <lib/format.h>

struct kallsyms_table {
	unsigned int count;
	const unsigned long *addresses;	/* sorted ascending */
	const unsigned int *name_offsets;	/* into names */
	const char *names;
};

/* Generated (build/kallsyms.c); empty in the first link. */
extern const struct kallsyms_table kallsyms;
extern char _etext[];

const char *symbol_lookup(unsigned long addr, unsigned long *offset)
{
	unsigned int lo = 0, hi = kallsyms.count;

	if (!kallsyms.count || addr < kallsyms.addresses[0] ||
	    addr >= (unsigned long)_etext)
		return NULL;
	while (hi - lo > 1) {	/* invariant: addresses[lo] <= addr */
		unsigned int mid = lo + (hi - lo) / 2;

		if (kallsyms.addresses[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (offset)
		*offset = addr - kallsyms.addresses[lo];
	return kallsyms.names + kallsyms.name_offsets[lo];
}

void kallsyms_init(void)
{
	format_set_symbol_lookup(symbol_lookup);
}
