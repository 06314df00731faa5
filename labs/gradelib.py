"""gradelib - what the lab graders' tests use (pytest fixtures and helpers).

A lab's tests are pytest functions in labs/labN/test_labN.py, each marked
with its points and a hint, and most of them read the result of a *run*
that boots the kernel (or a host test program) once for several tests:

    @pytest.mark.points(5)
    @pytest.mark.hint("'Taking a block' in docs/labs/lab3-buddy.md")
    def test_split_lists_each_half(host):
        host("test_mm_buddy").expect("mm_buddy/buddy_take_splits_down")

Runs are cached for the whole grading session (a parent test, as MIT's
gradelib calls it), and their output is kept in build/grade/labN/ whatever
happens. A test that boots its own QEMU uses testlib (tools/testlib): every
machine it starts is killed when the test ends, and its serial log is saved
beside the others when the test fails. tools/grade runs all of this and
prints the score.
"""
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from testlib import KERNEL, TEST_KERNEL, Qemu, ktap  # noqa: E402
from testlib import context  # noqa: E402

GRADE_DIR = os.path.join(context.BUILD, "grade")
# A run that takes longer is stuck: the whole test kernel takes 15 s.
RUN_TIMEOUT = float(os.environ.get("LABYRINTH_GRADE_RUN_TIMEOUT", "90"))


def lab_dir(lab):
    return os.path.join(GRADE_DIR, "lab%d" % lab)


def save_log(lab, name, text):
    """Write a log under build/grade/labN/; returns its path from ROOT."""
    os.makedirs(lab_dir(lab), exist_ok=True)
    path = os.path.join(lab_dir(lab), re.sub(r"[^\w.-]+", "_", name) + ".log")
    with open(path, "w") as f:
        f.write(text)
    return os.path.relpath(path, ROOT)


def build_failed():
    """The log of a failed build (tools/grade sets it), or None."""
    path = os.environ.get("LABYRINTH_GRADE_BUILD_FAILED")
    return path or None


class Run:
    """The KTAP results of one run: a test kernel boot or a host program."""

    def __init__(self, label, text, status, log, problems=()):
        self.label, self.text, self.status, self.log = label, text, status, log
        results, probs = ktap.parse(text)
        self.results = {r.name: r for r in results}
        self.problems = list(problems) + list(probs)

    def result(self, name):
        r = self.results.get(name)
        if r is None:
            why = "; ".join(self.problems) or "no such case in its output"
            raise AssertionError("%s: case %s did not run (%s); log: %s"
                                 % (self.label, name, why, self.log))
        return r

    def expect(self, *names):
        """Every case named must have passed; a failure shows its lines."""
        bad = []
        for name in names:
            r = self.result(name)
            if not r.ok or r.skipped:
                why = "skipped: " + r.directive if r.skipped else "failed"
                diag = "".join("\n    " + d for d in r.diag[:12])
                bad.append("%s %s%s" % (name, why, diag))
        if bad:
            raise AssertionError("%s:\n  %s\nlog: %s" % (
                self.label, "\n  ".join(bad), self.log))

    def expect_prefix(self, prefix):
        """Every case whose name starts with prefix passed (at least one)."""
        names = [n for n in self.results if n.startswith(prefix)]
        if not names:
            self.result(prefix)     # raises with the reason
        self.expect(*names)


def _check_build():
    log = build_failed()
    if log:
        raise AssertionError("the build failed, so nothing could run: "
                             "see %s" % os.path.relpath(log, ROOT))


@pytest.fixture(scope="session")
def lab(request):
    return int(request.config.getoption("--lab"))


@pytest.fixture(scope="session")
def ktest(lab):
    """ktest("mm,bootmem", append="", mem=128, icount=False): boot the test
    kernel once with ktest=SUITES and return its Run (cached by arguments).
    icount runs QEMU with -icount shift=0,sleep=off (one instruction, one
    nanosecond: exact time) and tells the kernel so."""
    cache = {}

    def run(suites, append="", mem=128, icount=False):
        key = (suites, append, mem, icount)
        if key not in cache:
            _check_build()
            cmdline = ("ktest=%s %s%s" % (suites, append,
                                          " icount" if icount else "")).strip()
            extra = ["-icount", "shift=0,sleep=off"] if icount else []
            vm = Qemu(kernel=TEST_KERNEL, append=cmdline, mem=mem, extra=extra,
                      label="test kernel (%s, -m %d)" % (cmdline, mem))
            vm.start()
            status = vm.wait_exit(RUN_TIMEOUT)
            vm.kill()
            head, out = vm.log()
            name = "ktest-%s%s-m%d" % (suites, "-" + cmdline.split(" ", 1)[1]
                                       if " " in cmdline else "", mem)
            log = save_log(lab, name, head + "\n" + out)
            problems = []
            if status is None:
                problems.append("still running after %ds" % RUN_TIMEOUT)
            elif status == 0:
                problems.append("the kernel crashed (reset or triple fault)")
            cache[key] = Run("the test kernel (%s)" % cmdline, out, status,
                             log, problems)
        return cache[key]
    return run


@pytest.fixture(scope="session")
def host(lab):
    """host("test_mm_buddy", env={...}): run build/host/PROGRAM once and
    return its Run (cached by arguments)."""
    cache = {}

    def run(program, env=None):
        key = (program, tuple(sorted((env or {}).items())))
        if key not in cache:
            _check_build()
            exe = os.path.join(context.BUILD, "host", program)
            if not os.path.exists(exe):
                raise AssertionError("%s was not built" % exe)
            try:
                p = subprocess.run([exe], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT,
                                   env=dict(os.environ, **(env or {})))
                out, status = p.stdout.decode("utf-8", "replace"), p.returncode
                problems = [] if status >= 0 else ["killed by signal %d"
                                                   % -status]
            except subprocess.TimeoutExpired as e:
                out = (e.stdout or b"").decode("utf-8", "replace")
                status, problems = None, ["still running after %ds"
                                          % RUN_TIMEOUT]
            suffix = "".join("-%s=%s" % kv for kv in key[1])
            log = save_log(lab, "host-" + program + suffix, out)
            cache[key] = Run(program, out, status, log, problems)
        return cache[key]
    return run


@pytest.fixture
def boot(lab):
    """boot(mem=128, append="") -> a Qemu at the shell prompt (killed when
    the test ends). Its log is saved if the test fails."""
    def start(mem=128, append=None, **kw):
        _check_build()
        vm = Qemu(kernel=KERNEL, mem=mem, append=append, **kw)
        vm.start()
        vm.wait_boot()
        return vm
    return start


def boot_log_of(vm):
    """Everything the machine printed so far."""
    return vm.text()


def answers_missing(path, min_words=15):
    """The questions of an answers file that still lack an answer.

    The file has a heading per question ("## Question 2: ..."), the
    question quoted under it ("> ..."), and the student's text after that;
    the quote and a placeholder line in italics ("_Your answer here._") do
    not count.
    """
    full = os.path.join(ROOT, path)
    if not os.path.exists(full):
        return ["the file %s is missing" % path]
    with open(full) as f:
        text = f.read()
    parts = re.split(r"^##\s+(.*)$", text, flags=re.M)
    missing = []
    for title, body in zip(parts[1::2], parts[2::2]):
        body = re.sub(r"^\s*(>.*|_.*_\s*)$", "", body, flags=re.M)
        body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
        if len(body.split()) < min_words:
            missing.append(title.strip())
    if len(parts) < 3:
        missing.append("no '## ' question headings found in %s" % path)
    return missing
