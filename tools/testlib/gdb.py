"""gdb against a QEMU gdbstub, two ways.

gdb_batch(): gdb -batch with -ex commands, always under `timeout`:
`continue` blocks forever if the breakpoint is never reached, so gdb runs
inside timeout(1); a run that times out fails the test with gdb's output.

GdbSession: gdb reading commands from a pipe, so that a test can take turns
with the kernel's serial line (every wait in it has a timeout too).
"""
import os
import re
import subprocess

from . import context
from .console import ConsoleProcess
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


class GdbSession(ConsoleProcess):
    """gdb reading its commands from a pipe, for a test that takes turns
    with the serial line: set a breakpoint, continue, type a command at
    the shell, wait for the stop, run views at it.

        with GdbSession(vm.gdb_port) as g:      # attaching stops the kernel
            g.run("break shell_execute")
            g.resume()                          # returns once gdb let go
            vm.send_line("meminfo")
            g.wait_stop(r"Breakpoint \\d+, .*shell_execute")
            out = g.run("meminfo")              # its output, prompts removed

    gdb's errors come on the same stream as its output (2>&1), in order.
    When the session ends, gdb detaches, so the kernel runs on.
    """

    _count = 0

    def __init__(self, port, elf=context.KERNEL, gdbinit=True,
                 cwd=context.ROOT):
        argv = ["sh", "-c", 'exec "$0" "$@" 2>&1', context.GDB, "-q"]
        argv += gdbinit_args() if gdbinit else ["-nx"]
        argv += ["-ex", "set pagination off", "-ex", "set width 0",
                 "-ex", "set confirm off",
                 "-ex", "target remote 127.0.0.1:%d" % port, elf]
        super().__init__(argv, "gdb (port %d)" % port, cwd=cwd)
        self.running = False    # the kernel runs: gdb reads no command

    def start(self):
        super().start()
        self.wait_for(r"^\(gdb\) ")
        return self

    def run(self, *commands, timeout=60):
        """Run commands at a stop; their output (prompts removed), up to a
        marker echoed after them."""
        if self.running:
            raise TestFailure("gdb: %r sent while the kernel runs"
                              % (commands,))
        GdbSession._count += 1
        marker = "@@labyrinth-%d@@" % GdbSession._count
        start = self.pos
        for c in commands:
            self.send(c + "\n")
        self.send("echo %s\\n\n" % marker)
        m = self.wait_for(re.escape(marker) + r"\n", timeout)
        return self.text()[start:m.start()].replace("(gdb) ", "")

    def resume(self):
        """Let the kernel run (continue in the background, so that gdb still
        reads commands: interrupt() can stop it again)."""
        self.send("continue &\n")
        self.wait_for(r"Continuing\.")
        self.running = True

    def wait_stop(self, pattern, timeout=None):
        """Wait for the stop a resume() led to (a regex of gdb's report),
        and for the rest of the report, so that it is not taken for the
        output of the next command."""
        m = self.wait_for(pattern, timeout)
        self.running = False
        self.run()
        return m

    def interrupt(self):
        """Stop the running kernel, as Ctrl-C at gdb's prompt does."""
        self.send("interrupt\n")
        self.wait_stop(r"received signal SIGINT")

    def kill(self):
        """Detach (the kernel runs on) and quit."""
        if self.alive():
            try:
                if self.running:
                    self.interrupt()
                self.send("detach\nquit\n")
            except TestFailure:
                pass
            self.wait_exit(5)
        super().kill()


# The slowest timer the kernel accepts. The sampler takes a fresh page every
# 510 ticks: at 19 Hz, every 27 s, so while a test compares a view printed
# by the shell with gdb's, no page changes rooms behind its back.
QUIET = "hz=19"


def gdb_at_shell(vm):
    """Wait for the shell, attach a GdbSession with a breakpoint on
    shell_execute(), and let the kernel run on. For shell_then_gdb()."""
    vm.wait_boot()
    g = GdbSession(vm.gdb_port).start()
    g.run("break shell_execute")
    g.resume()
    return g


def shell_then_gdb(vm, g, command, gdb_commands=()):
    """Type command at the shell while g breaks on shell_execute(); gdb
    `finish`es it (the command runs and prints) and, stopped right after it
    returned, runs gdb_commands; then the kernel goes on to its prompt.
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
    m = vm.wait_for(r"^" + re.escape(context.PROMPT))
    vm.pos = m.start()
    return vm.text()[start:m.start()], outs
