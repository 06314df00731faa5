/* Temporary stand-in until mm/ lands. */
#include <mm/init.h>
#include <mm/view.h>
#include <kernel/printk.h>
static unsigned long standin_kb;
__attribute__((weak)) int mm_setup_param(const char *n __unused, const char *v __unused) { return -ENOENT; }
__attribute__((weak)) int mm_init(const struct mem_range *r, unsigned int nr)
{ for (unsigned i = 0; i < nr; i++) standin_kb += (r[i].end - r[i].start) >> 10; return 0; }
__attribute__((weak)) void mm_show_meminfo(struct seq *s) { seq_printf(s, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n", standin_kb, standin_kb); }
