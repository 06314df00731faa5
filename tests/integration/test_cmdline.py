"""Kernel command line: a bad value or an unknown parameter is reported
clearly, the default is kept, and the kernel boots on to the shell."""
import re

from testlib import KERNEL, Qemu, params

CASES = {
    "hz=5": r"cmdline: bad value '5' for hz= \(expected 19\.\.198864\); keeping the default",
    "hz=198865": r"cmdline: bad value '198865' for hz= \(expected 19\.\.198864\)",
    "loglevel=9": r"cmdline: bad value '9' for loglevel= \(expected 0\.\.7\); keeping the default",
    "bogus=1": r"cmdline: unknown parameter 'bogus' ignored",
    "hz=fast": r"cmdline: bad value 'fast' for hz=",
    "quiet": r"cmdline: unknown flag 'quiet' ignored",
    "min_free_kbytes=lots": r"^mm: min_free_kbytes=lots: expected a number",
}


@params(*CASES)
def test_bad_parameter_reported_and_boot_goes_on(arg):
    with Qemu(kernel=KERNEL, append=arg) as vm:
        vm.wait_for(r"^Labyrinth ")
        vm.wait_for(CASES[arg])
        vm.wait_for(r"^labyrinth> ")
        assert "MemTotal" in vm.command("meminfo")
        assert arg in vm.command("cmdline")


def test_good_parameters_accepted_silently():
    # QEMU puts the image's file name first: it is not an unknown flag.
    with Qemu(kernel=KERNEL, append="hz=100 loglevel=7") as vm:
        vm.wait_boot()
        assert not re.search(r"^cmdline: ", vm.text(), re.M), \
            "a valid command line was complained about"


def test_all_bad_at_once():
    with Qemu(kernel=KERNEL, append="hz=5 loglevel=9 bogus=1") as vm:
        vm.wait_boot()
        text = vm.text()
        for arg in ("hz=5", "loglevel=9", "bogus=1"):
            assert re.search(CASES[arg], text), "no message for " + arg
        assert "Commands:" in vm.command("help")


def test_too_long_line_loses_whole_words_only():
    # QEMU passes "<kernel path> <append>"; the kernel keeps 255 characters.
    # Filler puts the end of the kept part in the middle of hz=2500: the
    # word must be dropped whole and said so, not cut to hz=25.
    filler = "x" * (255 - (len(str(KERNEL)) + 1) - 1 - 5)
    with Qemu(kernel=KERNEL, append=filler + " hz=2500") as vm:
        vm.wait_boot()
        assert re.search(r"^cmdline: longer than 255 characters; ignoring "
                         r"the rest: hz=2500$", vm.text(), re.M), vm.text()
        assert "at 1000 Hz" in vm.command("uptime")
