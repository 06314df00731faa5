/*
 * test_mm_random.c - a seeded random sequence of 1,000,000 operations
 * (mixed orders, flags, contexts, owners, hand-offs, collisions, refused
 * calls), with mm_check() every 100 operations, one report per refused
 * call, and at the end every page back (without mm_drain_hot()) and no
 * report of a kind the operations never call for. MM_SEED=<n> replays a
 * seed (1 to SEED_MAX; anything else is refused before a test runs); the
 * seed is printed on failure.
 */
#include "ops.h"
#include <ctype.h>
#include <errno.h>

#define NR_OPS		1000000UL
#define CHECK_EVERY	100UL

static unsigned long long seed;
static struct ops_state st;

/* xorshift64*: small, fast, and the same everywhere. */
static u32 next_word(void)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return (u32)((seed * 0x2545F4914F6CDD1DULL) >> 32);
}

static void random_ops(unsigned long n, unsigned long long s)
{
	unsigned long i;

	seed = s;	/* never 0: see seed_from_env() */
	ops_begin(&st);
	for (i = 0; i < n && !st.error; i++) {
		ops_step(&st, next_word());
		if (i % CHECK_EVERY == 0 && mm_check())
			st.error = "mm_check() failed";
	}
	if (!st.error)
		ops_end(&st);
	if (st.error)
		printf("    # seed %llu: op %lu: %s\n", s, st.ops, st.error);
	EXPECT(st.error == NULL);
	printf("    # %lu ops: %lu allocs, %lu failed, %lu frees, "
	       "%lu refused\n", st.ops, st.allocs, st.fails, st.frees,
	       st.refused);
}

/*
 * The seed: MM_SEED, or a fixed default. xorshift64* never leaves a zero
 * state, so 0 is refused rather than quietly replaced by another seed, and
 * SEED_MAX keeps the short runs' seeds (the seed + 1 .. + 8) from wrapping
 * round to 0.
 */
#define SEED_DEFAULT	0x1ab1c0deULL
#define SEED_MAX	(~0ULL - 8)

static unsigned long long base_seed = SEED_DEFAULT;

static int seed_from_env(void)
{
	const char *s = getenv("MM_SEED");
	unsigned long long v;
	char *end;

	if (!s)
		return 0;
	errno = 0;	/* decimal, or hex with 0x; never octal */
	v = strtoull(s, &end, s[0] == '0' && (s[1] | 0x20) == 'x' ? 16 : 10);
	if (!isdigit((unsigned char)*s) || *end || errno || !v ||
	    v > SEED_MAX) {
		fprintf(stderr, "test_mm_random: MM_SEED=%s refused: a seed is "
			"a whole number from 1 to %llu, decimal or 0x hex "
			"(xorshift64* never leaves a zero state)\n", s,
			SEED_MAX);
		return -1;
	}
	base_seed = v;
	return 0;
}

static void random_million_ops(void)
{
	unsigned long long s = base_seed;

	printf("    # seed %llu (MM_SEED to replay)\n", s);
	random_ops(NR_OPS, s);
	EXPECT(st.fails > 0);		/* memory ran out at times */
	EXPECT(st.refused > 0);
}

/* A few more short seeds, for variety. */
static void random_short_seeds(void)
{
	unsigned long long s;

	for (s = 1; s <= 8; s++)
		random_ops(20000, base_seed + s);
}

static const struct host_test tests[] = {
	HT(random_million_ops),
	HT(random_short_seeds),
};

int main(void)
{
	if (seed_from_env())
		return 2;
	return ht_main("mm_random", tests, ARRAY_SIZE(tests), NULL);
}
