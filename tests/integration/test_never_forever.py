"""GFP_KERNEL never waits forever (DESIGN.md, include/mm/sleep.h).

An order above 3 gives up after one wait that brought no larger free
block; a smaller order gives up after mm_wait_ms; the shell's alloc can be
ended with Ctrl-C while it waits. Each case must come back to the prompt
with a message that says what happened: before the rule, these froze the
shell for good.

The times checked are the kernel's own (jiffies, in the messages), not
the wall clock, so a loaded machine does not change the verdict.
"""
import re

from testlib import KERNEL, PROMPT, Qemu

WAIT_MS_DEFAULT = 3000


def take_everything(vm):
    """Take every free page with GFP_ATOMIC (reserve included), largest
    blocks first: nothing is left for GFP_KERNEL, which stays above low."""
    held = []
    for order in range(10, -1, -1):
        while True:
            out = vm.command("alloc %d atomic,nowarn" % order)
            m = re.search(r"^free it with: free (0x[0-9a-f]+) (\d+)$", out,
                          re.M)
            if not m:
                assert "alloc: no block" in out, out
                break
            held.append((m.group(1), m.group(2)))
    assert held, "nothing could be taken"
    return held


def costly_gives_up(vm, line, flags_shown):
    """line fails with the costly-order rule, before the bound; returns ms."""
    out = vm.command(line, timeout=WAIT_MS_DEFAULT / 1000 + 20)
    m = re.search(r"^alloc: no block of order 10 for %s after (\d+) ms: it "
                  r"gives up after a wait that brings no larger free block: "
                  r"order 10 is costly \(above 3\) \(see mm's report "
                  r"above\)$" % re.escape(flags_shown), out, re.M)
    assert m, out
    rep = re.search(r"^mm:   page allocation failure: %s, .*; gave up after "
                    r"(\d+) ms: order 10 is costly and the wait brought no "
                    r"larger free block" % re.escape(flags_shown), out, re.M)
    assert rep, out
    assert re.search(r"caller alloc_interruptible\b", out), out
    return int(m.group(1))


def test_costly_alloc_on_8_mib_then_ctrl_c_ends_a_small_wait():
    # At -m 8 the largest free block is order 9. The bound is long here
    # (20 s), so a give-up well before it is the costly rule at work: one
    # wait, ended by the next free (the sampler frees a block every half
    # second), brought no larger block.
    with Qemu(kernel=KERNEL, mem=8, append="mm_wait_ms=20000") as vm:
        vm.wait_boot()
        assert re.search(r"^zone\s+DMA:(\s+\d+){9}\s+[1-9]\d*\s+0$",
                         vm.command("buddyinfo"), re.M)
        ms = costly_gives_up(vm, "alloc 10", "GFP_KERNEL")
        assert ms < 3000, "order 10 waited %d ms: not one short wait" % ms
        assert "Labyrinth" in vm.command("version")

        # Now nothing is free: an order-1 GFP_KERNEL alloc sleeps (the bound
        # is 20 s), and Ctrl-C over serial ends it.
        take_everything(vm)
        vm.send_line("alloc 1")
        vm.wait_for(r"alloc 1\n")
        vm.expect_no(r"^alloc:", 2)
        vm.send("\x03")
        m = vm.wait_for(r"^\^C\nalloc: interrupted after (\d+) ms: no block "
                        r"of order 1 for GFP_KERNEL$", 10)
        assert int(m.group(1)) < 20000, m.group(0)
        vm.wait_for(r"^" + re.escape(PROMPT))
        out = vm.command("labyrinth")
        assert re.search(r"interrupted 1 \(mm_wait_ms=20000\)", out), out

        # The interrupt went to that wait only: Ctrl-C at the prompt still
        # drops the line being typed, as before.
        vm.send("halt\x03")
        vm.wait_for(r"\^C\n" + re.escape(PROMPT))
        assert "Labyrinth" in vm.command("version")


def test_fourth_dma_order_10_at_128_mib_and_bad_parameters_once():
    # The DMA zone (16 MiB) holds three order-10 blocks; a fourth cannot
    # come. Bad mm parameters on the same command line are each reported
    # once, and the defaults stay.
    with Qemu(kernel=KERNEL, mem=128,
              append="mm_wait_ms=soon min_free_kbytes=lots") as vm:
        vm.wait_boot()
        boot = vm.text()
        for param, value in (("mm_wait_ms", "soon"),
                             ("min_free_kbytes", "lots")):
            # The "Command line:" echo, and one report.
            lines = [l for l in boot.splitlines() if value in l]
            assert len(lines) == 2, "\n".join(lines)
            assert re.match(r"mm: %s=%s: expected a number from \d+ to \d+; "
                            r"keeping the default$" % (param, value),
                            lines[1]), lines[1]
        for _ in range(3):
            out = vm.command("alloc 10 kernel,dma")
            assert re.search(r"order 10 \(4096 KiB\) GFP_KERNEL\|GFP_DMA$",
                             out, re.M), out
        ms = costly_gives_up(vm, "alloc 10 kernel,dma", "GFP_KERNEL|GFP_DMA")
        assert ms <= WAIT_MS_DEFAULT + 100, ms
        out = vm.command("labyrinth")
        assert re.search(r"gave up 1, interrupted 0 \(mm_wait_ms=%d\)"
                         % WAIT_MS_DEFAULT, out), out


def test_keyboard_ctrl_c_reaches_a_wait_behind_a_full_input_ring():
    # alloc ... nofail waits on by design (at 8 MiB no order-10 block can
    # come): only Ctrl-C ends it. Keys typed on the PS/2 keyboard meanwhile
    # fill the shell's 256-byte input ring, and the console thread would
    # leave the rest in their pages until the shell reads again; a Ctrl-C
    # typed behind them must still reach the wait. (The serial console's
    # Ctrl-C never queues behind anything: this is the keyboard's case.)
    with Qemu(kernel=KERNEL, qmp=True, mem=8) as vm:
        vm.wait_boot()
        q = vm.qmp()
        vm.send_line("alloc 10 nofail")
        vm.wait_for(r"alloc 10 nofail\n")
        vm.expect_no(r"^alloc:", 1)
        q.type_text("a" * 280, delay=0.005)
        vm.expect_no(r"^alloc:", 1)          # still waiting, ring full
        q.execute("send-key", keys=[{"type": "qcode", "data": "ctrl"},
                                    {"type": "qcode", "data": "c"}])
        m = vm.wait_for(r"^alloc: interrupted after (\d+) ms: no block of "
                        r"order 10 for GFP_KERNEL\|__GFP_NOFAIL$", 20)
        assert int(m.group(1)) > 0, m.group(0)
        # The shell now reads the a's: one line too long. End it on the
        # keyboard too, behind them (a serial Enter could find the ring
        # still full, and be refused).
        q.send_key("ret")
        vm.wait_for(r"^line too long .*\n" + re.escape(PROMPT))
        kbd = vm.command("kbd")
        refused = re.search(r"shell ring: (\d+) characters refused", kbd)
        assert refused and int(refused.group(1)) > 0, \
            "the ring never filled:\n" + kbd
        assert re.search(r"balance:\s+ok", kbd), kbd
