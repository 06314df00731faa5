"""The VGA console's scrollback, seen in the VGA memory itself.

QMP's pmemsave copies the text screen (physical 0xB8000, 80x25 cells of a
character and an attribute) to a file. The VGA console gets the same text
as the serial line, so the screen must show the serial text's last lines,
and after Shift-PgUp (through the PS/2 keyboard) the lines half a screen
further up, until new output brings the view back. The logic itself is
tested in tests/kernel/test_vga.c.
"""
import time

from testlib import KERNEL, PROMPT, Qemu, TestFailure

ROWS, COLS, STEP = 25, 80, 12


def serial_lines(vm):
    """The serial text as lines, trailing blanks cut (the last one is the
    line being typed)."""
    return [line.rstrip() for line in vm.text().split("\n")]


def wait_screen(vm, want, what, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        got = vm.vga_rows(ROWS, COLS)
        if got == want:
            return
        if time.monotonic() > deadline:
            raise TestFailure("%s: the screen shows\n%s\nnot\n%s" % (
                what, "\n".join("| " + r for r in got),
                "\n".join("| " + r for r in want)))
        time.sleep(0.1)


def test_shift_page_up_shows_older_lines_until_new_output():
    with Qemu(kernel=KERNEL, qmp=True) as vm:
        banner = vm.wait_boot()
        for _ in range(3):              # short lines: one row each
            vm.command("help")
        vm.wait_for(PROMPT)
        lines = serial_lines(vm)
        assert lines[-1] == PROMPT.rstrip()
        wait_screen(vm, lines[-ROWS:], "the live screen")
        q = vm.qmp()
        q.send_key("pgup", shift=True)
        wait_screen(vm, lines[-ROWS - STEP:-STEP], "after Shift-PgUp")
        q.send_key("pgup", shift=True)
        wait_screen(vm, lines[-ROWS - 2 * STEP:-2 * STEP],
                    "after 2 Shift-PgUp")
        q.send_key("pgdn", shift=True)
        wait_screen(vm, lines[-ROWS - STEP:-STEP], "after Shift-PgDn")
        # Some hundreds of lines are kept: the banner is still there.
        for _ in range(8):
            q.send_key("pgup", shift=True)
        deadline = time.monotonic() + 10
        while vm.vga_rows(ROWS, COLS)[0] != banner:
            if time.monotonic() > deadline:
                raise TestFailure("the banner is not on top after 8 more "
                                  "Shift-PgUp:\n" + "\n".join(vm.vga_rows(ROWS, COLS)))
            time.sleep(0.1)
        # New output (the echo of a key) brings the view back to the
        # bottom. The key comes on the keyboard, after the Shift-PgUps
        # still in flight: output after a scroll key always wins.
        q.type_text("v", delay=0)
        vm.wait_for("v")
        wait_screen(vm, lines[-ROWS:-1] + [PROMPT + "v"], "after typing v")
        # The scroll keys put nothing in the shell's line.
        vm.send("ersion\r")
        vm.wait_for(r"^Labyrinth \S+ \(i686\)$")
