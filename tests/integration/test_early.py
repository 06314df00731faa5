"""Before the kernel can help itself: a CPU that lacks what the kernel uses,
and an exception before arch_init() loads the IDT. Each must say so in a
clear line on the serial port and on the VGA screen, then halt the CPU with
QEMU still up (under -no-reboot a triple fault would end QEMU instead: the
silent failure these checks replace). boot/early.asm does both.
"""
import re
import struct
import time

from testlib import KERNEL, TEST_KERNEL, Qemu, TestFailure, params

NEEDS = (r"It needs an i686 \(Pentium Pro or later\): CPUID, PSE, TSC, CMOV: "
         r"System halted")

# QEMU CPU models (qemu-system-i386 -cpu help) and what each lacks.
CPUS = {
    "486": "it lacks TSC (rdtsc) CMOV",          # CPUID with PSE only
    "pentium": "it lacks CMOV",
    "pentium2,-pse": "it lacks PSE (4 MiB pages)",
    "486,level=0": "its CPUID tells no features",
}


def _assert_halted(vm):
    """The CPU sits in HLT with QEMU up: no reset, no triple fault."""
    deadline = time.monotonic() + 10
    while True:
        if not vm.alive():
            raise TestFailure("QEMU exited (status %s): a reset or triple "
                              "fault instead of a halt" % vm.proc.poll())
        regs = vm.qmp().hmp("info registers")
        if re.search(r"\bHLT=1\b", regs):
            return
        if time.monotonic() > deadline:
            raise TestFailure("the CPU is not halted:\n" + regs)
        time.sleep(0.05)


def _assert_on_screen(vm, line):
    rows = vm.vga_rows()
    if line not in rows:
        raise TestFailure("%r is not on the VGA screen; it shows:\n%s"
                          % (line, "\n".join(rows)))


@params(*CPUS)
def test_cpu_lacking_a_feature_says_so_and_halts(cpu):
    with Qemu(kernel=KERNEL, qmp=True, extra=["-cpu", cpu]) as vm:
        # Whatever comes first: the check's line, or what it should prevent.
        m = vm.wait_for(r"^(Labyrinth cannot run on this CPU: (.*)|"
                        r"early exception .*|Labyrinth \d.*)$")
        assert m.group(2) == CPUS[cpu], "expected %r, got %r" % (
            "Labyrinth cannot run on this CPU: " + CPUS[cpu], m.group(1))
        vm.wait_for("^" + NEEDS + "$")
        _assert_halted(vm)
        assert not re.search(r"^Labyrinth \d", vm.text(), re.M), \
            "the kernel started on a CPU it cannot run on"
        _assert_on_screen(vm, m.group(0))


def _symbol_at(elf, addr):
    """The function of an ELF32 file that holds addr, from its symtab."""
    with open(elf, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<I", data, 32)
    shentsize, shnum = struct.unpack_from("<HH", data, 46)
    sections = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize)
                for i in range(shnum)]
    for sh in sections:
        if sh[1] != 2:                  # SHT_SYMTAB
            continue
        strtab = sections[sh[6]]
        for off in range(sh[4], sh[4] + sh[5], sh[9]):
            name, value, size, info = struct.unpack_from("<IIIB", data, off)
            if info & 0xF == 2 and value <= addr < value + size:  # STT_FUNC
                end = data.index(b"\0", strtab[4] + name)
                return data[strtab[4] + name:end].decode()
    return None


EXCEPTIONS = {
    "pagefault": (14, "Page fault"),
    "invalid-opcode": (6, "Invalid opcode"),
}


@params(*EXCEPTIONS)
def test_exception_before_the_idt_says_so_and_halts(kind):
    vector, name = EXCEPTIONS[kind]
    with Qemu(kernel=TEST_KERNEL, qmp=True, append="fault=early-" + kind) as vm:
        vm.wait_for(r"provoking a fault: " + kind)
        m = vm.wait_for(r"^early exception (\d+) \(([^)]+)\) at EIP "
                        r"0x([0-9a-f]{8}) before the IDT was set up$")
        assert (int(m.group(1)), m.group(2)) == (vector, name), m.group(0)
        where = _symbol_at(TEST_KERNEL, int(m.group(3), 16))
        assert where == "provoke_fault", "EIP %s is in %s" % (m.group(3), where)
        e = vm.wait_for(r"^error code 0x([0-9a-f]{8}), CR2 0x([0-9a-f]{8}): "
                        r"System halted$")
        if kind == "pagefault":
            # A write to the NULL page, not present: error code 2, CR2 0.
            assert (int(e.group(1), 16), int(e.group(2), 16)) == (2, 0), \
                e.group(0)
        _assert_halted(vm)
        assert "x86: GDT, IDT" not in vm.text(), "arch_init() ran"
        _assert_on_screen(vm, m.group(0))
