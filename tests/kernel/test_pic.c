/*
 * test_pic.c - the 8259A PICs as lab 2 drives them: masks, end of
 * interrupt, spurious interrupts, watched from inside a real interrupt.
 *
 * The interrupt is the CMOS clock's periodic one (IRQ8, on the slave, free
 * in this kernel): in its handler the slave has line 8 in service and the
 * master line 2, the cascade. Each probe runs once, inside one such
 * interrupt, reads the in-service registers before and after the call it
 * tests, and the case checks which bits the call cleared. irq_dispatch()
 * sends its own EOI after the handler: to chips with nothing left in
 * service, which changes nothing.
 */
#include <asm/i8259.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <kernel/arch.h>
#include <kernel/irq.h>
#include <tests/kernel/ktest.h>

#define RTC_IRQ		8
#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define CMOS_NMI_OFF	0x80
#define RTC_REG_B	0x0B
#define RTC_REG_C	0x0C
#define RTC_PIE		0x40	/* register B: periodic interrupt enable */

#define ISR_SLAVE_8	(1u << 8)
#define ISR_CASCADE	(1u << PIC_CASCADE_IRQ)

struct probe {
	void (*call)(void);	/* what runs inside the interrupt */
	u16 before, after;	/* the in-service registers around it */
	bool result;		/* pic_spurious()'s answer, where asked */
	volatile bool done;
};

static struct probe *probe;

static u8 cmos_read(u8 reg)
{
	outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	return inb(CMOS_DATA);
}

static void cmos_write(u8 reg, u8 val)
{
	outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	outb(CMOS_DATA, val);
}

/* IRQ8: run the probe once; always acknowledge the clock (register C). */
static void rtc_irq(unsigned int line __unused, void *arg __unused)
{
	struct probe *p = probe;

	if (p && !p->done) {
		p->before = pic_read_isr();
		p->call();
		p->after = pic_read_isr();
		p->done = true;
	}
	cmos_read(RTC_REG_C);
}

/* Run p inside the next clock interrupt; false if none came in time. */
static bool run_probe(struct ktest *t, struct probe *p)
{
	unsigned long flags, start = jiffies;
	bool ok;

	if (irq_register(RTC_IRQ, rtc_irq, NULL, "test-rtc")) {
		ktest_fail(t, __FILE__, __LINE__, "IRQ8 is taken");
		return false;
	}
	probe = p;
	local_irq_save(flags);
	cmos_read(RTC_REG_C);
	cmos_write(RTC_REG_B, cmos_read(RTC_REG_B) | RTC_PIE);
	local_irq_restore(flags);
	while (!p->done && jiffies - start < (unsigned long)timer_hz + 2)
		cpu_relax();
	local_irq_save(flags);
	cmos_write(RTC_REG_B, cmos_read(RTC_REG_B) & ~RTC_PIE);
	cmos_read(RTC_REG_C);
	local_irq_restore(flags);
	irq_unregister(RTC_IRQ);
	probe = NULL;
	ok = p->done;
	if (!ok)
		ktest_fail(t, __FILE__, __LINE__, "no IRQ8 from the CMOS clock "
			   "in a second: is the slave's line open (pic_unmask)?");
	return ok;
}

/* Inside the handler the chips must show IRQ8 in service, as they do. */
static bool in_service_inside(struct ktest *t, const struct probe *p)
{
	if ((p->before & (ISR_SLAVE_8 | ISR_CASCADE)) ==
	    (ISR_SLAVE_8 | ISR_CASCADE))
		return true;
	ktest_fail(t, __FILE__, __LINE__, "inside IRQ8's handler the "
		   "in-service registers read %#x, not lines 8 and 2%s",
		   p->before, pic_auto_eoi_on() ? " (automatic EOI: the "
		   "fallback for a pic_eoi() that ends nothing)" : "");
	return false;
}

static void call_eoi_8(void)
{
	pic_eoi(8);
}

static void call_eoi_3(void)
{
	pic_eoi(3);
}

static void call_spurious_7(void)
{
	probe->result = pic_spurious(7);
}

