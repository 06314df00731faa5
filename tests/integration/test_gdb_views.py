"""The gdb views print what the shell prints.

Each view exists twice: the shell command (mm/view.c, kernel/thread.c,
kernel/irq.c print it from inside the kernel) and the gdb command of the
same name (tools/gdb/labgdb reads the same memory from outside). Here both
look at one state: gdb holds a breakpoint on shell_execute(), the test types
the command at the shell, gdb `finish`es it (the command runs and prints)
and, stopped right after it returned, runs its own view. The two texts
must be equal line for line, except for fields that legitimately move while
the shell prints, each named in TICKING below.

The kernel runs at hz=19, the slowest timer it accepts: the sampler takes
a fresh page every 510 ticks, and at 19 Hz that is every 27 s, so no page
changes rooms while a view is printed and read back (the whole test takes
a few seconds).
"""
import re

from testlib import KERNEL, PROMPT, GdbSession, Qemu, TestFailure

QUIET = "hz=19"

# Fields that change between the shell's read and gdb's, and why.
TICKING = {
    # Every tick adds one to the running thread's ticks; a switch to the
    # idle thread and back adds to both threads' switches.
    "ps": [(re.compile(r"^(.*?) +\d+ +\d+(  [0-9a-f]{8}-[0-9a-f]{8})$"),
            r"\1 <TICKS> <SWITCHES>\2")],
    # The timer interrupt goes on counting while the shell prints.
    "irqstat": [(re.compile(r"^(  0  timer +)\d+( .*)$"), r"\1<COUNT>\2")],
}


def masked(view, text):
    lines = text.rstrip("\n").split("\n")
    for rx, repl in TICKING.get(view, []):
        lines = [rx.sub(repl, line) for line in lines]
    return lines


def compare(view, shell, gdb):
    """Fail with both texts and the first differing line unless equal."""
    a, b = masked(view, shell), masked(view, gdb)
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            raise TestFailure("%s: line %d differs\n  shell: %r\n  gdb:   %r\n"
                              "--- shell ---\n%s--- gdb ---\n%s" % (
                                  view, i + 1, x, y, shell, gdb))
    if len(a) != len(b):
        raise TestFailure("%s: the shell printed %d lines, gdb %d\n"
                          "--- shell ---\n%s--- gdb ---\n%s" % (
                              view, len(a), len(b), shell, gdb))


def shell_then_gdb(vm, g, command, gdb_commands):
    """Type command at the shell while gdb breaks on shell_execute(); stop
    right after it returned, run gdb_commands there, let the kernel go on.
    Returns the shell's output and gdb's outputs (one per gdb command)."""
    vm.send_line(command)
    g.wait_stop(r"Breakpoint \d+, shell_execute")
    done = g.run("finish")
    if "Run till exit" not in done:
        raise TestFailure("gdb could not finish shell_execute:\n" + done)
    outs = [g.run(c) for c in gdb_commands]
    g.resume()
    vm.wait_for(re.escape(command) + r"\n")
    start = vm.pos
    m = vm.wait_for(r"^" + re.escape(PROMPT))
    vm.pos = m.start()
    return vm.text()[start:m.start()], outs


def quiet_session(vm):
    """gdb attached, a breakpoint on shell_execute(), the kernel running."""
    vm.wait_boot()
    g = GdbSession(vm.gdb_port).start()
    g.run("break shell_execute")
    g.resume()
    return g


VIEWS = ("meminfo", "buddyinfo", "zoneinfo", "labyrinth", "ps", "irqstat")


def test_gdb_views_print_what_the_shell_prints():
    with Qemu(kernel=KERNEL, gdb=True, append=QUIET) as vm:
        with quiet_session(vm) as g:
            for view in VIEWS:
                shell, (gdb,) = shell_then_gdb(vm, g, view, [view])
                assert shell.strip(), "the shell printed nothing for " + view
                compare(view, shell, gdb)


def test_gdb_views_follow_an_allocation():
    """After alloc at the shell, the views still agree (a block has left
    the free lists, a page the hot room)."""
    with Qemu(kernel=KERNEL, gdb=True, append=QUIET) as vm:
        with quiet_session(vm) as g:
            before, _ = shell_then_gdb(vm, g, "buddyinfo", [])
            shell_then_gdb(vm, g, "alloc 3", [])
            shell_then_gdb(vm, g, "alloc 0 atomic", [])
            for view in ("buddyinfo", "meminfo", "labyrinth"):
                shell, (gdb,) = shell_then_gdb(vm, g, view, [view])
                compare(view, shell, gdb)
            assert shell_then_gdb(vm, g, "buddyinfo", [])[0] != before, \
                "alloc 3 changed nothing in buddyinfo:\n" + before
