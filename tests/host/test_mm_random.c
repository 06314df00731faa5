/*
 * test_mm_random.c - a seeded random sequence of 1,000,000 operations
 * (mixed orders, flags, contexts, owners, hand-offs, collisions, refused
 * calls), with mm_check() every 100 operations, one report per refused
 * call, and at the end every page back (without mm_drain_hot()) and no
 * report of a kind the operations never call for. MM_SEED=<n> replays a
 * seed; the seed is printed on failure.
 */
#include "ops.h"

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

	seed = s ? s : 1;
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

static unsigned long long env_seed(void)
{
	const char *s = getenv("MM_SEED");

	return s ? strtoull(s, NULL, 0) : 0x1ab1c0de;
}

static void random_million_ops(void)
{
	unsigned long long s = env_seed();

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
		random_ops(20000, env_seed() + s);
}

static const struct host_test tests[] = {
	HT(random_million_ops),
	HT(random_short_seeds),
};

int main(void)
{
	return ht_main("mm_random", tests, ARRAY_SIZE(tests), NULL);
}
