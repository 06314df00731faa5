/*
 * cmdline.c - parsing the kernel command line into parameters.
 *
 * Unknown parameters and bad values are reported, never fatal: the kernel
 * keeps the default and says so, so a typo in grub.cfg cannot stop a boot.
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/trace.h>
#include <lib/string.h>
#include <mm/init.h>

char boot_cmdline[CMDLINE_MAX];
unsigned int timer_hz = 1000;

/*
 * The PIT's slowest rate is 1193182 / 65536 = 18.2 Hz; its fastest here
 * is divisor 6, 198864 Hz (arch/x86/timer.c). Above 10 kHz QEMU cannot
 * deliver the ticks in real time: the kernel says so at boot, and QEMU's
 * -icount shift=0,sleep=off (make run ICOUNT=1) gives exact virtual time.
 */
#define HZ_MIN	19
#define HZ_MAX	198864

static int set_loglevel(const char *value)
{
	unsigned long v;

	if (parse_ulong(value, &v) || v > 7)
		return -EINVAL;
	console_loglevel = (int)v;
	return 0;
}

static int set_hz(const char *value)
{
	unsigned long v;

	if (parse_ulong(value, &v) || v < HZ_MIN || v > HZ_MAX)
		return -EINVAL;
	timer_hz = (unsigned int)v;
	return 0;
}

/* Parameters consumed elsewhere: accepted here so they are not "unknown". */
static int accept_any(const char *value __unused)
{
	return 0;
}

struct kernel_param {
	const char *name;
	int (*set)(const char *value);
	const char *expect;	/* shown when a value is rejected */
};

static const struct kernel_param params[] = {
	{ "loglevel", set_loglevel, "0..7" },
	{ "hz", set_hz, "19..198864" },
	{ "trace", trace_setup_param, "on or off" },	/* kernel/trace.c */
	{ "fault", accept_any, "" },		/* test kernel */
	{ "kbd_test", accept_any, "" },		/* test kernel */
	{ "ktest", accept_any, "" },		/* test kernel: suites to run */
	{ "console", accept_any, "" },
	{ "sampler_room", accept_any, "" },	/* drivers/sampler.c */
};

/* The part of a too long line that did not fit (the loader's copy). */
static const char *cmdline_dropped;

/*
 * raw is the loader's line, already known to be readable and to end
 * within BOOT_STRING_MAX bytes (multiboot_cmdline(), kernel/multiboot.c).
 * Keep a copy: the loader's may lie in memory the allocator hands out. A
 * line too long for the copy loses its tail at a word boundary, so no
 * value is cut in two ("hz=2500" must not become "hz=25"); cmdline_parse()
 * says so.
 */
void cmdline_init(const char *raw)
{
	size_t len = raw ? strlen(raw) : 0;
	size_t n = MIN(len, (size_t)CMDLINE_MAX - 1);

	if (len > n)
		while (n && raw[n] != ' ')
			n--;
	memcpy(boot_cmdline, raw ? raw : "", n);
	boot_cmdline[n] = '\0';
	cmdline_dropped = len > n ? raw + n : NULL;
}

static bool apply_kernel_param(const char *name, const char *value)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(params); i++) {
		if (strcmp(params[i].name, name))
			continue;
		if (params[i].set(value))
			printk(KERN_ERR "cmdline: bad value '%s' for %s= "
			       "(expected %s); keeping the default\n",
			       value, name, params[i].expect);
		return true;
	}
	return false;
}

/* True if word ends in ".elf". */
static bool ends_in_elf(const char *word)
{
	size_t n = strlen(word);

	return n > 4 && !strcmp(word + n - 4, ".elf");
}

/* Flags: words without a value that something reads with cmdline_has(). */
static const char *const flags[] = {
	"ktest",	/* test kernel: run the in-kernel tests */
	"icount",	/* test kernel: QEMU runs -icount shift=0, TSC = ns */
};

static bool known_flag(const char *word)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(flags); i++)
		if (!strcmp(flags[i], word))
			return true;
	return false;
}

/*
 * QEMU's -kernel puts the image's file name first ("build/kernel.elf");
 * GRUB does not. A first word that looks like a path is that name.
 */
static bool is_image_name(const char *word, bool first)
{
	return first && (strchr(word, '/') || ends_in_elf(word));
}

/* One word: "name=value" goes to its handler; a bare word is a flag. */
static void parse_word(char *word, bool first)
{
	char *eq = strchr(word, '=');
	int err;

	if (!eq) {
		if (!known_flag(word) && !is_image_name(word, first))
			printk(KERN_WARNING "cmdline: unknown flag '%s' "
			       "ignored\n", word);
		return;
	}
	*eq = '\0';
	if (apply_kernel_param(word, eq + 1))
		return;
	/* A bad value is reported by mm_setup_param() itself, once. */
	err = mm_setup_param(word, eq + 1);
	if (err == -ENOENT)
		printk(KERN_WARNING "cmdline: unknown parameter '%s' ignored\n",
		       word);
}

void cmdline_parse(void)
{
	char copy[CMDLINE_MAX];
	char *p = copy;
	bool first = true;

	/* Parsed at once by kmain, while the loader's copy is still intact. */
	if (cmdline_dropped)
		printk(KERN_ERR "cmdline: longer than %d characters; ignoring "
		       "the rest:%.40s%s\n", CMDLINE_MAX - 1, cmdline_dropped,
		       strlen(cmdline_dropped) > 40 ? "..." : "");
	memcpy(copy, boot_cmdline, sizeof(copy));
	while (*p) {
		char *word;

		while (*p == ' ')
			p++;
		word = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
		if (*word) {
			parse_word(word, first);
			first = false;
		}
	}
}

/* Find word `name` or `name=value`; returns the start of the value or "" */
static const char *find_param(const char *name)
{
	size_t len = strlen(name);
	const char *p = boot_cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, name, len) &&
		    (p[len] == '=' || p[len] == ' ' || p[len] == '\0'))
			return p[len] == '=' ? p + len + 1 : p + len;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool cmdline_has(const char *flag)
{
	return find_param(flag) != NULL;
}

bool cmdline_get(const char *name, char *buf, size_t size)
{
	const char *v = find_param(name);
	size_t n = 0;

	if (!v || !size)
		return false;
	while (v[n] && v[n] != ' ' && n + 1 < size) {
		buf[n] = v[n];
		n++;
	}
	buf[n] = '\0';
	return true;
}
