/*
 * console.c - the list of output consoles and the shared input ring.
 *
 * Output: every registered console gets every byte, in registration order,
 * from console_write(), which only the console owner calls (kernel/printk.c
 * queues the text and decides who writes it). The owner may walk the list
 * with interrupts on, so the list changes with interrupts off and a
 * console leaves it only once what was queued before has been written.
 * Input: a single-producer ring filled from interrupt handlers (and the
 * keyboard's console thread) and drained by the shell. A full ring drops
 * the character and counts it, so nothing blocks inside a handler. The
 * shell sleeps on input_wait until a character is pushed; wake_up() is
 * safe in a handler.
 *
 * Ctrl-C: the thread that reads the console (input_reader, the shell) may
 * be busy in a command that waits, with its waits made interruptible
 * (kernel/thread.h: the alloc command does). A Ctrl-C pushed then
 * interrupts that wait instead of entering the ring, as a terminal turns
 * ^C into a signal. At any other time it is input like any key, and the
 * shell drops the line being typed.
 */
#include <asm/io.h>
#include <asm/irqflags.h>
#include <kernel/console.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/wait.h>

#define INPUT_RING_SIZE 256	/* a power of two */

static struct console *consoles;
static struct console *volatile emergency_console;	/* polled, stateless */
static char input_ring[INPUT_RING_SIZE];
static volatile unsigned int input_head, input_tail;
static struct wait_queue_head input_wait =
	WAIT_QUEUE_HEAD_INIT(input_wait, "input");
static struct thread *volatile input_reader;	/* last in console_getc() */
static volatile bool reader_waiting;		/* it sleeps there now */
unsigned long console_input_dropped;
unsigned long console_interrupts;

void console_register(struct console *con)
{
	struct console **p = &consoles;
	unsigned long flags;

	/*
	 * One pointer store links con in; interrupts off so that no owner
	 * in a handler walks the list halfway through the search.
	 */
	local_irq_save(flags);
	while (*p)
		p = &(*p)->next;
	con->next = NULL;
	*p = con;
	local_irq_restore(flags);
}

/*
 * What was printed before gets to con first (console_flush()), so a test's
 * capture console sees its reports. Then con leaves the list. An owner
 * preempted in the middle of con->write() may still be in it: where the
 * caller may sleep, console_wait_idle() waits until nobody is writing any
 * more. Elsewhere it cannot wait, and con must stay valid until the owner
 * is done.
 */
void console_unregister(struct console *con)
{
	unsigned long flags;

	console_flush();
	local_irq_save(flags);
	for (struct console **p = &consoles; *p; p = &(*p)->next) {
		if (*p == con) {
			*p = con->next;	/* con->next stays: a walker goes on */
			break;
		}
	}
	local_irq_restore(flags);
	console_wait_idle();
}

/*
 * Called by the console owner (kernel/printk.c), with interrupts on or off,
 * and by a forced flush of the dying, which ignores the owner.
 */
void console_write(const char *text, size_t len)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(text, len);
}

struct console *console_set_emergency(struct console *con)
{
	struct console *old = emergency_console;

	emergency_console = con;
	return old;
}

void console_emergency_write(const char *text, size_t len)
{
	struct console *con = emergency_console;

	if (con)
		con->write(text, len);
}

/* Ctrl-C for a reader in an interruptible wait: interrupt it instead. */
static bool console_interrupt_reader(char c)
{
	struct thread *reader = input_reader;

	if (c != CONSOLE_CTRL_C || !reader || !thread_interrupt(reader))
		return false;
	console_interrupts++;
	return true;
}

void console_input_push(char c)
{
	unsigned long flags;

	if (console_interrupt_reader(c))
		return;
	local_irq_save(flags);
	if (input_head - input_tail == INPUT_RING_SIZE)
		console_input_dropped++;
	else
		input_ring[input_head++ % INPUT_RING_SIZE] = c;
	local_irq_restore(flags);
	wake_up(&input_wait);
}

unsigned int console_input_room(void)
{
	return INPUT_RING_SIZE - (input_head - input_tail);
}

bool console_reader_interruptible(void)
{
	struct thread *reader = input_reader;

	return reader && reader->interruptible;
}

int console_trygetc(void)
{
	unsigned long flags;
	int c = -1, polled;

	/*
	 * Interrupts off from the poll on: the serial interrupt could
	 * otherwise push the next byte between our read and our push, and
	 * the two would swap.
	 */
	local_irq_save(flags);
	for (struct console *con = consoles; con; con = con->next) {
		polled = con->poll ? con->poll() : -1;
		if (polled >= 0)	/* before its IRQ is wired, or lost */
			console_input_push((char)polled);
	}
	if (input_tail != input_head)
		c = (unsigned char)input_ring[input_tail++ % INPUT_RING_SIZE];
	local_irq_restore(flags);
	return c;
}

/*
 * Before the scheduler is up, or where the caller may not sleep: with
 * interrupts on, wait with cli; check; sti; hlt: the check runs with
 * interrupts off, and sti's shadow makes sti; hlt atomic, so a byte that
 * arrives after the check still wakes the halt. With interrupts off there
 * is nothing to wake us: spin and poll.
 */
static char console_getc_halt(void)
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

/*
 * Sleep on input_wait, so the CPU goes to other threads (or idles) while
 * nobody types. The timeout makes it poll the serial port now and then:
 * a byte that arrived before IRQ4 was wired raises no interrupt.
 */
#define INPUT_POLL_MS	100

char console_getc(void)
{
	long poll = (long)(INPUT_POLL_MS * timer_hz / 1000) + 1;
	int c = -1;

	if (!sched_can_sleep())
		return console_getc_halt();
	input_reader = current_thread();
	reader_waiting = true;
	while (!wait_event_timeout(input_wait, (c = console_trygetc()) >= 0,
				   poll))
		;
	reader_waiting = false;
	return (char)c;
}

bool console_reader_waiting(void)
{
	return reader_waiting;
}
