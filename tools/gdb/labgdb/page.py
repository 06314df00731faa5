"""One page frame, one free list, and the pretty-printers for struct page
and struct zone.

    lab-page PFN|ADDR        a frame: flags by name, order, owner, and the
                             room it is in (hot, a zone's free list at order
                             k, an exclusive room, an allocated block, a
                             block in transit between two rooms, reserved)
    lab-freelist ZONE ORDER  the free blocks on one zone's list of one order
    print mem_map[0x100]     one decoded line (print/r shows the raw fields)
    print zones[1]           one decoded line for a zone
"""
import gdb
import gdb.printing

from .core import (DIRECT_MAP_SIZE, PAGE_OFFSET, PAGE_SHIFT, PFN_NONE,
                   PG_BUDDY, PG_CHECKED, PG_EXCLUSIVE, PG_HEAD, PG_HOT,
                   PG_POISONED, PG_POOL, PG_RESERVED, PG_TRANSIT, LabCommand,
                   cstr, flag_names, length, mem_map_copy, owner_full_name,
                   page_pfn, pfn_text, u32, val, zone_name, zone_of_pfn,
                   zones)
from .check import Movers

# The heads of blocks: their order covers the frames after them.
BLOCK_HEADS = PG_BUDDY | PG_HEAD | PG_TRANSIT


# ------------------------------------------------------------ argument

def parse_frame(arg, cmd):
    """PFN, a kernel address in the direct map, or a struct page (pointer
    or value) -> pfn. Raises gdb.GdbError naming cmd for anything else."""
    if not arg:
        raise gdb.GdbError("usage: %s PFN|ADDR (a frame number, a kernel "
                           "address 0xc..., or a struct page *)" % cmd)
    v = gdb.parse_and_eval(arg)
    t = v.type.strip_typedefs()
    max_pfn = int(val("max_pfn"))
    if t.code == gdb.TYPE_CODE_STRUCT and t.tag == "page":
        v, t = v.address, v.address.type.strip_typedefs()
    if (t.code == gdb.TYPE_CODE_PTR and
            t.target().strip_typedefs().tag == "page"):
        pfn = page_pfn(v)
        if pfn is None:
            raise gdb.GdbError("%s: %s = %#x is no entry of mem_map" % (
                cmd, arg, u32(v)))
        return pfn
    n = u32(v)
    if n >= PAGE_OFFSET:
        if n >= PAGE_OFFSET + DIRECT_MAP_SIZE:
            raise gdb.GdbError("%s: %#x is above the direct map (thread "
                               "stacks live there): give the frame number"
                               % (cmd, n))
        n = (n - PAGE_OFFSET) >> PAGE_SHIFT
    if n >= max_pfn:
        raise gdb.GdbError("%s: no frame %#x: frames end at max_pfn %#x (a "
                           "physical address? write ADDR >> 12)" % (
                               cmd, n, max_pfn))
    return n


# ------------------------------------------------------------ where is it

def span(pfn, order):
    """'0x100-0x107' for a block of order 3; '0x100' for one page."""
    if not order:
        return "%#x" % pfn
    return "%#x-%#x" % (pfn, pfn + (1 << order) - 1)


def block_containing(mm, pfn):
    """(head, order, kind) of the free, allocated or in-transit block whose
    tail pfn is, or None. Blocks are aligned to their size, so the head is
    pfn with its low bits cleared for some order."""
    for k in range(1, 32):
        head = pfn & ~((1 << k) - 1)
        if head == pfn:
            continue
        f = mm.flags[head]
        if f & BLOCK_HEADS and head + (1 << mm.order[head]) > pfn:
            kind = ("free" if f & PG_BUDDY else "allocated" if f & PG_HEAD
                    else "in transit")
            return head, mm.order[head], kind
        if head == 0:
            return None
    return None


def list_position(mm, first, pfn, limit):
    """1-based position of pfn on the list starting at first, and the
    list's length (both None if the walk breaks)."""
    pos, n, cur = None, 0, first
    while cur != PFN_NONE and n <= limit:
        if cur >= mm.max_pfn:
            return pos, None
        n += 1
        if cur == pfn:
            pos = n
        cur = mm.next[cur]
    return pos, (n if cur == PFN_NONE else None)


