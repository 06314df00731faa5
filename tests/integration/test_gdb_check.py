"""lab-check: mm_check()'s rules, recounted by gdb without calling the
kernel, must agree with mm_check() itself (the shell's check command).

Agreement on a healthy allocator proves little, so the tests plant damage
with gdb (a free count off by one, a frame held twice by the hot room, an
exclusive page without an owner), and lab-check must name exactly that
damage, in mm_check()'s words, and the kernel's own check must print the
same lines. Each plant is undone afterwards, and both say ok again.

Blocks in transit (PG_transit: taken from a room, not yet in the next)
are planted too: one moved by a live thread is accepted and counted by
both; one moved by a thread that does not exist is lost for lab-check,
which sees the thread table, and accepted by mm_check(), which cannot; one
moved by the shell thread, which runs the kernel's check, is lost for both
(left by the caller, or by the stopped thread outside the allocator).

A breakpoint inside the allocator stops it in the middle of a move: there
lab-check reports what it sees and says the stop is not quiet.

The kernel runs at testlib's QUIET hz=19, as in test_gdb_views.py, so
nothing moves between the shell's read and gdb's.
"""
import os
import re
import time

from testlib import (KERNEL, QUIET, ROOT, Qemu, TestFailure, gdb_at_shell,
                     shell_then_gdb)

CHECK_LINE = re.compile(r"^mm_check: (?!ok$|\d+ mismatch).*$", re.M)

# The page states, as the kernel defines them.
with open(os.path.join(ROOT, "include", "mm", "page.h")) as f:
    PG = {m.group(1): int(m.group(2), 16) for m in re.finditer(
        r"^#define\s+PG_(\w+)\s+(0x[0-9a-f]+)u", f.read(), re.M)}
OWNER_THREAD_BASE = 0x1000      # include/asm-generic/context.h


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

            # 4. A free list that loops back to its first block: reported
            # where it closes, each block counted once (nr_free agrees).
            stop(vm, g)
            g.run("set var mem_map[%d].owner = %d" % (pfn, owner))
            fl = "zones[ZONE_NORMAL].free_area[10].free_list"
            first = gdb_int(g, fl + ".first")
            blocks, last = 1, first
            while gdb_int(g, "mem_map[%d].next" % last) != -1:  # PFN_NONE
                last = gdb_int(g, "mem_map[%d].next" % last)
                blocks += 1
            assert blocks >= 2, "Normal order 10 holds %d block" % blocks
            g.run("set var mem_map[%d].next = %d" % (last, first))
            expect_planted(vm, g, [
                "mm_check: Normal: list loops back to pfn %#x after %d frames"
                % (first, blocks)], "looping list")

            # Every plant undone: both say ok again.
            stop(vm, g)
            g.run("set var mem_map[%d].next = 0xffffffff" % last)
            resume_at_prompt(vm, g)
            expect_healthy(vm, g, "every plant undone")


def thread_ids(vm, g):
    """{name: tid} of the kernel's threads, as the shell's ps says."""
    out, _ = shell_then_gdb(vm, g, "ps")
    return {name: int(tid) for tid, name in
            re.findall(r"^ +(\d+)  (\w+) ", out, re.M)}


def plant_transit(g, pfn, mover):
    """Make the allocated block at pfn a block in transit moved by mover:
    out of its room, not yet handed out (its order stays)."""
    g.run("set var mem_map[%d].flags = %d" % (pfn, PG["transit"]),
          "set var mem_map[%d].owner = %d" % (pfn, mover))


def check_with_transit_count(vm, g):
    """The kernel's check and lab-check at the stop right after it, and
    the frames mm_check() found in transit (mm_check_in_transit())."""
    shell, (text, count) = shell_then_gdb(vm, g, "check", [
        "lab-check", "print/d 'check.c'::last_transit"])
    count = int(re.search(r"^\$\d+ = (\d+)$", count, re.M).group(1))
    return shell, text, count


