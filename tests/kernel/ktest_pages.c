/*
 * ktest_pages.c - exhausting memory for in-kernel tests (ktest_pages.h).
 */
#include <tests/kernel/ktest_pages.h>

void *ktest_take_all(gfp_t gfp, unsigned long *n)
{
	void *head = NULL, *p;

	*n = 0;
	while ((p = get_free_page(gfp | __GFP_NOWARN)) != NULL) {
		*(void **)p = head;
		head = p;
		(*n)++;
	}
	return head;
}

void ktest_give_all(void *chain)
{
	while (chain) {
		void *next = *(void **)chain;

		free_page_addr(chain);
		chain = next;
	}
}
