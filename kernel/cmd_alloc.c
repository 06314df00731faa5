/*
 * cmd_alloc.c - the alloc and free shell commands: the allocator by hand.
 *
 *	alloc ORDER [FLAGS]	FLAGS: the names the views print (GFP_KERNEL,
 *				GFP_ATOMIC, GFP_DMA, GFP_EXCLUSIVE, __GFP_ZERO,
 *				__GFP_NOWARN, __GFP_NOFAIL), in any case, or
 *				the short words kernel, atomic, dma, exclusive,
 *				zero, nowarn, nofail; joined with '|' or ','.
 *				Without GFP_KERNEL or GFP_ATOMIC, GFP_KERNEL.
 *	free ADDR|PFN ORDER
 *
 * They exist for experiments: take a block, look at buddyinfo or the
 * labyrinth, give it back. Anything mm/ would refuse (a bad flag mix, an
 * order above MAX_ORDER, a double free, a wrong order, a frame never
 * allocated) is passed to it on purpose, so that its report is what the
 * student sees; the shell keeps going and says in one line what happened.
 * Only what the shell cannot even express is refused here: a word that is
 * no flag, an order that is no number or is too large to shift by (above
 * 31), a frame number past max_pfn.
 *
 * A GFP_KERNEL alloc may wait for pages (never forever: include/mm/sleep.h);
 * its wait is interruptible, so Ctrl-C ends it (kernel/console.c).
 *
 * The shell remembers the blocks it holds (up to SHELL_HELD_MAX), so that
 * stress counts them as accounted for (shell_pages_held()). An exclusive
 * block allocated here is owned by the shell's context, so only the shell
 * may free it.
 */
#include <asm/page.h>
#include <kernel/arch.h>
#include <kernel/cmdline.h>
#include <kernel/shell.h>
#include <kernel/stress.h>
#include <kernel/thread.h>
#include <lib/string.h>
#include <asm/irqflags.h>
#include <mm/debug.h>
#include <mm/gfp.h>
#include <mm/page.h>
#include <mm/sleep.h>

#define SHELL_HELD_MAX	64

struct gfp_name {
	const char *name;	/* as the views and the code spell it */
	const char *word;	/* the short word */
	gfp_t gfp;
};

/* In the order print_gfp() prints them: the base class first. */
static const struct gfp_name gfp_names[] = {
	{ "GFP_KERNEL", "kernel", GFP_KERNEL },
	{ "GFP_ATOMIC", "atomic", GFP_ATOMIC },
	{ "GFP_DMA", "dma", GFP_DMA },
	{ "GFP_EXCLUSIVE", "exclusive", GFP_EXCLUSIVE },
	{ "__GFP_ZERO", "zero", __GFP_ZERO },
	{ "__GFP_NOWARN", "nowarn", __GFP_NOWARN },
	{ "__GFP_NOFAIL", "nofail", __GFP_NOFAIL },
};

/* The blocks the shell holds: taken with alloc, not given back yet. */
static struct {
	pfn_t pfn;
	unsigned int order;
} held[SHELL_HELD_MAX];
static unsigned int nr_held;
static unsigned long held_pages;

unsigned long shell_pages_held(void)
{
	return held_pages;
}

/* Interrupts off: stress reads the count together with the free pages. */
static void held_add(pfn_t pfn, unsigned int order)
{
	unsigned long flags;

	local_irq_save(flags);
	held[nr_held].pfn = pfn;
	held[nr_held].order = order;
	nr_held++;
	held_pages += 1UL << order;
	local_irq_restore(flags);
}

