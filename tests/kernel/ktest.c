/*
 * ktest.c - the in-kernel test runner (linked into build/kernel-test.elf).
 *
 * kmain() calls ktest_boot() when this file is linked in. With `ktest` on
 * the command line it runs every suite in the .ktest_suites section (with
 * `ktest=arch,sched` only those named) and prints KTAP version 1 on the
 * consoles:
 *
 *	KTAP version 1
 *	1..2                      (one line per suite)
 *	    KTAP version 1
 *	    # Subtest: mm
 *	    1..3
 *	    ok 1 mm_alloc_all_free_all
 *	...
 *	ok 1 mm
 *
 * and then leaves QEMU through isa-debug-exit: code 0 if every case passed
 * (QEMU exits 1), code 1 if one failed (QEMU exits 3). A name in ktest=
 * that matches no suite is a failure of its own. With `fault=KIND` it
 * provokes a CPU exception on purpose, so that tests can check the oops.
 * Without either it returns and the kernel boots to the shell as usual.
 * kmain() calls ktest_early() before arch_init(): `fault=early-KIND`
 * provokes KIND there, where only the early IDT (boot/early.asm) catches
 * it.
 */
#include <kernel/arch.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <lib/format.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

extern const struct ktest_suite *const __ktest_suites_start[];
extern const struct ktest_suite *const __ktest_suites_end[];

static struct ktest *current_test;

/* Recurses in a fresh thread until its guard page is hit. */
void ktest_stack_overflow(void);

void ktest_fail(struct ktest *t, const char *file, int line,
		const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t->failures++;
	printk(KERN_NOTICE "        # %s: %s:%d: %s\n", t->name, file, line,
	       msg);
}

/* Returns true if the case passed (or was skipped). */
static bool run_case(const struct ktest_case *c, unsigned int nr)
{
	struct ktest t = { .name = c->name };

	current_test = &t;
	c->run(&t);
	current_test = NULL;
	if (t.skipped) {
		printk(KERN_NOTICE "    ok %u %s # SKIP %s\n", nr, c->name,
		       t.skip_reason ? t.skip_reason : "");
		return true;
	}
	printk(KERN_NOTICE "    %s %u %s\n", t.failures ? "not ok" : "ok", nr,
	       c->name);
	return t.failures == 0;
}

static unsigned int run_suite(const struct ktest_suite *s, unsigned int nr)
{
	unsigned int failed = 0;

	printk(KERN_NOTICE "    KTAP version 1\n    # Subtest: %s\n    1..%u\n",
	       s->name, s->nr_cases);
	if (s->init)
		s->init();
	for (unsigned int i = 0; i < s->nr_cases; i++)
		if (!run_case(&s->cases[i], i + 1))
			failed++;
	printk(KERN_NOTICE "%s %u %s\n", failed ? "not ok" : "ok", nr, s->name);
	return failed;
}

/*
 * ktest=NAME[,NAME...] runs only the suites named; bare ktest runs all.
 * The names are split in place in wanted_buf.
 */
#define KTEST_MAX_NAMES	8
static char wanted_buf[64];
static const char *wanted[KTEST_MAX_NAMES];
static unsigned int nr_wanted;

static void parse_wanted(void)
{
	char *p = wanted_buf;

	if (!cmdline_get("ktest", wanted_buf, sizeof(wanted_buf)))
		return;
	while (*p && nr_wanted < KTEST_MAX_NAMES) {
		wanted[nr_wanted++] = p;
		while (*p && *p != ',')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static bool suite_wanted(const struct ktest_suite *s)
{
	for (unsigned int i = 0; i < nr_wanted; i++)
		if (!strcmp(wanted[i], s->name))
			return true;
	return nr_wanted == 0;
}

/* A name that matches no suite is said, and counts as a failed case. */
static unsigned int unknown_wanted(void)
{
	unsigned int n = __ktest_suites_end - __ktest_suites_start, bad = 0;

	for (unsigned int w = 0; w < nr_wanted; w++) {
		const struct ktest_suite *const *s = __ktest_suites_start;
		bool found = false;

		for (unsigned int i = 0; i < n && !found; i++)
			found = !strcmp(wanted[w], s[i]->name);
		if (!found) {
			printk(KERN_ERR "ktest: no suite named '%s'\n",
			       wanted[w]);
			bad++;
		}
	}
	return bad;
}

unsigned int ktest_run_all(void)
{
	unsigned int n = __ktest_suites_end - __ktest_suites_start;
	unsigned int failed, planned = 0, nr = 0;

	parse_wanted();
	failed = unknown_wanted();
	for (unsigned int i = 0; i < n; i++)
		planned += suite_wanted(__ktest_suites_start[i]);
	printk(KERN_NOTICE "KTAP version 1\n1..%u\n", planned);
	for (unsigned int i = 0; i < n; i++)
		if (suite_wanted(__ktest_suites_start[i]))
			failed += run_suite(__ktest_suites_start[i], ++nr);
	printk(KERN_NOTICE "# ktest: %u case%s failed\n", failed,
	       failed == 1 ? "" : "s");
	return failed;
}

/* Deliberate CPU exceptions, for the oops tests. */
static void provoke_fault(const char *kind)
{
	printk(KERN_NOTICE "ktest: provoking a fault: %s\n", kind);
	if (!strcmp(kind, "pagefault")) {
		volatile int *null = NULL;

		*null = 42;
	} else if (!strcmp(kind, "divide")) {
		/* Both volatile, or gcc folds the division away. */
		volatile int one = 1, zero = 0;

		printk("%d\n", one / zero);
	} else if (!strcmp(kind, "stackoverflow")) {
		ktest_stack_overflow();	/* tests/kernel/test_sched.c */
	} else if (!strcmp(kind, "invalid-opcode")) {
		__builtin_trap();
	} else if (!strcmp(kind, "panic")) {
		extern void panic(const char *fmt, ...);

		panic("ktest: panic on request");
	} else {
		printk(KERN_ERR "ktest: unknown fault kind '%s' (pagefault, "
		       "divide, invalid-opcode, stackoverflow, panic)\n", kind);
	}
}

/* Before the IDT: only the faults that need no thread and no panic path. */
void ktest_early(void)
{
	char kind[32];

	if (!cmdline_get("fault", kind, sizeof(kind)) ||
	    strncmp(kind, "early-", 6))
		return;
	if (!strcmp(kind + 6, "pagefault") || !strcmp(kind + 6, "divide") ||
	    !strcmp(kind + 6, "invalid-opcode"))
		provoke_fault(kind + 6);
	else
		printk(KERN_ERR "ktest: unknown early fault kind '%s' (early-"
		       "pagefault, early-divide, early-invalid-opcode)\n", kind);
}

void ktest_boot(void)
{
	char kind[32];

	if (cmdline_get("fault", kind, sizeof(kind)) &&
	    strncmp(kind, "early-", 6))
		provoke_fault(kind);
	if (!cmdline_has("ktest"))
		return;
	qemu_exit(ktest_run_all() ? 1 : 0);	/* writes the log out first */
	arch_halt();
}
