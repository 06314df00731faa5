/*
 * asm/context.h (host tests) - the kernel's context API, set by tests.
 *
 * host_irq_enter(line)/host_irq_exit() fake an interrupt (and turn
 * interrupts off, as the hardware does); host_thread_set(tid) picks the
 * running thread; host_extra_locks pretends locks other than mm/'s are held.
 */
#ifndef LABYRINTH_HOST_ASM_CONTEXT_H
#define LABYRINTH_HOST_ASM_CONTEXT_H

#include <types.h>

typedef unsigned int owner_t;

#define OWNER_NONE		0u
#define OWNER_IRQ_BASE		0x100u
#define OWNER_IRQ(line)		(OWNER_IRQ_BASE + (unsigned int)(line))
#define OWNER_THREAD_BASE	0x1000u
#define OWNER_THREAD(tid)	(OWNER_THREAD_BASE + (unsigned int)(tid))
#define OWNER_IS_IRQ(o) \
	((o) >= OWNER_IRQ_BASE && (o) < OWNER_THREAD_BASE)
#define OWNER_IS_THREAD(o)	((o) >= OWNER_THREAD_BASE)

static inline unsigned int smp_processor_id(void)
{
	return 0;
}

#define NR_CPUS 1

bool in_interrupt(void);
int current_irq(void);
unsigned int locks_held(void);
/*
 * in_atomic() - in a (fake) interrupt or with a lock held, as the kernel's:
 * host.c keeps context_atomic_depth (fake IRQ plus spinlocks held); tests
 * add host_extra_locks by hand.
 */
extern unsigned int context_atomic_depth;
extern unsigned int host_extra_locks;

static inline bool in_atomic(void)
{
	return context_atomic_depth + host_extra_locks != 0;
}
owner_t current_owner(void);
const char *owner_name(owner_t owner, char *buf, size_t size);
const char *describe_context(char *buf, size_t size);

/* Test controls. */
void host_irq_enter(int line);
void host_irq_exit(void);
void host_thread_set(unsigned int tid);

#endif
