"""Lab 5, atomic allocation in interrupt handlers: the grader's tests
(tools/grade 5).

Host tests run mm/ natively under AddressSanitizer: the collision rule on
a scripted scenario with zone locks held by the "interrupted" thread
(tests/host/test_mm_collisions.c: a rule that waits for the busy lock
aborts there at once), the owner's room, zeroing and poisoning. One test
kernel run feeds the keyboard pipeline from a simulated interrupt and
reads the event trace of a hand-off, and runs the refill. Three boots
type on the PS/2 keyboard through QMP and switch the handlers' fail_alloc
on through gdb, as if memory had run out under them: they count and
compare, and never time anything.
"""
import re
import time

import pytest

from gradelib import _check_build, answers_missing
from testlib import PROMPT, TEST_KERNEL, Qemu, TestFailure, gdb_batch

HANDOUT = "docs/labs/lab5-atomic.md"


def section(title):
    return "reread '%s' in %s" % (title, HANDOUT)


def fallback_lines(text, *words):
    """The boot self-test's lab 5 lines that hold one of words."""
    return [line for line in text.splitlines() if "(lab 5" in line and
            any(w in line for w in words)]


def expect_no_fallback(text, *words):
    """The boot self-test found none of these parts missing: while one is,
    what the kernel does proves nothing about the rest."""
    said = fallback_lines(text, *words)
    assert not said, "the kernel's boot self-test says:\n  " + \
        "\n  ".join(said)


# ------------------------------------------------------------ host tests

@pytest.mark.points(10)
@pytest.mark.hint(section("The collision rule") + ": a caller that cannot "
                  "wait tries the lock once; a busy lock is a collision, "
                  "counted on the room it was for, and the caller moves on")
def test_collisions_counted_per_room(host):
    host("test_mm_collisions").expect("waiting_caller_takes_the_lock",
                                      "collisions_counted_per_room")


@pytest.mark.points(5)
@pytest.mark.hint(section("The collision rule") + ": each collision is "
                  "also recorded in the event trace (the trace point is in "
                  "include/trace/events.h)")
def test_collisions_traced(host):
    host("test_mm_collisions").expect("collisions_traced_in_order")


@pytest.mark.points(10)
@pytest.mark.hint(section("The owner's room") + ": pop from the owner's "
                  "room only, count it served (or missed), and mark the page "
                  "in transit before interrupts come back on")
def test_owner_served_first_from_its_room(host):
    host("test_mm_irq_pages").expect("owner_served_first_from_its_room")
    host("test_mm_transit").expect("transit_exclusive_room")


@pytest.mark.points(5)
@pytest.mark.hint(section("Zeroed before, poisoned after") + ": the refill "
                  "clears a page before it goes into the room; the handler "
                  "clears only a page that did not come from the room (this "
                  "test needs 'The owner's room' done)")
def test_pages_zeroed_before_not_during(host):
    host("test_mm_irq_pages").expect("refill_clears_room_pages",
                                     "room_page_not_cleared_again")


@pytest.mark.points(5)
@pytest.mark.hint(section("Zeroed before, poisoned after") + ": fill the "
                  "freed page with PAGE_POISON and mark it PG_poisoned")
def test_freed_pages_poisoned(host):
    host("test_mm_exclusive").expect("excl_free_poisons",
                                     "excl_poison_changed_reported")


# ------------------------------------------------- the test kernel's run

SUITES = "keyboard,irq_alloc"


@pytest.mark.points(10)
@pytest.mark.hint(section("The keyboard's page") + ": a full page goes to "
                  "the console thread (kbd_buf_handoff()), then the handler "
                  "takes a fresh one (kbd_buf_grow())")
def test_full_page_handed_off(ktest):
    ktest(SUITES).expect("keyboard/kbd_pipeline_delivers_in_order",
                         "keyboard/kbd_pipeline_full_page_handoff")


@pytest.mark.points(10)
@pytest.mark.hint(section("Keys in order") + ": while the emergency ring "
                  "holds keys, a new key goes behind them, not into a page "
                  "(this test needs 'The keyboard's page' done)")
def test_keys_in_order_after_a_failure(ktest):
    ktest(SUITES).expect("keyboard/kbd_emergency_ring_under_failure",
                         "keyboard/kbd_handoff_failure_keeps_order")


@pytest.mark.points(10)
@pytest.mark.hint(section("Watching a hand-off") + ": the page is allocated "
                  "by the handler, handed off by it to the consumer, freed by "
                  "the consumer; look at 'The keyboard's page' first")
def test_handoff_traced_owner_order_sequence(ktest):
    ktest(SUITES).expect("irq_alloc/irq_alloc_handoff_traced")


