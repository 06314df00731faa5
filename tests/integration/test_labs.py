"""The lab graders prove themselves (instructor-only: not in handouts).

The proof takes minutes, so `make test` runs only the quick checks (the lab
regions, each grader's list of tests); `make test-labs` runs the rest
(tests marked @lab_proof), and CI runs both.

For every lab in labs/labN/ (lab.toml):
  - a correct hand-in (tools/handout --solved N: the student tree with lab
    N solved) scores full marks;
  - the handout itself builds, boots to the prompt, and scores less, with
    a hint for each failed test;
  - every planted bug (labs/labN/bugs/*.patch, applied to a correct
    hand-in) makes each test its "Fails:" line names fail.
Each grading runs in its own copy of the tree, with its own build/ (a
copy of a shared, already built one: see base_tree()).
"""
import atexit
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
import zipfile

from testlib import ROOT, TestFailure, lab_proof, params, timeout
from testlib.qemu import Qemu

LABS = sorted(int(re.search(r"lab(\d+)$", d).group(1))
              for d in glob.glob(os.path.join(ROOT, "labs", "lab*"))
              if os.path.exists(os.path.join(d, "lab.toml")))
# The lab's number from labs/labN/bugs/, not from ROOT: a tree may itself
# sit in a folder named lab5.
BUGS = sorted("%d/%s" % (int(re.search(r"/labs/lab(\d+)/bugs/",
                                       p).group(1)),
                         os.path.basename(p)[:-len(".patch")])
              for p in glob.glob(os.path.join(ROOT, "labs", "lab*", "bugs",
                                              "*.patch")))


def run(argv, cwd, timeout_s=600):
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout_s,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def handout(lab, out, solved):
    argv = [sys.executable, "tools/handout", str(lab), out]
    if solved:
        argv.insert(2, "--solved")
    status, text = run(argv, ROOT, 120)
    if status:
        raise TestFailure("tools/handout failed:\n" + text)


def lab_targets(lab):
    with open(os.path.join(ROOT, "labs", "lab%d" % lab, "lab.toml"),
              "rb") as f:
        return tomllib.load(f).get("build", ["all", "test-kernel"])


# One correct hand-in per lab, built once and shared: every test copies it,
# build/ included (cp -a keeps the times), so that make rebuilds only what
# the test changed. Built under a lock of its lab; removed at exit.
_bases, _base_locks, _guard = {}, {}, threading.Lock()


def base_tree(lab):
    with _guard:
        lock = _base_locks.setdefault(lab, threading.Lock())
    with lock:
        if lab not in _bases:
            d = tempfile.mkdtemp(prefix="labyrinth-lab%d-base-" % lab)
            atexit.register(shutil.rmtree, d, True)
            path = os.path.join(d, "tree")
            handout(lab, path, solved=True)
            status, out = run(["make", "-j2"] + lab_targets(lab), path)
            if status:
                raise TestFailure("a correct hand-in of lab %d does not "
                                  "build:\n%s" % (lab, out))
            _bases[lab] = path
        return _bases[lab]


class Tree:
    """A student tree in a temporary folder, removed afterwards: a correct
    hand-in, or the handout itself (solved=False)."""

    def __init__(self, lab, solved):
        base = base_tree(lab)
        self.lab = lab
        self.dir = tempfile.mkdtemp(prefix="labyrinth-lab%d-" % lab)
        self.path = os.path.join(self.dir, "tree")
        if solved:
            shutil.copytree(base, self.path, symlinks=True)
        else:
            # Written after the base was built: the files it changes are
            # newer than the base's objects, and only they rebuild.
            handout(lab, self.path, solved=False)
            shutil.copytree(os.path.join(base, "build"),
                            os.path.join(self.path, "build"), symlinks=True)

    def grade(self, only=()):
        argv = [sys.executable, "tools/grade", str(self.lab)]
        if only:
            argv += ["--only", ",".join(only)]
        status, out = run(argv, self.path)
        path = os.path.join(self.path, "build", "grade", "lab%d.json" % self.lab)
        if not os.path.exists(path):
            raise TestFailure("tools/grade wrote no %s (status %s):\n%s"
                              % (path, status, out))
        with open(path) as f:
            return json.load(f), out

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.dir, ignore_errors=True)


def totals(results):
    return (sum(t["score"] for t in results["tests"]),
            sum(t["max_score"] for t in results["tests"]))


def test_lab_regions_well_formed():
    status, out = run([sys.executable, "tools/handout", "--check"], ROOT, 60)
    assert status == 0, out


@params(*LABS)
def test_lab_grader_lists_100_points_with_hints(lab):
    # The quick part, in every make test: the grader loads, its tests add
    # up to 100 points, and each has a hint. (The proof: make test-labs.)
    status, out = run([sys.executable, "tools/grade", str(lab), "--list"],
                      ROOT, 120)
    assert status == 0, "tools/grade %d --list failed:\n%s" % (lab, out)
    tests = re.findall(r"^\s+(\S+)\s+(\d+)\s+(yes|NO)$", out, re.M)
    assert tests, "no tests listed:\n" + out
    assert sum(int(p) for _, p, _ in tests) == 100, out
    assert all(h == "yes" for _, _, h in tests), "tests without a hint:\n" + out