def hot_position(mm, pfn):
    """'stack slot i of n' or 'spill list' if the hot room holds pfn."""
    hot = val("hot_rooms")[0]
    count = int(hot["count"])
    pages = hot["pages"]
    size = gdb.lookup_type("struct page").sizeof
    want = mm.base + pfn * size
    raw = bytes(gdb.selected_inferior().read_memory(
        int(pages[0].address), 4 * min(count, length(pages))))
    for i in range(len(raw) // 4):
        if int.from_bytes(raw[4 * i:4 * i + 4], "little") == want:
            return "stack slot %d of %d" % (i, count)
    pos, _ = list_position(mm, int(hot["spill"]["first"]), pfn, mm.max_pfn)
    if pos:
        return "spill list, entry %d of %d" % (pos, int(hot["nr_spill"]))
    return None


def describe_free_head(mm, pfn, z):
    order = mm.order[pfn]
    lines = ["free: head of the block %s (order %d) in zone %s's room" % (
        span(pfn, order), order, zone_name(z))]
    fa = z["free_area"]
    if order < length(fa):
        pos, n = list_position(mm, int(fa[order]["free_list"]["first"]), pfn,
                               mm.max_pfn)
        if pos:
            lines.append("  on free_area[%d].free_list, entry %d of %d "
                         "(nr_free %d)" % (order, pos, n or 0,
                                           int(fa[order]["nr_free"])))
        else:
            lines.append("  NOT on free_area[%d].free_list: a move in "
                         "progress, or see lab-check" % order)
    lines.append("  reserve: not particular frames; the zone's last %d free "
                 "pages" % int(z["wmark"][0]))
    return lines


def transit_text(mm, head):
    """'in transit (order k, moved by thread N (name))' for a block in
    transit: taken from a room, not yet in the next or handed out."""
    return "in transit (order %d, moved by %s)" % (
        mm.order[head], owner_full_name(mm.owner[head]))


def describe_room(mm, pfn):
    """Lines saying where the frame is: which room, or which block."""
    f = mm.flags[pfn] & ~PG_CHECKED
    z = zone_of_pfn(pfn)
    if f & PG_RESERVED:
        return ["reserved: never handed to the allocator (below 1 MiB, the "
                "kernel, the boot data, mem_map, or a hole)"]
    if z is None:
        return ["in no zone"]
    if f & PG_BUDDY:
        return describe_free_head(mm, pfn, z)
    if f & PG_HOT:
        where = hot_position(mm, pfn)
        return ["free: in the hot room (cpu 0), %s" % where if where else
                "PG_hot, but the hot room does not hold it (see lab-check)"]
    if f & PG_POOL:
        rooms = val("excl_rooms")
        i = mm.room[pfn]
        if i < length(rooms) and int(rooms[i]["name"]):
            r = rooms[i]
            return ["free: in exclusive room %d '%s' (owner %s), zero-filled"
                    % (i, cstr(r["name"]), owner_full_name(r["owner"]))]
        return ["PG_pool, but exclusive room %d is not in use" % i]
    if f & PG_HEAD:
        order = mm.order[pfn]
        lines = ["allocated: head of the block %s (order %d)" % (
            span(pfn, order), order)]
        if f & PG_EXCLUSIVE:
            lines.append("  exclusive: owner %s (only it may free or hand "
                         "it off)" % owner_full_name(mm.owner[pfn]))
        return lines
    if f & PG_TRANSIT:
        why = Movers().why_not(mm.owner[pfn])
        return ["%s: head of the block %s, out of one room and not yet in "
                "the next or handed out" % (transit_text(mm, pfn),
                                            span(pfn, mm.order[pfn])),
                "  its mover may be in the middle of the move now"
                if why is None else "  lost: its mover cannot be moving it "
                "now (%s)" % why]
    blk = block_containing(mm, pfn)
    if blk:
        head, order, kind = blk
        if kind == "in transit":
            text = "%s: frame %d of the block %s" % (
                transit_text(mm, head), pfn - head, span(head, order))
        else:
            text = "%s: frame %d of the block %s (order %d)" % (
                kind, pfn - head, span(head, order), order)
        if kind == "free":
            text += " in zone %s's room" % zone_name(z)
        return [text, "  its head: lab-page %#x" % head]
    return ["in no room and no block: flags %#x (lost? run lab-check)" % f]


class LabPage(LabCommand):
    """lab-page PFN|ADDR - one frame: flags, order, owner, the room it is in

PFN is a frame number (lab-page 0x1000); ADDR a kernel address in the
direct map (lab-page 0xc1000000, lab-page buf), or a struct page, pointer
or value (lab-page page, lab-page mem_map[5]). For a physical address,
write ADDR >> 12. It prints the frame's addresses, its struct page decoded,
and where it is: reserved, the hot room (which slot), a zone's free list
(the head of a block, which entry of which order, or a frame inside one),
an exclusive room, an allocated block (with its owner if exclusive), or a
block in transit between two rooms (with its order and its mover)."""
    name = "lab-page"
    takes_args = True

    def show(self, arg):
        pfn = parse_frame(arg, self.name)
        mm = mem_map_copy()
        z = zone_of_pfn(pfn)
        f = mm.flags[pfn]
        print("page %#x: phys %#x, virt %#x, zone %s" % (
            pfn, pfn << PAGE_SHIFT, (pfn << PAGE_SHIFT) + PAGE_OFFSET,
            zone_name(z) if z is not None else "none"))
        print("  struct page at %#x: flags %#x (%s), order %d, room %d" % (
            mm.base + pfn * mm.size, f, flag_names(f), mm.order[pfn],
            mm.room[pfn]))
        print("  owner %#x (%s), next %s, prev %s" % (
            mm.owner[pfn], owner_full_name(mm.owner[pfn]),
            pfn_text(mm.next[pfn]), pfn_text(mm.prev[pfn])))
        for line in describe_room(mm, pfn):
            print("  " + line)
        if f & PG_POISONED:
            print("  poisoned: filled with 0x6b when it was freed; an "
                  "allocation checks the poison is intact")
        if f & PG_CHECKED:
            print("  PG_checked: mm_check() is running and has marked it")


# ------------------------------------------------------------ free lists

def zone_by_arg(word, cmd):
    zs = zones()
    for i, z in enumerate(zs):
        if word.lower() in (zone_name(z).lower(), str(i)):
            return z
    raise gdb.GdbError("%s: no zone '%s' (zones: %s)" % (
        cmd, word, ", ".join(zone_name(z) for z in zs)))


class LabFreelist(LabCommand):
    """lab-freelist ZONE ORDER [MAX|all] - one zone's free list of one order

ZONE is DMA or Normal (or 0, 1), ORDER 0 to 10. It walks
zones[ZONE].free_area[ORDER].free_list, prints each block (the first 64,
or MAX, or all) and the count against nr_free, and marks a block whose
head is not a free head of that order, not aligned, or badly linked."""
    name = "lab-freelist"
    takes_args = True
    DEFAULT_MAX = 64

    def show(self, arg):
        words = arg.split()
        usage = ("usage: %s ZONE ORDER [MAX|all]  (ZONE: DMA or Normal)"
                 % self.name)
        if len(words) not in (2, 3):
            raise gdb.GdbError(usage)
        z = zone_by_arg(words[0], self.name)
        fa = z["free_area"]
        try:
            order = int(words[1], 0)
            limit = (None if len(words) == 3 and words[2] == "all" else
                     int(words[2], 0) if len(words) == 3 else self.DEFAULT_MAX)
        except ValueError:
            raise gdb.GdbError(usage)
        if not 0 <= order < length(fa):
            raise gdb.GdbError("%s: order %d: orders are 0 to %d" % (
                self.name, order, length(fa) - 1))
        mm = mem_map_copy()
        for line in freelist_lines(mm, z, order, limit):
            print(line)


def freelist_lines(mm, z, order, limit):
    fa = z["free_area"][order]
    nr_free = int(fa["nr_free"])
    cur, prev, n = int(fa["free_list"]["first"]), PFN_NONE, 0
    blocks, bad = [], []
    while cur != PFN_NONE:
        if cur >= mm.max_pfn:
            bad.append("  link to %#x, past max_pfn %#x: the list is broken"
                       % (cur, mm.max_pfn))
            break
        if n > mm.max_pfn:
            bad.append("  the list loops")
            break
        n += 1
        note = []
        f = mm.flags[cur] & ~PG_CHECKED
        if (f & ~PG_POISONED) != PG_BUDDY or mm.order[cur] != order:
            note.append("flags %#x (%s) order %d: not a free head of order %d"
                        % (f, flag_names(f), mm.order[cur], order))
        if cur & ((1 << order) - 1):
            note.append("not aligned to order %d" % order)
        if mm.prev[cur] != prev:
            note.append("prev %s, not %s" % (pfn_text(mm.prev[cur]),
                                              pfn_text(prev)))
        if f & PG_POISONED:
            note.append("poisoned")
        blocks.append((cur, note))
        prev, cur = cur, mm.next[cur]
    head = "zone %s order %d: nr_free %d, %d on the list" % (
        zone_name(z), order, nr_free, n)
    if n != nr_free:
        head += "  <- MISMATCH"
    lines = [head]
    shown = blocks if limit is None else blocks[:limit]
    for pfn, note in shown:
        lines.append("  " + span(pfn, order) +
                     ("  " + "; ".join(note) if note else ""))
    if len(shown) < len(blocks):
        lines.append("  ... %d more (lab-freelist %s %d all)" % (
            len(blocks) - len(shown), zone_name(z), order))
    return lines + bad


# ------------------------------------------------------------ printers

class PagePrinter:
    """struct page on one line: its pfn (if it is in mem_map), its state
    and the fields that state gives a meaning (include/mm/page.h)."""

    def __init__(self, v):
        self.v = v

    def to_string(self):
        v = self.v
        f, order = int(v["flags"]), int(v["order"])
        parts = []
        addr = v.address
        pfn = page_pfn(addr) if addr is not None else None
        if pfn is not None:
            parts.append("pfn %#x" % pfn)
        parts.append(flag_names(f))
        if f & BLOCK_HEADS:
            parts.append("order %d" % order)
        if f & PG_POOL:
            parts.append("room %d" % int(v["room"]))
        if f & (PG_EXCLUSIVE | PG_POOL):
            parts.append("owner %s" % owner_full_name(v["owner"]))
        if f & PG_TRANSIT:
            parts.append("moved by %s" % owner_full_name(v["owner"]))
        nxt, prv = u32(v["next"]), u32(v["prev"])
        if nxt != PFN_NONE or prv != PFN_NONE:
            parts.append("next %s, prev %s" % (pfn_text(nxt), pfn_text(prv)))
        return "{%s}" % ", ".join(parts)


def lock_text(lock):
    if not int(lock["locked"]):
        return "lock free"
    pc = u32(lock["owner_pc"])
    try:
        fn = gdb.block_for_pc(pc).function
        where = " by %s" % fn.name if fn else ""
    except (RuntimeError, gdb.error, AttributeError):
        where = ""
    return "lock held%s (pc %#x)" % (where, pc)


class ZonePrinter:
    """struct zone on one line: range, sizes, watermarks, blocks, lock."""

    def __init__(self, v):
        self.v = v

    def to_string(self):
        z = self.v
        fa = z["free_area"]
        return ("{zone %s: pfns %#x-%#x, present %d, free %d, watermarks "
                "min %d low %d high %d, blocks %s, %s}" % (
                    zone_name(z), int(z["start_pfn"]), int(z["end_pfn"]),
                    int(z["present"]), int(z["nr_free"]), int(z["wmark"][0]),
                    int(z["wmark"][1]), int(z["wmark"][2]),
                    " ".join(str(int(fa[o]["nr_free"]))
                             for o in range(length(fa))),
                    lock_text(z["lock"])))


def register_printers():
    pp = gdb.printing.RegexpCollectionPrettyPrinter("labyrinth")
    pp.add_printer("page", "^page$", PagePrinter)
    pp.add_printer("zone", "^zone$", ZonePrinter)
    gdb.printing.register_pretty_printer(None, pp, replace=True)
