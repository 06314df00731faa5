/*
 * serial.c - the 16550 UART on COM1, the main console.
 *
 * Output is polled (wait for the transmit holding register to empty, then
 * write the byte), so printk works from anywhere, even in an oops. Input
 * raises IRQ4 when the interrupt controller is set up; until then the
 * console layer polls it (serial_poll(), the console's poll hook).
 */
#include <asm/io.h>
#include <drivers/serial.h>
#include <kernel/console.h>
#include <kernel/irq.h>

#define COM1		0x3F8
#define UART_DATA	0	/* receive / transmit buffer (DLAB=0) */
#define UART_IER	1	/* interrupt enable (DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_DLM	1	/* divisor latch high (DLAB=1) */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */

#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define IER_RX		0x01
#define MCR_DTR_RTS_OUT2 0x0B	/* OUT2 gates the UART's IRQ line */

static void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		cpu_relax();
	outb(COM1 + UART_DATA, (u8)c);
}

/* Terminals want CR LF; the kernel writes LF alone. */
static void serial_write(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			serial_putc('\r');
		serial_putc(text[i]);
	}
}

/* A received byte, or -1 if none: the console's poll. */
static int serial_poll(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_write,
	.poll = serial_poll,
};

/* 115200 baud, 8 data bits, no parity, one stop bit, FIFOs on. */
void serial_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1);	/* 115200 / 1 */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0xC7);	/* enable, clear, 14-byte threshold */
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
	outb(COM1 + UART_IER, IER_RX);
	console_register(&serial_console);
	console_set_emergency(&serial_console);	/* polled: always works */
}

/* IRQ4: move every received byte into the console input ring. */
static void serial_interrupt(unsigned int line __unused, void *arg __unused)
{
	while (inb(COM1 + UART_LSR) & LSR_DATA_READY)
		console_input_push((char)inb(COM1 + UART_DATA));
}

/* Called by kmain() once the PIC is set up (see kernel/console.h). */
int serial_irq_init(void)
{
	return irq_register(4, serial_interrupt, NULL, "serial");
}
