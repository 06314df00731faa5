"""The event trace seen from outside: the shell's trace and map commands,
trace=on at boot, gdb's lab-trace against the shell's dump, make trace's
pictures and summary, and tools/trace-report refusing bad input."""
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

from testlib import KERNEL, ROOT, Qemu, gdb_batch, timeout

REPORT = os.path.join(ROOT, "tools", "trace-report")
RECORD = re.compile(r"^\s*\d+ \d+ (irq\d+|thread\d+|none)\s+(on|off)\s+\S+",
                    re.M)


def records(text):
    return [l for l in text.splitlines() if RECORD.match(l)]


def test_trace_shell_commands():
    with Qemu(kernel=KERNEL, mem=16, extra=["-vga", "none"]) as vm:
        vm.wait_boot()
        assert re.search(r"^trace: off;", vm.command("trace stat"), re.M)
        assert "usage: trace on|off|clear|dump|stat" in vm.command(
            "trace sideways")
        assert "usage:" in vm.command("trace")
        vm.command("trace on")
        vm.command("alloc 2")
        stat = vm.command("trace stat")
        assert re.search(r"^trace: on;", stat, re.M), stat
        n = int(re.search(r"^cpu 0: (\d+) records", stat, re.M).group(1))
        assert n > 0, stat
        assert re.search(r"^  alloc\s+[1-9]\d*$", stat, re.M), stat
        vm.command("trace off")
        dump = vm.command("trace dump")
        assert dump.startswith("# labyrinth-trace 1\n"), dump[:200]
        rec = records(dump)
        assert any(" alloc " in l and " 2 " in l for l in rec), dump[-2000:]
        m = re.search(r"^# end cpu 0 records (\d+)$", dump, re.M)
        assert m and int(m.group(1)) == len(rec), dump[-300:]
        vm.command("trace clear")
        assert re.search(r"^cpu 0: 0 records, 0 written, 0 lost",
                         vm.command("trace stat"), re.M)


def test_trace_on_from_boot_and_bad_value():
    with Qemu(kernel=KERNEL, mem=16, append="trace=on",
              extra=["-vga", "none"]) as vm:
        vm.wait_boot()
        stat = vm.command("trace stat")
        assert re.search(r"^trace: on;", stat, re.M), stat
        # The boot's own allocations (threads, exclusive rooms) are there.
        assert re.search(r"^  refill\s+[1-9]", stat, re.M), stat
    with Qemu(kernel=KERNEL, mem=16, append="trace=maybe",
              extra=["-vga", "none"]) as vm:
        vm.wait_for(r"cmdline: bad value 'maybe' for trace= \(expected on "
                    r"or off\)")
        vm.wait_for(r"labyrinth> ")
        assert re.search(r"^trace: off;", vm.command("trace stat"), re.M)


def test_map_command():
    with Qemu(kernel=KERNEL, mem=16, extra=["-vga", "none"]) as vm:
        vm.wait_boot()
        out = vm.command("map")
        head = re.search(r"^map: frames 0x0-(0x[0-9a-f]+) \((\d+)\), (\d+) a "
                         r"cell", out, re.M)
        assert head, out
        frames, per = int(head.group(2)), int(head.group(3))
        rows = [l for l in out.splitlines()[1:] if re.match(r"^[0-9A#xhr-]+$", l)]
        cells = sum(len(r) for r in rows)
        assert len(rows) <= 23 and all(len(r) <= 79 for r in rows), out
        assert cells == (frames + per - 1) // per, (cells, out)
        assert "x exclusive" in out and "# allocated" in out, out
        raw = vm.command("map raw")
        runs = re.findall(r"^0x([0-9a-f]+) (\d+) (\w+) (\S+)$", raw, re.M)
        assert sum(int(c) for _, c, _, _ in runs) == frames, raw
        # Runs tile the frames in order, without a gap.
        pos = 0
        for pfn, count, _, _ in runs:
            assert int(pfn, 16) == pos, raw
            pos += int(count)
        assert re.search(r"^# end runs %d frames %d$" % (len(runs), frames),
                         raw, re.M), raw
        assert "need FIRST < END" in vm.command("map 0x20 0x10")
        assert "usage: map [raw] [FIRST END]" in vm.command("map 1")
        zoom = vm.command("map 0x100 0x200")
        assert re.search(r"^map: frames 0x100-0x200 \(256\), 1 a cell", zoom,
                         re.M), zoom
        assert "Labyrinth" in vm.command("version")


