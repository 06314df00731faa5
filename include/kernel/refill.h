/*
 * refill.h - the refill thread: keeps the exclusive rooms of IRQ handlers
 * topped up (kernel/refill.c).
 *
 * An interrupt handler pops pages from its exclusive room with
 * alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE). It cannot refill the room itself
 * (that takes GFP_KERNEL, which may sleep), so after each allocation it
 * calls refill_check(), which wakes the refill thread when the room has
 * fallen below half its target. The thread then calls excl_room_refill() in
 * process context: allocate before entering atomic context, never the
 * reverse.
 */
#ifndef LABYRINTH_KERNEL_REFILL_H
#define LABYRINTH_KERNEL_REFILL_H

#include <lib/seq.h>
#include <types.h>

/*
 * Watch exclusive room `room` (from excl_room_create()) and keep it near
 * target pages. Process context. Returns 0, -EBUSY if too many rooms are
 * watched, -EINVAL for a bad room.
 */
int refill_register(int room, unsigned int target);
/* Stop watching a room (before excl_room_destroy()). Process context. */
void refill_unregister(int room);
/* Wake the thread if the room is below half its target. Any context. */
void refill_check(int room);
/*
 * What an interrupt user does to get a page: alloc_page(GFP_ATOMIC |
 * GFP_EXCLUSIVE) for the running handler (its room first, zero-filled),
 * then refill_check(room) (room < 0: none to watch). Returns the page's
 * address, or NULL when every room fails: the caller's fallback runs.
 * Interrupt context or interrupts off.
 */
void *refill_irq_page(int room);
/* Wake the thread to look at every room now. Any context. */
void refill_kick(void);
/* True if a refill was asked for and has not run yet. */
bool refill_pending(void);
/* Start the refill thread (once, from kmain, after the scheduler). */
void refill_init(void);
/* Refill every watched room now, from the caller's process context. */
int refill_run_once(void);
void refill_show(struct seq *out);

#endif
