/*
 * ktest_pages.h - take every free page and give it back, for in-kernel
 * tests that need memory exhausted.
 *
 * The pages taken are chained through their own first word, so a test
 * needs no memory of its own to remember them.
 */
#ifndef LABYRINTH_TESTS_KTEST_PAGES_H
#define LABYRINTH_TESTS_KTEST_PAGES_H

#include <mm/gfp.h>

/* Allocate order-0 pages with gfp until NULL; the chain, count in *n. */
void *ktest_take_all(gfp_t gfp, unsigned long *n);
/*
 * Free the n pages of a chain ktest_take_all() returned. At most n: an
 * allocator that handed a page out twice has made the chain a loop, and
 * the test that finds it must end (it says so, and leaves the rest).
 */
void ktest_give_all(void *chain, unsigned long n);

#endif