def test_lab_trace_prints_the_shells_lines():
    with Qemu(kernel=KERNEL, mem=16, gdb=True, extra=["-vga", "none"]) as vm:
        vm.wait_boot()
        vm.command("trace on")
        vm.command("alloc 1")
        vm.command("trace off")
        shell = vm.command("trace dump")
        res = gdb_batch(["lab-trace", "lab-trace 3", "detach"],
                        port=vm.gdb_port, gdbinit=True)
        gdb_records = records(res.out)
        want = records(shell)
        assert want, shell
        # The whole dump, then its last three records again.
        assert gdb_records[:len(want)] == want, "gdb:\n%s\nshell:\n%s" % (
            res, shell)
        assert gdb_records[len(want):] == want[-3:], str(res)
        cpu = re.search(r"^# cpu 0 .*$", shell, re.M).group(0)
        assert cpu in res.out, str(res)
        assert "Traceback" not in res.err, str(res)


# ---------------------------------------------------------------- make trace

def png_info(path):
    """(width, height) of a PNG file, after checking its signature and IHDR."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "%s: no PNG signature" % path
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13, "%s: no IHDR first" % path
    body = data[16:29]
    crc, = struct.unpack(">I", data[29:33])
    assert zlib.crc32(kind + body) & 0xffffffff == crc, "%s: IHDR CRC" % path
    assert data.endswith(b"IEND\xaeB`\x82"), "%s: no IEND" % path
    return struct.unpack(">II", body[:8])


def recount(dump_path):
    """Counts from the dump, independently of tools/trace-report."""
    events, lat, lost = {}, {}, None
    for line in open(dump_path):
        w = line.split()
        if line.startswith("# cpu "):
            lost = int(w[w.index("lost") + 1])
        if len(w) != 11 or line.startswith("#"):
            continue
        events[w[4]] = events.get(w[4], 0) + 1
        if w[4] == "alloc" and w[9] != "-":
            gfp = int(w[7], 16)
            path = ("GFP_KERNEL" if gfp & 4 else "GFP_ATOMIC") + \
                ("|GFP_EXCLUSIVE" if gfp & 8 else "") + \
                ("|GFP_DMA" if gfp & 1 else "")
            lat.setdefault((path, w[8]), []).append(int(w[9]))
    return events, lat, lost


@timeout(150)
def test_make_trace_pictures_and_summary():
    with tempfile.TemporaryDirectory(prefix="labyrinth-trace-") as out:
        p = subprocess.run(
            ["make", "-s", "trace", "MEM=16", "APPEND=hz=250",
             "CMD=stress 1", "TRACE_FLAGS=--no-icount --out %s" % out],
            cwd=ROOT, capture_output=True, text=True, timeout=140)
        log = "make trace (status %d):\n%s\n--- stderr ---\n%s" % (
            p.returncode, p.stdout, p.stderr)
        assert p.returncode == 0, log
        for name in ("rooms.png", "latency.png", "map.png"):
            w, h = png_info(os.path.join(out, name))
            assert w > 100 and h > 100, "%s is %dx%d" % (name, w, h)
        events, lat, lost = recount(os.path.join(out, "dump.txt"))
        for e in ("alloc", "free", "irq_enter", "irq_exit", "switch"):
            assert events.get(e, 0) > 0, "no %s in the dump:\n%s" % (e, log)
        summary = {m.group(1): int(m.group(2)) for m in re.finditer(
            r"^  (\w+)\s+(\d+)$", p.stdout, re.M)}
        for e, n in events.items():
            assert summary.get(e) == n, "%s: summary %s, dump %d\n%s" % (
                e, summary.get(e), n, log)
        assert re.search(r"^cpu 0: records \d+ written \d+ lost %d$" % lost,
                         p.stdout, re.M), log
        rows = re.findall(r"^  (GFP_\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)$",
                          p.stdout, re.M)
        assert rows, log
        got = {(path, room): (int(c), int(med), int(mx))
               for path, room, c, med, mx in rows}
        want = {k: (len(v), sorted(v)[(len(v) - 1) // 2], max(v))
                for k, v in lat.items()}
        assert got == want, "summary %s\ndump %s" % (got, want)


# ---------------------------------------------------------------- bad input

GOOD = """\
# labyrinth-trace 1
# tsc_hz 1000000000 icount
# zone DMA start 0x0 end 0x1000 present 3734 free 100 min 84 low 105 high 126
# zone Normal start 0x1000 end 0x1fe0 present 0 free 0 min 0 low 0 high 0
# room hot free 1
# room excl0 name keyboard owner irq1 free 4
# cpu 0 size 8192 record 28 entries 4 written 6 lost 2
# fields TSC CPU CONTEXT IRQS EVENT PFN ORDER GFP ROOM ARG CALLER
          1000 0 thread5   on  alloc          0x20  1  0x4 DMA                    300 cmd_alloc+0x10
          2000 0 irq0      off irq_enter         -  -    - -                        0 -
          2500 0 thread5   on  alloc          0x40  0  0x4 DMA                    500 cmd_alloc+0x10
          3000 0 thread5   on  free           0x20  1    - DMA                    120 cmd_free+0x22
