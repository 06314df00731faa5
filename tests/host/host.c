/*
 * host.c - the fake machine for host tests: RAM arena, context, locks,
 * printk and the other things the kernel would provide.
 */
#include "host.h"
#include <stdarg.h>
#include <sys/mman.h>

unsigned long host_ram_base;
unsigned long host_ram_size;
bool host_irqs_off;
unsigned int host_extra_locks;
unsigned int context_atomic_depth;	/* fake IRQ + host_locks */
u64 host_trace_clock = 1000;		/* asm/trace_clock.h */

static unsigned int host_locks;	/* spinlocks held */
static int host_irq = -1;
static unsigned int host_tid = 1;
static char log_buf[16384];
static size_t log_len;

void host_ram_setup(unsigned long size)
{
	void *p;

	if (host_ram_base && host_ram_size == size)
		return;		/* reuse it: mm_init() rebuilds what it uses */
	if (host_ram_base)
		munmap((void *)host_ram_base, host_ram_size);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap arena");
		exit(2);
	}
	host_ram_base = (unsigned long)p;
	host_ram_size = size;
}

void host_ctx_reset(void)
{
	host_irq = -1;
	host_tid = 1;
	host_irqs_off = false;
	host_irq_hook = NULL;
	host_extra_locks = 0;
	context_atomic_depth = host_locks;
}

void host_irq_enter(int line)
{
	if (host_irq < 0)
		context_atomic_depth++;
	host_irq = line;
	host_irqs_off = true;
}

void (*host_irq_hook)(void);

/* Run the armed test interrupt once (asm/irqflags.h). */
void host_irq_fire(void)
{
	void (*fn)(void) = host_irq_hook;

	host_irq_hook = NULL;
	fn();
}

void (*host_point_hook)(void);

/* Run the point hook once here, unless it is running already. */
void host_point_fire(void)
{
	static bool running;

	if (running)
		return;
	running = true;
	host_point_hook();
	running = false;
}

void host_irq_exit(void)
{
	if (host_irq >= 0)
		context_atomic_depth--;
	host_irq = -1;
	host_irqs_off = false;
}

void host_thread_set(unsigned int tid)
{
	host_tid = tid;
}

bool in_interrupt(void)
{
	return host_irq >= 0;
}

int current_irq(void)
{
	return host_irq;
}

unsigned int locks_held(void)
{
	return host_locks + host_extra_locks;
}

owner_t current_owner(void)
{
	return host_irq >= 0 ? OWNER_IRQ(host_irq) : OWNER_THREAD(host_tid);
}

const char *owner_name(owner_t owner, char *buf, size_t size)
{
	if (OWNER_IS_THREAD(owner))
		snprintf(buf, size, "thread %u", owner - OWNER_THREAD_BASE);
	else if (OWNER_IS_IRQ(owner))
		snprintf(buf, size, "IRQ%u", owner - OWNER_IRQ_BASE);
	else
		snprintf(buf, size, "nobody");
	return buf;
}

const char *describe_context(char *buf, size_t size)
{
	char who[32];

	snprintf(buf, size, "%s, irqs %s, %u locks held",
		 owner_name(current_owner(), who, sizeof(who)),
		 host_irqs_off ? "off" : "on", locks_held());
	return buf;
}

void spin_lock_init(spinlock_t *lock, const char *name)
{
	lock->locked = 0;
	lock->name = name;
	lock->owner_pc = 0;
}

void spin_lock(spinlock_t *lock)
{
	if (lock->locked) {
		fprintf(stderr, "host: deadlock: spin_lock(%s) is held\n",
			lock->name);
		abort();
	}
	lock->locked = 1;
	lock->owner_pc = (unsigned long)__builtin_return_address(0);
	host_locks++;
	context_atomic_depth++;
}

bool spin_trylock(spinlock_t *lock)
{
	if (lock->locked)
		return false;
	lock->locked = 1;
	host_locks++;
	context_atomic_depth++;
	return true;
}

void spin_unlock(spinlock_t *lock)
{
	if (!lock->locked) {
		fprintf(stderr, "host: spin_unlock(%s) of a free lock\n",
			lock->name);
		abort();
	}
	lock->locked = 0;
	host_locks--;
	context_atomic_depth--;
#ifdef HOST_IRQ_HOOK
	if (host_point_hook && !host_irqs_off)
		host_point_fire();	/* an interrupt just after the unlock */
#endif
}

int console_loglevel = 7;

int vprintk(const char *fmt, va_list ap)
{
	char line[512];
	const char *p = line;
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (p[0] == '\001' && p[1])
		p += 2;
	if (getenv("MM_VERBOSE"))
		fputs(p, stderr);
	n = (int)strlen(p);
	if (log_len + (size_t)n + 1 > sizeof(log_buf))
		log_len = 0;	/* keep the recent part only */
	memcpy(log_buf + log_len, p, (size_t)n + 1);
	log_len += (size_t)n;
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void dump_stack(void)
{
}

const char *symbol_lookup(unsigned long addr, unsigned long *offset)
{
	(void)addr;
	(void)offset;
	return NULL;
}

const char *host_log(void)
{
	return log_buf;
}

void host_log_clear(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

bool host_log_has(const char *text)
{
	return strstr(log_buf, text) != NULL;
}
