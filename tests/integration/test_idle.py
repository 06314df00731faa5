"""While the shell waits for input it sleeps, so the idle thread runs; the
shell has a thread of its own (with a guarded stack) and the boot thread
has ended.

ps prints one line per thread:
 TID  NAME  STATE  WAITING-ON  TICKS  SWITCHES  STACK
"""
import re
import time

from testlib import KERNEL, Qemu

PS_LINE = (r"^\s*(?P<tid>\d+)\s+%s\s+(?P<state>\S+)\s+(?P<wait>\S+)\s+"
           r"(?P<ticks>\d+)\s+(?P<switches>\d+)\s+"
           r"(?P<lo>[0-9a-f]{8})-(?P<hi>[0-9a-f]{8})$")


def ps_row(out, name):
    m = re.search(PS_LINE % re.escape(name), out, re.M)
    assert m, "no ps line for %s:\n%s" % (name, out)
    return m


def test_idle_runs_while_shell_waits_for_input():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        time.sleep(1.5)         # the shell waits for a key all along
        out = vm.command("ps")
        idle = ps_row(out, "idle")
        assert int(idle.group("ticks")) > 0, \
            "the idle thread never ran while the shell waited:\n" + out


def test_shell_has_its_own_thread_and_boot_has_ended():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        out = vm.command("ps")
        shell = ps_row(out, "shell")
        boot = ps_row(out, "boot")
        assert int(shell.group("tid")) > 0, out
        assert shell.group("state") == "running", out   # it runs ps
        assert boot.group("state") == "dead", out
        # The shell's stack is a thread stack (vmap area), not the boot one.
        assert int(shell.group("lo"), 16) != int(boot.group("lo"), 16), out
        # Between commands the shell sleeps on console input.
        time.sleep(0.5)
        out = vm.command("ps")
        assert ps_row(out, "shell").group("switches") != \
            shell.group("switches"), out
