"""What every Labyrinth gdb command shares: the command base class, reading
kernel variables, the page flags, owner names, and a copy of mem_map.

Nothing here calls a kernel function: every view reads memory only, so it
works at any breakpoint, with interrupts off, in a handler, after an oops.

The page flags and a few constants are read from the C headers of this
tree (include/mm/page.h, mm/internal.h), so the views follow the kernel
when a flag is added; the values written below are only the fallback for
a gdb started without the source tree.
"""
import os
import re
import struct

import gdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

PAGE_SHIFT = 12
PAGE_SIZE = 1 << PAGE_SHIFT
PAGE_KIB = PAGE_SIZE // 1024
PAGE_OFFSET = 0xC0000000
DIRECT_MAP_SIZE = 0x38000000


# ------------------------------------------------------------ constants

def _header_defines(relpath, prefix):
    """{NAME: value} of the `#define PREFIXxxx 0x..u` lines of a header."""
    out = {}
    try:
        with open(os.path.join(ROOT, relpath)) as f:
            for line in f:
                m = re.match(r"#define\s+(%s\w+)\s+(0x[0-9a-fA-F]+|\d+)u?\b"
                             % prefix, line)
                if m:
                    out[m.group(1)] = int(m.group(2), 0)
    except OSError:
        pass
    return out


_PG_FALLBACK = {"PG_reserved": 0x1, "PG_buddy": 0x2, "PG_hot": 0x4,
                "PG_pool": 0x8, "PG_head": 0x10, "PG_exclusive": 0x20,
                "PG_poisoned": 0x40, "PG_transit": 0x80, "PG_checked": 0x8000}
PG = dict(_PG_FALLBACK)
PG.update(_header_defines("include/mm/page.h", "PG_"))
PG.update(_header_defines("mm/internal.h", "PG_"))
PFN_NONE = _header_defines("include/mm/page.h", "PFN_NONE").get(
    "PFN_NONE", 0xffffffff)
_owner = _header_defines("include/asm-generic/context.h", "OWNER_")
OWNER_IRQ_BASE = _owner.get("OWNER_IRQ_BASE", 0x100)
OWNER_THREAD_BASE = _owner.get("OWNER_THREAD_BASE", 0x1000)

PG_RESERVED, PG_BUDDY, PG_HOT = PG["PG_reserved"], PG["PG_buddy"], PG["PG_hot"]
PG_POOL, PG_HEAD = PG["PG_pool"], PG["PG_head"]
PG_EXCLUSIVE = PG["PG_exclusive"]
PG_POISONED, PG_CHECKED = PG["PG_poisoned"], PG["PG_checked"]
PG_TRANSIT = PG["PG_transit"]


def flag_names(flags):
    """'buddy|poisoned' for 0x42; unknown bits in hex; 'none' for 0."""
    names, left = [], flags
    for name, bit in sorted(PG.items(), key=lambda kv: kv[1]):
        if flags & bit:
            names.append(name[3:])
            left &= ~bit
    if left:
        names.append("%#x" % left)
    return "|".join(names) or "none"


# ------------------------------------------------------------ reading

def val(expr):
    return gdb.parse_and_eval(expr)


def static(name, filename=None):
    """A kernel variable; filename picks a static one if the name is taken
    more than once."""
    if filename:
        try:
            return gdb.parse_and_eval("'%s'::%s" % (filename, name))
        except gdb.error:
            pass
    return gdb.parse_and_eval(name)


def length(array):
    lo, hi = array.type.strip_typedefs().range()
    return hi - lo + 1


def cstr(v):
    """A char * or char[] as a Python string ('(null)' for NULL, as the
    kernel's printf prints it)."""
    t = v.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_PTR and int(v) == 0:
        return "(null)"
    return v.string(errors="replace").split("\0")[0]


def u32(x):
    return int(x) & 0xffffffff


# ------------------------------------------------------------ names

def irq_name(line):
    names = static("irq_names", "context.c")
    if 0 <= line < length(names) and int(names[line]):
        return cstr(names[line])
    return "?"


def owner_name(owner):
    """As kernel/context.c's owner_name() prints an owner_t."""
    owner = int(owner)
    if OWNER_IRQ_BASE <= owner < OWNER_THREAD_BASE:
        line = owner - OWNER_IRQ_BASE
        return "IRQ%d (%s)" % (line, irq_name(line))
    if owner >= OWNER_THREAD_BASE:
        tid = owner - OWNER_THREAD_BASE
        if tid == int(static("thread_id", "context.c")):
            return "thread %u (%s)" % (
                tid, cstr(static("thread_name", "context.c")))
        return "thread %u" % tid
    return "nobody"


def owner_is_irq(owner):
    return OWNER_IRQ_BASE <= owner < OWNER_THREAD_BASE


def owner_is_thread(owner):
    return owner >= OWNER_THREAD_BASE


def threads():
    """{tid: struct thread} of every thread slot in use, boot included."""
    out = {0: val("boot_thread")}
    table = val("thread_table")
    for i in range(length(table)):
        t = table[i]
        if bool(t["used"]):
            out[int(t["tid"])] = t
    return out


def thread_alive(t):
    return t is not None and str(t["state"]) != "THREAD_DEAD"


