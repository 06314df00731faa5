"""Booting: by QEMU's -kernel, by GRUB from the ISO, by `make run`; the image.

Each boot must reach the banner ("Labyrinth ...") and the shell prompt.
"""
import re
import struct
import subprocess
import time

from testlib import (ISO, KERNEL, PROMPT, TEST_KERNEL, ConsoleProcess, Qemu,
                     TestFailure)

MULTIBOOT_MAGIC = 0x1BADB002


def test_kernel_boots_to_prompt():
    with Qemu(kernel=KERNEL) as vm:
        banner = vm.wait_boot()
        assert banner.startswith("Labyrinth "), banner
        # QEMU passes the kernel's file name first on the command line.
        assert re.search(r"^Command line: \S*kernel\.elf", vm.text(), re.M)
        assert vm.alive()


def test_iso_boots_to_prompt():
    # GRUB paints the serial line with ANSI escapes first: markers only.
    # The ISO built without APPEND has an empty command line, as make run:
    # test_make's run-iso test passes one.
    with Qemu(cdrom=ISO) as vm:
        vm.wait_boot()
        out = vm.command("cmdline")
        assert out.strip() == "", "command line %r from an ISO built " \
            "without APPEND" % out


def _multiboot_header_offset(path):
    """Offset of a valid Multiboot v1 header in the first 8 KiB, or None."""
    with open(path, "rb") as f:
        head = f.read(8192)
    for off in range(0, len(head) - 12, 4):
        magic, flags, checksum = struct.unpack_from("<III", head, off)
        if magic == MULTIBOOT_MAGIC and (magic + flags + checksum) & 0xFFFFFFFF == 0:
            return off
    return None


def test_kernel_images_are_multiboot():
    for elf in (KERNEL, TEST_KERNEL):
        r = subprocess.run(["grub-file", "--is-x86-multiboot", elf])
        assert r.returncode == 0, "grub-file: %s is not a Multiboot image" % elf
        off = _multiboot_header_offset(elf)
        assert off is not None, "no Multiboot header in the first 8 KiB of %s" % elf
        with open(elf, "rb") as f:
            ident = f.read(5)
        assert ident == b"\x7fELF\x01", "%s is not an ELF32 file" % elf


def test_vga_console_shows_banner():
    # The VGA path compiled in and used: banner and prompt on the screen.
    with Qemu(kernel=KERNEL, qmp=True) as vm:
        vm.wait_boot()
        deadline = time.monotonic() + 5     # the serial line may be ahead
        while True:
            rows = vm.vga_rows()
            if any(r.startswith("Labyrinth ") for r in rows) and \
               any(r.startswith(PROMPT.strip()) for r in rows):
                return
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        raise TestFailure("banner and prompt not both on the VGA screen; "
                          "it shows:\n" + "\n".join(rows))


def test_make_run():
    # Exactly what a student types. -serial mon:stdio: Ctrl-A x quits.
    with ConsoleProcess(["make", "-s", "run"], "make run") as run:
        run.wait_for(r"^Labyrinth ")
        run.wait_for(re.escape(PROMPT))
        out = run.command("version")
        assert "Labyrinth" in out, out
        run.send(b"\x01x")
        status = run.wait_exit(10)
        assert status is not None, "Ctrl-A x did not end make run"


def test_halt_command_powers_qemu_off():
    with Qemu(kernel=KERNEL, qmp=True) as vm:
        qmp = vm.qmp()
        vm.wait_boot()
        vm.send_line("halt")
        vm.wait_for(r"System halted")
        # An ACPI power-off: status 0, as a reset under -no-reboot gives
        # too, so QEMU's event must say which one it was.
        event = qmp.wait_event("SHUTDOWN")
        assert event["data"].get("reason") == "guest-shutdown", event
        status = vm.wait_exit(10)
        assert status == 0, "QEMU status %r after halt" % status