@pytest.mark.points(10)
@pytest.mark.hint(section("The refill thread") + ": below half its target a "
                  "room asks for a pass (refill_kick()), without allocating; "
                  "the pass refills every watched room")
def test_refill_in_process_context(ktest):
    ktest(SUITES).expect("irq_alloc/irq_alloc_refill_asked_below_half",
                         "irq_alloc/irq_alloc_refill_pass_fills_every_room")


# ------------------------------------------------------------- the boots

def set_fail_alloc(vm, var, on, elf=None):
    """A handler's test switch (every page allocation fails, as if memory
    had run out), set through the gdbstub; the machine runs on after."""
    kw = {"elf": elf} if elf else {}
    res = gdb_batch(["set var %s.fail_alloc = %d" % (var, on),
                     "print %s.fail_alloc" % var, "detach"],
                    port=vm.gdb_port, timeout=30, **kw)
    if not re.search(r"= %s\b" % ("true" if on else "false"), res.out):
        raise TestFailure("gdb could not set %s.fail_alloc:\n%s" % (var, res))


def kbd_counters(vm):
    """The kbd command's counters, as a dict of ints, and its text."""
    out = vm.command("kbd")
    c = {}
    for name in ("received", "delivered", "dropped", "queued"):
        m = re.search(r"^\s+%s:\s+(\d+)" % name, out, re.M)
        assert m, "no '%s:' in kbd:\n%s" % (name, out)
        c[name] = int(m.group(1))
    for pattern, names in (
            (r"pages:\s+taken (\d+), freed (\d+)", ("taken", "freed")),
            (r"failures:\s+allocation (\d+)", ("alloc_failures",)),
            (r"emergency:\s+stored (\d+)", ("ring",))):
        m = re.search(pattern, out)
        assert m, "no /%s/ in kbd:\n%s" % (pattern, out)
        c.update(zip(names, map(int, m.groups())))
    c["balance"] = re.search(r"^\s+balance:\s+(\S+)", out, re.M).group(1)
    return c, out


def kbd_drained(vm, received):
    """kbd once nothing is queued and every scancode sent was received;
    10 s at most (a key that never arrives fails fast)."""
    deadline = time.monotonic() + 10
    while True:
        c, out = kbd_counters(vm)
        if c["queued"] == 0 and c["received"] >= received:
            return c, out
        assert time.monotonic() < deadline, \
            "the keyboard did not settle: %d scancodes sent, kbd says:\n%s" \
            % (received, out)
        time.sleep(0.2)


def key_events(qcode):
    return [{"type": "key", "data": {"down": down, "key": {
        "type": "qcode", "data": qcode}}} for down in (True, False)]


# 'a' then Backspace, 4 times: 16 scancodes, QEMU's PS/2 queue holds 16.
BATCH = (key_events("a") + key_events("backspace")) * 4
BATCH_ECHO = r"(?:a\x08 \x08[\s\S]*?){4}"


@pytest.mark.points(10)
@pytest.mark.hint(section("The keyboard's page") + " and 'Keys in order': "
                  "with no page to be had every key goes through the "
                  "emergency ring, in order, counted; once pages come back "
                  "the next key takes one")
def test_key_flood_at_exhaustion_every_key_accounted_for(boot):
    vm = boot(qmp=True, gdb=True)
    expect_no_fallback(vm.text(), "keyboard:")
    q = vm.qmp()
    set_fail_alloc(vm, "kbd_live", 1)
    for _ in range(8):          # 64 keys, 128 scancodes, each batch echoed
        q.execute("input-send-event", events=BATCH)
        vm.wait_for(BATCH_ECHO, 10)
    q.type_text("version\n")    # 8 keys, 16 scancodes
    vm.wait_for(r"^Labyrinth ", 10)
    sent = 128 + 16
    c, out = kbd_drained(vm, sent)
    assert c["received"] == sent, \
        "%d scancodes sent, %d received:\n%s" % (sent, c["received"], out)
    assert c["balance"] == "ok" and \
        c["received"] == c["delivered"] + c["dropped"], out
    assert c["taken"] == 0, "a page was taken while none could be had:\n" + out
    assert c["ring"] + c["dropped"] == sent, \
        "not every scancode went through the emergency ring or was " \
        "counted dropped:\n" + out
    assert 0 < c["alloc_failures"] <= sent, out
    set_fail_alloc(vm, "kbd_live", 0)
    q.type_text("kbd\n")
    vm.wait_for(r"kbd$", 10)
    c2, out2 = kbd_drained(vm, sent + 8)
    assert c2["taken"] == 1, \
        "pages can be had again, yet the keys typed after did not go into " \
        "one:\n" + out2
    assert c2["ring"] == c["ring"], out2
    assert c2["balance"] == "ok", out2


