"""Batch gdb against a QEMU gdbstub, always under `timeout`.

`continue` blocks forever if the breakpoint is never reached, so gdb runs
inside timeout(1); a run that times out fails the test with gdb's output.
"""
import os
import subprocess

from . import context
from .context import TestFailure


class GdbResult:
    def __init__(self, argv, status, out, err):
        self.argv, self.status, self.out, self.err = argv, status, out, err

    def __str__(self):
        return "$ %s\n(status %d)\n%s\n--- stderr ---\n%s" % (
            " ".join(self.argv), self.status, self.out, self.err)


def gdbinit_args(path=None):
    """The options the Makefile's gdb target uses to load the project file."""
    path = path or os.path.join(context.ROOT, ".gdbinit")
    return ["-iex", "add-auto-load-safe-path " + path, "-x", path]


def gdb_batch(commands, elf=context.KERNEL, port=None, timeout=60,
              gdbinit=False, cwd=context.ROOT):
    """Run gdb -batch with the given commands; returns a GdbResult.

    With port, the first command is `target remote 127.0.0.1:port`. With
    gdbinit, the project .gdbinit is loaded as `make gdb` loads it; without,
    gdb runs with -nx (no init file at all).
    """
    argv = ["timeout", "-k", "5", str(timeout), context.GDB, "-q", "-batch"]
    argv += gdbinit_args() if gdbinit else ["-nx"]
    if port is not None:
        argv += ["-ex", "target remote 127.0.0.1:%d" % port]
    for c in commands:
        argv += ["-ex", c]
    if elf:
        argv.append(elf)
    p = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, errors="replace")
    res = GdbResult(argv, p.returncode, p.stdout, p.stderr)
    context.current().note("gdb run:\n" + str(res))
    if p.returncode == 124 or p.returncode == 137:
        raise TestFailure("gdb timed out after %ss" % timeout)
    return res
