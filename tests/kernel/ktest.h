/*
 * ktest.h - in-kernel tests, reported in KTAP over the serial port.
 *
 * A suite is a named array of cases; KTEST_SUITE() places a pointer to it in
 * the .ktest_suites section, so adding a test file to the test build is
 * enough to run it. The test kernel (make test-kernel) runs every suite at
 * boot, prints KTAP version 1, and ends QEMU through isa-debug-exit with the
 * verdict. A case fails if any KTEST_EXPECT() in it fails; each failed
 * expectation is printed as a KTAP diagnostic line ("# ...") with its file
 * and line.
 */
#ifndef LABYRINTH_TESTS_KTEST_H
#define LABYRINTH_TESTS_KTEST_H

#include <types.h>

struct ktest {
	const char *name;
	unsigned int failures;	/* expectations failed in this case */
	bool skipped;
	const char *skip_reason;
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	unsigned int nr_cases;
	void (*init)(void);	/* optional, run before the suite */
};

void ktest_fail(struct ktest *t, const char *file, int line,
		const char *fmt, ...) __printf(4, 5);

#define KTEST_EXPECT(t, cond) do { \
	if (!(cond)) \
		ktest_fail((t), __FILE__, __LINE__, "expected %s", #cond); \
} while (0)

#define KTEST_EXPECT_EQ(t, a, b) do { \
	long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) \
		ktest_fail((t), __FILE__, __LINE__, "%s == %s: %lld != %lld", \
			   #a, #b, _a, _b); \
} while (0)

#define KTEST_SKIP(t, why) do { \
	(t)->skipped = true; \
	(t)->skip_reason = (why); \
} while (0)

#define KTEST_CASE(fn)	{ #fn, fn }

#define KTEST_SUITE(var, suite_name, case_array) \
	static const struct ktest_suite var = { \
		suite_name, case_array, ARRAY_SIZE(case_array), NULL }; \
	static const struct ktest_suite *var##_ptr \
	__attribute__((used, section(".ktest_suites"))) = &var

/*
 * Run every suite, or those ktest=NAME,... names, print KTAP, and return
 * the number of failed cases.
 */
unsigned int ktest_run_all(void);

#endif
