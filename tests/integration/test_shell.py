"""The shell on the serial console: commands answer, mistakes are explained."""
import re

from testlib import KERNEL, Qemu


def test_help_lists_commands():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        out = vm.command("help")
        assert "Commands:" in out, out
        for name in ("help", "meminfo", "halt"):
            assert re.search(r"^\s+%s\s" % name, out, re.M), \
                "help does not list %s:\n%s" % (name, out)


def test_meminfo_prints_memtotal():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        out = vm.command("meminfo")
        m = re.search(r"^MemTotal:\s+(\d+) kB$", out, re.M)
        assert m, "no 'MemTotal: N kB' line:\n" + out
        assert int(m.group(1)) > 64 * 1024, out
        assert re.search(r"^MemFree:\s+\d+ kB$", out, re.M), out


def test_unknown_command_is_explained_and_shell_goes_on():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        out = vm.command("frobnicate now")
        assert "frobnicate: unknown command" in out, out
        # The shell still answers, more than once.
        assert "Labyrinth" in vm.command("version")
        assert "Commands:" in vm.command("help")


def test_usage_on_bad_arguments():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        out = vm.command("meminfo extra words")
        assert "usage: meminfo" in out, out
        assert "unknown command" in vm.command("nosuchcommand")


def test_line_editing_backspace_and_ctrl_u():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        # "helz" + backspace + "p" is "help"; ^U drops "garbage".
        vm.send("garbage\x15helz\x7fp\r")
        vm.wait_for(r"Commands:")
        vm.wait_for(r"^labyrinth> ")
        assert "garbage" not in vm.command("version")


def test_empty_lines_and_many_commands():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        for _ in range(3):
            vm.command("")
        for i in range(20):
            assert "MemTotal" in vm.command("meminfo"), "answer %d missing" % i


def test_too_long_line_is_refused_whole():
    # Cutting the line would run "alloc 0 atomic" without its last word.
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        # The echo stops at the buffer's end, so wait for the verdict.
        start = vm.pos
        vm.send("alloc 0 atomic" + " " * 120 + "zero\r")
        vm.wait_for(r"line too long \(at most 127 characters\); ignored\n")
        assert "Labyrinth" in vm.command("version")
        after = vm.text()[start:]
        assert not re.search(r"allocated|pfn", after), after
        # Backspace over the lost characters too, then what is left runs.
        vm.send("x" * 130 + "\b" * 130 + "ticks\r")
        vm.wait_for(r"^\d+\n")
