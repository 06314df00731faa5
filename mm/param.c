/*
 * param.c - watermarks: the formula, and the command-line overrides.
 *
 * The formula is Linux's min_free_kbytes idea, scaled for small machines:
 *
 *   min_free_kbytes = 4 * sqrt(managed_kbytes), clamped to [128, 65536]
 *                     and to at most 1/16 of managed memory;
 *   a zone's min    = min_free_kbytes / 4 (pages) * zone pages / all pages,
 *                     at most half the zone, at least 1;
 *   low  = min + max(min / 4, 1)     (min * 5/4)
 *   high = min + max(min / 2, 2)     (min * 3/2)
 *
 * so min < low < high always. 16 MiB gives min_free_kbytes = 512 (128
 * pages), 128 MiB gives 1448, 896 MiB gives 3786.
 *
 * The formula (min_free_kbytes_for(), zone_wmark_formula()) is lab 4's
 * exercise; wmark_check() finds a zone without ordered watermarks at boot,
 * says so, and gives it min 0, low 1, high 2: no reserve.
 *
 * Overrides (mm_setup_param(), before mm_init()): min_free_kbytes=N;
 * wmark_dma=MIN,LOW,HIGH and wmark_normal=MIN,LOW,HIGH in pages (they win
 * over the formula for their zone if HIGH fits in the zone); mm_hot_high=N.
 * And one that is no watermark: mm_wait_ms=N, the bound on a GFP_KERNEL
 * wait (include/mm/sleep.h), read at each wait.
 *
 * A bad value is reported here, once, with what was expected; the caller
 * (the command-line parser) only learns -EINVAL and says nothing more.
 */
#include "internal.h"
#include <lib/string.h>
#include <mm/init.h>
#include <mm/sleep.h>

unsigned long param_min_free_kbytes;
struct wmark_param param_wmark[MAX_NR_ZONES];
unsigned int param_hot_high = HOT_HIGH_DEFAULT;
unsigned int param_wait_ms = MM_WAIT_MS_DEFAULT;

void mm_params_reset(void)
{
	param_min_free_kbytes = 0;
	memset(param_wmark, 0, sizeof(param_wmark));
	param_hot_high = HOT_HIGH_DEFAULT;
	param_wait_ms = MM_WAIT_MS_DEFAULT;
}

/* Boot-time integer square root (Newton's method). */
unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = x, y;

	if (x < 2)
		return x;
	y = (r + x / r) / 2;
	while (y < r) {
		r = y;
		y = (r + x / r) / 2;
	}
	return r;
}

/* Parse a decimal number; *s moves past it. False if there is none. */
static bool parse_num(const char **s, unsigned long *out)
{
	unsigned long v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9') {
		if (v > (~0UL - 9) / 10)
			return false;
		v = v * 10 + (unsigned long)(*p++ - '0');
	}
	*s = p;
	*out = v;
	return true;
}

/* "N" alone, within [lo, hi]. */
static int parse_one(const char *name, const char *v, unsigned long lo,
		     unsigned long hi, unsigned long *out)
{
	const char *p = v;

	/* p moves past the number; the message quotes v as given. */
	if (!p || !parse_num(&p, out) || *p || *out < lo || *out > hi) {
		pr_err("mm: %s=%s: expected a number from %lu to %lu; keeping "
		       "the default\n", name, v ? v : "", lo, hi);
		return -EINVAL;
	}
	return 0;
}

/* "MIN,LOW,HIGH" in pages, MIN < LOW < HIGH. */
static int parse_wmark(const char *name, const char *v, struct wmark_param *w)
{
	const char *p = v;
	unsigned long m[NR_WMARK];
	unsigned int i;

	for (i = 0; i < NR_WMARK; i++) {
		if ((i && *p++ != ',') || !parse_num(&p, &m[i]))
			goto bad;
	}
	if (*p || !m[0] || m[0] >= m[1] || m[1] >= m[2])
		goto bad;
	w->set = true;
	for (i = 0; i < NR_WMARK; i++)
		w->mark[i] = m[i];
	return 0;
bad:
	pr_err("mm: %s=%s: expected MIN,LOW,HIGH in pages, 0 < MIN < LOW < "
	       "HIGH; keeping the formula\n", name, v ? v : "");
	return -EINVAL;
}

int mm_setup_param(const char *name, const char *value)
{
	unsigned long v;
	int ret;

	if (!name)
		return -ENOENT;
	if (!strcmp(name, "min_free_kbytes")) {
		ret = parse_one(name, value, 16, 1UL << 20, &v);
		if (!ret)
			param_min_free_kbytes = v;
		return ret;
	}
	if (!strcmp(name, "mm_hot_high")) {
		ret = parse_one(name, value, 1, HOT_MAX, &v);
		if (!ret)
			param_hot_high = (unsigned int)v;
		return ret;
	}
	if (!strcmp(name, "mm_wait_ms")) {
		ret = parse_one(name, value, 0, MM_WAIT_MS_MAX, &v);
		if (!ret)
			param_wait_ms = (unsigned int)v;
		return ret;
	}
	if (!strcmp(name, "wmark_dma") || !strcmp(name, "wmark_normal"))
		return parse_wmark(name, value ? value : "",
				   &param_wmark[name[6] == 'd' ? ZONE_DMA :
						ZONE_NORMAL]);
	return -ENOENT;
}

/*
 * The formula's min_free_kbytes for this many managed pages (the top of
 * this file): 4 * sqrt(kB), at least 128, at most 65536, and never more
 * than 1/16 of memory. Boot (and host tests).
 */