/* Forget the block at pfn of order if the shell holds it; true if so. */
static bool held_remove(pfn_t pfn, unsigned int order)
{
	unsigned long flags;

	for (unsigned int i = 0; i < nr_held; i++) {
		if (held[i].pfn != pfn || held[i].order != order)
			continue;
		local_irq_save(flags);
		held[i] = held[--nr_held];
		held_pages -= 1UL << order;
		local_irq_restore(flags);
		return true;
	}
	return false;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does the word of len characters spell name, in any case? */
static bool word_is(const char *word, size_t len, const char *name)
{
	if (strlen(name) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (lower(word[i]) != lower(name[i]))
			return false;
	return true;
}

/* Look up one flag word of len characters; 0 if unknown. */
static gfp_t gfp_word(const char *word, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(gfp_names); i++)
		if (word_is(word, len, gfp_names[i].name) ||
		    word_is(word, len, gfp_names[i].word))
			return gfp_names[i].gfp;
	return 0;
}

static void unknown_flag(struct seq *out, const char *word, size_t len)
{
	char w[24] = "";

	memcpy(w, word, MIN(len, sizeof(w) - 1));
	seq_printf(out, "alloc: unknown flag '%s'%s: give GFP_KERNEL, "
		   "GFP_ATOMIC, GFP_DMA, GFP_EXCLUSIVE, __GFP_ZERO, "
		   "__GFP_NOWARN, __GFP_NOFAIL (any case, or kernel, atomic, "
		   "dma, exclusive, zero, nowarn, nofail), joined with | or ,\n",
		   w, len ? "" : " (an empty word)");
}

/*
 * "GFP_ATOMIC|GFP_EXCLUSIVE" or "atomic,zero" to GFP bits; -EINVAL if a
 * word is unknown. Without a base class, GFP_KERNEL: "dma" alone is
 * GFP_KERNEL|GFP_DMA.
 */
static int parse_gfp(struct seq *out, const char *s, gfp_t *gfp)
{
	*gfp = 0;
	for (;;) {
		size_t len = 0;
		gfp_t bit;

		while (s[len] && s[len] != '|' && s[len] != ',')
			len++;
		bit = len ? gfp_word(s, len) : 0;
		if (!bit) {
			unknown_flag(out, s, len);
			return -EINVAL;
		}
		*gfp |= bit;
		s += len;
		if (!*s)
			break;
		s++;	/* the separator: a word must follow */
	}
	if (!(*gfp & (GFP_KERNEL | GFP_ATOMIC)))
		*gfp |= GFP_KERNEL;
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

/* argv[1] to an order; says why not. Orders 11..31 go on to mm/. */
static int parse_order(struct seq *out, const char *s, unsigned long *order)
{
	if (parse_ulong(s, order)) {
		seq_printf(out, "alloc: '%s' is not an order: give a number "
			   "from 0 to MAX_ORDER (%u)\n", s, MAX_ORDER);
		return -EINVAL;
	}
	if (*order > 31) {
		seq_printf(out, "alloc: order %lu is far above MAX_ORDER (%u)\n",
			   *order, MAX_ORDER);
		return -EINVAL;
	}
	return 0;
}

static unsigned long ticks_to_ms(unsigned long ticks)
{
	return ticks / timer_hz * 1000 + ticks % timer_hz * 1000 / timer_hz;
}

/* Report counters read before the allocation, to say which one it made. */
struct alloc_reports {
	unsigned long bad_flags, bad_order, failed;
};

static void reports_read(struct alloc_reports *r)
{
	r->bad_flags = mm_report_count(MM_BUG_BAD_FLAGS);
	r->bad_order = mm_report_count(MM_BUG_BAD_ORDER);
	r->failed = mm_report_count(MM_WARN_ALLOC_FAIL);
}

/* Whether mm's report of kind is above, or was rate-limited away. */
static void report_note(struct seq *out, enum mm_bug kind)
{
	unsigned long n = mm_report_suppressed(kind);

	if (n)
		seq_printf(out, " (mm's report was suppressed by its rate "
			   "limit: %lu %s report%s not printed since the last "
			   "one)\n", n, mm_bug_name(kind), n == 1 ? "" : "s");
	else
		seq_puts(out, " (see mm's report above)\n");
}

/* alloc_pages() returned NULL: say why, as far as the shell can tell. */
static void alloc_explain(struct seq *out, gfp_t gfp, unsigned long order,
			  const struct alloc_reports *before,
			  unsigned long waited_ms)
{
	struct alloc_reports now;
	char rule[96];

	reports_read(&now);
	seq_printf(out, "alloc: no block of order %lu for ", order);
	print_gfp(out, gfp);
	if (now.bad_order != before->bad_order) {
		seq_printf(out, ": refused, order above MAX_ORDER (%u)",
			   MAX_ORDER);
		report_note(out, MM_BUG_BAD_ORDER);
	} else if (now.bad_flags != before->bad_flags) {
		seq_puts(out, ": refused, invalid flags");
		report_note(out, MM_BUG_BAD_FLAGS);
	} else {
		seq_printf(out, " after %lu ms: it %s", waited_ms,
			   mm_wait_rule(gfp, (unsigned int)order, rule,
					sizeof(rule)));
		if (now.failed != before->failed)
			report_note(out, MM_WARN_ALLOC_FAIL);
		else
			seq_puts(out, "\n");
	}
}

/* Allocate with the wait interruptible: Ctrl-C ends it. */
static struct page *alloc_interruptible(gfp_t gfp, unsigned int order,
					bool *interrupted)
{
	struct page *page;

	thread_interruptible_begin();
	page = alloc_pages(gfp, order);
	*interrupted = thread_interruptible_end();
	return page;
}

static int cmd_alloc(struct seq *out, int argc, char **argv)
{
	struct alloc_reports before;
	unsigned long order, start;
	struct page *page;
	gfp_t gfp = GFP_KERNEL;
	bool interrupted;
	pfn_t pfn;

	if (argc < 2 || argc > 3)
		return -EINVAL;
	if (parse_order(out, argv[1], &order))
		return -EINVAL;
	if (argc == 3 && parse_gfp(out, argv[2], &gfp))
		return -EINVAL;
	if (nr_held == SHELL_HELD_MAX) {
		seq_printf(out, "alloc: the shell holds %u blocks already: "
			   "free one first\n", SHELL_HELD_MAX);
		return -EBUSY;
	}
	reports_read(&before);
	start = jiffies;
	page = alloc_interruptible(gfp, (unsigned int)order, &interrupted);
	if (!page && interrupted) {
		seq_printf(out, "^C\nalloc: interrupted after %lu ms: no block "
			   "of order %lu for ", ticks_to_ms(jiffies - start),
			   order);
		print_gfp(out, gfp);
		seq_puts(out, "\n");
		return -EINTR;
	}
	if (!page) {
		alloc_explain(out, gfp, order, &before,
			      ticks_to_ms(jiffies - start));
		return -ENOMEM;
	}
	pfn = page_to_pfn(page);
	held_add(pfn, (unsigned int)order);
	seq_printf(out, "pfn %#lx addr %p phys %#lx order %lu (%lu KiB) ",
		   pfn, page_address(page), pfn << PAGE_SHIFT, order,
		   (PAGE_SIZE << order) >> 10);
	print_gfp(out, gfp);
	seq_printf(out, "\nfree it with: free %#lx %lu\n", pfn, order);
	return 0;
}
SHELL_COMMAND(alloc, "allocate a block of 2^ORDER pages (an experiment)",
	      "alloc ORDER [FLAGS]  (FLAGS like GFP_KERNEL|GFP_DMA or "
	      "atomic,zero)",
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

/* The kind of report a refused free just made (counts read before it). */
static enum mm_bug free_report_kind(const unsigned long *before)
{
	for (int k = 0; k < NR_MM_BUGS; k++)
		if (mm_report_count((enum mm_bug)k) != before[k])
			return (enum mm_bug)k;
	return NR_MM_BUGS;
}

static void free_refused(struct seq *out, pfn_t pfn, unsigned long order,
			 const unsigned long *before)
{
	enum mm_bug kind = free_report_kind(before);

	seq_printf(out, "free: pfn %#lx order %lu refused", pfn, order);
	if (kind == NR_MM_BUGS) {
		seq_puts(out, "\n");
		return;
	}
	seq_printf(out, ": %s", mm_bug_name(kind));
	report_note(out, kind);
}

static int cmd_free(struct seq *out, int argc, char **argv)
{
	unsigned long before[NR_MM_BUGS], order;
	pfn_t pfn;
	int err;

	if (argc != 3 || parse_ulong(argv[2], &order) || order > 31)
		return -EINVAL;
	err = parse_frame(out, argv[1], &pfn);
	if (err)
		return err;
	for (int k = 0; k < NR_MM_BUGS; k++)
		before[k] = mm_report_count((enum mm_bug)k);
	/* mm/ checks the rest; a bad free is reported and changes nothing. */
	if (free_pages_checked(pfn_to_page(pfn), (unsigned int)order)) {
		free_refused(out, pfn, order, before);
		return -EFAULT;
	}
	seq_printf(out, "freed pfn %#lx order %lu\n", pfn, order);
	if (!held_remove(pfn, (unsigned int)order))
		seq_printf(out, "free: note: pfn %#lx was not taken with "
			   "alloc: whoever took it still thinks it holds it\n",
			   pfn);
	return 0;
}
SHELL_COMMAND(free, "free a block taken with alloc", "free ADDR|PFN ORDER",
	      cmd_free);
