"""Lab 1, boot and a gdb tour: the grader's tests (tools/grade 1).

The in-kernel bootmem suite feeds bootmem_find_ranges() made-up Multiboot
structures (tests/kernel/test_bootmem.c) and checks the ranges it returns;
the boots check, at several memory sizes, that the kernel hands the
allocator exactly the usable memory the map lists above 1 MiB, minus the
kernel image, with nothing for the last guard of bootmem_init() to catch.
"""
import re

import pytest

from gradelib import answers_missing

HANDOUT = "docs/labs/lab1-boot.md"
DIRECT_MAP = 896 << 20
ONE_MIB = 1 << 20


def section(title):
    return "reread '%s' in %s" % (title, HANDOUT)


@pytest.mark.points(10)
@pytest.mark.hint(section("Usable memory") + " and 'What is not free': "
                  "QEMU's map, minus the first MiB and the kernel image")
def test_qemu_map_becomes_one_range(ktest):
    ktest("bootmem").expect("bootmem/bootmem_qemu_map_64m")


@pytest.mark.points(10)
@pytest.mark.hint(section("Reserved wins") + ": every type but "
                  "MULTIBOOT_MEMORY_AVAILABLE, in any order")
def test_reserved_wins_over_usable(ktest):
    ktest("bootmem").expect("bootmem/bootmem_reserved_wins_over_usable",
                            "bootmem/bootmem_reserved_listed_first_still_wins")


@pytest.mark.points(10)
@pytest.mark.hint(section("Reserved wins") + ": a hole is cut, never "
                  "collected, so a full table cannot lose one")
def test_many_holes_never_handed_out(ktest):
    ktest("bootmem").expect("bootmem/bootmem_many_holes_never_handed_out")


@pytest.mark.points(10)
@pytest.mark.hint(section("What is not free") + ": the multiboot_info "
                  "structure and the map are read after the allocator is up")
def test_info_and_map_reserved(ktest):
    ktest("bootmem").expect("bootmem/bootmem_info_and_map_reserved")


@pytest.mark.points(5)
@pytest.mark.hint(section("What the kernel cannot reach") + ": above 4 GiB "
                  "and above the direct map")
def test_clips_high_memory(ktest):
    ktest("bootmem").expect("bootmem/bootmem_clips_high_memory",
                            "bootmem/bootmem_unmanaged_size_is_exact")


@pytest.mark.points(5)
@pytest.mark.hint(section("Usable memory") + ": ranges shrink to whole "
                  "pages at the end, not before")
def test_unaligned_ranges_shrink(ktest):
    ktest("bootmem").expect("bootmem/bootmem_unaligned_ranges_shrink")


@pytest.mark.points(10)
@pytest.mark.hint(section("When the map cannot be trusted") + ": an entry "
                  "of length 0 is dropped alone; a broken map falls back, "
                  "and the fallback's ranges go through your steps too: "
                  "exercises 3 and 4 keep the first MiB and the image out "
                  "of them")
def test_malformed_maps(ktest):
    ktest("bootmem").expect("bootmem/bootmem_malformed_map_falls_back",
                            "bootmem/bootmem_missing_map_falls_back",
                            "bootmem/bootmem_zero_length_entry_dropped_alone")


def cut(ranges, start, end):
    out = []
    for s, e in ranges:
        if end <= s or start >= e:
            out.append((s, e))
            continue
        if s < start:
            out.append((s, start))
        if end < e:
            out.append((end, e))
    return out


def expected_kib(log):
    """What bootmem should hand over, from what the kernel printed: the
    usable entries of the map, above 1 MiB and below 896 MiB, minus the
    kernel image and the loader's structures, shrunk to whole pages."""
    usable, other = [], []
    for m in re.finditer(r"^\s+0x([0-9a-f]+)-0x([0-9a-f]+)\s+\d+ KiB\s+"
                         r"(\S.*)$", log, re.M):
        r = (int(m.group(1), 16), int(m.group(2), 16) + 1)
        (usable if m.group(3) == "usable" else other).append(r)
    assert usable, "no usable entry in the printed map:\n" + log
    for s, e in other:
        usable = cut(usable, s, e)
    usable = cut(usable, 0, ONE_MIB)
    usable = cut(usable, DIRECT_MAP, 1 << 64)
    m = re.search(r"^bootmem: kernel image 0x([0-9a-f]+)-0x([0-9a-f]+)(.*)$",
                  log, re.M)
    assert m, "no 'bootmem: kernel image ...' line:\n" + log
    usable = cut(usable, int(m.group(1), 16), int(m.group(2), 16) + 1)
    for a, n in re.findall(r"0x([0-9a-f]+)\+(\d+)", m.group(3)):
        usable = cut(usable, int(a, 16), int(a, 16) + int(n))
    total = 0
    for s, e in usable:
        s, e = (s + 4095) & ~4095, e & ~4095
        total += max(0, e - s)
    return total >> 10


@pytest.mark.points(6)
@pytest.mark.hint(section("Checking your work") + ": boot with make run "
                  "MEM=N and compare the bootmem: line with the map above")
@pytest.mark.parametrize("mib", [8, 16, 64, 512, 1024])
def test_boots_with_the_exact_ranges(boot, mib):
    vm = boot(mem=mib)
    log = vm.text()
    guard = [l for l in log.splitlines() if "(lab 1)" in l]
    assert not guard, "bootmem_init()'s last guard had to step in:\n" + \
        "\n".join(guard)
    assert "falling back" not in log, \
        "the kernel fell back to mem_lower/mem_upper:\n" + log
    m = re.search(r"bootmem: (\d+) KiB of \d+ KiB usable RAM handed", log)
    assert m, "no 'bootmem: N KiB ... handed' line:\n" + log
    want = expected_kib(log)
    assert int(m.group(1)) == want, \
        "at -m %d bootmem handed %s KiB to the allocator; the map says " \
        "%d KiB (usable, above 1 MiB, below 896 MiB, minus the kernel " \
        "image and the loader's structures)" % (mib, m.group(1), want)
    assert "MemTotal" in vm.command("meminfo")


@pytest.mark.points(10)
@pytest.mark.hint("answer every question of labs/lab1/answers.md, with the "
                  "values you read in gdb")
def test_answers_written():
    missing = answers_missing("labs/lab1/answers.md")
    assert not missing, "unanswered: " + "; ".join(missing)
