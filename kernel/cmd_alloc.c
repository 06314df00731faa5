/*
 * cmd_alloc.c - the alloc and free shell commands: the allocator by hand.
 *
 *	alloc ORDER [FLAGS]	FLAGS: kernel, atomic, dma, zero, exclusive,
 *				nowarn, joined with '|' or ',' (default kernel)
 *	free ADDR|PFN ORDER
 *
 * They exist for experiments: take a block, look at buddyinfo or the
 * labyrinth, give it back. Anything mm/ would refuse (a bad flag mix, an
 * order above MAX_ORDER, a double free, a wrong order, a frame never
 * allocated) is passed to it on purpose, so that its report is what the
 * student sees; the shell keeps going. Only what would make the shell itself
 * touch memory outside mem_map (a frame number past max_pfn) is refused
 * here.
 *
 * An exclusive block allocated here is owned by the shell's context, so only
 * the shell may free it.
 */
#include <asm/page.h>
#include <kernel/shell.h>
#include <lib/string.h>
#include <mm/gfp.h>
#include <mm/page.h>

struct gfp_name {
	const char *name;
	gfp_t gfp;
};

static const struct gfp_name gfp_names[] = {
	{ "kernel", GFP_KERNEL },
	{ "atomic", GFP_ATOMIC },
	{ "dma", GFP_DMA },
	{ "zero", __GFP_ZERO },
	{ "exclusive", GFP_EXCLUSIVE },
	{ "nowarn", __GFP_NOWARN },
};

/* Look up one flag word of len characters; 0 if unknown. */
static gfp_t gfp_word(const char *word, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(gfp_names); i++)
		if (strlen(gfp_names[i].name) == len &&
		    !strncmp(gfp_names[i].name, word, len))
			return gfp_names[i].gfp;
	return 0;
}

/* "atomic|exclusive" or "atomic,zero" to GFP bits; -EINVAL if unknown. */
static int parse_gfp(struct seq *out, const char *s, gfp_t *gfp)
{
	*gfp = 0;
	while (*s) {
		size_t len = 0;
		gfp_t bit;

		while (s[len] && s[len] != '|' && s[len] != ',')
			len++;
		bit = len ? gfp_word(s, len) : 0;
		if (!bit) {
			char word[16] = "";

			memcpy(word, s, MIN(len, sizeof(word) - 1));
			seq_printf(out, "alloc: unknown flag '%s' (kernel, "
				   "atomic, dma, zero, exclusive, nowarn)\n",
				   word);
			return -EINVAL;
		}
		*gfp |= bit;
		s += len;
		if (*s)
			s++;	/* the separator */
	}
	return 0;
}

static void print_gfp(struct seq *out, gfp_t gfp)
{
	const char *sep = "";

	for (size_t i = 0; i < ARRAY_SIZE(gfp_names); i++) {
		if (gfp & gfp_names[i].gfp) {
			seq_printf(out, "%s%s", sep, gfp_names[i].name);
			sep = "|";
		}
	}
}

static int cmd_alloc(struct seq *out, int argc, char **argv)
{
	unsigned long order;
	struct page *page;
	gfp_t gfp = GFP_KERNEL;
	pfn_t pfn;

	if (argc < 2 || argc > 3 || parse_ulong(argv[1], &order) ||
	    order > 31)
		return -EINVAL;
	if (argc == 3 && parse_gfp(out, argv[2], &gfp))
		return -EINVAL;
	page = alloc_pages(gfp, (unsigned int)order);
	if (!page) {
		seq_printf(out, "alloc: no block of order %lu for ", order);
		print_gfp(out, gfp);
		seq_puts(out, " (see the report above, if any)\n");
		return -ENOMEM;
	}
	pfn = page_to_pfn(page);
	seq_printf(out, "pfn %#lx addr %p phys %#lx order %lu (%lu KiB) ",
		   pfn, page_address(page), pfn << PAGE_SHIFT, order,
		   (PAGE_SIZE << order) >> 10);
	print_gfp(out, gfp);
	seq_printf(out, "\nfree it with: free %#lx %lu\n", pfn, order);
	return 0;
}
SHELL_COMMAND(alloc, "allocate a block of 2^ORDER pages (an experiment)",
	      "alloc ORDER [kernel|atomic|dma|zero|exclusive|nowarn,...]",
	      cmd_alloc);

/*
 * A number below max_pfn is a frame number; one at PAGE_OFFSET or above a
 * kernel virtual address; anything else a physical address (usable memory
 * starts at 1 MiB, above any frame number of the direct map).
 */
static int parse_frame(struct seq *out, const char *s, pfn_t *pfn)
{
	unsigned long v;

	if (parse_ulong(s, &v))
		return -EINVAL;
	if (v >= PAGE_OFFSET)
		v = __pa(v);
	else if (v < max_pfn)
		v <<= PAGE_SHIFT;
	if (v & (PAGE_SIZE - 1)) {
		seq_printf(out, "free: %s is not page aligned\n", s);
		return -EFAULT;
	}
	if ((v >> PAGE_SHIFT) >= max_pfn) {
		seq_printf(out, "free: %s is past the last frame (max_pfn "
			   "%#lx)\n", s, max_pfn);
		return -EFAULT;
	}
	*pfn = v >> PAGE_SHIFT;
	return 0;
}

static int cmd_free(struct seq *out, int argc, char **argv)
{
	unsigned long order;
	pfn_t pfn;
	int err;

	if (argc != 3 || parse_ulong(argv[2], &order) || order > 31)
		return -EINVAL;
	err = parse_frame(out, argv[1], &pfn);
	if (err)
		return err;
	/* mm/ checks the rest; a bad free is reported and changes nothing. */
	if (free_pages_checked(pfn_to_page(pfn), (unsigned int)order)) {
		seq_printf(out, "free: pfn %#lx order %lu refused (see the "
			   "report above)\n", pfn, order);
		return -EFAULT;
	}
	seq_printf(out, "freed pfn %#lx order %lu\n", pfn, order);
	return 0;
}
SHELL_COMMAND(free, "free a block taken with alloc", "free ADDR|PFN ORDER",
	      cmd_free);