@lab_proof
@params(*LABS)
@timeout(600)
def test_lab_solution_scores_full_marks(lab):
    with Tree(lab, solved=True) as tree:
        results, out = tree.grade()
        score, total = totals(results)
        assert total > 0 and score == total, \
            "a correct hand-in of lab %d scored %d/%d:\n%s" % (
                lab, score, total, out)
        assert re.search(r"^Score: %d/%d$" % (score, total), out, re.M), out


@lab_proof
@params(*LABS)
@timeout(600)
def test_lab_handout_boots_and_scores_less(lab):
    with Tree(lab, solved=False) as tree:
        status, out = run(["make", "-j2", "all"], tree.path)
        assert status == 0, "the handout of lab %d does not build:\n%s" % (
            lab, out)
        with Qemu(kernel=os.path.join(tree.path, "build", "kernel.elf"),
                  label="handout of lab %d" % lab) as vm:
            vm.wait_boot()
            assert "help" in vm.command("help")
        results, out = tree.grade()
        score, total = totals(results)
        assert total > 0 and score < total, \
            "the handout of lab %d scored full marks (%d/%d):\n%s" % (
                lab, score, total, out)
        failed = [t for t in results["tests"] if t["status"] == "failed"]
        for t in failed:
            assert "hint: " in t["output"], \
                "%s failed without a hint:\n%s" % (t["name"], t["output"])


def named_tests(patch):
    with open(patch) as f:
        m = re.search(r"^Fails:\s*(.+)$", f.read(), re.M)
    if not m:
        raise TestFailure("%s has no 'Fails: test ...' line" % patch)
    return m.group(1).split()


@lab_proof
@params(*BUGS)
@timeout(600)
def test_planted_bug_fails_its_named_tests(bug):
    lab, name = bug.split("/")
    lab = int(lab)
    patch = os.path.join(ROOT, "labs", "lab%d" % lab, "bugs", name + ".patch")
    names = named_tests(patch)
    with Tree(lab, solved=True) as tree:
        status, out = run(["git", "apply", patch], tree.path, 60)
        assert status == 0, "%s does not apply to a correct hand-in:\n%s" % (
            patch, out)
        results, out = tree.grade(only=names)
        for n in names:
            # A parametrised test counts if one of its cases fails.
            cases = [t for t in results["tests"]
                     if t["name"] == n or t["name"].startswith(n + "[")]
            assert cases, "no test %s in lab %d's grader:\n%s" % (n, lab, out)
            assert any(t["status"] == "failed" for t in cases), \
                "planted bug %s: test %s still passes:\n%s" % (name, n, out)


def unzip(path, dest):
    """As Gradescope does: the files, with their modes."""
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            out = z.extract(info, dest)
            mode = info.external_attr >> 16
            if mode:
                os.chmod(out, mode)


@lab_proof
@timeout(600)
def test_gradescope_autograder_grades_only_the_students_files():
    lab = LABS[0]
    with open(os.path.join(ROOT, "labs", "lab%d" % lab, "lab.toml"),
              "rb") as f:
        files = tomllib.load(f)["files"]
    base = base_tree(lab)
    top = tempfile.mkdtemp(prefix="labyrinth-gradescope-")
    try:
        zip_path = os.path.join(top, "autograder.zip")
        status, out = run([sys.executable, "tools/gradescope", str(lab),
                           "--out", zip_path], ROOT, 120)
        assert status == 0, out
        ag = os.path.join(top, "autograder")
        source = os.path.join(ag, "source")
        unzip(zip_path, source)
        for script in ("setup.sh", "run_autograder"):
            path = os.path.join(source, script)
            assert os.access(path, os.X_OK), "%s is not executable" % script
        with open(os.path.join(source, "setup.sh")) as f:
            assert "tools/install-deps" in f.read()
        # A student's repository, one folder down: the correct files, and
        # a grader rewritten to pass everything, which must be ignored.
        sub = os.path.join(ag, "submission", "my-labyrinth")
        for rel in files:
            os.makedirs(os.path.dirname(os.path.join(sub, rel)), exist_ok=True)
            shutil.copyfile(os.path.join(base, rel), os.path.join(sub, rel))
        fake = os.path.join(sub, "labs", "lab%d" % lab, "test_lab%d.py" % lab)
        with open(fake, "w") as f:
            f.write("import pytest\n\n@pytest.mark.points(1000)\n"
                    "def test_free_points():\n    pass\n")
        env = dict(os.environ, AUTOGRADER_ROOT=ag)
        p = subprocess.run(["bash", os.path.join(source, "run_autograder")],
                           env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=500)
        out = p.stdout.decode("utf-8", "replace")
        with open(os.path.join(ag, "results", "results.json")) as f:
            results = json.load(f)
        score, total = totals(results)
        names = [t["name"] for t in results["tests"]]
        assert "free_points" not in names, \
            "the submission's own test file was used:\n" + out
        assert total > 0 and score == total == results["score"], \
            "the correct files scored %d/%d:\n%s" % (score, total, out)
        for rel in files:
            assert "graded %s from the submission" % rel in \
                results["output"], results["output"]
    finally:
        shutil.rmtree(top, ignore_errors=True)
