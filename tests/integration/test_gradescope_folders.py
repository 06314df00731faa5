"""tools/gradescope takes a folder named in a lab's `files` (lab 6's runs)
from the submission whole, in place of the handout's, and the results say
so; without it in the submission, the handout's folder is graded.

The grader itself is a stand-in here (it lists the files it was given):
test_labs.py grades a real submission through the autograder; this test
is about which files reach the grader, and runs in a second.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from testlib import ROOT

LAB_TOML = """title = "a lab with a folder"
handout = "docs/labs/lab6-measurement.md"
hours = 1
files = ["mm/view.c", "labs/lab6/runs/"]
"""

# tools/grade's stand-in: the files of the tree it grades, as results.json.
FAKE_GRADE = """import json, os, sys
files = sorted(os.path.relpath(os.path.join(d, n))
               for d, _, ns in os.walk(".") for n in ns)
with open(sys.argv[sys.argv.index("--json") + 1], "w") as f:
    json.dump({"score": 1, "output": "", "tests": [{"name": "files",
              "score": 1, "max_score": 1, "output": "\\n".join(files)}]}, f)
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def autograde(submission):
    """Run the autograder's --run on a submission ({path: text}); returns
    (results, the files the grader saw, {path: text} of a few)."""
    top = tempfile.mkdtemp(prefix="labyrinth-gradescope-folders-")
    try:
        tree = os.path.join(top, "source", "tree")
        write(os.path.join(tree, ".lab"), "6\n")
        write(os.path.join(tree, "labs", "lab6", "lab.toml"), LAB_TOML)
        write(os.path.join(tree, "labs", "lab6", "runs", "README.md"),
              "the handout's\n")
        write(os.path.join(tree, "mm", "view.c"), "the handout's\n")
        os.makedirs(os.path.join(tree, "tools"))
        shutil.copy(os.path.join(ROOT, "tools", "gradescope"),
                    os.path.join(tree, "tools", "gradescope"))
        write(os.path.join(tree, "tools", "grade"), FAKE_GRADE)
        for rel, text in submission.items():
            write(os.path.join(top, "submission", "repo", rel), text)
        os.makedirs(os.path.join(top, "submission"), exist_ok=True)
        p = subprocess.run([sys.executable, os.path.join(
            tree, "tools", "gradescope"), "--run"],
            env=dict(os.environ, AUTOGRADER_ROOT=top), capture_output=True,
            text=True, timeout=60)
        with open(os.path.join(top, "results", "results.json")) as f:
            results = json.load(f)
        seen = results["tests"][0]["output"].splitlines() \
            if results.get("tests") else []
        return results, seen, p.stdout + p.stderr
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_gradescope_takes_a_named_folder_whole():
    results, seen, out = autograde({
        "mm/view.c": "the student's\n",
        "labs/lab6/runs/4-100/dump.txt.gz": "a run\n",
        "labs/lab6/runs/8-1000/rooms.png": "a picture\n",
        "labs/lab6/notes.txt": "not named in files\n"})
    for rel in ("labs/lab6/runs/4-100/dump.txt.gz",
                "labs/lab6/runs/8-1000/rooms.png", "mm/view.c"):
        assert rel in seen, "%s did not reach the grader: %s\n%s" % (
            rel, seen, out)
    assert "labs/lab6/notes.txt" not in seen, seen
    # The submission's folder replaced the handout's, README included.
    assert "labs/lab6/runs/README.md" not in seen, seen
    assert "graded labs/lab6/runs/ from the submission" in \
        results["output"], results["output"]


def test_gradescope_keeps_the_handouts_folder_when_none_is_submitted():
    results, seen, out = autograde({"mm/view.c": "the student's\n"})
    assert "labs/lab6/runs/README.md" in seen, "%s\n%s" % (seen, out)
    assert "labs/lab6/runs/ is not in the submission: graded the " \
        "handout's version" in results["output"], results["output"]
