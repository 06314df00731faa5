"""lab-page, lab-freelist and the struct page / struct zone printers, at a
stop right after a shell command: what they say about a frame must match
what the shell did to it (alloc, free) and what the shell's views print.

lab-freelist is also checked against a walk of the same list done with
plain gdb expressions (mem_map[pfn].next), without the helpers.

A block in transit (PG_transit, planted with gdb on an allocated block)
is named with its order and its mover, at its head and at its tails.
"""
import re

from testlib import (KERNEL, QUIET, Qemu, TestFailure, gdb_at_shell,
                     shell_then_gdb)


def alloc(vm, g, words, gdb_commands=()):
    """alloc at the shell; the block's pfn and gdb's outputs at the stop."""
    out, outs = shell_then_gdb(vm, g, "alloc " + words, gdb_commands)
    m = re.search(r"^pfn (0x[0-9a-f]+) addr (0x[0-9a-f]+) ", out, re.M)
    if not m:
        raise TestFailure("alloc %s failed:\n%s" % (words, out))
    return int(m.group(1), 16), int(m.group(2), 16)


def expect(text, pattern, what):
    if not re.search(pattern, text, re.M):
        raise TestFailure("%s: no /%s/ in:\n%s" % (what, pattern, text))


def test_lab_page_follows_frames_through_the_rooms():
    with Qemu(kernel=KERNEL, gdb=True, append=QUIET) as vm:
        with gdb_at_shell(vm) as g:
            pfn, addr = alloc(vm, g, "2")
            _, (head, tail, by_addr, by_ptr, printed) = shell_then_gdb(
                vm, g, "version", [
                    "lab-page %#x" % pfn, "lab-page %#x" % (pfn + 2),
                    "lab-page %#x" % addr, "lab-page &mem_map[%#x]" % pfn,
                    "print mem_map[%#x]" % pfn])
            span = "%#x-%#x" % (pfn, pfn + 3)
            expect(head, r"^page %#x: phys %#x, virt %#x, zone \w+$" % (
                pfn, pfn << 12, addr), "lab-page head")
            expect(head, r"^  struct page at 0x[0-9a-f]+: flags 0x10 "
                   r"\(head\), order 2, ", "lab-page head")
            expect(head, r"^  allocated: head of the block %s \(order 2\)$"
                   % span, "lab-page head")
            expect(tail, r"^  allocated: frame 2 of the block %s \(order 2\)$"
                   % span, "lab-page tail")
            assert by_addr == head and by_ptr == head, \
                "lab-page by address or struct page * differs:\n%s\n%s\n%s" % (
                    head, by_addr, by_ptr)
            expect(printed, r"^\$\d+ = \{pfn %#x, head, order 2\}$" % pfn,
                   "print mem_map[pfn]")

            _, (freed,) = shell_then_gdb(vm, g, "free %#x 2" % pfn,
                                         ["lab-page %#x" % pfn])
            # Back in a zone room: the head of a free block, or a frame
            # inside a bigger one it merged into.
            expect(freed, r"^  free: (head of the block %#x-|frame \d+ of the "
                   r"block 0x[0-9a-f]+-0x[0-9a-f]+ \(order \d+\) in zone "
                   r"\w+'s room)" % pfn, "lab-page after free")

            # The other rooms: hot, exclusive, pool; reserved frames.
            hot, _ = alloc(vm, g, "0 atomic")
            _, (text, printed, count) = shell_then_gdb(
                vm, g, "free %#x 0" % hot,
                ["lab-page %#x" % hot, "print mem_map[%#x]" % hot,
                 "print hot_rooms[0].count"])
            count = int(re.search(r"^\$\d+ = (\d+)$", count, re.M).group(1))
            # A free pushes on top of the hot room's stack.
            expect(text, r"^  free: in the hot room \(cpu 0\), stack slot %d "
                   r"of %d$" % (count - 1, count), "hot page")
            expect(printed, r"= \{pfn %#x, hot(\|poisoned)?\}$" % hot,
                   "print of a hot page")

            _, (found,) = shell_then_gdb(vm, g, "version", [
                "python from labgdb import core; m = core.MemMap(); "
                "print('pool', [p for p, f in enumerate(m.flags) "
                "if f == core.PG_POOL][:1], 'excl', [p for p, f in "
                "enumerate(m.flags) if f == core.PG_HEAD | core.PG_EXCLUSIVE]"
                "[:1])"])
            m = re.search(r"pool \[(\d+)\] excl \[(\d+)\]", found)
            assert m, "no pool page or exclusive page found:\n" + found
            pool, excl = int(m.group(1)), int(m.group(2))
            _, (p, e, r, pz, bad1, bad2, bad3) = shell_then_gdb(
                vm, g, "version", [
                    "lab-page %d" % pool, "lab-page %d" % excl, "lab-page 0",
                    "print zones[ZONE_NORMAL]", "lab-page 0x7fffffff",
                    "lab-freelist Floor 1", "lab-freelist Normal 11"])
            expect(p, r"^  free: in exclusive room \d+ '(keyboard|sampler)' "
                   r"\(owner IRQ[01] \((keyboard|timer)\)\), zero-filled$",
                   "pool page")
            expect(e, r"^    exclusive: owner IRQ[01] \((keyboard|timer)\)",
                   "exclusive page")
            expect(r, r"^  reserved: never handed to the allocator", "frame 0")
            expect(pz, r"^\$\d+ = \{zone Normal: pfns 0x1000-0x[0-9a-f]+, "
                   r"present \d+, free \d+, watermarks min \d+ low \d+ high "
                   r"\d+, blocks( \d+){11}, lock free\}$", "print zones[1]")
            expect(bad1, r"^lab-page: no frame 0x7fffffff: frames end at "
                   r"max_pfn 0x[0-9a-f]+", "a frame past max_pfn")
            expect(bad2, r"^lab-freelist: no zone 'Floor' \(zones: DMA, "
                   r"Normal\)$", "an unknown zone")
            expect(bad3, r"^lab-freelist: order 11: orders are 0 to 10$",
                   "an order past MAX_ORDER")


