"""The shell's history: Up and Down walk the lines run before, over the
serial line (the escape sequences a terminal sends: ESC [ A, ESC [ B) and
on the PS/2 keyboard (the arrows, which the keyboard driver turns into the
same sequences). Other escape sequences leave no trace in the line.
"""
import re

from testlib import KERNEL, PROMPT, Qemu

UP, DOWN, RIGHT, LEFT = "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D"


def shown(raw):
    """A line as a terminal shows it: a backspace moves back, and what
    comes next overwrites (the shell erases a line with \\b \\b)."""
    cells, col = [], 0
    for ch in raw:
        if ch == "\b":
            col = max(col - 1, 0)
            continue
        if col < len(cells):
            cells[col] = ch
        else:
            cells.append(ch)
        col += 1
    return "".join(cells).rstrip()


def ran(vm, command):
    """The next prompt's line, as shown, was command, and the shell ran it:
    its output."""
    if vm.text()[:vm.pos].endswith(PROMPT):
        vm.pos -= len(PROMPT)
    m = vm.wait_for(r"^" + re.escape(PROMPT) + r"([^\n]*)\n")
    line = shown(m.group(0)[:-1])
    assert line == (PROMPT + command).rstrip(), \
        "the line run was %r, not %r" % (line, PROMPT + command)
    start = vm.pos
    m = vm.wait_for(r"^" + re.escape(PROMPT))
    vm.pos = m.start()
    return vm.text()[start:m.start()]


def test_up_and_down_walk_the_history():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        # Up and Down with no history do nothing.
        vm.send(UP + DOWN + "ticks\r")
        assert re.match(r"\d+\n$", ran(vm, "ticks"))
        first = vm.command("cmdline")
        vm.send(UP + "\r")
        assert ran(vm, "cmdline") == first
        for line in ("version", "help halt"):
            vm.command(line)
        # History: ticks, cmdline, version, help halt. Four back is the
        # oldest; a fifth Up stays there.
        vm.send(UP * 5 + "\r")
        assert re.match(r"\d+\n$", ran(vm, "ticks"))
        # History: ..., version, help halt, ticks. Three back is version,
        # one forward from there help halt.
        vm.send(UP * 3 + DOWN + "\r")
        assert ran(vm, "help halt").startswith("halt - ")
        # The line being typed is kept while the history is shown, and
        # Down past the newest line comes back to it.
        vm.send("hel" + UP * 3 + DOWN * 5 + "p\r")
        assert "Commands:" in ran(vm, "help")


def test_history_survives_ctrl_c_and_other_keys_leave_no_trace():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        vm.command("cmdline")
        vm.send("garbage\x03")
        vm.wait_for(r"\^C\n" + re.escape(PROMPT))
        # The dropped line was not kept: Up is cmdline.
        vm.send(UP + "\r")
        assert "kernel.elf" in ran(vm, "cmdline")
        # ^C while a history line is shown drops it, and the history stays.
        vm.send(UP + "\x03")
        vm.wait_for(r"\^C\n" + re.escape(PROMPT))
        vm.send(UP + "\r")
        ran(vm, "cmdline")
        # Right, Left, Page Up, and an SS3 F1 (ESC O P) inside a word.
        vm.send("ver" + RIGHT + LEFT + "\x1b[5~" + "\x1bOP" + "sion\r")
        assert ran(vm, "version").startswith("Labyrinth ")


def test_keyboard_arrows_walk_the_history():
    with Qemu(kernel=KERNEL, qmp=True) as vm:
        vm.wait_boot()
        vm.command("version")
        vm.command("help halt")
        q = vm.qmp()
        for key in ("up", "up", "down", "ret"):
            q.send_key(key)
        assert ran(vm, "help halt").startswith("halt - ")
        # Shift-PgUp moves the VGA view, PgUp sends ESC [ 5 ~: nothing
        # reaches the shell's line.
        q.send_key("pgup", shift=True)
        q.send_key("pgdn", shift=True)
        q.send_key("pgup")
        q.type_text("ticks\n", delay=0.01)
        assert re.match(r"\d+\n$", ran(vm, "ticks"))
