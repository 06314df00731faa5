"""Lab 4, zones, watermarks and the reserve: the grader (tools/grade 4).

Host tests run mm/ natively under AddressSanitizer: the formula's two parts
against figures worked out by hand (tests/host/test_mm_wmark.c); the zone
room and every path one page above and at each watermark, with watermarks
set on the command line so that they do not depend on the formula
(tests/host/test_mm_edges.c); the wait rule with fake hooks and a fake
clock (tests/host/test_mm_wait.c). One boot of the test kernel, under
-icount, drives real memory down to the reserve and back and puts a
thread to sleep on the allocator; one boot of the kernel runs a scripted
scenario at the shell and reads the labyrinth's counters.
"""
import re

import pytest

from gradelib import answers_missing

HANDOUT = "docs/labs/lab4-watermarks.md"
# The in-kernel suites, in one boot; -icount makes the sleep tests' ticks
# exact whatever the machine's load.
SUITES = "reserve,sleep"


def section(title):
    return "reread '%s' in %s" % (title, HANDOUT)


def ktest_run(ktest):
    return ktest(SUITES, icount=True)


def lab4_lines(text, *words):
    """The boot lines of lab 4's checks that hold one of the words."""
    return [line for line in text.splitlines() if "(lab 4" in line and
            any(w in line for w in words)]


def expect_no_fallback(text, *words):
    said = lab4_lines(text, *words)
    assert not said, "the kernel's boot checks say:\n  " + \
        "\n  ".join(said)


# ---- exercise 1: min_free_kbytes ----

@pytest.mark.points(5)
@pytest.mark.hint(section("min_free_kbytes") + ": 4 * int_sqrt(kB), with "
                  "pages of 4 kB each")
def test_min_free_kbytes_is_four_square_roots(host):
    host("test_mm_wmark").expect("wmark_min_free_kbytes_sqrt")


@pytest.mark.points(5)
@pytest.mark.hint(section("min_free_kbytes") + ": clamp to [128, 65536] "
                  "first, then to 1/16 of memory")
def test_min_free_kbytes_clamped(host):
    host("test_mm_wmark").expect("wmark_min_free_kbytes_clamped")


# ---- exercise 2: a zone's watermarks ----

@pytest.mark.points(5)
@pytest.mark.hint(section("A zone's watermarks") + ": min is total_min * "
                  "present / total, multiplied before it is divided")
def test_zone_min_is_its_share(host):
    host("test_mm_wmark").expect("wmark_zone_share")


@pytest.mark.points(5)
@pytest.mark.hint(section("A zone's watermarks") + ": min at most half "
                  "the zone, then at least 1; low and high at least 1 and "
                  "2 pages above min")
def test_low_and_high_above_min(host):
    host("test_mm_wmark").expect("wmark_zone_clamped")


@pytest.mark.points(5)
@pytest.mark.hint(section("A zone's watermarks") + ": at boot wmark_setup() "
                  "calls your two functions for every zone; min_free_kbytes= "
                  "replaces the first")
def test_watermarks_at_boot_and_overridden(host, ktest):
    expect_no_fallback(ktest_run(ktest).text, "wmark_setup()")
    host("test_mm_wmark").expect("wmark_boot_uses_the_formula",
                                 "wmark_min_free_kbytes_override",
                                 "wmark_zone_override")


# ---- exercise 3: the zone room's test ----

@pytest.mark.points(10)
@pytest.mark.hint(section("The zone room's test") + ": a block of 2^order "
                  "frames, and z->wmark[mark] left after it")
def test_zone_room_keeps_each_watermark(host):
    host("test_mm_edges").expect("edge_room_normal", "edge_room_dma")


# ---- exercise 4: the paths ----

@pytest.mark.points(5)
@pytest.mark.hint(section("The paths") + ": GFP_KERNEL keeps low in every "
                  "zone room it walks")
def test_gfp_kernel_path_table(host):
    host("test_mm_edges").expect("path_table_gfp_kernel")


@pytest.mark.points(5)
@pytest.mark.hint(section("The paths") + ": GFP_ATOMIC keeps min, and "
                  "enters the reserve rooms after every zone room")
