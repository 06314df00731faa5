"""Lab 6, measurement: the grader's tests (tools/grade 6).

The fragmentation indexes: host tests call the three functions of
mm/view.c on made-up free lists (tests/host/test_mm_frag.c), each
exercise on its own; a boot checks buddyinfo's index rows against the
counts above them, on a fresh machine and with stress holding memory at
the reserve.

The measurement: the six runs of make lab6-runs must be in
labs/lab6/runs/MEM-HZ/, each made at its memory size and timer rate (the
dump says so: the zones' frames, the timer interrupts' rate); each PNG
must be one tools/trace-report drew from that run's files (its PNG
Description names their digests); every number quoted in the figures of
labs/lab6/report.md is recomputed from the run's files with
tools/trace-report's own parser and must match; and every question of the
report needs an answer.
"""
import importlib.machinery
import importlib.util
import os
import re
import struct
import tomllib
import zlib

import pytest

from gradelib import ROOT, answers_missing
from testlib import PROMPT

HANDOUT = "docs/labs/lab6-measurement.md"
LAB = os.path.join(ROOT, "labs", "lab6")
RUNS_DIR = os.path.join(LAB, "runs")
REPORT = "labs/lab6/report.md"
PICTURES = ("rooms.png", "latency.png", "map.png")
RUN_FILES = ("dump.txt.gz", "map-before.txt", "map-after.txt",
             "buddyinfo-before.txt", "buddyinfo-after.txt") + PICTURES


def section(title):
    return "reread '%s' in %s" % (title, HANDOUT)


