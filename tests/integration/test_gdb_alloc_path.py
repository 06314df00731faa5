"""gdb on the allocation path of the keyboard interrupt.

A student's first look at "allocating where you cannot sleep": QEMU starts
stopped, a batch gdb sets a breakpoint and continues, the kernel boots, a
key is pressed through QMP, and the backtrace at the breakpoint goes
through the IRQ1 handler (kbd_irq) and the interrupt entry.
"""
import re
import threading

from testlib import KERNEL, Qemu, TestFailure, gdb_batch, timeout


def break_on_key(breakpoint, extra=()):
    """Run gdb with breakpoint, press a key once the shell is up; gdb's
    result and the VM's serial text."""
    with Qemu(kernel=KERNEL, gdb=True, stopped=True, qmp=True) as vm:
        result = []
        cmds = [breakpoint, "continue", "bt"] + list(extra) + ["detach"]
        gdb = threading.Thread(target=lambda: result.append(
            gdb_batch(cmds, port=vm.gdb_port, timeout=60)))
        gdb.start()
        try:
            vm.wait_boot()
            vm.qmp().send_key("k")
        finally:
            gdb.join(75)
        if not result:
            raise TestFailure("gdb did not finish")
        vm.wait_for(r"k")       # after detach the key reaches the shell
        return result[0]


@timeout(120)
def test_breakpoint_in_kbd_buf_grow_shows_the_irq1_handler():
    # The live pipeline's: the boot self-test feeds one of its own first.
    res = break_on_key("break kbd_buf_grow if k == &kbd_live", ["info args"])
    assert re.search(r"Breakpoint 1, kbd_buf_grow", res.out), str(res)
    bt = res.out[res.out.index("Breakpoint 1,"):]
    for frame in ("kbd_buf_grow", "kbd_receive", "kbd_irq", "irq_dispatch"):
        assert re.search(r"\b%s\b" % frame, bt), \
            "no %s in the backtrace:\n%s" % (frame, res)


@timeout(120)
def test_conditional_breakpoint_on_alloc_pages_in_irq1():
    # irq_depth and irq_lines[] (kernel/context.c) say which IRQ is served.
    res = break_on_key("break alloc_pages if irq_depth > 0 && "
                       "irq_lines[irq_depth - 1] == 1",
                       ["print/x gfp", "print order"])
    # alloc_pages() is inlined into its callers (include/mm/gfp.h), so the
    # breakpoint has one location per call site: gdb says "Breakpoint 1.N".
    m = re.search(r"Breakpoint 1(\.\d+)?, alloc_pages", res.out)
    assert m, str(res)
    bt = res.out[m.start():]
    assert re.search(r"\bkbd_irq\b", bt), "no kbd_irq in:\n%s" % res
    assert re.search(r"\bkbd_buf_grow\b", bt), str(res)
    # GFP_ATOMIC | GFP_EXCLUSIVE | __GFP_NOWARN
    assert re.search(r"^\$1 = 0x2a$", res.out, re.M), str(res)