def test_gfp_atomic_path_table(host):
    host("test_mm_edges").expect("path_table_gfp_atomic",
                                 "path_table_no_sleep")


@pytest.mark.points(5)
@pytest.mark.hint(section("The paths") + " and 'The zone room's test': "
                  "Normal down to low, then DMA down to low, then it would "
                  "sleep")
def test_gfp_kernel_stops_at_low(host):
    host("test_mm_edges").expect("edge_gfp_kernel_stops_at_low")


@pytest.mark.points(5)
@pytest.mark.hint(section("The paths") + ": every zone room down to min "
                  "first, then Normal's reserve, then DMA's; an interrupt's "
                  "GFP_KERNEL never gets a reserve page")
def test_gfp_atomic_enters_the_reserve_last(host):
    host("test_mm_edges").expect("edge_gfp_atomic_reserve_last",
                                 "edge_interrupt_takes_the_reserve")


@pytest.mark.points(5)
@pytest.mark.hint(section("The paths") + ": a GFP_DMA class walks the DMA "
                  "zone's rooms only, not even the hot room")
def test_gfp_dma_walks_only_dma(host):
    host("test_mm_edges").expect("edge_gfp_dma_only_dma")


# ---- the same on real memory ----

@pytest.mark.points(5)
@pytest.mark.hint(section("The paths") + " and 'The zone room's test': on "
                  "real memory GFP_KERNEL must leave exactly low in every "
                  "zone")
def test_real_memory_gfp_kernel_stops_at_low(ktest):
    run = ktest_run(ktest)
    expect_no_fallback(run.text, "zone_watermark_ok()", "mm/path.c")
    run.expect("reserve/reserve_kernel_stops_at_low")


@pytest.mark.points(5)
@pytest.mark.hint(section("The paths") + ": GFP_ATOMIC takes every zone to "
                  "min before any reserve page, then exactly min pages from "
                  "each reserve (and 'A zone's watermarks': without them no "
                  "zone has a reserve)")
def test_real_memory_to_the_reserve_and_back(ktest):
    run = ktest_run(ktest)
    # Without the formula the zones fall back to min 0: no reserve to test.
    expect_no_fallback(run.text, "zone_watermark_ok()", "mm/path.c",
                       "wmark_setup()")
    run.expect("reserve/reserve_atomic_takes_it_last")


# ---- exercise 5: never forever ----

@pytest.mark.points(5)
@pytest.mark.hint(section("Never forever") + ": wait what is left of "
                  "mm_wait_ms, and give up (MM_WAIT_TIMED_OUT) once it "
                  "has passed")
def test_small_request_gives_up_after_mm_wait_ms(host):
    host("test_mm_wait").expect("wait_small_gives_up_after_the_bound",
                                "wait_small_dma_times_out",
                                "wait_zero_bound_never_sleeps",
                                "wait_nowarn_gives_up_silently")


@pytest.mark.points(5)
@pytest.mark.hint(section("Never forever") + ": a costly order gives up "
                  "after a wait that brought no larger block; __GFP_NOFAIL "
                  "never gives up and says so every interval")
def test_costly_and_nofail_requests(host):
    host("test_mm_wait").expect(
        "wait_costly_gives_up_after_one_wait_without_progress",
        "wait_costly_waits_again_while_blocks_grow",
        "wait_costly_bounded_by_wait_ms",
        "wait_nofail_waits_on_and_reports",
        "wait_nofail_costly_never_gives_up")


@pytest.mark.points(5)
@pytest.mark.hint(section("Never forever") + ": the first wait of a small "
                  "request must get time, so that a free can end it")
def test_sleeper_woken_by_a_free(host, ktest):
    host("test_mm_wait").expect(
        "wait_small_served_by_a_free_inside_the_bound",
        "wait_interrupted_ends_at_once")
    ktest_run(ktest).expect("sleep/sleep_gfp_kernel_woken_by_free",
                            "sleep/sleep_gfp_kernel_gives_up_after_the_bound")


