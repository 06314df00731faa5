"""Lab 3, the buddy allocator: the grader's tests (tools/grade 3).

Host tests run mm/ natively under AddressSanitizer, on a 64 MiB fake
machine (tests/host/test_mm_buddy.c); the random test replays a seeded
sequence of allocations and frees with mm_check() after every step; the
in-kernel test allocates every page of real memory and gives it back; two
boots check what a student sees at the prompt.
"""
import re

import pytest

from gradelib import answers_missing

HANDOUT = "docs/labs/lab3-buddy.md"


def section(title):
    return "reread '%s' in %s" % (title, HANDOUT)


@pytest.mark.points(10)
@pytest.mark.hint(section("Taking a block") + ": split down to the order "
                  "asked, listing each upper half")
def test_take_splits_the_smallest_block(host):
    host("test_mm_buddy").expect("buddy_take_splits_down")


@pytest.mark.points(10)
@pytest.mark.hint(section("Taking a block") + ": a block of order k starts "
                  "on a multiple of 2^k frames")
def test_every_order_is_aligned(host):
    host("test_mm_buddy").expect("buddy_each_order_aligned")


@pytest.mark.points(10)
@pytest.mark.hint(section("Freeing a block") + ": merge while the buddy is "
                  "free, then list the merged block once")
def test_free_merges_every_half_back(host):
    host("test_mm_buddy").expect("buddy_free_merges_back")


@pytest.mark.points(10)
@pytest.mark.hint(section("Finding the buddy") + ": the buddy of pfn at "
                  "order k is pfn ^ 2^k")
def test_buddies_found_by_xor(host):
    host("test_mm_buddy").expect("buddy_merge_by_xor")


@pytest.mark.points(10)
@pytest.mark.hint(section("Freeing a block") + ": after every page is freed, "
                  "the zone must be whole blocks again")
def test_every_page_and_back(host):
    host("test_mm_buddy").expect("buddy_every_page_and_back")


@pytest.mark.points(5)
@pytest.mark.hint(section("Finding the buddy") + ": a buddy of another "
                  "order is not free for this merge")
def test_fragmented_zone_refuses_big_orders(host):
    host("test_mm_buddy").expect("buddy_fragmented_big_order_fails")


@pytest.mark.points(5)
@pytest.mark.hint(section("What a free block looks like") + ": only the "
                  "head of a free block carries PG_buddy")
def test_block_frames_belong_to_no_room(host):
    host("test_mm_buddy").expect("buddy_block_frames_out_of_rooms")


@pytest.mark.points(10)
@pytest.mark.hint(section("Checking your work") + ": run build/host/"
                  "test_mm_random with MM_SEED=n to replay a failure")
def test_random_operations_keep_every_invariant(host):
    host("test_mm_random").expect("random_short_seeds",
                                  "random_million_ops")


@pytest.mark.points(10)
@pytest.mark.hint(section("Checking your work") + ": the in-kernel test "
                  "takes every page of real memory and frees it")
def test_real_memory_every_page_and_back(ktest):
    ktest("mm").expect("mm/mm_every_page_and_back")


@pytest.mark.points(5)
@pytest.mark.hint(section("Taking a block") + ": the kernel's self-test at "
                  "boot takes and frees one block that needs a split")
def test_boots_without_the_fallback(boot):
    vm = boot()
    log = vm.text()
    assert "buddy self-test" not in log, \
        "the kernel fell back at boot:\n" + "\n".join(
            line for line in log.splitlines() if "buddy self-test" in line)
    info = vm.command("buddyinfo")
    big = [line for line in info.splitlines() if "Normal" in line]
    assert big and int(big[0].split()[-1]) > 0, \
        "buddyinfo shows no free order-10 block in Normal:\n" + info


def free_counts(buddyinfo, zone):
    for line in buddyinfo.splitlines():
        if re.search(r"zone\s+%s\b" % zone, line):
            return [int(x) for x in line.split()[-11:]]
    raise AssertionError("no zone %s in buddyinfo:\n%s" % (zone, buddyinfo))


def order_to_split(counts):
    """(o, k): the smallest order o with no free block below an order that
    has one, and k, the smallest such order above o. Order 0 is left out:
    a free of one page goes to the hot room (mm/free.c), not to the buddy
    lists buddyinfo shows, so it would not merge back there."""
    for o in range(1, 11):
        above = [k for k in range(o + 1, 11) if counts[k]]
        if not counts[o] and above:
            return o, above[0]
    raise AssertionError("no order needs a split: %s" % counts)


@pytest.mark.points(10)
@pytest.mark.hint(section("Watching it work") + ": alloc ORDER dma splits "
                  "one block; its free must merge every half back")
def test_alloc_and_free_restore_buddyinfo(boot):
    vm = boot()
    before = free_counts(vm.command("buddyinfo"), "DMA")
    o, k = order_to_split(before)
    out = vm.command("alloc %d kernel,dma" % o)
    m = re.search(r"free it with: (free \S+ %d)" % o, out)
    assert m, "alloc %d kernel,dma did not allocate:\n%s" % (o, out)
    split = free_counts(vm.command("buddyinfo"), "DMA")
    want = [before[j] + (o <= j < k) - (j == k) for j in range(11)]
    assert split == want, \
        "alloc %d kernel,dma with the smallest free DMA block at order %d: " \
        "buddyinfo's DMA line should go\n  from %s\n  to   %s\n  not %s" % (
            o, k, before, want, split)
    out = vm.command(m.group(1))
    assert "freed" in out, out
    after = free_counts(vm.command("buddyinfo"), "DMA")
    assert after == before, \
        "after the free, buddyinfo's DMA line should be as before:\n" \
        "  before %s\n  after  %s" % (before, after)


@pytest.mark.points(5)
@pytest.mark.hint("answer every question of labs/lab3/answers.md in a few "
                  "sentences")
def test_answers_written():
    missing = answers_missing("labs/lab3/answers.md")
    assert not missing, "unanswered: " + "; ".join(missing)
