"""The make targets as a student meets them: make help and what it lists,
the xv6 names, halt ending make run, APPEND reaching the kernel through
GRUB, run-vga's display, and make test with a word that names no test."""
import fcntl
import os
import pty
import re
import struct
import subprocess
import tempfile
import termios
import threading
import time

from testlib import PROMPT, ROOT, ConsoleProcess, context

# PHONY targets that are steps of others, not typed by students.
INTERNAL_TARGETS = {"FORCE", "deps-vga", "kernel"}


def make(*args, env=None, timeout=60, note=True):
    p = subprocess.run(["make", "--no-print-directory"] + list(args), cwd=ROOT,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, errors="replace", env=env, timeout=timeout)
    if note:
        context.current().note("$ make %s\n(status %d)\n%s%s" % (
            " ".join(args), p.returncode, p.stdout, p.stderr))
    return p


def makefile_rules():
    """From make's own database: {target: (prerequisites, has a recipe)}
    for the targets with a rule, and the .PHONY targets."""
    p = make("-pq", "help", note=False)
    rules, phony, prev, target = {}, set(), "", None
    for line in p.stdout.splitlines():
        m = re.match(r"^([A-Za-z0-9_./$()-]+):(?:\s+(.*)|$)", line)
        if m and not line.startswith(("#", "\t")) and prev != "# Not a target:":
            target = m.group(1)
            rules[target] = ((m.group(2) or "").split(), False)
        elif line.startswith("\t") and target in rules:
            rules[target] = (rules[target][0], True)
        elif not line.strip():
            target = None
        if line.startswith(".PHONY:"):
            phony.update(line.split()[1:])
        prev = line
    return rules, phony


def help_targets(text):
    """The targets named by "make TARGET" lines; a bare "make" is all."""
    return [t or "all" for t in
            re.findall(r"^\s+make(?: ([a-z][a-z0-9-]*))?(?=\s|$)", text, re.M)]


def qemu_lines(text):
    """The QEMU command lines of a make -n output."""
    return [l.strip() for l in text.splitlines()
            if l.strip().startswith(context.QEMU + " ")]


def test_make_help_lists_every_target():
    p = make("help")
    assert p.returncode == 0, p.stderr
    for group in ("Build:", "Run:", "Debug:", "Test:", "Coming from xv6:"):
        assert re.search(r"^%s$" % re.escape(group), p.stdout, re.M), \
            "no group %r in make help:\n%s" % (group, p.stdout)
    listed = help_targets(p.stdout)
    rules, phony = makefile_rules()
    # (A name only declared .PHONY has an empty rule: make would do nothing.)
    missing = [t for t in listed if rules.get(t, ([], False)) == ([], False)]
    assert not missing, "make help names targets the Makefile lacks: %s" % missing
    unlisted = sorted(phony - set(listed) - INTERNAL_TARGETS)
    assert not unlisted, ("targets of the Makefile that make help does not "
                          "list (add a line to the Makefile's header): %s"
                          % unlisted)
    # The header comment is the help: nothing it names is left out.
    with open(os.path.join(ROOT, "Makefile")) as f:
        header = "".join(iter(lambda: f.readline(), "\n"))
    named = set(help_targets(re.sub(r"^#", "", header, flags=re.M)))
    assert named <= set(listed), "in the header, not in make help: %s" % (
        sorted(named - set(listed)))
    # One line each, inside 80 columns.
    assert len(listed) == len(set(listed)), "listed twice: %s" % listed
    wide = [l for l in p.stdout.splitlines() if len(l) > 79]
    assert not wide, "lines too wide for a terminal: %s" % wide


def test_xv6_names_run_the_same_qemu():
    rules, phony = makefile_rules()
    for alias, target in (("qemu", "run-vga"), ("qemu-nox", "run"),
                          ("qemu-gdb", "debug"), ("qemu-nox-gdb", "debug")):
        assert alias in rules and alias in phony, "no make %s" % alias
        assert rules[alias] == ([target], False), \
            "make %s should be make %s and nothing else: %s: %s" % (
                alias, target, alias, rules[alias])
    # And the targets they name run QEMU as their names promise.
    p = make("-n", "qemu")
    lines = qemu_lines(p.stdout)
    assert lines and " -display gtk " in lines[0], p.stdout


def test_make_run_ends_with_status_0_after_halt():
    with ConsoleProcess(["make", "-s", "run"], "make run") as run:
        run.wait_for(re.escape(PROMPT))
        run.send_line("halt")
        run.wait_for(r"System halted")
        status = run.wait_exit(10)
        assert status == 0, "make run ended with status %r after halt" % status


