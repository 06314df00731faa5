/*
 * test_lib.c - in-kernel tests of lib/: formatting, parsing, strings.
 *
 * These run in the real kernel, built by the cross compiler, so they check
 * what the host libc would hide (our own vsnprintf, parse_ulong).
 */
#include <lib/format.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

static void lib_snprintf_formats(struct ktest *t)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d|%5u|%-4s|%#x|%08lx", -12, 34u, "ab",
		 0xbeefu, 0x1234UL);
	KTEST_EXPECT(t, !strcmp(buf, "-12|   34|ab  |0xbeef|00001234"));
	snprintf(buf, sizeof(buf), "%llu %lld", 1ULL << 40, -(1LL << 33));
	KTEST_EXPECT(t, !strcmp(buf, "1099511627776 -8589934592"));
}

static void lib_snprintf_truncates(struct ktest *t)
{
	char buf[8];
	int n = snprintf(buf, sizeof(buf), "%s", "labyrinth");

	KTEST_EXPECT_EQ(t, n, 9);
	KTEST_EXPECT(t, !strcmp(buf, "labyrin"));
}

static void lib_snprintf_symbol(struct ktest *t)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%pS", (void *)lib_snprintf_symbol);
	KTEST_EXPECT(t, !strcmp(buf, "lib_snprintf_symbol+0x0"));
	/* A return address inside a function: the same as %pS. */
	snprintf(buf, sizeof(buf), "%pB", (char *)lib_snprintf_symbol + 5);
	KTEST_EXPECT(t, !strcmp(buf, "lib_snprintf_symbol+0x5"));
	/*
	 * One at a function's first byte, as after a call that never
	 * returns at the end of the function before: named by that one.
	 */
	snprintf(buf, sizeof(buf), "%pB", (void *)lib_snprintf_symbol);
	KTEST_EXPECT(t, strncmp(buf, "lib_snprintf_symbol+", 20) != 0);
	KTEST_EXPECT(t, strchr(buf, '+') != NULL && buf[0] != '0');
}

static void lib_parse_ulong_cases(struct ktest *t)
{
	unsigned long v = 0;

	KTEST_EXPECT_EQ(t, parse_ulong("1000", &v), 0);
	KTEST_EXPECT_EQ(t, v, 1000);
	KTEST_EXPECT_EQ(t, parse_ulong("0x10", &v), 0);
	KTEST_EXPECT_EQ(t, v, 16);
	KTEST_EXPECT_EQ(t, parse_ulong("4K", &v), 0);
	KTEST_EXPECT_EQ(t, v, 4096);
	KTEST_EXPECT_EQ(t, parse_ulong("12x", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, parse_ulong("", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, parse_ulong("99999999999999999999999", &v), -ERANGE);
	/* A suffix or a prefix alone is not a number. */
	KTEST_EXPECT_EQ(t, parse_ulong("k", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, parse_ulong("M", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, parse_ulong("0x", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, parse_ulong("0xg", &v), -EINVAL);
}

static const struct ktest_case lib_cases[] = {
	KTEST_CASE(lib_snprintf_formats),
	KTEST_CASE(lib_snprintf_truncates),
	KTEST_CASE(lib_snprintf_symbol),
	KTEST_CASE(lib_parse_ulong_cases),
};
KTEST_SUITE(lib_suite, "lib", lib_cases);
