"""GFP_KERNEL from the keyboard handler: reported, served, and the kernel
runs on.

The test kernel, booted with kbd_test=gfp_kernel, makes the IRQ1 handler
call alloc_page(GFP_KERNEL) (tests/kernel/test_kbd.c: kbd_irq_test_hook).
mm/ must report "sleeping allocation in atomic context" with the caller and
a backtrace through the keyboard handler, serve it without sleeping, and
the keys must still reach the shell.
"""
import re

from testlib import PROMPT, TEST_KERNEL, Qemu


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
