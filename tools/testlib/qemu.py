"""QEMU for tests: the serial line on stdin/stdout, optional QMP and gdbstub.

    with Qemu(kernel=KERNEL, append="hz=100", mem=64) as vm:
        vm.wait_for(r"^Labyrinth ")
        out = vm.command("meminfo")

Always -no-reboot (a triple fault ends QEMU with status 0 instead of a reset
loop) and the isa-debug-exit device at 0xf4 (a write of V exits with status
(V << 1) | 1). The machine dies with the test at the latest.
"""
import os
import re
import socket
import tempfile
import time

from . import context
from .console import ConsoleProcess
from .context import TestFailure
from .qmp import Qmp

_STATUS = {
    0: ": QEMU stopped by a reset or triple fault (-no-reboot)",
    1: ": isa-debug-exit code 0, tests passed",
    3: ": isa-debug-exit code 1, tests failed",
    -9: ": killed",
}


def free_port():
    """A TCP port on 127.0.0.1 free right now (each gdbstub gets its own)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Qemu(ConsoleProcess):
    def __init__(self, kernel=None, cdrom=None, append=None, mem=128,
                 qmp=False, gdb=False, stopped=False, display="none",
                 extra=(), label=None):
        self.kernel, self.cdrom, self.append, self.mem = kernel, cdrom, append, mem
        self.want_qmp, self.want_gdb, self.stopped = qmp, gdb, stopped
        self.display, self.extra = display, list(extra)
        self.gdb_port = None
        self.qmp_path = None
        self._tmp = None
        self._qmp = None
        name = os.path.basename(kernel or cdrom or "qemu")
        super().__init__([], label or "QEMU (%s, -m %s)" % (name, mem))

    def _argv(self):
        argv = [context.QEMU, "-m", str(self.mem), "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-display", self.display, "-serial", "stdio",
                "-monitor", "none"]
        if self.kernel:
            argv += ["-kernel", self.kernel]
            if self.append is not None:
                argv += ["-append", self.append]
        if self.cdrom:
            argv += ["-cdrom", self.cdrom, "-boot", "d"]
        if self.want_qmp:
            argv += ["-qmp", "unix:%s,server=on,wait=off" % self.qmp_path]
        if self.want_gdb:
            argv += ["-gdb", "tcp:127.0.0.1:%d" % self.gdb_port]
        if self.stopped:
            argv += ["-S"]
        return argv + self.extra

    def start(self):
        if self.want_qmp:
            self._tmp = tempfile.mkdtemp(prefix="labyrinth-qmp-")
            self.qmp_path = os.path.join(self._tmp, "qmp.sock")
        # A free port can be taken between our probe and QEMU's bind: retry.
        for attempt in range(3):
            if self.want_gdb:
                self.gdb_port = free_port()
            self.argv = self._argv()
            super().start()
            if not self.want_gdb or not self._gdb_bind_failed():
                return self
        raise TestFailure("QEMU could not open a gdbstub port:\n" + self.stderr())

    def _gdb_bind_failed(self):
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            if not self.alive():
                return "gdbstub" in self.stderr() or "port" in self.stderr()
            if self._listening(self.gdb_port):
                return False
            time.sleep(0.02)
        return False

    @staticmethod
    def _listening(port):
        # Reading /proc/net/tcp avoids connecting: the gdbstub takes the
        # first connection as its debugger.
        try:
            with open("/proc/net/tcp") as f:
                for line in f.readlines()[1:]:
                    local, state = line.split()[1], line.split()[3]
                    if state == "0A" and int(local.split(":")[1], 16) == port:
                        return True
        except OSError:
            return True
        return False

    def explain_status(self, status):
        return _STATUS.get(status, "")

    def qmp(self):
        """The QMP connection (capabilities negotiated), opened on first use."""
        if self._qmp is None:
            if not self.want_qmp:
                raise TestFailure("Qemu(qmp=True) is needed for QMP")
            self._qmp = Qmp(self.qmp_path, alive=self.alive)
        return self._qmp

    def vga_rows(self, rows=25, cols=80):
        """The VGA text screen (physical 0xB8000, a character and an
        attribute a cell), one string a row, trailing blanks cut. Read
        through QMP's pmemsave, so Qemu(qmp=True) is needed."""
        path = os.path.join(self._tmp or "", "vga.bin")
        self.qmp().execute("pmemsave", val=0xB8000, size=rows * cols * 2,
                           filename=path)
        with open(path, "rb") as f:
            chars = f.read()[0::2].decode("latin-1")
        return [chars[r * cols:(r + 1) * cols].rstrip() for r in range(rows)]

    def kill(self):
        if self._qmp is not None:
            self._qmp.close()
        super().kill()
        if self._tmp:
            for f in os.listdir(self._tmp):
                os.unlink(os.path.join(self._tmp, f))
            os.rmdir(self._tmp)
            self._tmp = None

    def wait_boot(self, timeout=None):
        """Wait for the banner and the shell prompt; returns the banner line."""
        m = self.wait_for(r"^Labyrinth .*$", timeout)
        self.wait_for(re.escape(context.PROMPT), timeout)
        return m.group(0)
