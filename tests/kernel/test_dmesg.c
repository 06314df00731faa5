/*
 * test_dmesg.c - in-kernel tests of reading the log ring back (dmesg).
 *
 * A reader walks the ring from the oldest byte held; log_dump() gives
 * that to a write function: here one that records it. Filler lines make
 * the ring wrap where it has not yet (and overflow it once); they are KTAP
 * comments ("    # ..."), so the test log stays readable.
 */
#include <kernel/printk.h>
#include <lib/format.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

#define REC_SIZE	(LOG_BUF_SIZE + 1024)
#define FILLER_LEN	100

static char rec[REC_SIZE];
static size_t rec_len;

static void rec_write(const char *text, size_t len)
{
	len = MIN(len, REC_SIZE - 1 - rec_len);
	memcpy(rec + rec_len, text, len);
	rec_len += len;
	rec[rec_len] = '\0';
}

/* What log_dump() gives, in rec (not to the consoles: the test log
 * would get a second copy of every KTAP line the ring holds). */
static int dump_recorded(void)
{
	console_flush();
	rec_len = 0;
	rec[0] = '\0';
	return log_dump(rec_write);
}

/* Everything a reader started now reads, in buf; its length. */
static size_t read_all(char *buf, size_t size, unsigned long *gone)
{
	struct log_reader r;
	unsigned long skipped;
	size_t len = 0, n;

	*gone = log_reader_start(&r);
	while (len < size - 1 &&
	       (n = log_read(&r, buf + len, size - 1 - len, &skipped)))
		len += n;
	buf[len] = '\0';
	return len;
}

static void filler_lines(const char *tag, unsigned int n)
{
	char line[FILLER_LEN + 1];
	int k;

	for (unsigned int i = 0; i < n; i++) {
		k = snprintf(line, sizeof(line), "    # dmesg %s %03u ", tag,
			     i);
		memset(line + k, '.', FILLER_LEN - 1 - k);
		line[FILLER_LEN - 1] = '\n';
		line[FILLER_LEN] = '\0';
		printk("%s", line);
	}
}

static bool contains(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (!strncmp(s, needle, n))
			return true;
	return false;
}

static bool ends_with(const char *s, size_t len, const char *tail)
{
	size_t n = strlen(tail);

	return len >= n && !memcmp(s + len - n, tail, n);
}

static char text[LOG_BUF_SIZE + 1];

/* The byte at position pos of the ring, read by a reader of one byte. */
static char log_byte(unsigned long pos)
{
	struct log_reader r = { .pos = (unsigned int)pos,
				.end = (unsigned int)pos + 1 };
	unsigned long skipped;
	char c = 0;

	log_read(&r, &c, 1, &skipped);
	return c;
}

/* The newest bytes a reader reads are the message just printed. */
static void dmesg_reads_back_the_newest_message(struct ktest *t)
{
	unsigned long gone;
	size_t len;

	printk("dmesg-test: a line to read back\n");
	console_flush();
	len = read_all(text, sizeof(text), &gone);
	KTEST_EXPECT(t, ends_with(text, len,
				  "dmesg-test: a line to read back\n"));
	KTEST_EXPECT(t, len <= LOG_BUF_SIZE);
}

/* A full ring: the tests below need one that has wrapped. */
static void ring_wrapped(void)
{
	struct log_reader r;

	if (!log_reader_start(&r)) {
		filler_lines("wrap", LOG_BUF_SIZE / FILLER_LEN + 2);
		console_flush();
	}
}

/*
 * A reader overtaken by writers skips to the oldest byte still held, says
 * how many bytes it missed, and reads on to where it started. Writers
 * overtaking it is played by starting it further back than the ring goes.
 */
