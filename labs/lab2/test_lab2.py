"""Lab 2, interrupts: the grader's tests (tools/grade 2).

The in-kernel pic suite (tests/kernel/test_pic.c) watches the PICs from
inside a real interrupt, the CMOS clock's IRQ8; the arch_timer suite times
the tick against the TSC under QEMU's -icount, where one instruction is one
nanosecond, so the rate is exact on every machine; the keyboard suite feeds the
scancode decoder; the boots type on the PS/2 keyboard through QMP and count
interrupts with irqstat.
"""
import re

import pytest

from gradelib import answers_missing

HANDOUT = "docs/labs/lab2-interrupts.md"


def section(title):
    return "reread '%s' in %s" % (title, HANDOUT)


@pytest.mark.points(10)
@pytest.mark.hint(section("Masking a line") + ": lines 8..15 are the "
                  "slave's bits 0..7; keep mask1 and mask2 as the chips")
def test_mask_and_unmask_track_the_chips(ktest):
    ktest("pic").expect("pic/pic_mask_and_unmask_track_the_chips")


@pytest.mark.points(15)
@pytest.mark.hint(section("End of interrupt") + ": a slave line owes an "
                  "EOI to both chips, a master line to the master only")
def test_eoi_ends_the_interrupt(ktest):
    ktest("pic").expect("pic/pic_eoi_of_a_slave_line_ends_it_on_both",
                        "pic/pic_eoi_of_a_master_line_leaves_the_slave")


@pytest.mark.points(10)
@pytest.mark.hint(section("Spurious interrupts") + ": no EOI for a spurious "
                  "IRQ7; the master's only for a spurious IRQ15")
def test_spurious_interrupts_are_not_acknowledged(ktest):
    ktest("pic").expect("pic/pic_spurious_irq7_is_not_acknowledged",
                        "pic/pic_spurious_irq15_acknowledges_the_master_only",
                        "pic/pic_spurious_only_on_7_and_15")


@pytest.mark.points(5)
@pytest.mark.hint(section("The tick") + ": the nearest divisor, rounded, "
                  "not truncated; the counter has 16 bits")
@pytest.mark.parametrize("hz", [100, 1000, 9985])
def test_tick_rate_exact_under_icount(ktest, hz):
    ktest("arch_timer", append="hz=%d" % hz, mem=32, icount=True).expect(
        "arch_timer/arch_jiffies_advance_at_timer_hz")


@pytest.mark.points(5)
@pytest.mark.hint(section("From scancode to character") + ": a make code "
                  "indexes keymap_plain[] or keymap_shift[]")
def test_letters_and_shift(ktest):
    ktest("keyboard").expect("keyboard/kbd_decode_letters_and_shift")


@pytest.mark.points(5)
@pytest.mark.hint(section("From scancode to character") + ": Caps Lock "
                  "toggles once per press and inverts letters only")
def test_caps_lock(ktest):
    ktest("keyboard").expect("keyboard/kbd_decode_caps_lock")


@pytest.mark.points(5)
@pytest.mark.hint(section("From scancode to character") + ": left and right "
                  "Ctrl (0xE0 0x1D); Ctrl+C is 0x03")
def test_ctrl(ktest):
    ktest("keyboard").expect("keyboard/kbd_decode_ctrl")


@pytest.mark.points(5)
@pytest.mark.hint(section("From scancode to character") + ": Shift held "
                  "with an arrow or Page Up, and keys with no character")
def test_special_and_extended_keys(ktest):
    ktest("keyboard").expect("keyboard/kbd_decode_special_keys",
                        "keyboard/kbd_decode_extended_keys")


@pytest.mark.points(10)
@pytest.mark.hint(section("From scancode to character") + ": type on the "
                  "QEMU window (make run-vga) and watch what arrives")
def test_keys_typed_arrive_as_characters(boot):
    vm = boot(qmp=True)
    q = vm.qmp()
    q.type_text("Lab2\n")
    vm.wait_for(r"^Lab2: unknown command", timeout=10)
    q.send_key("caps_lock")
    q.type_text("xY1\n")        # Caps Lock on: X, then Shift+Y gives y
    vm.wait_for(r"^Xy1: unknown command", timeout=10)
    q.send_key("caps_lock")
    q.type_text("help\n")
    vm.wait_for(r"Commands:", timeout=10)


def irq_counts(vm):
    out = vm.command("irqstat")
    counts = {}
    for m in re.finditer(r"^\s*(\d+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\w+)",
                         out, re.M):
        counts[m.group(2)] = (int(m.group(3)), int(m.group(4)), m.group(6))
    return counts, out


def ticks(vm):
    out = vm.command("uptime")
    m = re.search(r"\((\d+) ticks at (\d+) Hz\)", out)
    assert m, "uptime says no ticks:\n" + out
    return int(m.group(1)), int(m.group(2))


@pytest.mark.points(10)
@pytest.mark.hint(section("Counting interrupts") + ": one IRQ1 per scancode, "
                  "one IRQ0 per tick, and every line in use open")
def test_interrupts_counted(boot):
    vm = boot(qmp=True)
    t0, hz = ticks(vm)
    before, out0 = irq_counts(vm)
    t1, _ = ticks(vm)
    assert hz == 1000, "the tick runs at %d Hz, not the 1000 asked:\n%s" % (
        hz, out0)
    timer = before.get("timer")
    assert timer and t0 <= timer[0] <= t1, \
        "IRQ0's count %s is not between the ticks before (%d) and after " \
        "(%d):\n%s" % (timer and timer[0], t0, t1, out0)
    for name in ("timer", "keyboard", "serial"):
        assert name in before and before[name][2] == "open", \
            "%s's line is not open in irqstat:\n%s" % (name, out0)
    # V (Shift down, v down, v up, Shift up), e r s i o n, Enter: 18 codes.
    vm.qmp().type_text("Version\n")
    vm.wait_for(r"^Version: unknown command", timeout=10)
    after, out1 = irq_counts(vm)
    got = after["keyboard"][0] - before["keyboard"][0]
    assert got == 18, "18 scancodes typed, IRQ1 counted %d:\n%s\n%s" % (
        got, out0, out1)
    assert after["keyboard"][1] == 0, "spurious IRQ1s:\n" + out1


@pytest.mark.points(10)
@pytest.mark.hint("answer every question of labs/lab2/answers.md")
def test_answers_written():
    missing = answers_missing("labs/lab2/answers.md")
    assert not missing, "unanswered: " + "; ".join(missing)
