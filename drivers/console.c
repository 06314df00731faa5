/*
 * console.c - the list of output consoles and the shared input ring.
 *
 * Output: every registered console gets every byte, in registration order.
 * Input: a single-producer ring filled from interrupt handlers and drained
 * by the shell. A full ring drops the character and counts it, so nothing
 * blocks inside a handler.
 */
#include <asm/io.h>
#include <asm/irqflags.h>
#include <drivers/console.h>

#define INPUT_RING_SIZE 256	/* a power of two */

static struct console *consoles;
static char input_ring[INPUT_RING_SIZE];
static volatile unsigned int input_head, input_tail;
unsigned long console_input_dropped;

void console_register(struct console *con)
{
	struct console **p = &consoles;

	while (*p)
		p = &(*p)->next;
	con->next = NULL;
	*p = con;
}

void console_write(const char *text, size_t len)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(text, len);
}

void console_input_push(char c)
{
	unsigned long flags;

	local_irq_save(flags);
	if (input_head - input_tail == INPUT_RING_SIZE)
		console_input_dropped++;
	else
		input_ring[input_head++ % INPUT_RING_SIZE] = c;
	local_irq_restore(flags);
}

unsigned int console_input_room(void)
{
	return INPUT_RING_SIZE - (input_head - input_tail);
}

int console_trygetc(void)
{
	unsigned long flags;
	int c = -1;
	int polled = serial_poll();

	if (polled >= 0)	/* before IRQ4 is wired, or a lost interrupt */
		console_input_push((char)polled);
	local_irq_save(flags);
	if (input_tail != input_head)
		c = (unsigned char)input_ring[input_tail++ % INPUT_RING_SIZE];
	local_irq_restore(flags);
	return c;
}

/*
 * Once interrupts are on, wait with cli; check; sti; hlt: the check runs
 * with interrupts off, and sti's shadow makes sti; hlt atomic, so a byte
 * that arrives after the check still wakes the halt. Before that (or with
 * interrupts off) there is nothing to wake us: spin and poll.
 */
char console_getc(void)
{
	bool irqs_were_on = !irqs_disabled();
	int c;

	for (;;) {
		local_irq_disable();
		c = console_trygetc();
		if (c >= 0)
			break;
		if (irqs_were_on)
			cpu_safe_halt();
		else
			cpu_relax();
	}
	if (irqs_were_on)
		local_irq_enable();
	return (char)c;
}
