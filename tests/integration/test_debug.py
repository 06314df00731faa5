"""make debug as a student uses it, beyond attaching gdb (test_gdb): make gdb
once that QEMU has gone, and the keyboard (IRQ1) while debugging, typed by
tools/sendkey through the QMP socket make debug opens.

Each test gives make debug its own DEBUG_DIR, so that tests running at the
same time do not share build/gdb-port.
"""
import os
import re
import signal
import subprocess
import tempfile
import time

from testlib import PROMPT, ROOT, ConsoleProcess, context, timeout

NO_QEMU = r"no QEMU waiting for gdb( on port (\d+))?: run 'make debug' first"


def make_gdb(debug_dir, stdin="", limit=20):
    """make gdb, with a time limit; returns (status, output, seconds)."""
    t0 = time.monotonic()
    p = subprocess.run(["timeout", "-k", "5", str(limit), "make", "-s", "gdb",
                        "DEBUG_DIR=" + debug_dir], cwd=ROOT, input=stdin,
                       capture_output=True, text=True, errors="replace")
    secs = time.monotonic() - t0
    out = p.stdout + p.stderr
    context.current().note("$ make gdb (status %d, %.1fs)\n%s" % (
        p.returncode, secs, out))
    return p.returncode, out, secs


def start_debug(debug_dir):
    debug = ConsoleProcess(["make", "-s", "debug", "DEBUG_DIR=" + debug_dir],
                           "make debug").start()
    port = int(debug.wait_for(r"QEMU waits for gdb on port (\d+)").group(1))
    return debug, port


def wait_for_file(path, secs=10):
    deadline = time.monotonic() + secs
    while not os.path.exists(path):
        assert time.monotonic() < deadline, "no %s after %ss" % (path, secs)
        time.sleep(0.05)


@timeout(60)
def test_make_gdb_says_at_once_when_it_cannot_attach():
    with tempfile.TemporaryDirectory(prefix="labyrinth-debug-") as d:
        # Nothing started yet.
        status, out, secs = make_gdb(d)
        assert status not in (0, 124) and re.search(NO_QEMU, out), out

        # QEMU and make killed at once (a closed terminal): the port and
        # pid files stay behind, and nothing listens on that port.
        debug, port = start_debug(d)
        wait_for_file(os.path.join(d, "qemu.pid"))
        # A second make debug in the same place would take over the files.
        p = subprocess.run(["make", "-s", "debug", "DEBUG_DIR=" + d], cwd=ROOT,
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=30)
        assert p.returncode != 0 and "still runs" in p.stderr, p.stdout + p.stderr
        # The gdbstub serves one gdb: a second would wait, unanswered.
        with ConsoleProcess(["make", "-s", "gdb", "DEBUG_DIR=" + d],
                            "make gdb") as gdb:
            gdb.wait_for(r"Remote debugging using 127\.0\.0\.1:%d" % port)
            status, out, secs = make_gdb(d)
            assert status not in (0, 124) and \
                "already has a debugger attached" in out, out
            assert secs < 5, "make gdb took %.1fs to say so" % secs
        os.killpg(debug.proc.pid, signal.SIGKILL)
        debug.wait_exit(10)
        assert os.path.exists(os.path.join(d, "gdb-port")), os.listdir(d)
        status, out, secs = make_gdb(d)
        m = re.search(NO_QEMU, out)
        assert status not in (0, 124) and m and m.group(2) == str(port), out
        assert secs < 5, "make gdb took %.1fs to say so" % secs
        # (QEMU quit by hand, Ctrl-A X, removes the pid file and make debug
        # the port file: that is the "nothing started" case above.)


@timeout(90)
def test_sendkey_raises_irq1_while_debugging():
    with tempfile.TemporaryDirectory(prefix="labyrinth-debug-") as d:
        debug, port = start_debug(d)
        # gdb (make gdb, as in a second terminal): stop in the IRQ1 handler.
        gdb = ConsoleProcess(["make", "-s", "gdb", "DEBUG_DIR=" + d],
                             "make gdb").start()
        gdb.send("break kbd_irq\ncontinue\n")
        debug.wait_for(re.escape(PROMPT))
        gdb.expect_no(r"Breakpoint 1, ", 0.5)       # no key, no IRQ1

        # A third terminal: type "version" and Enter on the PS/2 keyboard.
        p = subprocess.run(["tools/sendkey", "--qmp", os.path.join(d, "qmp.sock"),
                            "version"], cwd=ROOT, capture_output=True,
                           text=True, timeout=30)
        assert p.returncode == 0, "sendkey failed:\n" + p.stdout + p.stderr
        gdb.wait_for(r"Breakpoint 1, (0x[0-9a-f]+ in )?kbd_irq \(")
        gdb.send("bt\n")
        gdb.wait_for(r"irq_dispatch \(line=(line@entry=)?1\)")

        # Let it go: the keys, kept by QEMU meanwhile, reach the shell.
        gdb.send("delete\ndetach\nquit\n")
        assert gdb.wait_exit(20) is not None, "gdb did not quit"
        debug.wait_for(r"^Labyrinth \S+ \(i686\)$")


def test_sendkey_without_make_debug_says_so():
    with tempfile.TemporaryDirectory(prefix="labyrinth-debug-") as d:
        p = subprocess.run(["tools/sendkey", "--qmp", os.path.join(d, "qmp.sock"),
                            "a"], cwd=ROOT, capture_output=True, text=True,
                           timeout=20)
        assert p.returncode != 0 and "run 'make debug' first" in p.stderr, \
            p.stdout + p.stderr
