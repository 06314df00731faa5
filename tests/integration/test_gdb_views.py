"""The gdb views print what the shell prints.

Each view exists twice: the shell command (mm/view.c, kernel/thread.c,
kernel/irq.c print it from inside the kernel) and the gdb command of the
same name (tools/gdb/labgdb reads the same memory from outside). Here both
look at one state: gdb holds a breakpoint on shell_execute(), the test types
the command at the shell, gdb `finish`es it (the command runs and prints)
and, stopped right after it returned, runs its own view. The two texts
must be equal line for line, except for fields that legitimately move while
the shell prints, each named in TICKING below.

The kernel runs at hz=19 (testlib's QUIET), the slowest timer it accepts:
the sampler takes a fresh page every 510 ticks, every 27 s at 19 Hz, so no
page changes rooms while a view is printed and read back (the whole test
takes a few seconds).
"""
import re

from testlib import (KERNEL, PROMPT, QUIET, Qemu, TestFailure, gdb_at_shell,
                     shell_then_gdb)

# Fields that change between the shell's read and gdb's, and why.
TICKING = {
    # Every tick adds one to the running thread's ticks; a switch to the
    # idle thread and back adds to both threads' switches.
    "ps": [(re.compile(r"^(.*?) +\d+ +\d+(  [0-9a-f]{8}-[0-9a-f]{8})$"),
            r"\1 <TICKS> <SWITCHES>\2")],
    # The timer interrupt goes on counting while the shell prints, and
    # timing itself (the spaces before a right-aligned count change with
    # its digits).
    "irqstat": [(re.compile(r"^(  0  timer, (plain|switching|with a page) +)"
                            r"\d+ +\d+ +\d+ +\d+$"), r"\1<COSTS>"),
                (re.compile(r"^(  0  timer) +\d+( .*)$"), r"\1 <COUNT>\2")],
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


VIEWS = ("meminfo", "buddyinfo", "zoneinfo", "labyrinth", "ps", "irqstat")



def dmesg_both(vm, g, n=[0]):
    """dmesg at the shell and in gdb at the stop after it. dmesg prints the
    ring, shell echo and prompts included, so its text has prompts in it:
    it ends where the next line was typed, a command name never seen
    before, which the shell refuses."""
    n[0] += 1
    end_mark = "end-of-dmesg-%d" % n[0]
    start = vm.pos
    vm.send_line("dmesg")
    g.wait_stop(r"Breakpoint \d+, shell_execute")
    g.run("finish")
    gdb = g.run("dmesg")
    g.resume()
    vm.send_line(end_mark)
    g.wait_stop(r"Breakpoint \d+, shell_execute")
    g.resume()
    vm.wait_for(r"^%s: unknown command" % end_mark)
    text = vm.text()
    shell = text[text.index("dmesg\n", start) + len("dmesg\n"):
                 text.index(PROMPT + end_mark + "\n", start)]
    assert shell.endswith(PROMPT + "dmesg\n"), "not the whole ring:\n" + shell
    return shell, gdb


def test_gdb_views_print_what_the_shell_prints():
    with Qemu(kernel=KERNEL, gdb=True, append=QUIET) as vm:
        with gdb_at_shell(vm) as g:
            for view in VIEWS:
                shell, (gdb,) = shell_then_gdb(vm, g, view, [view])
                assert shell.strip(), "the shell printed nothing for " + view
                compare(view, shell, gdb)
            shell, gdb = dmesg_both(vm, g)
            assert shell.startswith("Labyrinth "), shell
            compare("dmesg", shell, gdb)

            # After allocations (a block leaves the free lists, a page the
            # hot room) the views still agree.
            before, _ = shell_then_gdb(vm, g, "buddyinfo")
            shell_then_gdb(vm, g, "alloc 3")
            shell_then_gdb(vm, g, "alloc 0 atomic")
            for view in ("buddyinfo", "meminfo", "labyrinth"):
                shell, (gdb,) = shell_then_gdb(vm, g, view, [view])
                compare(view, shell, gdb)
                if view == "buddyinfo":
                    assert shell != before, \
                        "alloc 3 changed nothing:\n" + shell

            # A wrapped ring (about 1.4 KiB a labyrinth): the same marker
            # and the same lines.
            g.interrupt()
            g.run("disable")
            g.resume()
            for _ in range(12):
                vm.command("labyrinth")
            g.interrupt()
            g.run("enable")
            g.resume()
            shell, gdb = dmesg_both(vm, g)
            assert re.match(r"\[\d+ earlier bytes of log overwritten\]\n",
                            shell), shell[:200]
            compare("dmesg", shell, gdb)
