"""A process that talks on stdin/stdout like a serial line: QEMU, make run.

Output is collected by a thread into a buffer. wait_for() searches it from a
cursor that moves past each match, so a test reads the conversation in order:

    con.wait_for(r"labyrinth> ")
    con.send_line("help")
    con.wait_for(r"Commands:")

Every wait has a timeout, and a process that exits while a test waits fails
the wait at once with its exit status, instead of letting the test hang.
ANSI escape sequences (GRUB paints the serial line with them) and carriage
returns are removed before matching.
"""
import os
import re
import signal
import subprocess
import threading
import time

from . import context
from .context import TestFailure

_ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]?|[()][0-9A-Za-z]?|[=>78cDEHM])")


def clean(raw):
    """Bytes from a serial line -> text to match: no ANSI escapes, no \\r."""
    text = raw.decode("utf-8", errors="replace")
    return _ANSI.sub("", text).replace("\r", "")


class ConsoleProcess:
    """A child process whose stdin/stdout are its console."""

    def __init__(self, argv, label, cwd=context.ROOT, env=None):
        self.argv = list(argv)
        self.label = label
        self.cwd = cwd
        self.env = env
        self.proc = None
        self._raw = bytearray()
        self._err = bytearray()
        self._cond = threading.Condition()
        self._eof = False
        self.pos = 0            # cursor into text(): where wait_for starts
        self.started_at = None

    # ------------------------------------------------------------ life
    def start(self):
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            self.argv, cwd=self.cwd, env=self.env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True)
        context.current().register(self)
        threading.Thread(target=self._pump, args=(self.proc.stdout, self._raw,
                         True), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self._err,
                         False), daemon=True).start()
        return self

    def _pump(self, pipe, buf, is_stdout):
        while True:
            try:
                chunk = os.read(pipe.fileno(), 65536)
            except OSError:
                chunk = b""
            with self._cond:
                if not chunk:
                    if is_stdout:
                        self._eof = True
                    self._cond.notify_all()
                    return
                buf.extend(chunk)
                self._cond.notify_all()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """Kill the process and everything it started (make -> qemu)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def wait_exit(self, timeout):
        """Wait for the process to end; returns its status, None on timeout."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def __enter__(self):
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.kill()

    # ------------------------------------------------------------ output
    def text(self):
        with self._cond:
            return clean(bytes(self._raw))

    def stderr(self):
        with self._cond:
            return bytes(self._err).decode("utf-8", errors="replace")

    def log(self):
        """What the runner shows when the test fails."""
        out = self.text()
        err = self.stderr().strip()
        status = self.proc.poll() if self.proc else None
        head = "%s: %s" % (self.label, " ".join(self.argv))
        if status is not None:
            head += "\n(exited with status %d%s)" % (status, self.explain_status(status))
        elif self.proc is not None:
            head += "\n(still running when the test ended)"
        if err:
            out += "\n--- stderr ---\n" + err
        return head, out

    def explain_status(self, status):
        return ""

    def _why_stopped(self):
        status = self.proc.poll()
        return "%s exited with status %d%s" % (self.label, status,
                                               self.explain_status(status))

    def wait_for(self, pattern, timeout=None, flags=re.M):
        """Wait until pattern (a regex) appears after the cursor.

        Returns the match and moves the cursor past it. Fails with the reason
        on timeout or when the process exits first. A pattern ending in $
        matches complete lines only (output arrives in pieces).
        """
        timeout = context.BOOT_TIMEOUT if timeout is None else timeout
        rx = re.compile(pattern, flags)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                text = clean(bytes(self._raw))
                m = rx.search(text, self.pos)
                # A pattern ending in $ must see its line complete, not
                # the part of it that has arrived so far.
                if m and not (pattern.endswith("$") and m.end() == len(text)):
                    self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if self._eof and self.proc.poll() is not None:
                    raise TestFailure("waiting for /%s/: %s" % (
                        pattern, self._why_stopped()))
                if left <= 0:
                    raise TestFailure("timed out after %gs waiting for /%s/"
                                      % (timeout, pattern))
                self._cond.wait(min(left, 0.2))

    def expect_no(self, pattern, seconds, flags=re.M):
        """Check that pattern does not appear (after the cursor) for seconds."""
        rx = re.compile(pattern, flags)
        deadline = time.monotonic() + seconds
        with self._cond:
            while True:
                m = rx.search(clean(bytes(self._raw)), self.pos)
                if m:
                    raise TestFailure("unexpected %r" % m.group(0))
                left = deadline - time.monotonic()
                if left <= 0 or (self._eof and self.proc.poll() is not None):
                    return
                self._cond.wait(min(left, 0.2))

    # ------------------------------------------------------------ input
    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise TestFailure("cannot type %r: %s" % (data, self._why_stopped()))

    def send_line(self, line):
        """Type a line as a terminal does: the characters, then Enter (CR)."""
        self.send(line + "\r")

    def command(self, line, timeout=None):
        """At the shell prompt: type line, return its output up to the prompt.

        Waits for the prompt first (keys typed before the shell reads them
        may be lost), so it can follow any wait_for.
        """
        if not self.text()[:self.pos].endswith(context.PROMPT):
            self.wait_for(re.escape(context.PROMPT), timeout)
        self.send_line(line)
        self.wait_for(re.escape(line) + r"\n", timeout)
        start = self.pos
        m = self.wait_for(r"^" + re.escape(context.PROMPT), timeout)
        out = self.text()[start:m.start()]
        self.pos = m.start()    # the prompt is still "ahead" for the next one
        return out