def test_lab_check_judges_blocks_in_transit():
    """A block in transit (PG_transit, its order, its mover in owner) is
    accepted and counted when its mover may be in the middle of the move,
    and lost when it cannot be, as mm_check() judges it where its rules
    apply."""
    with Qemu(kernel=KERNEL, gdb=True, append=QUIET) as vm:
        with gdb_at_shell(vm) as g:
            out, _ = shell_then_gdb(vm, g, "alloc 2")
            pfn = int(re.search(r"^pfn (0x[0-9a-f]+) ", out, re.M).group(1),
                      16)
            tids = thread_ids(vm, g)
            refill, shell = tids["refill"], tids["shell"]
            nobody = max(tids.values()) + 30
            stop(vm, g)

            # 1. Moved by a live thread, switched out mid-move: accepted,
            # and its 4 frames counted in transit, by both.
            plant_transit(g, pfn, OWNER_THREAD_BASE + refill)
            here = g.run("lab-check")
            assert not CHECK_LINE.findall(here), here
            assert re.search(r"^lab-check: in transit: pfn %#x order 2, moved "
                             r"by thread %d \(refill\)$" % (pfn, refill),
                             here, re.M), here
            assert re.search(r"^lab-check: ok: .* 4 in transit, ", here,
                             re.M), here
            resume_at_prompt(vm, g)
            kernel, text, count = check_with_transit_count(vm, g)
            assert kernel.strip() == "mm_check: ok" and count == 4, \
                "the kernel's check, %d in transit:\n%s" % (count, kernel)
            assert "4 in transit" in text and not CHECK_LINE.findall(text), \
                text

            # 2. Moved by a thread that does not exist: lost for lab-check,
            # which sees the thread table; mm_check() accepts any thread
            # but its caller, and says ok.
            stop(vm, g)
            plant_transit(g, pfn, OWNER_THREAD_BASE + nobody)
            here = g.run("lab-check")
            want = ["mm_check: pfn %#x order 2: in transit, moved by thread "
                    "%d, which cannot be moving it now: lost (lab-check only: "
                    "there is no thread %d)" % (pfn, nobody, nobody)]
            if CHECK_LINE.findall(here) != want:
                raise TestFailure("lab-check should report exactly\n  %s\n"
                                  "it said:\n%s" % (want[0], here))
            assert re.search(r"^lab-check: 1 problem$", here, re.M), here
            assert re.search(r"^lab-check: 4 frames in transit$", here,
                             re.M), here
            resume_at_prompt(vm, g)
            kernel, text, count = check_with_transit_count(vm, g)
            assert kernel.strip() == "mm_check: ok" and count == 4, \
                "the kernel's check, %d in transit:\n%s" % (count, kernel)
            assert CHECK_LINE.findall(text) == want, text

            # 3. Moved by the shell thread: the kernel's check runs in it
            # (left by the caller), and lab-check stops in it outside the
            # allocator: lost for both, in the same words.
            stop(vm, g)
            plant_transit(g, pfn, OWNER_THREAD_BASE + shell)
            expect_planted(vm, g, [
                "mm_check: pfn %#x order 2: in transit, moved by thread %d "
                "(shell), which cannot be moving it now: lost" % (
                    pfn, shell)], "moved by the shell thread")

            # Handed out after all: allocated again, freed, ok.
            stop(vm, g)
            g.run("set var mem_map[%d].flags = %d" % (pfn, PG["head"]),
                  "set var mem_map[%d].owner = 0" % pfn)
            resume_at_prompt(vm, g)
            shell_then_gdb(vm, g, "free %#x 2" % pfn)
            expect_healthy(vm, g, "the block handed out and freed")


def test_lab_check_says_when_a_move_is_in_progress():
    """Stopped inside __buddy_take() with the zone lock held, a block is off
    its list and not yet allocated: lab-check reports it, and says why the
    stop is not quiet instead of calling it damage. One step on, the block
    is in transit, moved by the stopped code: accepted."""
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
            # Out of __zone_take(): the block is marked in transit, moved
            # by the stopped thread, which is inside the allocator, so it
            # may be mid-move: accepted and counted, not lost.
            g.run("finish")
            text = g.run("lab-check")
            assert not CHECK_LINE.findall(text), text
            assert re.search(r"^lab-check: in transit: pfn 0x[0-9a-f]+ order "
                             r"3, moved by thread \d+ \(shell\)$", text,
                             re.M), text
            assert re.search(r"^lab-check: ok: .* 8 in transit, ", text,
                             re.M), text
            assert re.search(r"^lab-check: not a quiet stop: the stopped code "
                             r"is inside the allocator \(zone_room_take, "
                             r"mm/room.c\)", text, re.M), text
            g.run("delete", "break shell_execute")
            g.resume()
            vm.wait_for(r"^pfn 0x[0-9a-f]+ .* order 3 ")
            expect_healthy(vm, g, "after the allocation")


def test_lab_check_accepts_the_block_an_interrupt_is_moving():
    """Stopped in the keyboard interrupt right after it took a page from
    its exclusive room: the page is in transit, moved by IRQ1, which is
    being served and is inside the allocator: accepted and counted, not
    lost."""
    with Qemu(kernel=KERNEL, gdb=True, qmp=True, append=QUIET) as vm:
        with gdb_at_shell(vm) as g:
            g.interrupt()
            g.run("delete", "break excl_room_take if owner == 0x101")
            g.resume()
            # QEMU drops input while the VM is stopped, and gdb says
            # "Continuing." before the stub has resumed it.
            for _ in range(1000):
                if vm.qmp().status() == "running":
                    break
                time.sleep(0.01)
            else:
                raise TestFailure("the VM did not run after continue")
            vm.qmp().send_key("a")
            g.wait_stop(r"Breakpoint \d+, excl_room_take")
            g.run("finish")
            text = g.run("lab-check")
            assert not CHECK_LINE.findall(text), text
            assert re.search(r"^lab-check: in transit: pfn 0x[0-9a-f]+ order "
                             r"0, moved by IRQ1 \(keyboard\)$", text,
                             re.M), text
            assert re.search(r"^lab-check: ok: .* 1 in transit, ", text,
                             re.M), text
            assert "stopped in an interrupt handler (depth 1)" in text, text
