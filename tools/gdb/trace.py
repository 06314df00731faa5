"""lab-trace: the kernel's event trace, read by gdb from the ring itself.

    lab-trace          the whole dump, as the shell's `trace dump` prints it
    lab-trace N        the header and the last N records only

It reads memory only (trace_rings[], zones[], the rooms, the kallsyms
table to name callers), so it works at any stop: at a breakpoint in an
allocation, in a handler, after an oops. The lines are those of
mm/trace.c (format 1, docs/TRACING.md); tools/trace-report reads either.
The ring is read as it is: a record the CPU was writing when it stopped
may be half written.

.gdbinit sources this file after the other helpers; it may be sourced
again harmlessly (the command is registered again).
"""
import struct

import gdb

TRACE_FORMAT = 1
EVENTS = ["none", "alloc", "alloc_fail", "free", "free_refused", "miss",
          "collision", "sleep", "wake", "handoff", "refill", "drain",
          "irq_enter", "irq_exit", "switch"]
TRACE_HANDOFF, TRACE_SWITCH = 9, 14
PFN_NONE = ARG_NONE = 0xffffffff
ORDER_NONE, GFP_NONE = 0xff, 0xffff
F_IRQS_OFF = 0x01
TROOM_NONE, TROOM_HOT, TROOM_ZONE, TROOM_RESERVE, TROOM_EXCL = 0, 1, 2, 4, 8
OWNER_IRQ_BASE, OWNER_THREAD_BASE = 0x100, 0x1000


def _array_len(v):
    return v.type.sizeof // v[0].type.sizeof


def _zone_names():
    zones = gdb.parse_and_eval("zones")
    return [zones[i]["name"].string() for i in range(_array_len(zones))]


def ctx_name(ctx):
    if ctx >= OWNER_THREAD_BASE:
        return "thread%d" % (ctx - OWNER_THREAD_BASE)
    if ctx >= OWNER_IRQ_BASE:
        return "irq%d" % (ctx - OWNER_IRQ_BASE)
    return "none"


def room_name(room, zones, nr_excl):
    if room == TROOM_NONE:
        return "-"
    if room == TROOM_HOT:
        return "hot"
    if TROOM_ZONE <= room < TROOM_ZONE + len(zones):
        return zones[room - TROOM_ZONE]
    if TROOM_RESERVE <= room < TROOM_RESERVE + len(zones):
        return "reserve(%s)" % zones[room - TROOM_RESERVE]
    if TROOM_EXCL <= room < TROOM_EXCL + nr_excl:
        return "excl%d" % (room - TROOM_EXCL)
    return "?%d" % room


class Kallsyms:
    """kernel/kallsyms.c's symbol_lookup(), on the table in memory."""

    def __init__(self):
        ks = gdb.parse_and_eval("kallsyms")
        # The generated table (tools/gen-kallsyms) names its fields a, o, n.
        f = {x.name for x in ks.type.strip_typedefs().fields()}
        addresses, offsets, names = (("a", "o", "n") if "a" in f else
                                     ("addresses", "name_offsets", "names"))
        self.count = int(ks["count"])
        inf = gdb.selected_inferior()
        word = gdb.lookup_type("unsigned long").sizeof
        fmt = "<%d%s" % (self.count, "I" if word == 4 else "Q")
        raw = inf.read_memory(int(ks[addresses]), self.count * word)
        self.addr = struct.unpack(fmt, bytes(raw))
        raw = inf.read_memory(int(ks[offsets]), self.count * 4)
        self.off = struct.unpack("<%dI" % self.count, bytes(raw))
        self.names = int(ks[names])
        self.etext = int(gdb.parse_and_eval("(unsigned long)_etext"))
        self.cache = {}

    def name(self, i):
        if i not in self.cache:
            self.cache[i] = gdb.Value(self.names + self.off[i]).cast(
                gdb.lookup_type("char").pointer()).string()
        return self.cache[i]

    def lookup(self, addr):
        """name+0xoff as %pS prints it, or 0x%08x."""
        if not self.count or addr < self.addr[0] or addr >= self.etext:
            return "0x%08x" % addr
        lo, hi = 0, self.count
        while hi - lo > 1:
            mid = lo + (hi - lo) // 2
            if self.addr[mid] <= addr:
                lo = mid
            else:
                hi = mid
        return "%s+0x%x" % (self.name(lo), addr - self.addr[lo])


def record_layout():
    """(size, {field: (offset, struct code)}) of struct trace_record."""
    t = gdb.lookup_type("struct trace_record")
    codes = {"tsc": "Q", "caller": "Q", "pfn": "I", "arg": "I", "gfp": "H",
             "ctx": "H", "event": "B", "order": "B", "room": "B",
             "flags": "B"}
    layout = {}

    def walk(ty, base):
        for f in ty.fields():
            off = base + f.bitpos // 8
            if f.name in codes:
                layout[f.name] = (off, codes[f.name])
            elif f.type.strip_typedefs().code in (gdb.TYPE_CODE_UNION,
                                                  gdb.TYPE_CODE_STRUCT):
                walk(f.type.strip_typedefs(), off)
    walk(t, 0)
    return t.sizeof, layout