# ---- the scenario: what labyrinth counts ----

SCENARIO_WMARK = (20, 30, 40)		# wmark_dma=: min, low, high
SCENARIO_WAIT_MS = 100


def zone_dma(vm):
    """The DMA zone's free frames and watermarks, from zoneinfo."""
    out = vm.command("zoneinfo", timeout=10)
    m = re.search(r"zone DMA\n(.*?)(?=\nzone |\Z)", out, re.S)
    assert m, "zoneinfo shows no zone DMA:\n" + out
    get = {k: int(re.search(r"\b%s\s+(\d+)" % k, m.group(1)).group(1))
           for k in ("free", "min", "low")}
    return get


def buddy_dma(vm):
    out = vm.command("buddyinfo", timeout=10)
    m = re.search(r"zone\s+DMA:((?:\s+\d+){11})", out)
    assert m, "buddyinfo shows no zone DMA:\n" + out
    return [int(x) for x in m.group(1).split()]


def room(out, name):
    m = re.search(r"^\s+%s\s+(\d+) pages\s+served (\d+)\s+misses (\d+)" %
                  re.escape(name), out, re.M)
    assert m, "the labyrinth shows no room '%s':\n%s" % (name, out)
    return [int(x) for x in m.groups()]


def failed(out, cls):
    m = re.search(r"^\s+%s\s+.*\[failed (\d+)\]$" % re.escape(cls), out, re.M)
    assert m, "the labyrinth shows no path '%s':\n%s" % (cls, out)
    return int(m.group(1))


def counters(vm):
    out = vm.command("labyrinth", timeout=10)
    m = re.search(r"^sleeps (\d+), would-sleep (\d+), gave up (\d+)", out,
                  re.M)
    assert m, "the labyrinth shows no sleep counters:\n" + out
    return {"zone": room(out, "zone DMA"), "reserve": room(out, "reserve DMA"),
            "kernel_failed": failed(out, "GFP_KERNEL|GFP_DMA"),
            "atomic_failed": failed(out, "GFP_ATOMIC|GFP_DMA"),
            "sleeps": int(m.group(1)), "gave_up": int(m.group(3)),
            "text": out}


class Scenario:
    """The shell session: every block taken is remembered, to free it."""

    def __init__(self, vm):
        self.vm, self.held, self.log = vm, [], []
        self.last_free = None

    def alloc(self, order, flags, want_block):
        line = "alloc %d %s" % (order, flags)
        out = self.vm.command(line, timeout=10)
        self.log.append("labyrinth> %s\n%s" % (line, out.rstrip()))
        m = re.search(r"free it with: (free \S+ \d+)", out)
        if m:
            self.held.append(m.group(1))
        if bool(m) != want_block:
            raise AssertionError(
                "%s with DMA's free count at %s: %s\n%s" % (
                    line, self.last_free, "served, but must not be" if m
                    else "not served, but must be", self.story()))
        return out

    def down_to(self, target, flags):
        """Take DMA blocks with flags until exactly target frames are free:
        each time the largest block that fits, from the lists as they are."""
        for _ in range(40):
            counts = buddy_dma(self.vm)
            free = sum(c << k for k, c in enumerate(counts))
            self.last_free = free
            if free <= target:
                return free
            need = free - target
            order = max(k for k in range(11) if (1 << k) <= need and
                        any(counts[k:]))
            self.alloc(order, flags, True)
        raise AssertionError("DMA's free count did not come down to %d:\n%s"
                             % (target, self.story()))

    def step(self, flags, want_block):
        self.last_free = sum(c << k for k, c in enumerate(buddy_dma(self.vm)))
        return self.alloc(0, flags, want_block)

    def story(self):
        return "the session so far (last 8 commands):\n" + \
            "\n".join(self.log[-8:])

    def free_all(self):
        for line in reversed(self.held):
            out = self.vm.command(line, timeout=10)
            assert "freed" in out, "%s:\n%s" % (line, out)
        self.held = []


def expect_counter(name, got, want, story):
    assert got == want, "labyrinth: %s is %s, want %s\n%s" % (
        name, got, want, story)


