"""The state of the test that is running: paths, logs, processes to clean up.

Every QEMU (or other console process) a test starts registers itself with the
current test, so that the runner can show its serial log when the test fails
and kill it when the test ends or overruns its time.
"""
import os
import threading

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# LABYRINTH_BUILD: test kernels built elsewhere (run-tests --no-build).
BUILD = os.environ.get("LABYRINTH_BUILD", os.path.join(ROOT, "build"))
KERNEL = os.path.join(BUILD, "kernel.elf")
TEST_KERNEL = os.path.join(BUILD, "kernel-test.elf")
ISO = os.path.join(BUILD, "labyrinth.iso")

QEMU = os.environ.get("QEMU", "qemu-system-i386")
GDB = os.environ.get("GDB", "gdb")

# Seconds to wait for a boot marker. TCG boots in well under a second; the
# margin covers a loaded machine running two QEMUs and a compiler at once.
BOOT_TIMEOUT = float(os.environ.get("LABYRINTH_BOOT_TIMEOUT", "30"))

PROMPT = "labyrinth> "


class TestFailure(AssertionError):
    """A check failed; the message says what was expected and what came."""


class SkipTest(Exception):
    """The test cannot run here (a feature not built yet, say)."""


def skip(reason):
    raise SkipTest(reason)


class TestContext:
    def __init__(self, name):
        self.name = name
        self.consoles = []      # objects with .label, .log(), .kill()
        self.notes = []         # extra text shown on failure
        self.lock = threading.Lock()

    def register(self, console):
        with self.lock:
            self.consoles.append(console)

    def note(self, text):
        self.notes.append(text)

    def kill_all(self):
        with self.lock:
            consoles = list(self.consoles)
        for c in consoles:
            try:
                c.kill()
            except Exception:
                pass


_local = threading.local()


def current():
    """The context of the test running on this thread (a dummy outside)."""
    ctx = getattr(_local, "ctx", None)
    if ctx is None:
        ctx = _local.ctx = TestContext("(no test)")
    return ctx


def set_current(ctx):
    _local.ctx = ctx


def params(*values):
    """Run a test function once per value: @params(8, 16) def test_x(m)."""
    def mark(fn):
        fn.params = values
        return fn
    return mark


def lab_proof(fn):
    """A test of the lab graders' proof (tests/integration/test_labs.py):
    minutes of grading, so make test leaves it to make test-labs (run-tests
    --lab-proofs), unless a word of make test T=... names it."""
    fn.lab_proof = True
    return fn


def timeout(seconds):
    """Give a test more (or less) time than the runner's default."""
    def mark(fn):
        fn.timeout = seconds
        return fn
    return mark
