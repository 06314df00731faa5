"""Memory sizes: the memory map the kernel prints and the MemTotal it
reports match what QEMU was given, up to the end of the 896 MiB direct map.

QEMU's PC machine (-m N MiB) puts RAM at 0..N below 4 GiB when N < 3.5 GiB;
from 3.5 GiB up, only 3 GiB stay below the PCI hole and the rest moves above
4 GiB. Its map: usable 0-639 KiB, usable 1 MiB to the top minus 128 KiB,
128 KiB reserved at the top. The kernel manages [1 MiB, min(top, 896 MiB))
less its image and mem_map.
"""
import re
import struct

from testlib import KERNEL, Qemu, params

MIB = 1 << 20
DIRECT_MAP = 896 * MIB
MEMMAP_BYTES_PER_PAGE = 64      # generous: the design aims at 16 (Linux: 64)
SLACK = 256 * 1024              # Multiboot structures, alignment


def qemu_layout(mib):
    """(bytes below 4 GiB, bytes above 4 GiB) for -m mib on QEMU's pc."""
    ram = mib * MIB
    below = ram if ram < 0xE0000000 else 0xC0000000
    return below, ram - below


def image_bytes(elf):
    """Physical span of the kernel's loadable segments (text to .bss end)."""
    with open(elf, "rb") as f:
        data = f.read()
    phoff, = struct.unpack_from("<I", data, 28)
    phentsize, phnum = struct.unpack_from("<HH", data, 42)
    lo, hi = None, 0
    for i in range(phnum):
        p_type, _, _, paddr, _, memsz = struct.unpack_from(
            "<IIIIII", data, phoff + i * phentsize)
        if p_type == 1 and memsz:
            lo = paddr if lo is None else min(lo, paddr)
            hi = max(hi, paddr + memsz)
    return hi - lo


def announced_bytes(m):
    """Bytes from a "N KiB" / "N MiB" match (groups: number, unit)."""
    return int(m.group(1)) << {"KiB": 10, "MiB": 20}[m.group(2)]


# 897: 896 KiB lie above the direct map, a size that is not whole MiB.
@params(8, 16, 17, 64, 512, 897, 1024, 3584)
def test_memory_size(mib):
    below, above = qemu_layout(mib)
    top = below - 128 * 1024                    # first byte of the BIOS' 128 KiB
    managed_top = min(top, DIRECT_MAP)
    upper = (managed_top - MIB) // 1024         # KiB the allocator could get
    lower = upper - (image_bytes(KERNEL) + (managed_top // 4096) *
                     MEMMAP_BYTES_PER_PAGE + SLACK) // 1024

    with Qemu(kernel=KERNEL, mem=mib) as vm:
        vm.wait_for(r"^Memory map from the boot loader:")
        entry = r"^\s+0x0*100000-0x0*%x\s+(\d+) KiB\s+usable$" % (top - 1)
        m = vm.wait_for(entry)
        assert int(m.group(1)) == (top - MIB) // 1024, m.group(0)
        m = vm.wait_for(r"^bootmem: (\d+) KiB of (\d+) KiB usable RAM handed")
        handed, usable = int(m.group(1)), int(m.group(2))
        assert usable == 639 + (top - MIB) // 1024 + above // 1024, \
            "usable RAM %d KiB, expected %d" % (usable, 639 + (top - MIB) // 1024 + above // 1024)
        assert lower <= handed <= upper, "handed %d KiB, expected %d..%d" % (handed, lower, upper)
        vm.wait_for(r"^labyrinth> ")
        boot_log = vm.text()

        out = vm.command("meminfo")
        m = re.search(r"^MemTotal:\s+(\d+) kB$", out, re.M)
        assert m, "no MemTotal in:\n" + out
        total = int(m.group(1))
        assert lower <= total <= upper, \
            "-m %d: MemTotal %d kB, expected %d..%d kB" % (mib, total, lower, upper)

    # Exact sizes: in MiB when whole, else KiB ("896 KiB", not "0 MiB").
    unmanaged = re.search(r"bootmem: (\d+) (KiB|MiB) above the 896 MiB direct "
                          r"map is not managed", boot_log)
    if top > DIRECT_MAP:
        want = top - DIRECT_MAP
        assert unmanaged, "no 'not managed' announcement for -m %d" % mib
        assert announced_bytes(unmanaged) == want, \
            "announced %r; expected %d KiB" % (unmanaged.group(0), want >> 10)
    else:
        assert not unmanaged, "'not managed' announced for -m %d" % mib
    ignored = re.search(r"bootmem: ignoring (\d+) (KiB|MiB) above 4 GiB",
                        boot_log)
    if above:
        assert ignored and announced_bytes(ignored) == above, \
            "expected 'ignoring %d MiB above 4 GiB'" % (above >> 20)
    else:
        assert not ignored, "memory above 4 GiB announced for -m %d" % mib
