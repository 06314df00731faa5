/*
 * ktest_pages.c - exhausting memory for in-kernel tests (ktest_pages.h).
 */
#include <kernel/printk.h>
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

void ktest_give_all(void *chain, unsigned long n)
{
	unsigned long freed = 0;

	while (chain && freed < n) {
		void *next = *(void **)chain;

		free_page_addr(chain);
		chain = next;
		freed++;
	}
	if (chain)
		printk(KERN_ERR "ktest: the chain of pages taken goes on after "
		       "its %lu pages: a page was handed out twice; the rest "
		       "is left as it is\n", n);
}