static void call_spurious_15(void)
{
	probe->result = pic_spurious(15);
}

/* The masks: a line of each chip, opened and closed again. */
static void pic_mask_and_unmask_track_the_chips(struct ktest *t)
{
	static const unsigned int lines[] = { 3, 10 };
	unsigned long flags;

	local_irq_save(flags);
	for (unsigned int i = 0; i < ARRAY_SIZE(lines); i++) {
		u16 bit = (u16)(1u << lines[i]), before = pic_read_imr();

		KTEST_EXPECT(t, before & bit);	/* nobody uses them */
		pic_unmask(lines[i]);
		KTEST_EXPECT_EQ(t, pic_read_imr(), before & ~bit);
		KTEST_EXPECT_EQ(t, pic_read_mask(), pic_read_imr());
		pic_mask(lines[i]);
		KTEST_EXPECT_EQ(t, pic_read_imr(), before);
		KTEST_EXPECT_EQ(t, pic_read_mask(), pic_read_imr());
	}
	local_irq_restore(flags);
}

/* A line of the slave: the slave and the master both owe an EOI. */
static void pic_eoi_of_a_slave_line_ends_it_on_both(struct ktest *t)
{
	struct probe p = { .call = call_eoi_8 };

	if (!run_probe(t, &p) || !in_service_inside(t, &p))
		return;
	KTEST_EXPECT_EQ(t, p.after & ISR_SLAVE_8, 0);
	KTEST_EXPECT_EQ(t, p.after & ISR_CASCADE, 0);
}

/* A line of the master: the master only (the slave keeps IRQ8). */
static void pic_eoi_of_a_master_line_leaves_the_slave(struct ktest *t)
{
	struct probe p = { .call = call_eoi_3 };

	if (!run_probe(t, &p) || !in_service_inside(t, &p))
		return;
	KTEST_EXPECT_EQ(t, p.after & ISR_CASCADE, 0);
	KTEST_EXPECT_EQ(t, p.after & ISR_SLAVE_8, ISR_SLAVE_8);
}

/* Spurious IRQ7 (its bit clear): said so, and no EOI to anyone. */
static void pic_spurious_irq7_is_not_acknowledged(struct ktest *t)
{
	struct probe p = { .call = call_spurious_7 };

	if (!run_probe(t, &p) || !in_service_inside(t, &p))
		return;
	KTEST_EXPECT(t, p.result);
	KTEST_EXPECT_EQ(t, p.after, p.before);
}

/* Spurious IRQ15: said so; the master gets its EOI, the slave none. */
static void pic_spurious_irq15_acknowledges_the_master_only(struct ktest *t)
{
	struct probe p = { .call = call_spurious_15 };

	if (!run_probe(t, &p) || !in_service_inside(t, &p))
		return;
	KTEST_EXPECT(t, p.result);
	KTEST_EXPECT_EQ(t, p.after & ISR_CASCADE, 0);
	KTEST_EXPECT_EQ(t, p.after & ISR_SLAVE_8, ISR_SLAVE_8);
}

/* Lines other than 7 and 15 are never spurious, whatever the ISR says. */
static void pic_spurious_only_on_7_and_15(struct ktest *t)
{
	unsigned long flags;

	local_irq_save(flags);
	for (unsigned int line = 0; line < 16; line++)
		if (line != 7 && line != 15)
			KTEST_EXPECT(t, !pic_spurious(line));
	local_irq_restore(flags);
}

static const struct ktest_case pic_cases[] = {
	KTEST_CASE(pic_mask_and_unmask_track_the_chips),
	KTEST_CASE(pic_eoi_of_a_slave_line_ends_it_on_both),
	KTEST_CASE(pic_eoi_of_a_master_line_leaves_the_slave),
	KTEST_CASE(pic_spurious_irq7_is_not_acknowledged),
	KTEST_CASE(pic_spurious_irq15_acknowledges_the_master_only),
	KTEST_CASE(pic_spurious_only_on_7_and_15),
};
KTEST_SUITE(pic_suite, "pic", pic_cases);