@pytest.mark.points(10)
@pytest.mark.hint(section("Watching it work") + ": the scenario's steps "
                  "are there; compare each step's answer with yours")
def test_labyrinth_counts_the_scenario(boot):
    mn, low, high = SCENARIO_WMARK
    vm = boot(mem=64, append="wmark_dma=%d,%d,%d mm_wait_ms=%d" % (
        mn, low, high, SCENARIO_WAIT_MS))
    expect_no_fallback(vm.text(), "zone_watermark_ok()", "mm/path.c",
                       "wait_budget()")
    z = zone_dma(vm)
    assert (z["min"], z["low"]) == (mn, low), \
        "zoneinfo's DMA watermarks are not wmark_dma=%d,%d,%d:\n%s" % (
            mn, low, high, z)
    free0 = z["free"]
    c0 = counters(vm)
    s = Scenario(vm)
    # GFP_KERNEL|GFP_DMA down to low + 1, one page to low, then nothing.
    s.down_to(low + 1, "dma")
    s.step("dma", True)
    out = s.step("dma", False)
    assert "gives up after mm_wait_ms=%d ms" % SCENARIO_WAIT_MS in out, \
        "alloc 0 dma at low did not give up after mm_wait_ms:\n" + out
    kernel_taken = len(s.held)
    # GFP_ATOMIC|GFP_DMA down to min + 1, one page to min, one from the
    # reserve, the reserve down to 0, then nothing.
    s.down_to(mn + 1, "atomic,dma")
    s.step("atomic,dma", True)
    zone_taken = len(s.held) - kernel_taken
    s.step("atomic,dma", True)
    s.down_to(0, "atomic,dma")
    reserve_taken = len(s.held) - kernel_taken - zone_taken
    s.step("atomic,dma", False)
    c = counters(vm)
    story = s.story() + "\nlabyrinth now:\n" + c["text"]
    expect_counter("zone DMA's pages", c["zone"][0], 0, story)
    expect_counter("reserve DMA's pages", c["reserve"][0], 0, story)
    expect_counter("zone DMA served", c["zone"][1] - c0["zone"][1],
                   kernel_taken + zone_taken, story)
    expect_counter("reserve DMA served", c["reserve"][1] - c0["reserve"][1],
                   reserve_taken, story)
    expect_counter("reserve DMA misses", c["reserve"][2] - c0["reserve"][2],
                   1, story)
    expect_counter("GFP_KERNEL|GFP_DMA failed", c["kernel_failed"] -
                   c0["kernel_failed"], 1, story)
    expect_counter("GFP_ATOMIC|GFP_DMA failed", c["atomic_failed"] -
                   c0["atomic_failed"], 1, story)
    expect_counter("gave up", c["gave_up"] - c0["gave_up"], 1, story)
    assert c["sleeps"] > c0["sleeps"], \
        "labyrinth: sleeps did not move: alloc 0 dma at low never slept\n" + \
        story
    assert c["zone"][2] - c0["zone"][2] >= reserve_taken + 2, \
        "labyrinth: zone DMA misses moved by %d: every reserve page and " \
        "each failed alloc first misses the zone room\n%s" % (
            c["zone"][2] - c0["zone"][2], story)
    # And back: every block freed, the DMA zone serves GFP_KERNEL again.
    pages = len([h for h in s.held if h.endswith(" 0")])
    s.free_all()
    out = vm.command("check", timeout=10)
    assert "mm_check: ok" in out, "after every free:\n" + out
    back = zone_dma(vm)["free"]
    assert free0 - pages <= back <= free0, \
        "after every free DMA has %d frames free, not %d as before (less " \
        "at most the %d single pages freed to the hot room)" % (
            back, free0, pages)
    s.step("dma", True)
    s.free_all()


@pytest.mark.points(5)
@pytest.mark.hint("answer every question of labs/lab4/answers.md in a few "
                  "sentences")
def test_answers_written():
    missing = answers_missing("labs/lab4/answers.md")
    assert not missing, "unanswered: " + "; ".join(missing)
