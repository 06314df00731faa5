"""GFP_KERNEL from the keyboard handler: reported, served, and the kernel
runs on.

The test kernel, booted with kbd_test=gfp_kernel, makes the IRQ1 handler
call alloc_page(GFP_KERNEL) (tests/kernel/test_kbd.c: kbd_irq_test_hook).
mm/ must report "sleeping allocation in atomic context" with the caller and
a backtrace through the keyboard handler, serve it without sleeping, and
the keys must still reach the shell.
"""
import re

from testlib import KERNEL, PROMPT, TEST_KERNEL, Qemu


def test_gfp_kernel_in_keyboard_irq_is_reported_and_survived():
    with Qemu(kernel=TEST_KERNEL, append="kbd_test=gfp_kernel",
              qmp=True) as vm:
        vm.wait_boot()
        q = vm.qmp()
        q.type_text("version\n")
        report = vm.wait_for(r"sleeping allocation in atomic context"
                             r"(.*\n){1,30}?.*\bkbd_irq\b.*$", 20)
        text = report.group(0)
        assert "kbd_irq_test_hook" in text, text
        assert re.search(r"IRQ1 \(keyboard\)", text), text
        # The keys went on to the shell, and it answers on both consoles.
        vm.wait_for(r"^Labyrinth \S+ \(i686\)$")
        vm.wait_for(re.escape(PROMPT))
        assert "Labyrinth" in vm.command("version")
        q.type_text("kbd\n")
        vm.wait_for(r"balance:\s+ok")
        out = vm.command("kbd")
        assert re.search(r"dropped:\s+0\b", out), out
        # Reported once per call site, not once per key.
        assert vm.text().count("sleeping allocation (GFP_KERNEL)") == 1, \
            vm.text()


def test_alloc_and_free_from_the_shell_with_mistakes_refused():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        out = vm.command("alloc 2 atomic,zero")
        m = re.search(r"pfn (0x[0-9a-f]+) addr (0x[0-9a-f]+) .*order 2 "
                      r"\(16 KiB\) GFP_ATOMIC\|__GFP_ZERO", out)
        assert m, out
        pfn, addr = m.group(1), m.group(2)
        assert "freed pfn %s order 2" % pfn in vm.command("free %s 2" % addr)
        # The same block again: mm/ reports the double free, refuses it.
        out = vm.command("free %s 2" % pfn)
        assert "double free" in out and "refused" in out, out
        out = vm.command("alloc 0 kernel|exclusive")
        pfn = re.search(r"pfn (0x[0-9a-f]+)", out).group(1)
        out = vm.command("free %s 1" % pfn)         # the wrong order
        assert "refused" in out, out
        assert "freed" in vm.command("free %s 0" % pfn)
        out = vm.command("alloc 11")                # above MAX_ORDER
        assert "alloc: no block of order 11" in out, out
        out = vm.command("alloc 0 kernel|atomic")   # two base classes
        assert "alloc: no block" in out, out
        out = vm.command("alloc 0 bogus")
        assert "unknown flag 'bogus'" in out and "usage: alloc" in out, out
        assert "usage: free" in vm.command("free 12")
        out = vm.command("free 0x12345000 0")
        assert "past the last frame" in out, out
        assert "not page aligned" in vm.command("free 0xc0100004 0")
        assert "Labyrinth" in vm.command("version")