@pytest.mark.points(5)
@pytest.mark.hint(section("GFP_KERNEL in a handler") + ": the keys typed "
                  "around the report must reach the shell through the "
                  "handler's pages; look at 'The keyboard's page' first")
def test_gfp_kernel_in_irq_reported_and_survived():
    _check_build()
    vm = Qemu(kernel=TEST_KERNEL, append="kbd_test=gfp_kernel", qmp=True,
              label="test kernel (kbd_test=gfp_kernel)")
    vm.start()
    vm.wait_boot()
    expect_no_fallback(vm.text(), "keyboard:")
    vm.qmp().type_text("version\n")
    report = vm.wait_for(r"sleeping allocation in atomic context"
                         r"(.*\n){1,30}?.*\bkbd_irq\b.*$", 10).group(0)
    assert "kbd_irq_test_hook" in report and "IRQ1 (keyboard)" in report, \
        report
    vm.wait_for(r"^Labyrinth \S+ \(i686\)$", 10)
    vm.wait_for(re.escape(PROMPT), 10)
    c, out = kbd_drained(vm, 16)
    assert c["dropped"] == 0 and c["balance"] == "ok", out
    assert c["taken"] >= 1 and c["ring"] == 0, \
        "the keys went through the emergency ring, not a page:\n" + out
    n = vm.text().count("sleeping allocation (GFP_KERNEL)")
    assert n == 1, "reported %d times, not once per call site" % n


def sampler_stats(vm):
    out = vm.command("sampler")
    b = re.search(r"blocks:\s+taken (\d+), digested (\d+), discarded (\d+)",
                  out)
    o = re.search(r"overruns:\s+(\d+)", out)
    m = re.search(r"samples:\s+\d+ \(lost (\d+)", out)
    assert b and o and m, "sampler output not understood:\n" + out
    return dict(taken=int(b.group(1)), discarded=int(b.group(3)),
                overruns=int(o.group(1)), lost=int(m.group(1)),
                balanced="balance:   ok" in out), out


def wait_sampler(vm, cond, what):
    """sampler until cond(stats) holds; 20 s at most."""
    deadline = time.monotonic() + 20
    while True:
        st, out = sampler_stats(vm)
        if cond(st):
            return st, out
        assert time.monotonic() < deadline, \
            "the sampler never %s:\n%s" % (what, out)
        time.sleep(0.1)


@pytest.mark.points(5)
@pytest.mark.hint(section("The owner's room") + " and 'The refill thread': "
                  "IRQ0 takes its blocks from its room, and the refill thread "
                  "tops the room up once it is below half")
def test_sampler_under_forced_failures(boot):
    vm = boot(append="hz=10000", gdb=True)
    expect_no_fallback(vm.text(), "excl_room_take", "refill:")
    st, out = wait_sampler(vm, lambda s: s["taken"] >= 2, "took a block")
    per_block = int(re.search(r"(\d+) samples per block", out).group(1))
    set_fail_alloc(vm, "sampler_live", 1)
    st, out = wait_sampler(vm, lambda s: s["overruns"] >= 3,
                           "counted 3 overruns with allocations failing")
    set_fail_alloc(vm, "sampler_live", 0)
    st, out = sampler_stats(vm)
    assert st["balanced"] and st["discarded"] == 0, out
    assert st["lost"] == st["overruns"] * per_block, \
        "each overrun loses one block's samples:\n" + out
    taken = st["taken"]
    st, out = wait_sampler(vm, lambda s: s["taken"] >= taken + 12,
                           "took 12 blocks once allocations worked again")
    assert st["balanced"], out
    rooms = vm.command("labyrinth")
    m = re.search(r"exclusive sampler\s+\d+ pages\s+served (\d+)", rooms)
    assert m and int(m.group(1)) >= 12, \
        "IRQ0's room did not serve its blocks:\n" + rooms
    refill = vm.command("refill")
    m = re.search(r"(\d+) wake-ups, \d+ passes, (\d+) pages added", refill)
    assert m and int(m.group(1)) >= 1 and int(m.group(2)) >= 5, \
        "the refill thread did not top IRQ0's room up:\n" + refill


@pytest.mark.points(5)
@pytest.mark.hint("answer every question of labs/lab5/answers.md in a few "
                  "sentences")
def test_answers_written():
    missing = answers_missing("labs/lab5/answers.md")
    assert not missing, "unanswered: " + "; ".join(missing)
