"""lab-check: mm_check()'s rules, recounted by gdb without calling the
kernel, must agree with mm_check() itself (the shell's check command).

Agreement on a healthy allocator proves little, so the tests plant damage
with gdb (a free count off by one, a frame held twice by the hot room, an
exclusive page without an owner), and lab-check must name exactly that
damage, in mm_check()'s words, and the kernel's own check must print the
same lines. Each plant is undone afterwards, and both say ok again.

A breakpoint inside the allocator stops it in the middle of a move: there
lab-check reports what it sees and says the stop is not quiet.

The kernel runs at testlib's QUIET hz=19, as in test_gdb_views.py, so
nothing moves between the shell's read and gdb's.
"""
import re

from testlib import (KERNEL, QUIET, Qemu, TestFailure, gdb_at_shell,
                     shell_then_gdb)

CHECK_LINE = re.compile(r"^mm_check: (?!ok$|\d+ mismatch).*$", re.M)


def gdb_int(g, expr):
    out = g.run("print/d (long)(%s)" % expr)
    m = re.search(r"^\$\d+ = (-?\d+)$", out, re.M)
    if not m:
        raise TestFailure("gdb could not read %s: %s" % (expr, out))
    return int(m.group(1))


def kernel_and_gdb_check(vm, g):
    """Run check at the shell and lab-check at the stop right after it:
    their mm_check lines, and both whole texts."""
    shell, (gdb,) = shell_then_gdb(vm, g, "check", ["lab-check"])
    return CHECK_LINE.findall(shell), CHECK_LINE.findall(gdb), shell, gdb


def expect_planted(vm, g, expected, what):
    """lab-check at this stop names exactly `expected`; then the kernel's
    check and a second lab-check agree with it line for line."""
    here = g.run("lab-check")
    got = CHECK_LINE.findall(here)
    if got != expected:
        raise TestFailure("%s: lab-check should report exactly\n  %s\n"
                          "it said:\n%s" % (what, "\n  ".join(expected), here))
    assert "lab-check: %d problem" % len(expected) in here, here
    assert "not a quiet stop" not in here, here
    resume_at_prompt(vm, g)
    kernel, gdb, shell, text = kernel_and_gdb_check(vm, g)
    if kernel != expected or gdb != expected:
        raise TestFailure("%s: the kernel's check and lab-check disagree\n"
                          "--- check (shell) ---\n%s--- lab-check ---\n%s"
                          % (what, shell, text))


def expect_healthy(vm, g, what):
    kernel, gdb, shell, text = kernel_and_gdb_check(vm, g)
    assert shell.strip() == "mm_check: ok", "%s:\n%s" % (what, shell)
    assert not gdb and re.search(r"^lab-check: ok: \d+ free", text, re.M), \
        "%s: lab-check:\n%s" % (what, text)


def stop(vm, g):
    """A quiet stop, from the kernel at its prompt: an empty line typed,
    stopped right after shell_execute() returned."""
    vm.send_line("")
    g.wait_stop(r"Breakpoint \d+, shell_execute")
    g.run("finish")


def resume_at_prompt(vm, g):
    g.resume()
    vm.wait_for(r"^labyrinth> ")
    vm.pos -= len("labyrinth> ")    # the prompt the next command waits for


def test_lab_check_finds_planted_damage_as_mm_check_does():
    with Qemu(kernel=KERNEL, gdb=True, append=QUIET) as vm:
        with gdb_at_shell(vm) as g:
            expect_healthy(vm, g, "after boot")
            # A page for the hot room (a free pushes it there).
            out, _ = shell_then_gdb(vm, g, "alloc 0 atomic")
            pfn = int(re.search(r"^pfn (0x[0-9a-f]+) ", out, re.M).group(1),
                      16)
            shell_then_gdb(vm, g, "free %#x 0" % pfn)

            # 1. A free count one too high (the list is unchanged).
            stop(vm, g)
            fa = "zones[ZONE_NORMAL].free_area[3]"
            n = gdb_int(g, fa + ".nr_free")
            total = gdb_int(g, "zones[ZONE_NORMAL].nr_free")
            g.run("set var %s.nr_free = %d" % (fa, n + 1))
            expect_planted(vm, g, [
                "mm_check: Normal order 3: %d listed, nr_free %d" % (n, n + 1),
                "mm_check: Normal: lists hold %d, nr_free %d" % (
                    total + 8, total)], "free count")

            # 2. The hot room holding one frame twice.
            stop(vm, g)
            g.run("set var %s.nr_free = %d" % (fa, n))
            count = gdb_int(g, "hot_rooms[0].count")
            assert count >= 1, "the freed page did not reach the hot room"
            top = gdb_int(g, "hot_rooms[0].pages[%d] - mem_map" % (count - 1))
            g.run("set var hot_rooms[0].pages[%d] = hot_rooms[0].pages[%d]"
                  % (count, count - 1),
                  "set var hot_rooms[0].count = %d" % (count + 1))
            expect_planted(vm, g, [
                "mm_check: hot: pfn %#x is in the hot room twice" % top,
                "mm_check: map has %d hot, rooms %d" % (count, count + 1)],
                "hot room")

            # 3. An exclusive page (the sampler's block) without an owner.
            stop(vm, g)
            g.run("set var hot_rooms[0].count = %d" % count)
            found = g.run("python from labgdb import core; m = core.MemMap(); "
                          "print([p for p, f in enumerate(m.flags) "
                          "if f == (core.PG_HEAD | core.PG_EXCLUSIVE)][:1])")
            m = re.search(r"\[(\d+)\]", found)
            assert m, "no exclusive page to spoil:\n" + found
            pfn = int(m.group(1))
            owner = gdb_int(g, "mem_map[%d].owner" % pfn)
            g.run("set var mem_map[%d].owner = 0" % pfn)
            expect_planted(vm, g, [
                "mm_check: pfn %#x: exclusive page of order 0, owner 0x0"
                % pfn], "exclusive owner")

            # Every plant undone: both say ok again.
            stop(vm, g)
            g.run("set var mem_map[%d].owner = %d" % (pfn, owner))
            resume_at_prompt(vm, g)
            expect_healthy(vm, g, "every plant undone")


def test_lab_check_says_when_a_move_is_in_progress():
    """Stopped inside __buddy_take() with the zone lock held, a block is off
    its list and not yet allocated: lab-check reports it, and says why the
    stop is not quiet instead of calling it damage."""
    with Qemu(kernel=KERNEL, gdb=True, append=QUIET) as vm:
        with gdb_at_shell(vm) as g:
            g.interrupt()
            g.run("delete", "break __buddy_take")
            g.resume()
            vm.send_line("alloc 3")
            g.wait_stop(r"Breakpoint \d+, __buddy_take")
            g.run("finish")         # back in its caller, the lock still held
            text = g.run("lab-check")
            assert re.search(r"^lab-check: \d+ problems?$", text, re.M), text
            assert re.search(r"^lab-check: not a quiet stop: zone Normal's "
                             r"lock is held \(taken in \w+\)", text,
                             re.M), text
            assert "may be a move in progress" in text, text
            g.run("delete", "break shell_execute")
            g.resume()
            vm.wait_for(r"^pfn 0x[0-9a-f]+ .* order 3 ")
            expect_healthy(vm, g, "after the allocation")