def test_make_run_iso_passes_append_through_grub():
    with tempfile.TemporaryDirectory(prefix="labyrinth-iso-") as d:
        iso = os.path.join(d, "t.iso")
        append = "hz=100 note=a;b"      # ; would end GRUB's command unquoted
        argv = ["make", "-s", "run-iso", "ISO=" + iso, "APPEND=" + append]
        with ConsoleProcess(argv, "make run-iso") as run:
            run.wait_for(r"^Labyrinth ", timeout=60)
            out = run.command("cmdline")
            assert out.strip() == append, "GRUB passed %r, not %r" % (
                out.strip(), append)
            assert "PIT at 100 Hz" in run.text(), run.text()
            run.send_line("halt")
            status = run.wait_exit(10)
            assert status == 0, "make run-iso ended with status %r" % status
        # The ISO depends on APPEND: a new one rebuilds it, the same one
        # does not (make -n: what make would run).
        def rebuilds(*args):
            p = make("-n", "iso", "ISO=" + iso, *args)
            assert p.returncode == 0, p.stdout + p.stderr
            return "grub-mkrescue" in p.stdout
        assert not rebuilds("APPEND=" + append), "the same APPEND rebuilds"
        assert rebuilds("APPEND=hz=250"), "a new APPEND does not rebuild"
        assert rebuilds(), "no APPEND after one does not rebuild"


def test_run_vga_asks_qemu_for_a_window():
    # Left to itself, QEMU without its GUI package serves VNC silently.
    p = make("-n", "run-vga")
    lines = qemu_lines(p.stdout)
    assert lines and " -display gtk " in lines[0] + " ", p.stdout
    assert "vnc" not in lines[0], lines
    help_ = subprocess.run([context.QEMU, "-display", "help"],
                           capture_output=True, text=True).stdout.split()
    assert "gtk" in help_ and "sdl" in help_, \
        "QEMU has no window display (tools/install-deps installs " \
        "qemu-system-gui): %s" % help_
    # curses draws the screen in the terminal: the serial line stays off it.
    lines = qemu_lines(make("-n", "run-vga", "VGA=curses").stdout)
    assert lines and "-display curses" in lines[0], lines
    assert "stdio" not in lines[0], lines


def test_run_vga_without_a_display_says_what_to_do():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    t0 = time.monotonic()
    p = make("run-vga", env=env, timeout=30)
    out = p.stdout + p.stderr
    assert p.returncode != 0, "make run-vga ran without a display:\n" + out
    assert "no graphical display" in out, out
    for way in ("make run", "make run-vga VGA=curses", "ssh -X"):
        assert way in out, "%r not offered:\n%s" % (way, out)
    assert "qemu-system" not in p.stdout, "QEMU was started:\n" + out
    assert time.monotonic() - t0 < 10


class PtyConsole(ConsoleProcess):
    """A ConsoleProcess on a terminal (curses needs one), 100x30."""

    def start(self):
        self.started_at = time.monotonic()
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = dict(os.environ, TERM="xterm")
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=env,
                                     stdin=slave, stdout=slave, stderr=slave,
                                     start_new_session=True)
        os.close(slave)
        self.master = master
        context.current().register(self)
        threading.Thread(target=self._pump, args=(os.fdopen(master, "rb", 0),
                         self._raw, True), daemon=True).start()
        return self

    def send(self, data):
        # The pump's file object owns the master: it closes it once the
        # process has gone and reading ends (EIO), never while in use.
        os.write(self.master, data.encode() if isinstance(data, str) else data)


def test_run_vga_curses_shows_the_screen_in_the_terminal():
    # No window needed: the VGA text screen, and its PS/2 keyboard, here.
    with PtyConsole(["make", "-s", "run-vga", "VGA=curses"],
                    "make run-vga VGA=curses") as run:
        run.wait_for(r"Type 'help' for the list of commands\.")
        run.wait_for(r"labyrinth>")
        run.send("version\r")
        run.wait_for(r"Labyrinth \S+ \(i686\)")
        run.send("halt\r")
        status = run.wait_exit(10)
        assert status == 0, "make run-vga VGA=curses ended with %r" % status


def test_make_test_with_a_word_that_names_no_test_fails():
    p = make("test", "T=nosuchtest")
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert "no test matches 'nosuchtest'" in out, out
    assert not re.search(r"^\d+ passed, \d+ failed", out, re.M), out
    # One word of two naming nothing is a typo too, not a smaller run.
    p = subprocess.run(["tools/run-tests", "--list", "test_make_help", "nosuch"],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode != 0 and "no test matches 'nosuch'" in p.stdout, p.stdout
    assert "integration/" not in p.stdout, "it listed tests:\n" + p.stdout