unsigned long min_free_kbytes_for(unsigned long pages)
{
#ifndef LAB4_STARTER		/* lab 4 solution */
	unsigned long kb = pages * (PAGE_SIZE / 1024);
	unsigned long mfk = 4 * int_sqrt(kb);

	mfk = MAX(mfk, 128UL);
	mfk = MIN(mfk, 65536UL);
	return MIN(mfk, kb / 16);
#else				/* lab 4 starter */
	/*
	 * LAB 4, exercise 1 (docs/labs/lab4-watermarks.md,
	 * "min_free_kbytes"). Return 4 * sqrt(memory in kB), clamped to
	 * [128, 65536] and then to at most 1/16 of memory (the clamps in that
	 * order: a tiny machine ends below 128). pages are 4 KiB each;
	 * int_sqrt() above rounds down. Until you write it (and exercise 2),
	 * every zone's watermarks stay 0 and mm_init() says so.
	 */
	(void)pages;
	return 0;
#endif				/* lab 4 */
}

/*
 * Set z's watermarks from its share of total_min, the pages every zone
 * together keeps back (min_free_kbytes / 4), total being the pages of
 * every zone. Boot (and host tests).
 */
void zone_wmark_formula(struct zone *z, unsigned long total_min,
			unsigned long total)
{
#ifndef LAB4_STARTER		/* lab 4 solution */
	unsigned long min = (unsigned long)((u64)total_min * z->present /
					    total);

	min = MAX(MIN(min, z->present / 2), 1UL);
	z->wmark[WMARK_MIN] = min;
	z->wmark[WMARK_LOW] = min + MAX(min / 4, 1UL);
	z->wmark[WMARK_HIGH] = min + MAX(min / 2, 2UL);
#else				/* lab 4 starter */
	/*
	 * LAB 4, exercise 2 (docs/labs/lab4-watermarks.md, "A zone's
	 * watermarks"). Set z->wmark[WMARK_MIN], [WMARK_LOW] and
	 * [WMARK_HIGH]: min is z's share of total_min by size (z->present
	 * of total pages: multiply before you divide, in 64 bits), then at
	 * most half the zone, then at least 1; low is min + max(min / 4, 1)
	 * and high is min + max(min / 2, 2). Until you write it, mm_init()
	 * finds the watermarks 0 and uses min 0, low 1, high 2 instead: no
	 * reserve.
	 */
	(void)z;
	(void)total_min;
	(void)total;
#endif				/* lab 4 */
}

/* Set every zone's watermarks; called by mm_init() once zones are filled. */
void wmark_setup(void)
{
	unsigned long total, mfk, i, k;

	total = zones[ZONE_DMA].present + zones[ZONE_NORMAL].present;
	mfk = param_min_free_kbytes ? param_min_free_kbytes :
	      min_free_kbytes_for(total);
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];

		if (!z->present)
			continue;
		zone_wmark_formula(z, mfk / (PAGE_SIZE / 1024), total);
		if (!param_wmark[i].set)
			continue;
		if (param_wmark[i].mark[WMARK_HIGH] >= z->present) {
			pr_err("mm: wmark_%s=: high %lu does not fit in %lu "
			       "pages; using the formula\n",
			       i == ZONE_DMA ? "dma" : "normal",
			       param_wmark[i].mark[WMARK_HIGH], z->present);
			continue;
		}
		for (k = 0; k < NR_WMARK; k++)
			z->wmark[k] = param_wmark[i].mark[k];
	}
}

bool mm_wmark_fallback;

/* Watermarks a zone can work with: 0 < min < low < high. */
static bool wmark_ordered(const struct zone *z)
{
	return z->wmark[WMARK_MIN] &&
	       z->wmark[WMARK_MIN] < z->wmark[WMARK_LOW] &&
	       z->wmark[WMARK_LOW] < z->wmark[WMARK_HIGH];
}

/* The fallback: no reserve (min 0), the least mm_check() accepts. */
static void wmark_fall_back(struct zone *z)
{
	z->wmark[WMARK_MIN] = 0;
	z->wmark[WMARK_LOW] = 1;
	z->wmark[WMARK_HIGH] = 2;
}

static bool wmark_zero(const struct zone *z)
{
	return !z->wmark[WMARK_MIN] && !z->wmark[WMARK_LOW] &&
	       !z->wmark[WMARK_HIGH];
}

/*
 * After wmark_setup(): every zone must have 0 < min < low < high, or the
 * rooms' tests mean nothing and mm_check() fails. The formula is lab 4's
 * exercise, and every earlier lab's handout starts without it, so say here
 * what is missing and fall back to min 0, low 1, high 2: no reserve, but a
 * kernel that works. Boot, before anything allocates.
 */
void wmark_check(void)
{
	unsigned int i, bad = 0, zero = 0, present = 0;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		present += zones[i].present != 0;
		bad += zones[i].present && !wmark_ordered(&zones[i]);
		zero += zones[i].present && wmark_zero(&zones[i]);
	}
	mm_wmark_fallback = bad != 0;
	if (bad && zero == present)
		pr_err("mm: wmark_setup() set no watermarks (lab 4, "
		       "mm/param.c): every zone gets min 0, low 1, high 2 "
		       "instead: no reserve, and GFP_KERNEL leaves one page "
		       "for GFP_ATOMIC\n");
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];

		if (!z->present || wmark_ordered(z))
			continue;
		if (zero != present)
			pr_err("mm: zone %s: wmark_setup() gave min %lu, low "
			       "%lu, high %lu, not 0 < min < low < high "
			       "(lab 4, mm/param.c): using min 0, low 1, "
			       "high 2 instead: no reserve here\n", z->name,
			       z->wmark[WMARK_MIN], z->wmark[WMARK_LOW],
			       z->wmark[WMARK_HIGH]);
		wmark_fall_back(z);
	}
}
