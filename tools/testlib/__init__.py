"""testlib - the harness behind tools/run-tests and tests/integration/.

An integration test is a function test_* in tests/integration/test_*.py. It
boots QEMU through Qemu(...), talks on the serial line (wait_for, send_line,
command), and fails by raising (assert, TestFailure). Everything it starts
is registered with the running test: the runner kills it when the test ends
and shows its serial log when the test fails. See docs/TESTING.md.
"""
from .context import (BOOT_TIMEOUT, BUILD, ISO, KERNEL, PROMPT, ROOT,
                      TEST_KERNEL, SkipTest, TestFailure, lab_proof, params,
                      skip, timeout)
from .console import ConsoleProcess, clean
from .gdb import (QUIET, GdbSession, gdb_at_shell, gdb_batch, gdbinit_args,
                  shell_then_gdb)
from .qemu import Qemu, free_port
from .qmp import Qmp

__all__ = [
    "BOOT_TIMEOUT", "BUILD", "ISO", "KERNEL", "PROMPT", "ROOT", "TEST_KERNEL",
    "SkipTest", "TestFailure", "lab_proof", "params", "skip", "timeout", "ConsoleProcess",
    "clean", "QUIET", "GdbSession", "gdb_at_shell", "gdb_batch",
    "gdbinit_args", "shell_then_gdb", "Qemu", "free_port", "Qmp",
]