def irqs_in_progress():
    """The IRQ lines being served at this stop, outermost first (the last
    one is the stopped handler's)."""
    depth = int(static("irq_depth", "context.c"))
    lines = static("irq_lines", "context.c")
    return [int(lines[i]) for i in range(min(depth, length(lines)))]


def owner_full_name(owner):
    """Like owner_name(), with every thread's name and state, for views
    that are not compared with the kernel's words: "thread 2 (refill)",
    "thread 9 (exited: demo)", "thread 40 (no such thread)"."""
    owner = int(owner)
    if not owner_is_thread(owner):
        return owner_name(owner)
    tid = owner - OWNER_THREAD_BASE
    t = threads().get(tid)
    if t is None:
        return "thread %u (no such thread)" % tid
    return "thread %u (%s%s)" % (tid, "" if thread_alive(t) else "exited: ",
                                 cstr(t["name"]))


def zones():
    z = val("zones")
    return [z[i] for i in range(length(z))]


def zone_name(z):
    return cstr(z["name"])


def zone_of_pfn(pfn):
    """The zone a frame belongs to, as pfn_zone() decides: by its range."""
    for z in zones():
        if int(z["start_pfn"]) <= pfn < int(z["end_pfn"]):
            return z
    return None


def nr_orders():
    return length(zones()[0]["free_area"])


# ------------------------------------------------------------ mem_map

class MemMap:
    """A copy of mem_map[] read in one piece (16 bytes a frame), with the
    fields of struct page as lists indexed by pfn. Reading it field by field
    through gdb would take minutes; one read takes a fraction of a second."""

    def __init__(self):
        self.base = int(val("mem_map"))
        self.max_pfn = int(val("max_pfn"))
        t = gdb.lookup_type("struct page")
        self.size = t.sizeof
        fmt, names, pos = "<", [], 0
        for f in t.fields():
            off, size = f.bitpos // 8, f.type.sizeof
            if off > pos:
                fmt += "%dx" % (off - pos)
            fmt += {1: "B", 2: "H", 4: "I", 8: "Q"}[size]
            names.append(f.name)
            pos = off + size
        if self.size > pos:
            fmt += "%dx" % (self.size - pos)
        raw = bytes(gdb.selected_inferior().read_memory(
            self.base, self.max_pfn * self.size))
        cols = list(zip(*struct.iter_unpack(fmt, raw))) if raw else []
        for name, col in zip(names, cols):
            setattr(self, name, list(col))

    def pfn_of_address(self, addr):
        """The pfn of a struct page address, or None if it is no entry."""
        off = addr - self.base
        if off < 0 or off % self.size or off // self.size >= self.max_pfn:
            return None
        return off // self.size


# One copy per stop: lab-page and lab-freelist run one after the other at
# a breakpoint read mem_map once. Anything that may change memory (the
# kernel running, an inferior call, `set var`) drops it.
_copy = None


def mem_map_copy():
    global _copy
    if _copy is None:
        _copy = MemMap()
    return _copy


def forget_copy(*_):
    global _copy
    _copy = None


def _connect_events():
    """Connect the events once per gdb (this module may be reloaded); the
    handler looks the module up, so it always reaches the current one."""
    if getattr(gdb, "_labyrinth_events", False):
        return
    import sys

    def handler(*args):
        sys.modules[__name__].forget_copy()

    for name in ("cont", "stop", "memory_changed", "inferior_call",
                 "new_objfile"):
        ev = getattr(gdb.events, name, None)
        if ev is not None:
            ev.connect(handler)
    gdb._labyrinth_events = True


_connect_events()


def page_pfn(page_ptr):
    """pfn of a struct page * into mem_map, or None."""
    base = int(val("mem_map"))
    size = gdb.lookup_type("struct page").sizeof
    off = int(page_ptr) - base
    if off < 0 or off % size or off // size >= int(val("max_pfn")):
        return None
    return off // size


def pfn_text(pfn):
    return "none" if pfn == PFN_NONE else "%#x" % pfn


# ------------------------------------------------------------ commands

class LabCommand(gdb.Command):
    """Base of the Labyrinth commands: name, one-line doc, show(arg).

    A gdb.error (a symbol this kernel lacks, memory gdb cannot read) is
    reported in one line naming the command instead of a Python traceback.
    """
    name = None
    registry = {}
    shell_twin = False      # prints what the shell command `name` prints

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)
        LabCommand.registry[self.name] = self

    takes_args = False      # a view, like the shell's, takes none
    needs_kernel = True     # reads a running (or stopped) kernel

    def invoke(self, arg, from_tty):
        if arg.strip() and not self.takes_args:
            print("usage: %s" % self.name)
            return
        if self.needs_kernel and gdb.selected_inferior().pid == 0:
            print("%s: no kernel attached: run 'make debug', then 'make gdb' "
                  "(or target remote 127.0.0.1:PORT)" % self.name)
            return
        try:
            self.show(arg.strip())
        except gdb.MemoryError as e:
            print("%s: cannot read the kernel's memory here (%s)" % (
                self.name, e))
        except gdb.error as e:
            print("%s: %s" % (self.name, e))

    def show(self, arg):
        raise NotImplementedError
