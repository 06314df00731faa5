/*
 * mm/exclusive.h - exclusive rooms: per-owner pools of zeroed pages.
 *
 * An owner (an IRQ line or a thread, see asm/context.h) that must allocate
 * where it cannot sleep creates a room with a target size in process
 * context. A refill (process context, GFP_KERNEL, may sleep) tops the room up
 * to its target and clears every page it adds, so that the owner's
 * alloc_page(GFP_ATOMIC | GFP_EXCLUSIVE) pops a zeroed page in a few
 * instructions with interrupts off, without a 4 KiB clear in the handler.
 *
 * An exclusive page has one owner at a time. Only the owner may free it or
 * hand it to a new owner; anyone else is refused with a report. Freed
 * exclusive pages are poisoned (PAGE_POISON) before they return to any room.
 *
 * Rooms are touched with interrupts off (no lock; one CPU). At most
 * NR_EXCL_ROOMS exist, one per owner.
 */
#ifndef LABYRINTH_MM_EXCLUSIVE_H
#define LABYRINTH_MM_EXCLUSIVE_H

#include <types.h>
#include <mm/page.h>

#define NR_EXCL_ROOMS	8
#define EXCL_TARGET_MAX	1024

/*
 * Create the room of owner (an IRQ line or a thread) with a target size
 * (1..EXCL_TARGET_MAX pages). name is kept (not copied). Returns the room
 * id (>= 0), or, refused with a report saying why: -EINVAL for a bad owner,
 * target or name, -EEXIST if owner has a room, -EBUSY if every slot is
 * used. The room starts empty: call excl_room_refill().
 */
int excl_room_create(owner_t owner, unsigned int target, const char *name);
/*
 * Top the room up to its target with zeroed pages. Process context only
 * (GFP_KERNEL): once the scheduler's sleep hooks are installed, a short
 * refill sleeps until pages are freed. Returns the number of pages added,
 * or a negative errno: -EINVAL bad id, -EPERM from atomic context (both
 * reported), -ENOMEM when not one page could be had without sleeping
 * (before the hooks exist, or when the hook gives up).
 */
int excl_room_refill(int id);
/*
 * Give the room's pages back to the zones, wake sleeping allocations, and
 * free its slot. Returns the number of pages given back. Process context:
 * elsewhere it is refused with a report and -EPERM; -EINVAL for a bad id.
 */
int excl_room_destroy(int id);
/* The room id of owner, or -ENOENT. */
int excl_room_find(owner_t owner);
/* Pages now in the room, or 0 for a bad id. */
unsigned int excl_room_count(int id);

/*
 * Move an exclusive page to a new owner, an IRQ line or a thread. Only the
 * current owner may call it; otherwise (-EPERM), or for a page that is not
 * an allocated exclusive page or a new owner that is neither an IRQ line
 * nor a thread (-EINVAL), it is refused with a report and the page is
 * unchanged.
 */
int excl_page_handoff(struct page *page, owner_t new_owner);

/*
 * Check, once at boot and before the first handler allocates, what an
 * allocation in an interrupt handler relies on: the collision rule
 * (mm/room.c), the owner's room, zeroed and poisoned pages. Whatever does
 * not hold is said (naming lab 5 and the function), and the kernel runs
 * on. Every page it takes is given back. Process context.
 */
void mm_irq_selftest(void);

#endif
