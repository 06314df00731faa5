"""The PS/2 keyboard: keys pressed through QMP reach the shell."""
import re
import subprocess

from testlib import KERNEL, Qemu, skip


def _has_keyboard_driver():
    nm = subprocess.run(["bash", "-c", "nm %s 2>/dev/null || "
                         "i686-linux-gnu-nm %s" % (KERNEL, KERNEL)],
                        capture_output=True, text=True).stdout
    return re.search(r" [Tt] (kbd_irq|keyboard_irq|kbd_init|keyboard_init|i8042_\w+)\b", nm)


def test_keys_typed_on_the_keyboard_run_a_command():
    if not _has_keyboard_driver():
        skip("no keyboard interrupt handler in this kernel yet")
    with Qemu(kernel=KERNEL, qmp=True) as vm:
        vm.wait_boot()
        # Keys sent before the shell is ready may be lost: only after the prompt.
        vm.qmp().type_text("version\n")
        vm.wait_for(r"^version$")
        vm.wait_for(r"^Labyrinth ")
        vm.qmp().type_text("hlep\b\b\belp\n")
        vm.wait_for(r"Commands:")
        assert vm.qmp().status() == "running"