def test_lab_page_names_a_block_in_transit_and_its_mover():
    with Qemu(kernel=KERNEL, gdb=True, append=QUIET) as vm:
        with gdb_at_shell(vm) as g:
            pfn, _ = alloc(vm, g, "2")
            span = "%#x-%#x" % (pfn, pfn + 3)
            ps, _ = shell_then_gdb(vm, g, "ps")
            refill = int(re.search(r"^ +(\d+)  refill ", ps, re.M).group(1))
            # Out of its room, moved by the refill thread (switched out
            # mid-move, as far as anyone can tell), then by IRQ1, which is
            # not being served at this stop: that move never ends.
            _, (_, _, head, tail, printed, _, by_irq) = shell_then_gdb(
                vm, g, "version", [
                    "set var mem_map[%#x].flags = 0x80" % pfn,  # PG_transit
                    "set var mem_map[%#x].owner = %#x" % (
                        pfn, 0x1000 + refill),              # the thread
                    "lab-page %#x" % pfn, "lab-page %#x" % (pfn + 3),
                    "print mem_map[%#x]" % pfn,
                    "set var mem_map[%#x].owner = 0x101" % pfn,   # IRQ1
                    "lab-page %#x" % pfn])
            mover = r"thread %d \(refill\)" % refill
            expect(head, r"^  struct page at 0x[0-9a-f]+: flags 0x80 "
                   r"\(transit\), order 2, ", "transit head")
            expect(head, r"^  owner %#x \(%s\), " % (0x1000 + refill, mover),
                   "transit head")
            expect(head, r"^  in transit \(order 2, moved by %s\): head of "
                   r"the block %s, " % (mover, span), "transit head")
            expect(head, r"^    its mover may be in the middle of the move "
                   r"now$", "transit head")
            expect(tail, r"^  in transit \(order 2, moved by %s\): frame 3 "
                   r"of the block %s$" % (mover, span), "transit tail")
            expect(tail, r"^    its head: lab-page %#x$" % pfn, "transit tail")
            expect(printed, r"^\$\d+ = \{pfn %#x, transit, order 2, moved "
                   r"by %s\}$" % (pfn, mover), "print of a transit head")
            expect(by_irq, r"^  in transit \(order 2, moved by IRQ1 "
                   r"\(keyboard\)\): head of the block %s, " % span,
                   "moved by IRQ1")
            expect(by_irq, r"^    lost: its mover cannot be moving it now "
                   r"\(IRQ1 is not being served\)$", "moved by IRQ1")
            # Handed out after all, and freed.
            shell_then_gdb(vm, g, "version", [
                "set var mem_map[%#x].flags = 0x10" % pfn,    # PG_head
                "set var mem_map[%#x].owner = 0" % pfn])
            out, _ = shell_then_gdb(vm, g, "free %#x 2" % pfn)
            out, _ = shell_then_gdb(vm, g, "check")
            assert out.strip() == "mm_check: ok", out


def raw_walk(g, zone, order):
    """The pfns on a free list, read with plain gdb expressions."""
    lst = "zones[%s].free_area[%d].free_list.first" % (zone, order)
    pfns = []
    cur = int(re.search(r"^\$\d+ = (\d+)$", g.run("print/u " + lst),
                        re.M).group(1))
    while cur != 0xffffffff:
        pfns.append(cur)
        if len(pfns) > 100000:
            raise TestFailure("the list loops")
        out = g.run("print/u mem_map[%d].next" % cur)
        cur = int(re.search(r"^\$\d+ = (\d+)$", out, re.M).group(1))
    return pfns


def test_lab_freelist_matches_buddyinfo_and_the_list_itself():
    with Qemu(kernel=KERNEL, gdb=True, append=QUIET) as vm:
        with gdb_at_shell(vm) as g:
            alloc(vm, g, "0")               # split blocks: short lists
            lists = ["lab-freelist %s %d all" % (z, o)
                     for z in ("DMA", "Normal") for o in range(11)]
            shell, outs = shell_then_gdb(vm, g, "buddyinfo", lists)
            rows = dict(re.findall(r"^zone +(\w+):((?: +\d+)+)$", shell, re.M))
            for text, cmd in zip(outs, lists):
                _, zone, order, _ = cmd.split()
                want = int(rows[zone].split()[int(order)])
                expect(text, r"^zone %s order %s: nr_free %d, %d on the list$"
                       % (zone, order, want, want), cmd)
            # Walk one list by hand and compare block by block.
            g.interrupt()
            order = 10
            listed = re.findall(r"^  (0x[0-9a-f]+)-", outs[order], re.M)
            walked = raw_walk(g, "ZONE_DMA", order)
            assert [int(p, 16) for p in listed] == walked, \
                "lab-freelist DMA 10 lists %s, the list holds %s" % (
                    listed, [hex(p) for p in walked])
            short = g.run("lab-freelist Normal 10 3")
            expect(short, r"^  \.\.\. \d+ more \(lab-freelist Normal 10 "
                   r"all\)$", "a list cut at 3")
