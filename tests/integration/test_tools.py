"""The tools around the kernel: doctor, and the KTAP reading of run-tests."""
import os
import re
import subprocess
import tempfile

from testlib import ROOT, ktap


def doctor_caches():
    d = os.path.join(ROOT, "build")
    return {f: os.stat(os.path.join(d, f)).st_mtime_ns for f in os.listdir(d)
            if f.startswith(".doctor-cache-")}


def test_doctor_passes_quickly():
    # make run calls it every time: once the tools are known it must be
    # silent and compile nothing (its compile checks come from its cache in
    # build/), which is what keeps it quick. Counted, not timed: a loaded
    # machine is slow.
    subprocess.run(["tools/doctor", "--fix"], cwd=ROOT, capture_output=True)
    before = doctor_caches()
    p = subprocess.run(["tools/doctor", "--fix"], cwd=ROOT, capture_output=True,
                       text=True)
    assert p.returncode == 0, "doctor --fix failed:\n" + p.stdout + p.stderr
    assert not p.stdout.strip(), "doctor --fix is not silent:\n" + p.stdout
    # (Other tests run doctor with other tools at the same time: their
    # caches are other files, so only ours are compared.)
    after = doctor_caches()
    assert before and all(after.get(f) == t for f, t in before.items()), \
        "doctor --fix ran its compile checks again although nothing changed " \
        "(make run pays for them each time): caches %s, then %s" % (
            before, doctor_caches())
    p = subprocess.run(["tools/doctor"], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0 and "checks passed" in p.stdout, p.stdout + p.stderr


def test_doctor_names_the_fix_for_a_missing_tool():
    p = subprocess.run(["tools/doctor"], cwd=ROOT, capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "CLANG": "clang-missing-here",
                            "DOCTOR_NO_INSTALL": "1"})
    assert p.returncode != 0, p.stdout
    assert "clang-missing-here" in p.stdout and "apt-get install clang" in p.stdout, p.stdout


def test_ktap_nested_and_crashed():
    text = "\n".join([
        "boot noise", "KTAP version 1", "1..2",
        "    KTAP version 1", "    # Subtest: mm", "    1..3",
        "    ok 1 mm_a", "        # mm_b: mm.c:9: expected 1", "    not ok 2 mm_b",
        "    ok 3 mm_c # SKIP no DMA zone", "not ok 1 mm",
        "    KTAP version 1", "    # Subtest: lib", "    1..2", "    ok 1 lib_a",
    ])
    results, problems = ktap.parse(text)
    got = [(r.name, r.ok, r.skipped) for r in results]
    assert got == [("mm/mm_a", True, False), ("mm/mm_b", False, False),
                   ("mm/mm_c", True, True), ("lib/lib_a", True, False)], got
    assert results[1].diag == ["# mm_b: mm.c:9: expected 1"], results[1].diag
    assert any("lib" in p for p in problems), problems
    assert any("planned 2, got 1" in p for p in problems), problems


def test_ktap_flat_and_empty():
    results, problems = ktap.parse("KTAP version 1\n1..2\nok 1 a\nok 2 b\n")
    assert [r.name for r in results] == ["a", "b"] and not problems
    results, problems = ktap.parse("Segmentation fault\n")
    assert not results and problems == ["no KTAP output"]


def _doctor(args, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "VGA")}
    base["DOCTOR_NO_INSTALL"] = "1"
    base.update(env)
    return subprocess.run(["tools/doctor"] + args, cwd=ROOT, capture_output=True,
                          text=True, env=base)


def test_doctor_checks_qemu_can_open_a_window():
    # With a display, what make run-vga needs is there (install-deps).
    p = _doctor(["--fix", "--need", "vga"], DISPLAY=":99")
    assert p.returncode == 0, p.stdout + p.stderr
    # A QEMU without its GUI modules: the package that brings them, as a
    # fix --fix can install; make run does not care.
    with tempfile.TemporaryDirectory() as d:
        fake = os.path.join(d, "qemu-system-i386")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\nprintf 'Available display backend types:\\n"
                    "none\\ncurses\\n'\n")
        os.chmod(fake, 0o755)
        p = _doctor(["--fix", "--need", "vga"], DISPLAY=":99", QEMU=fake)
        assert p.returncode != 0, p.stdout
        assert "gtk display" in p.stdout, p.stdout
        assert re.search(r"fix: (sudo )?apt-get install qemu-system-gui", p.stdout), p.stdout
        p = _doctor(["--fix"], QEMU=fake)
        assert p.returncode == 0 and "gtk" not in p.stdout, p.stdout
        # VGA=curses needs neither the GUI nor a display.
        p = _doctor(["--fix", "--need", "vga"], QEMU=fake, VGA="curses")
        assert p.returncode == 0, p.stdout
    # A display QEMU does not have is named, with the ones it has.
    p = _doctor(["--fix", "--need", "vga"], DISPLAY=":99", VGA="nosuch")
    assert p.returncode != 0 and "no display 'nosuch'" in p.stdout, p.stdout


def test_doctor_on_a_headless_machine_notes_it_and_passes():
    p = _doctor([])
    assert p.returncode == 0, p.stdout
    assert re.search(r"note\s+no graphical display", p.stdout), p.stdout
    assert "VGA=curses" in p.stdout, p.stdout
