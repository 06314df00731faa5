"""gdb on QEMU's gdbstub: breakpoints with source lines, the project
.gdbinit, `make debug` + `make gdb` as a student uses them, the gdb views
at a breakpoint (test_gdb_views.py compares them with the shell's)."""
import re
import subprocess

from testlib import KERNEL, ROOT, ConsoleProcess, Qemu, gdb_batch, timeout

BREAK_KMAIN = r"Breakpoint 1, (0x[0-9a-f]+ in )?kmain \(.*\) at kernel/main\.c:(\d+)"
GDBINIT_TROUBLE = (r"auto-load|safe-path|declined|Traceback|gdbinit:\d+: Error|"
                   r"labyrinth\.py|helpers not loaded")


def test_gdb_stops_at_kmain_with_source_lines():
    with Qemu(kernel=KERNEL, gdb=True, stopped=True) as vm:
        res = gdb_batch(["break kmain", "continue", "info line *$pc", "bt",
                         "detach"], port=vm.gdb_port)
        assert re.search(BREAK_KMAIN, res.out), "no stop at kmain:\n%s" % res
        assert re.search(r'Line \d+ of "kernel/main\.c"', res.out), str(res)
        # The backtrace reaches the assembly that called kmain, with its
        # source line, and gdb reads every line table without complaint.
        assert re.search(r"in higher_half \(\) at boot/higher_half\.asm:\d+",
                         res.out), str(res)
        assert "not in symtab" not in res.out + res.err, str(res)
        # Once gdb lets go, the kernel boots on.
        vm.wait_boot()


def test_gdbinit_loads_without_refusal():
    res = gdb_batch(["show disassembly-flavor", "lab-help"], gdbinit=True)
    assert 'flavor is "intel"' in res.out, str(res)
    assert "buddyinfo" in res.out, "tools/gdb/labyrinth.py not loaded:\n%s" % res
    assert not re.search(GDBINIT_TROUBLE, res.err), "gdb complained:\n%s" % res


def test_gdb_views_at_the_shell():
    """At the first shell_execute() the views read a booted allocator.
    (test_gdb_views.py compares every view with the shell's own text.)"""
    with Qemu(kernel=KERNEL, gdb=True, stopped=True) as vm:
        res = gdb_batch(["break shell_run", "continue", "buddyinfo", "zoneinfo",
                         "detach"], port=vm.gdb_port, gdbinit=True)
        assert re.search(r"Breakpoint 1, .*shell_run", res.out), str(res)
        rows = re.findall(r"^zone +(\S+):((?: +\d+)+)$", res.out, re.M)
        assert [z for z, _ in rows] == ["DMA", "Normal"], \
            "no buddyinfo rows:\n%s" % res
        free = sum(int(n) for _, counts in rows for n in counts.split())
        assert free > 0, "buddyinfo shows no free blocks after boot:\n%s" % res
        assert re.search(r"^  pages free +[1-9]\d*$", res.out, re.M), str(res)
        assert "cannot read" not in res.out, str(res)


@timeout(90)
def test_make_debug_then_make_gdb():
    # Terminal 1: make debug (QEMU stopped, port in build/gdb-port).
    with ConsoleProcess(["make", "-s", "debug"], "make debug") as debug:
        debug.wait_for(r"QEMU waits for gdb on port (\d+)")
        # Terminal 2: make gdb, commands on its standard input.
        cmds = "break kmain\ncontinue\ninfo line *$pc\ndetach\nquit\n"
        try:
            p = subprocess.run(["timeout", "-k", "5", "60", "make", "-s", "gdb"],
                               cwd=ROOT, input=cmds, capture_output=True,
                               text=True, errors="replace", timeout=75)
        except subprocess.TimeoutExpired:
            raise AssertionError("make gdb did not finish")
        both = "make gdb (status %d):\n%s\n--- stderr ---\n%s" % (
            p.returncode, p.stdout, p.stderr)
        assert re.search(BREAK_KMAIN, p.stdout), both
        assert re.search(r'Line \d+ of "kernel/main\.c"', p.stdout), both
        assert not re.search(GDBINIT_TROUBLE, p.stderr), both
        debug.wait_for(r"^Labyrinth ")
        debug.wait_for(r"labyrinth> ")
