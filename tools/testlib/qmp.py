"""A small QMP client: QEMU's JSON control protocol on a unix socket.

QEMU creates the socket file before it listens, so connect() is retried.
After the greeting, qmp_capabilities leaves negotiation mode; then execute()
sends one command and returns its "return" value (events are kept aside).
"""
import json
import socket
import time

from .context import TestFailure

# Characters the shell tests type, as QEMU key codes ("qcode").
_QCODES = {" ": "spc", "\n": "ret", "\r": "ret", "-": "minus", "=": "equal",
           ".": "dot", "/": "slash", ",": "comma", "\b": "backspace"}


class Qmp:
    def __init__(self, path, alive=lambda: True, timeout=10):
        self.sock = None
        self.events = []
        self._buf = b""
        deadline = time.monotonic() + timeout
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
                if not alive():
                    raise TestFailure("QEMU exited before its QMP socket opened")
                if time.monotonic() > deadline:
                    raise TestFailure("no QMP socket at %s after %ss" % (path, timeout))
                time.sleep(0.05)
        s.settimeout(timeout)
        self.sock = s
        self.timeout = timeout
        greeting = self._read()
        if "QMP" not in greeting:
            raise TestFailure("unexpected QMP greeting %r" % greeting)
        self.execute("qmp_capabilities")

    def _read(self):
        while b"\n" not in self._buf:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise TestFailure("QMP: no answer")
            if not chunk:
                raise TestFailure("QMP: QEMU closed the connection")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def execute(self, command, **arguments):
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self._read()
            if "event" in reply:
                self.events.append(reply)
            elif "error" in reply:
                raise TestFailure("QMP %s: %s" % (command, reply["error"]))
            elif "return" in reply:
                return reply["return"]

    def wait_event(self, name, timeout=10):
        """The next event called name (SHUTDOWN, STOP, ...), as a dict;
        one that came during an earlier command counts too."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                for i, ev in enumerate(self.events):
                    if ev["event"] == name:
                        return self.events.pop(i)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TestFailure("QMP: no %s event in %ss" % (name, timeout))
                self.sock.settimeout(left)
                try:
                    msg = self._read()
                except TestFailure:
                    if time.monotonic() >= deadline:
                        continue
                    raise
                if "event" in msg:
                    self.events.append(msg)
        finally:
            if self.sock is not None:
                self.sock.settimeout(self.timeout)

    def hmp(self, command_line):
        """A human monitor command ('info registers', 'xp ...'); its text."""
        return self.execute("human-monitor-command", **{"command-line": command_line})

    def status(self):
        """'running', 'paused', 'shutdown', 'internal-error', ..."""
        return self.execute("query-status")["status"]

    def send_key(self, qcode, shift=False):
        keys = [{"type": "qcode", "data": "shift"}] if shift else []
        keys.append({"type": "qcode", "data": qcode})
        self.execute("send-key", keys=keys)

    def type_text(self, text, delay=0.03):
        """Type text on the PS/2 keyboard, one key press at a time."""
        for ch in text:
            if ch in _QCODES:
                self.send_key(_QCODES[ch])
            elif ch.isalpha() and ch.isupper():
                self.send_key(ch.lower(), shift=True)
            elif ch.isalnum():
                self.send_key(ch)
            else:
                raise ValueError("no key for %r" % ch)
            time.sleep(delay)

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None
