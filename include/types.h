/*
 * types.h - the small scalar types shared by the kernel and the host tests.
 *
 * Only freestanding headers are used, so the same definitions compile in the
 * i686 kernel and in the native 64-bit host test programs.
 */
#ifndef LABYRINTH_TYPES_H
#define LABYRINTH_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* A physical address as the allocator sees it (below the direct-map end). */
typedef unsigned long phys_addr_t;
/* A page frame number: physical address >> PAGE_SHIFT. */
typedef unsigned long pfn_t;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define __unused	__attribute__((unused))
#define __noreturn	__attribute__((noreturn))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* Negative errno values returned by actions (0 means success). */
#define EPERM	1
#define ENOENT	2
#define EINTR	4
#define EIO	5
#define EAGAIN	11
#define ENOMEM	12
#define EFAULT	14
#define EBUSY	16
#define EEXIST	17
#define EINVAL	22
#define ERANGE	34
#define ETIMEDOUT	110

#endif