def format_record(cpu, r, zones, nr_excl, syms):
    pfn = "-" if r["pfn"] == PFN_NONE else "0x%x" % r["pfn"]
    order = "-" if r["order"] == ORDER_NONE else "%d" % r["order"]
    gfp = "-" if r["gfp"] == GFP_NONE else "0x%x" % r["gfp"]
    line = "%14d %d %-9s %-3s %-12s %7s %2s %4s %-15s" % (
        r["tsc"], cpu, ctx_name(r["ctx"]),
        "off" if r["flags"] & F_IRQS_OFF else "on",
        EVENTS[r["event"]] if r["event"] < len(EVENTS) else "?", pfn, order,
        gfp, room_name(r["room"], zones, nr_excl))
    if r["arg"] == ARG_NONE:
        line += " %10s" % "-"
    elif r["event"] in (TRACE_HANDOFF, TRACE_SWITCH):
        line += " %10s" % ctx_name(r["arg"])
    else:
        line += " %10d" % r["arg"]
    line += " " + (syms.lookup(r["caller"]) if r["caller"] else "-")
    return line


def tsc_clock():
    """(Hz, how) as kernel/trace.c finds them."""
    cmdline = gdb.parse_and_eval("boot_cmdline").string()
    words = cmdline.split()
    if any(w == "icount" or w.startswith("icount=") for w in words):
        return 1000000000, "icount"
    s = gdb.parse_and_eval("sampler_live")
    samples = int(s["sum_samples"])
    if not samples:
        return 0, "unknown"
    hz = (int(s["sum_cycles"]) * int(gdb.parse_and_eval("timer_hz")) &
          (1 << 64) - 1) // samples   # u64 arithmetic, as the kernel
    return hz, "calibrated" if hz else "unknown"


def header_lines(zone_free=None):
    out = ["# labyrinth-trace %d" % TRACE_FORMAT,
           "# tsc_hz %d %s" % tsc_clock()]
    zones = gdb.parse_and_eval("zones")
    for i in range(_array_len(zones)):
        z = zones[i]
        wm = z["wmark"]
        out.append("# zone %s start 0x%x end 0x%x present %d free %d min %d "
                   "low %d high %d" % (
                       z["name"].string(), int(z["start_pfn"]),
                       int(z["end_pfn"]), int(z["present"]),
                       int(z["nr_free"]), int(wm[0]), int(wm[1]), int(wm[2])))
    hot = gdb.parse_and_eval("hot_rooms")[0]
    out.append("# room hot free %d" % (int(hot["count"]) +
                                       int(hot["nr_spill"])))
    rooms = gdb.parse_and_eval("excl_rooms")
    for i in range(_array_len(rooms)):
        r = rooms[i]
        if int(r["name"]):
            out.append("# room excl%d name %s owner %s free %d" % (
                i, r["name"].string(), ctx_name(int(r["owner"])),
                int(r["count"])))
    return out


def dump_lines(last=None):
    rings = gdb.parse_and_eval("trace_rings")
    size = _array_len(rings[0]["rec"])
    rec_size, layout = record_layout()
    zones = _zone_names()
    nr_excl = _array_len(gdb.parse_and_eval("excl_rooms"))
    syms = Kallsyms()
    out = header_lines()
    for cpu in range(_array_len(rings)):
        ring = rings[cpu]
        written = int(ring["written"])
        entries = min(written, size)
        out.append("# cpu %d size %d record %d entries %d written %d lost %d"
                   % (cpu, size, rec_size, entries, written, written - entries))
        out.append("# fields TSC CPU CONTEXT IRQS EVENT PFN ORDER GFP ROOM "
                   "ARG CALLER")
        raw = bytes(gdb.selected_inferior().read_memory(
            int(ring["rec"].address), size * rec_size))
        first = written - entries
        shown = range(entries) if last is None else \
            range(max(entries - last, 0), entries)
        for i in shown:
            slot = (first + i) % size
            base = slot * rec_size
            r = {k: struct.unpack_from("<" + c, raw, base + off)[0]
                 for k, (off, c) in layout.items()}
            out.append(format_record(cpu, r, zones, nr_excl, syms))
        out.append("# end cpu %d records %d" % (cpu, len(shown)))
    return out


class LabTrace(gdb.Command):
    """lab-trace [N] - the event trace as `trace dump` prints it (N: last N)"""
    name = "lab-trace"
    shell_twin = False      # for lab-help: not named as a shell command

    def __init__(self):
        super().__init__("lab-trace", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        if arg and not arg.isdigit():
            print("lab-trace: N must be a number of records, not %r" % arg)
            return
        try:
            lines = dump_lines(int(arg) if arg else None)
        except gdb.error as e:
            print("lab-trace: cannot read the kernel's trace here (%s)" % e)
            return
        print("\n".join(lines))


def _register_help(command):
    """Put lab-trace in lab-help's list, wherever the helpers keep it:
    labgdb's registry holds the commands, an older one their first line."""
    import sys
    for mod in ("labgdb.core", "__main__"):
        m = sys.modules.get(mod)
        cmd = getattr(m, "LabCommand", None) if m else None
        if cmd is None or not isinstance(getattr(cmd, "registry", None),
                                         dict):
            continue
        if hasattr(cmd, "shell_twin"):
            cmd.registry[command.name] = command
        else:
            cmd.registry[command.name] = command.__doc__.splitlines()[0]
        return


_register_help(LabTrace())