# end cpu 0 records 4
"""


def report(text):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(text)
    try:
        return subprocess.run([sys.executable, REPORT, f.name],
                              capture_output=True, text=True), f.name
    finally:
        os.unlink(f.name)


def test_trace_report_reads_a_good_dump():
    p, _ = report(GOOD)
    assert p.returncode == 0, p.stderr
    assert re.search(r"^cpu 0: records 4 written 6 lost 2$", p.stdout, re.M)
    # Two allocations, 300 and 500 ticks: the median is the lower one.
    assert re.search(r"^  GFP_KERNEL\s+DMA\s+2\s+300\s+500$", p.stdout, re.M), \
        p.stdout
    assert re.search(r"^  alloc\s+2$", p.stdout, re.M), p.stdout


def test_trace_report_refuses_bad_dumps():
    lines = GOOD.splitlines(True)
    cases = [
        ("".join(lines[:11]), r":11: the dump is cut short: no '# end cpu 0' "
         r"line came \(truncated\?\)"),
        ("".join(lines[:5]), r":5: the dump is cut short: no '# cpu' line"),
        ("", r":1: the dump is cut short: it is empty"),
        ("hello\n" + GOOD, r":1: not a Labyrinth trace dump"),
        (GOOD.replace(" alloc ", " allok "), r":9: unknown EVENT 'allok'"),
        (GOOD.replace("0x20  1  0x4", "0x2g  1  0x4"), r":9: PFN '0x2g'"),
        (GOOD.replace(" DMA                    120", " Attic 120"),
         r":12: ROOM 'Attic' is none of the dump's rooms"),
        (GOOD.replace("records 4\n", "records 5\n"),
         r":13: cpu 0: 4 records read, the dump says 5"),
        (GOOD.replace(" 300 cmd_alloc+0x10", " 300"),
         r":9: a record has 11 fields"),
        (GOOD.replace("# tsc_hz", "# tsc_Hz"), r":2: unknown header line"),
    ]
    for text, want in cases:
        p, name = report(text)
        assert p.returncode != 0, "accepted:\n%s" % text
        assert re.search(re.escape(name) + want, p.stderr), \
            "wanted /%s/, got: %s" % (want, p.stderr)
        assert p.stderr.startswith("trace-report: "), p.stderr
        assert "Traceback" not in p.stderr, p.stderr