def load_trace_report():
    """tools/trace-report as a module: its parser, not a second one."""
    path = os.path.join(ROOT, "tools", "trace-report")
    loader = importlib.machinery.SourceFileLoader("trace_report", path)
    spec = importlib.util.spec_from_loader("trace_report", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


tr = load_trace_report()


def lab_runs():
    with open(os.path.join(LAB, "lab.toml"), "rb") as f:
        meta = tomllib.load(f)
    return {"%d-%d" % (mem, hz): (mem, hz) for mem, hz in meta["runs"]}


RUNS = lab_runs()


# ---------------------------------------------------------------- indexes

def reference_info(nr, order):
    free = sum(n << k for k, n in enumerate(nr))
    suitable = sum(n << (k - order) for k, n in enumerate(nr) if k >= order)
    return free, sum(nr), suitable


def reference_unusable(nr, order):
    free, _, suitable = reference_info(nr, order)
    return 1000 if not free else (free - (suitable << order)) * 1000 // free


def reference_extfrag(nr, order):
    free, blocks, suitable = reference_info(nr, order)
    if not blocks:
        return 0
    if suitable:
        return -1000
    return max(0, 1000 - (1000 + (free * 1000 >> order)) // blocks)


def index_value(text):
    """'0.546' -> 546, '-1.000' -> -1000, '-' -> None."""
    if text == "-":
        return None
    m = re.match(r"^(-?)(\d+)\.(\d{3})$", text)
    if not m:
        raise ValueError(text)
    v = int(m.group(2)) * 1000 + int(m.group(3))
    return -v if m.group(1) else v


def parse_buddyinfo(text, where):
    """{zone: {"counts": [...], "unusable": [...], "extfrag": [...]}} and
    the 'lab 6: not written yet' note, or None."""
    zones, cur, note = {}, None, None
    for line in text.splitlines():
        m = re.match(r"^zone +(\w+):((?: +\d+)+)$", line)
        if m:
            cur = zones.setdefault(m.group(1), {})
            cur["counts"] = [int(x) for x in m.group(2).split()]
            continue
        m = re.match(r"^  (unusable|extfrag): +(.*)$", line)
        if m and cur is not None:
            try:
                cur[m.group(1)] = [index_value(x) for x in m.group(2).split()]
            except ValueError as e:
                raise AssertionError("%s: %s row: %r is not an index "
                                     "(0.xxx, -1.000 or -)" % (
                                         where, m.group(1), str(e)))
        if line.startswith("lab 6: not written yet"):
            note = line
    if not zones:
        raise AssertionError("%s: no 'zone NAME:' row of counts:\n%s" % (
            where, text))
    for name, z in zones.items():
        for row in ("unusable", "extfrag"):
            if len(z.get(row, [])) != len(z["counts"]):
                raise AssertionError("%s: zone %s has no %s row of %d "
                                     "values under its counts:\n%s" % (
                                         where, name, row, len(z["counts"]),
                                         text))
    return zones, note


def index_mismatches(zones, where):
    """Each index value that differs from the counts above it."""
    bad = []
    for name, z in zones.items():
        for row, ref in (("unusable", reference_unusable),
                         ("extfrag", reference_extfrag)):
            for o, got in enumerate(z[row]):
                want = ref(z["counts"], o)
                if got != want:
                    bad.append("%s: zone %s, %s at order %d: shows %s, the "
                               "counts %s give %s" % (
                                   where, name, row, o, show(got),
                                   z["counts"], show(want)))
    return bad


def show(v):
    if v is None:
        return "-"
    return "%s%d.%03d" % ("-" if v < 0 else "", abs(v) // 1000, abs(v) % 1000)


@pytest.mark.points(5)
@pytest.mark.hint(section("Counting free memory") + ": every block of order "
                  "k holds 2^k frames")
def test_fill_counts_pages_and_blocks(host):
    host("test_mm_frag").expect("frag_fill_counts_pages_and_blocks")


@pytest.mark.points(10)
@pytest.mark.hint(section("Counting free memory") + ": a block of order k "
                  ">= order counts as 2^(k - order) suitable blocks; those "
                  "below order do not count")
def test_fill_splits_larger_blocks(host):
    host("test_mm_frag").expect("frag_fill_suitable_blocks_split")


@pytest.mark.points(10)
@pytest.mark.hint(section("The unusable free space index") + ": the "
                  "suitable blocks are of 2^order frames each; multiply "
                  "by 1000 before dividing")
def test_unusable_index_on_made_up_lists(host):
    host("test_mm_frag").expect("frag_unusable_made_up_lists")


@pytest.mark.points(5)
@pytest.mark.hint(section("The unusable free space index") + ": with "
                  "nothing free, nothing is usable")
def test_unusable_index_edges(host):
    host("test_mm_frag").expect("frag_unusable_edges")


@pytest.mark.points(10)
@pytest.mark.hint(section("The fragmentation index") + ": the order of "
                  "the divisions matters: pages * 1000 / 2^order first, "
                  "then (1000 + that) / blocks")
def test_extfrag_index_on_made_up_lists(host):
    host("test_mm_frag").expect("frag_extfrag_made_up_lists")


@pytest.mark.points(5)
@pytest.mark.hint(section("The fragmentation index") + ": a request that "
                  "would succeed has no fragmentation index: -1000")
def test_extfrag_index_when_a_block_is_free(host):
    host("test_mm_frag").expect("frag_extfrag_block_free")


@pytest.mark.points(5)
@pytest.mark.hint(section("The fragmentation index") + ": no free block "
                  "at all gives 0, and the index is never below 0 when "
                  "the request fails")
def test_extfrag_index_lack_of_memory(host):
    host("test_mm_frag").expect("frag_extfrag_lack_of_memory")


@pytest.mark.points(10)
@pytest.mark.hint(section("Watching it work") + ": buddyinfo computes each "
                  "row from the counts above it with your three functions; "
                  "run the host tests first (make grade's failures above)")
def test_buddyinfo_shows_your_indexes(boot):
    vm = boot(mem=8)
    views = [("buddyinfo at the prompt", vm.command("buddyinfo"))]
    out = vm.command("stress 2")
    assert "stress: hog thread" in out, "stress did not start:\n" + out
    if "stress: holding" not in out:
        # Printed by the hog, after the prompt (on its line): the shell
        # waits at that prompt, and the next one comes with the summary.
        vm.wait_for(r"stress: holding \d+ pages.*\n", timeout=10)
    vm.send_line("buddyinfo")
    vm.wait_for(r"buddyinfo\n", timeout=10)
    start = vm.pos
    m = vm.wait_for(r"^" + re.escape(PROMPT), timeout=10)
    views.append(("buddyinfo with stress holding memory at the reserve",
                  vm.text()[start:m.start()]))
    free = []
    for where, text in views:
        zones, note = parse_buddyinfo(text, where)
        assert not note, "%s says: %s" % (where, note)
        bad = index_mismatches(zones, where)
        assert not bad, "\n".join(bad[:12]) + "\n%s:\n%s" % (where, text)
        failing = sum(1 for z in zones.values()
                      for v in z["extfrag"] if v is not None and v >= 0)
        free.append(sum(reference_info(z["counts"], 0)[0]
                        for z in zones.values()))
    assert free[1] < free[0] // 4, "the second buddyinfo came after stress " \
        "gave its pages back (%d pages free, %d before):\n%s" % (
            free[1], free[0], views[-1][1])
    # At the reserve the big orders fail: the index of a failing request
    # was computed, not only the -1.000 of a request that succeeds.
    assert failing > 1, "with stress holding memory, buddyinfo shows no " \
        "failing order:\n" + views[-1][1]


# ---------------------------------------------------------------- the runs

def run_path(name, f):
    return os.path.join(RUNS_DIR, name, f)


def expect_some_runs():
    """Fail at once, in one line, when no run was made at all."""
    if not any(os.path.isdir(run_path(n, "")) for n in RUNS):
        raise AssertionError("labs/lab6/runs/ has none of the six runs (%s)"
                             ": make lab6-runs makes them" % ", ".join(RUNS))


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def check_run(name, mem, hz):
    """What is wrong with run folder name (a list of sentences)."""
    rel = "labs/lab6/runs/%s" % name
    if not os.path.isdir(run_path(name, "")):
        return ["%s/ is missing" % rel]
    missing = [f for f in RUN_FILES if not os.path.exists(run_path(name, f))]
    if missing:
        return ["%s/ lacks %s" % (rel, ", ".join(missing))]
    try:
        d = tr.parse_dump(run_path(name, "dump.txt.gz"))
        for m in ("map-before.txt", "map-after.txt"):
            tr.parse_map(run_path(name, m))
    except tr.DumpError as e:
        return ["%s: %s" % (rel, e)]
    bad = []
    if d.clock != "icount":
        bad.append("%s: the dump's clock is '%s', not icount: make "
                   "lab6-runs runs QEMU with -icount" % (rel, d.clock))
    ends = [z["end"] for z in d.zones if z["present"]]
    if not ends or abs(max(ends) - mem * 256) > 64:
        bad.append("%s: the dump's zones end at frame %s, a machine of "
                   "%d MiB ends near %d: not a run with -m %d" % (
                       rel, max(ends) if ends else "-", mem, mem * 256, mem))
    ticks = [r.tsc for r in d.records
             if r.event == "irq_enter" and r.ctx == "irq0"]
    rate = (len(ticks) - 1) * d.tsc_hz / (ticks[-1] - ticks[0]) \
        if len(ticks) > 1 and ticks[-1] > ticks[0] else 0
    if abs(rate - hz) > hz / 10:
        bad.append("%s: the timer interrupted %.0f times a second in the "
                   "dump (%d ticks), not %d: not a run with hz=%d" % (
                       rel, rate, len(ticks), hz, hz))
    early = []
    for when in ("before", "after"):
        f = "buddyinfo-%s.txt" % when
        try:
            zones, note = parse_buddyinfo(read(run_path(name, f)),
                                          "%s/%s" % (rel, f))
        except AssertionError as e:
            bad.append(str(e).splitlines()[0])
            continue
        if note:
            early.append((f, note))
    if early:
        bad.append("%s: %s made before your indexes were written (they "
                   "say '%s'): redo the run" % (
                       rel, " and ".join(f for f, _ in early),
                       early[0][1]))
    return bad


@pytest.mark.points(10)
@pytest.mark.hint(section("The six runs") + ": make lab6-runs writes "
                  "them, after exercises 1 to 3; commit every file of "
                  "labs/lab6/runs/")
def test_six_runs_made():
    expect_some_runs()
    bad = []
    for name, (mem, hz) in RUNS.items():
        bad += check_run(name, mem, hz)
    assert not bad, "\n".join(bad)


def png_description(path):
    """The Description of a PNG file, after checking that it is one: its
    signature, IHDR first, every chunk's CRC, IEND last."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError("no PNG signature")
    pos, kinds, text = 8, [], {}
    while pos < len(data):
        if pos + 12 > len(data):
            raise AssertionError("cut short at byte %d" % pos)
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if len(body) != length or zlib.crc32(kind + body) & 0xffffffff != crc:
            raise AssertionError("chunk %s at byte %d is damaged" % (
                kind.decode("latin-1"), pos))
        kinds.append(kind)
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            text[key.decode("latin-1")] = value.decode("latin-1")
        pos += 12 + length
    if not kinds or kinds[0] != b"IHDR" or kinds[-1] != b"IEND":
        raise AssertionError("not IHDR first and IEND last")
    return text.get("Description")


@pytest.mark.points(10)
@pytest.mark.hint(section("The six runs") + ": each picture must be the "
                  "one tools/trace-report drew from the files beside it; "
                  "redo a run rather than copy pictures between folders")
def test_pictures_drawn_from_their_runs():
    expect_some_runs()
    bad = []
    for name in RUNS:
        rel = "labs/lab6/runs/%s" % name
        if not os.path.isdir(run_path(name, "")):
            bad.append("%s/ is missing" % rel)
            continue
        try:
            d = tr.parse_dump(run_path(name, "dump.txt.gz"))
            paths = (run_path(name, "map-before.txt"),
                     run_path(name, "map-after.txt"))
            maps = (tr.parse_map(paths[0]), tr.parse_map(paths[1]))
        except OSError as e:
            bad.append("%s: %s: %s" % (rel, os.path.basename(e.filename),
                                       e.strerror))
            continue
        except tr.DumpError as e:
            bad.append("%s: %s" % (rel, e))
            continue
        want = tr.descriptions(d, run_path(name, "dump.txt.gz"), maps, paths)
        for pic in PICTURES:
            try:
                got = png_description(run_path(name, pic))
            except OSError as e:
                bad.append("%s/%s: %s" % (rel, pic, e.strerror))
                continue
            except AssertionError as e:
                bad.append("%s/%s is not a valid PNG: %s" % (rel, pic, e))
                continue
            if got != want[pic]:
                bad.append("%s/%s was not drawn from this run's files:\n"
                           "    it says: %s\n    they give: %s" % (
                               rel, pic, got, want[pic]))
    assert not bad, "\n".join(bad)


# ---------------------------------------------------------------- report

def report_figures(text):
    """{run: [(line number, key, [values])]} from the ```figures block."""
    m = re.search(r"^```figures\n(.*?)^```", text, re.M | re.S)
    if not m:
        raise AssertionError("%s has no ```figures block" % REPORT)
    first = text[:m.start()].count("\n") + 2
    runs, cur = {}, None
    for i, line in enumerate(m.group(1).splitlines()):
        n, line = first + i, line.strip()
        if not line or line.startswith("#"):
            continue
        r = re.match(r"^run\s+(\S+)$", line)
        if r:
            cur = runs.setdefault(r.group(1), [])
            continue
        kv = re.match(r"^([^:]+):(.*)$", line)
        if not kv or cur is None:
            raise AssertionError("%s:%d: %r is neither 'run NAME' nor "
                                 "'key: values' under a run" % (
                                     REPORT, n, line))
        cur.append((n, " ".join(kv.group(1).split()), kv.group(2).split()))
    return runs


def run_truth(name):
    """{key: [values as text]}: what the run's files give for each figure
    the report asks for, and the zone and order of its index figures."""
    d = tr.parse_dump(run_path(name, "dump.txt.gz"))
    counts = {e: 0 for e in tr.EVENTS}
    for r in d.records:
        counts[r.event] += 1
    cpus = d.cpus.values()
    truth = {"records": [sum(c["entries"] for c in cpus)],
             "written": [sum(c["written"] for c in cpus)],
             "lost": [sum(c["lost"] for c in cpus)],
             "alloc": [counts["alloc"]], "free": [counts["free"]],
             "irq_enter": [counts["irq_enter"]]}
    for (path, room), v in tr.latencies(d).items():
        truth["latency %s %s" % (path, room)] = [len(v), tr.median(v),
                                                 max(v)]
    for zone, (end, low) in tr.zone_free(d).items():
        truth["zone %s" % zone] = [end, low]
    before, _ = parse_buddyinfo(read(run_path(name, "buddyinfo-before.txt")),
                                "buddyinfo-before.txt")
    after, _ = parse_buddyinfo(read(run_path(name, "buddyinfo-after.txt")),
                               "buddyinfo-after.txt")
    largest = lambda z: max((o for o, n in enumerate(z["counts"]) if n),
                            default=-1)
    for zone in ("DMA",):
        b, a = before[zone], after[zone]
        top = largest(b)
        truth["largest order %s" % zone] = [top, largest(a)]
        for row in ("unusable", "extfrag"):
            truth["%s %s %d" % (row, zone, top)] = [
                show(b[row][top]), show(a[row][top])]
    return {k: [str(x) for x in v] for k, v in truth.items()}


WHAT = {"latency": ["count", "median", "max"], "zone": ["end", "lowest"],
        "largest": ["before", "after"], "unusable": ["before", "after"],
        "extfrag": ["before", "after"]}


def check_run_figures(name, lines):
    """The mismatches between a run's figures and its files."""
    if not os.path.isdir(run_path(name, "")):
        return ["run %s: labs/lab6/runs/%s/ is missing" % (name, name)]
    try:
        truth = run_truth(name)
    except OSError as e:
        return ["run %s: %s is missing or unreadable: see test "
                "six_runs_made" % (name, os.path.basename(e.filename))]
    except (AssertionError, tr.DumpError) as e:
        return ["run %s: its files cannot be read (%s): see test "
                "six_runs_made" % (name, str(e).splitlines()[0])]
    if all(not v or "_" in v for _, _, v in lines):
        return ["%s: run %s: its figures are not filled in yet" % (REPORT,
                                                                   name)]
    bad, seen = [], set()
    for n, key, values in lines:
        where = "%s:%d: run %s, '%s'" % (REPORT, n, name, key)
        if not values or "_" in values:
            bad.append("%s: not filled in yet" % where)
            continue
        if key not in truth:
            idx = re.match(r"^(unusable|extfrag) (\w+) (\d+)$", key)
            if idx:
                want = [k for k in truth if k.startswith(idx.group(1) + " ")]
                bad.append("%s: quote the order of the largest block free "
                           "before the run: '%s'" % (where, want[0]))
            else:
                bad.append("%s: no such figure in this run (its figures: "
                           "%s)" % (where, ", ".join(sorted(truth))))
            continue
        seen.add(key)
        names = WHAT.get(key.split()[0], ["value"])
        want = truth[key]
        if len(values) != len(want):
            bad.append("%s: give %d value(s), %s; it reads %r" % (
                where, len(want), " ".join(names), " ".join(values)))
            continue
        for what, got, exp in zip(names, values, want):
            if got != exp:
                bad.append("%s %s: the report says %s, the run's files give "
                           "%s" % (where, what, got, exp))
    for key in sorted(set(truth) - seen):
        bad.append("%s: run %s: '%s' is not quoted" % (REPORT, name, key))
    return bad


@pytest.mark.points(15)
@pytest.mark.hint(section("Quoting your figures") + ": copy each number "
                  "from the run's own summary.txt and buddyinfo files, one "
                  "'latency PATH ROOM' line for each row of its summary")
def test_report_figures_match_the_runs():
    path = os.path.join(ROOT, REPORT)
    assert os.path.exists(path), "%s is missing" % REPORT
    expect_some_runs()
    runs = report_figures(read(path))
    bad = ["%s: no figures of run %s" % (REPORT, name)
           for name in RUNS if name not in runs]
    bad += ["%s: run %s is not one of the six (%s)" % (
        REPORT, name, ", ".join(RUNS)) for name in runs if name not in RUNS]
    for name in RUNS:
        if name in runs:
            bad += check_run_figures(name, runs[name])
    assert not bad, "\n".join(bad)


@pytest.mark.points(5)
@pytest.mark.hint("answer every question of labs/lab6/report.md in a few "
                  "sentences, quoting your figures")
def test_report_questions_answered():
    missing = answers_missing(REPORT)
    assert not missing, "unanswered: " + "; ".join(missing)