static void dmesg_reader_skips_what_was_overwritten(struct ktest *t)
{
	struct log_reader r;
	unsigned long skipped;
	char c[FILLER_LEN];
	size_t n, total = 0;

	ring_wrapped();
	log_reader_start(&r);
	KTEST_EXPECT_EQ(t, r.end - r.pos, LOG_BUF_SIZE);
	r.pos -= 2000;			/* 2000 bytes it did not get to */
	n = log_read(&r, c, sizeof(c), &skipped);
	KTEST_EXPECT_EQ(t, skipped, 2000);
	KTEST_EXPECT_EQ(t, n, sizeof(c));
	total += n;
	while ((n = log_read(&r, c, sizeof(c), &skipped))) {
		KTEST_EXPECT_EQ(t, skipped, 0);
		total += n;
	}
	KTEST_EXPECT_EQ(t, total, LOG_BUF_SIZE);
	KTEST_EXPECT_EQ(t, r.pos, r.end);
	/* All of its range overwritten: nothing to read, every byte counted. */
	log_reader_start(&r);
	r.end = r.pos - 1000;
	r.pos -= 3000;
	KTEST_EXPECT_EQ(t, log_read(&r, c, sizeof(c), &skipped), 0);
	KTEST_EXPECT_EQ(t, skipped, 2000);
	KTEST_EXPECT_EQ(t, r.pos, r.end);
}

/*
 * dmesg on a wrapped ring: the marker with the bytes gone, then whole
 * lines up to the newest; the two add up to every byte queued since boot.
 */
static void dmesg_dump_of_a_wrapped_ring(struct ktest *t)
{
	struct log_reader r;
	unsigned long gone;
	const char *body;

	ring_wrapped();
	printk("dmesg-test: the newest line\n");
	console_flush();
	log_reader_start(&r);
	KTEST_EXPECT_EQ(t, dump_recorded(), 0);
	KTEST_EXPECT(t, !strncmp(rec, "[", 1));
	body = strchr(rec, '\n');
	if (!body) {
		KTEST_EXPECT(t, body != NULL);
		return;
	}
	body++;
	gone = 0;
	for (const char *p = rec + 1; *p >= '0' && *p <= '9'; p++)
		gone = gone * 10 + (unsigned long)(*p - '0');
	KTEST_EXPECT(t, !strncmp(strchr(rec, ' '), " earlier bytes of log "
				 "overwritten]\n", 32));
	KTEST_EXPECT_EQ(t, gone + strlen(body), r.end);
	KTEST_EXPECT(t, gone > r.end - LOG_BUF_SIZE);	/* cut at a line end */
	KTEST_EXPECT(t, log_byte(gone - 1) == '\n');
	KTEST_EXPECT(t, ends_with(rec, rec_len,
				  "dmesg-test: the newest line\n"));
}

/*
 * Messages lost while the ring was full of unwritten text: the marker the
 * owner queued where they were lost is in the ring, and dmesg shows it.
 */
static void dmesg_shows_the_loss_marker(struct ktest *t)
{
	unsigned long lost0 = log_lost_total;
	char note[48];

	console_flush();
	if (!console_trylock()) {
		KTEST_EXPECT(t, false);
		return;
	}
	filler_lines("lose", LOG_BUF_SIZE / FILLER_LEN + 10);
	console_unlock();
	snprintf(note, sizeof(note), "[%lu bytes of log lost]\n",
		 log_lost_total - lost0);
	KTEST_EXPECT(t, log_lost_total > lost0);
	KTEST_EXPECT_EQ(t, dump_recorded(), 0);
	KTEST_EXPECT(t, contains(rec, note));
}

static const struct ktest_case dmesg_cases[] = {
	KTEST_CASE(dmesg_reads_back_the_newest_message),
	KTEST_CASE(dmesg_reader_skips_what_was_overwritten),
	KTEST_CASE(dmesg_dump_of_a_wrapped_ring),
	KTEST_CASE(dmesg_shows_the_loss_marker),
};
KTEST_SUITE(dmesg_suite, "dmesg", dmesg_cases);
