/*
 * fuzz_mm.c - libFuzzer target: the input is a sequence of 32-bit words,
 * each one operation of the random-operation machine (tests/host/ops.c):
 * allocations of every order, flag set, context and owner, frees, hand-offs,
 * refills, collisions and refused bad calls. mm_check() runs every 64
 * operations; each refused call must make exactly one report of its kind;
 * at the end every page must come back (without mm_drain_hot()) and no
 * report may show the allocator itself went wrong. Any broken expectation
 * aborts, which libFuzzer reports as a crash with the input saved.
 */
#include "ops.h"

#define MAX_WORDS	4096
#define CHECK_EVERY	64

static struct ops_state st;

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_mm: %s (after %lu ops)\n%s", why, st.ops,
		host_log());
	abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	size_t i, n = MIN(size / 4, (size_t)MAX_WORDS);

	ops_begin(&st);
	for (i = 0; i < n; i++) {
		u32 w;

		memcpy(&w, data + 4 * i, sizeof(w));
		if (!ops_step(&st, w))
			fail(st.error);
		if (i % CHECK_EVERY == 0 && mm_check())
			fail("mm_check() failed");
	}
	if (!ops_end(&st))
		fail(st.error);
	return 0;
}
