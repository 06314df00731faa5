/*
 * serial.h - COM1, the 16550 UART at 0x3f8: a console that writes, and
 * the input the shell reads over a serial line (drivers/serial.c).
 */
#ifndef LABYRINTH_DRIVERS_SERIAL_H
#define LABYRINTH_DRIVERS_SERIAL_H

/* 115200 8N1; registers COM1 as a console and as the emergency output. */
void serial_init(void);
/*
 * Its receive interrupt, IRQ4: registered once the PIC is set up (kmain,
 * after arch_init()); until then input is polled. 0 or irq_register()'s
 * error.
 */
int serial_irq_init(void);

#endif
