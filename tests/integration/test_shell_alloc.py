"""The shell's experiments on the allocator: alloc takes the flag names the
views print, mistakes are explained, free tells a rate-limited report from
a printed one, refill names its rooms as labyrinth does, and stress runs
for the seconds asked whatever hz is, counting the shell's own blocks."""
import re

from testlib import KERNEL, PROMPT, Qemu

ALLOC_OK = (r"^pfn (0x[0-9a-f]+) addr 0x[0-9a-f]+ phys (0x[0-9a-f]+) "
            r"order (\d+) \(\d+ KiB\) (\S+)$")


def alloc(vm, args, shown):
    """alloc args must succeed and show the flags as `shown`; returns
    (pfn, phys, order)."""
    out = vm.command("alloc " + args)
    m = re.search(ALLOC_OK, out, re.M)
    assert m, "alloc %s:\n%s" % (args, out)
    assert m.group(4) == shown, "alloc %s shows %s, not %s" % (
        args, m.group(4), shown)
    return m.group(1), int(m.group(2), 16), m.group(3)


def command_now(vm, line):
    """Type line at once: the shell waits at its prompt, which the last
    message printed behind (vm.command() would wait for the next one)."""
    vm.send_line(line)
    vm.wait_for(re.escape(line) + r"\n")
    start = vm.pos
    m = vm.wait_for(r"^" + re.escape(PROMPT))
    return vm.text()[start:m.start()]


def free(vm, pfn, order, now=False):
    line = "free %s %s" % (pfn, order)
    out = command_now(vm, line) if now else vm.command(line)
    assert "freed pfn %s order %s" % (pfn, order) in out, out
    assert "note:" not in out, out     # it was the shell's own block


def test_alloc_flag_names_mistakes_free_reports_and_refill_names():
    with Qemu(kernel=KERNEL, mem=32) as vm:
        vm.wait_boot()
        # The names the views print, in any case, and the short words; a
        # list without a base class is GFP_KERNEL plus those flags.
        cases = [
            ("0 GFP_ATOMIC", "GFP_ATOMIC"),
            ("1 gfp_kernel|gfp_dma", "GFP_KERNEL|GFP_DMA"),
            ("0 __GFP_ZERO", "GFP_KERNEL|__GFP_ZERO"),
            ("0 dma", "GFP_KERNEL|GFP_DMA"),
            ("2 zero,nowarn", "GFP_KERNEL|__GFP_ZERO|__GFP_NOWARN"),
            ("0 Atomic,GFP_Exclusive", "GFP_ATOMIC|GFP_EXCLUSIVE"),
            ("0 GFP_KERNEL|__GFP_NOFAIL", "GFP_KERNEL|__GFP_NOFAIL"),
        ]
        for args, shown in cases:
            pfn, phys, order = alloc(vm, args, shown)
            if "DMA" in shown:
                assert phys < 16 << 20, "GFP_DMA block at %#x" % phys
            free(vm, pfn, order)
        # Every class name the labyrinth view prints is a flag list alloc
        # takes as it is.
        names = re.findall(r"^  (GFP_\S+)\s+(?:hot|DMA|Normal)",
                           vm.command("labyrinth"), re.M)
        assert "GFP_KERNEL|GFP_DMA" in names and "GFP_ATOMIC" in names, names
        for name in names:
            pfn, _, order = alloc(vm, "0 " + name, name)
            free(vm, pfn, order)

        # Mistakes say why, then the usage line.
        out = vm.command("alloc 0 bogus")
        assert re.search(r"^alloc: unknown flag 'bogus': give GFP_KERNEL, "
                         r"GFP_ATOMIC, .*__GFP_NOFAIL", out, re.M), out
        assert "usage: alloc" in out, out
        out = vm.command("alloc 0 GFP_KERNEL|")
        assert "unknown flag '' (an empty word)" in out, out
        out = vm.command("alloc x")
        assert "alloc: 'x' is not an order: give a number from 0 to " \
               "MAX_ORDER (10)" in out and "usage: alloc" in out, out
        out = vm.command("alloc 99")
        assert "alloc: order 99 is far above MAX_ORDER (10)" in out, out
        out = vm.command("alloc 11")
        assert "alloc: no block of order 11 for GFP_KERNEL: refused, order " \
               "above MAX_ORDER (10) (see mm's report above)" in out, out
        out = vm.command("alloc 0 kernel|atomic")
        assert "refused, invalid flags (see mm's report above)" in out, out
        out = vm.command("alloc 0 atomic,nofail")
        assert "__GFP_NOFAIL only with GFP_KERNEL" in out, out

        # mm prints the first 5 reports of a kind, then suppresses them:
        # free must say which happened to its own.
        pfn, _, order = alloc(vm, "0", "GFP_KERNEL")
        free(vm, pfn, order)
        for i in range(1, 8):
            out = vm.command("free %s 0" % pfn)
            assert "free: pfn %s order 0 refused: double free" % pfn in out, \
                out
            if i <= 5:
                assert "(see mm's report above)" in out, out
                assert "mm: double free in" in out, out
            else:
                assert "(mm's report was suppressed by its rate limit: " \
                       "%d double free report%s not printed since the " \
                       "last one)" % (i - 5, "" if i == 6 else "s") in out, \
                       out
                assert "mm: double free in" not in out, out
                assert "see mm's report above" not in out, out

        # refill lists the rooms under the names the labyrinth view uses.
        rooms = re.findall(r"^  (exclusive \w+)\s+\d+ pages",
                           vm.command("labyrinth"), re.M)
        listed = re.findall(r"^  (exclusive \w+): \d+ of \d+ pages$",
                            vm.command("refill"), re.M)
        assert rooms and sorted(listed) == sorted(rooms), (rooms, listed)


def test_stress_at_hz_19_runs_its_seconds_and_counts_the_shell_blocks():
    # At 19 Hz a tick is 53 ms: a run counted in 10 ms sleeps would last
    # ten times too long. The summary states the ticks the run held memory
    # and the rate; 2 s at 19 Hz is 38 ticks.
    with Qemu(kernel=KERNEL, mem=32, append="hz=19") as vm:
        vm.wait_boot()
        held, _, _ = alloc(vm, "2", "GFP_KERNEL")
        vm.command("stress 2")
        vm.wait_for(r"stress: holding \d+ pages", 30)
        # The shell frees a block it held before the run, and takes one
        # during it: both must count as accounted for. (The summary comes
        # after them: wait_for looks past what was read.)
        free(vm, held, 2, now=True)
        out = command_now(vm, "alloc 0 atomic")
        during = re.search(ALLOC_OK, out, re.M)
        m = vm.wait_for(r"stress: done after 2 s\n(.*\n){6}"
                        r"  ran:\s+(\d+) ticks at (\d+) Hz\n"
                        + re.escape(PROMPT), 60)
        summary = m.group(0)
        assert int(m.group(3)) == 19, summary
        # 38 ticks, and the last 10 ms sleep (2 ticks) or a late tick more;
        # counted in sleeps it would be 200 sleeps of 2 ticks.
        assert 38 <= int(m.group(2)) <= 38 + 19, summary
        assert "all given back" in summary, summary
        assert "MISMATCH" not in summary, summary
        assert "mm_check:        ok" in summary, summary
        if during:
            free(vm, during.group(1), 0)
        assert "Labyrinth" in vm.command("version")
