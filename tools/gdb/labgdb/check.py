"""lab-check: mm_check()'s rules, recounted by gdb from memory alone.

mm/check.c walks every list and every frame inside the kernel, with the
zone locks held and interrupts off. lab-check applies the same rules to a
copy of the state read at a breakpoint, calls nothing in the kernel and
changes nothing, and prints each mismatch in mm_check()'s own words
("mm_check: Normal order 3: 1 listed, nr_free 2"), so the two can be
compared line for line. The rules, in mm_check()'s order:

  each zone: every free list's links and length against nr_free; every
      block on it a PG_buddy head of that order, aligned, inside the zone,
      its buddy not left free and unmerged; the sum against nr_free; the
      watermarks ordered;
  the hot room: count within HOT_MAX, every entry a PG_hot order-0 frame,
      none held twice, the spill list's length against nr_spill;
  each exclusive room: list length against count (count <= target), a
      real owner, every page PG_pool with the room's index and owner;
  mem_map, block by block: every frame in exactly one place (reserved, a
      free block, the hot room, an exclusive room, an allocated block),
      no PG_hot frame outside the hot room, allocated heads aligned and
      inside one zone, exclusive pages of order 0 with a real owner, the
      frames inside a block without state of their own;
  totals: free and poisoned frames per zone, hot, pool and reserved
      frames against the counters, and allocated + free + hot + pool
      equal to the frames the zones manage.

A breakpoint can stop the kernel in the middle of a move: a zone lock held
with a list half relinked, a hot room changed with interrupts off, a frame
taken from one room and not yet in the next. lab-check says when the stop
is not quiet, and why, instead of calling what it sees corruption.
"""
import gdb

from .core import (OWNER_IRQ_BASE, PFN_NONE, PG_BUDDY, PG_CHECKED,
                   PG_EXCLUSIVE, PG_HEAD, PG_HOT, PG_POISONED, PG_POOL,
                   PG_RESERVED, LabCommand, cstr, length, mem_map_copy,
                   static, u32, val, zone_name, zones)


def owner_valid(o):
    return o >= OWNER_IRQ_BASE


class Checker:
    def __init__(self):
        self.mm = mem_map_copy()
        self.zs = zones()
        self.nz = len(self.zs)
        self.max_order = length(self.zs[0]["free_area"]) - 1
        self.zone_info = [(zone_name(z), int(z["start_pfn"]),
                           int(z["end_pfn"])) for z in self.zs]
        self.problems = []
        # mm_check() itself may be the code that was stopped: its marks
        # are not part of the state it checks.
        self.kernel_marks = sum(1 for f in self.mm.flags if f & PG_CHECKED)
        self.flags = [f & ~PG_CHECKED for f in self.mm.flags]
        self.marked = set()
        self.zone_free = [0] * self.nz
        self.zone_poisoned = [0] * self.nz
        self.hot = self.pool = self.alloc = self.reserved = 0

    def bad(self, text):
        self.problems.append("mm_check: " + text)

    def cflags(self, pfn):
        """The flags as mm_check() sees them: with its mark on the frames
        it found in the hot room."""
        return self.flags[pfn] | (PG_CHECKED if pfn in self.marked else 0)

    def zone_index(self, pfn):
        """pfn_zone(): DMA below DMA_END_PFN, Normal from there on."""
        return 1 if pfn >= self.zone_info[0][2] else 0

    # ---- lists

    def walk(self, first, limit=None):
        """The pfns of a list, stopping at a loop or a link past max_pfn."""
        out, cur = [], first
        limit = self.mm.max_pfn if limit is None else limit
        while cur != PFN_NONE:
            if cur >= self.mm.max_pfn:
                self.bad("list at %#x links to %#x, past max_pfn %#x "
                         "(lab-check only: the kernel would read past "
                         "mem_map)" % (first, cur, self.mm.max_pfn))
                break
            out.append(cur)
            if len(out) > limit:
                break
            cur = self.mm.next[cur]
        return out

    def check_list(self, first, what):
        prev, n = PFN_NONE, 0
        for pfn in self.walk(first):
            if self.mm.prev[pfn] != prev:
                self.bad("%s: pfn %#x prev %#x, not %#x" % (
                    what, pfn, self.mm.prev[pfn], prev))
            prev = pfn
            n += 1
            if n > self.mm.max_pfn:
                self.bad("%s: list loops" % what)
                break
        return n

    def check_block(self, zi, pfn, o):
        name, start, end = self.zone_info[zi]
        f, order = self.cflags(pfn), self.mm.order[pfn]
        if (f & ~PG_POISONED) != PG_BUDDY or order != o:
            self.bad("%s order %u: pfn %#x flags %#x order %u" % (
                name, o, pfn, f, order))
        if pfn & ((1 << o) - 1):
            self.bad("%s: pfn %#x not aligned to order %u" % (name, pfn, o))
        if not (pfn >= start and pfn + (1 << o) <= end):
            self.bad("%s: block %#x order %u outside the zone" % (
                name, pfn, o))
        buddy = pfn ^ (1 << o)
        if not (o == self.max_order or buddy >= self.mm.max_pfn or
                not self.flags[buddy] & PG_BUDDY or self.mm.order[buddy] != o):
            self.bad("%s: blocks %#x and %#x of order %u left unmerged" % (
                name, pfn, buddy, o))

    def check_zone_lists(self, zi):
        z = self.zs[zi]
        name = self.zone_info[zi][0]
        fa = z["free_area"]
        total = 0
        for o in range(self.max_order + 1):
            first = int(fa[o]["free_list"]["first"])
            nr_free = int(fa[o]["nr_free"])
            n = self.check_list(first, name)
            if n != nr_free:
                self.bad("%s order %u: %u listed, nr_free %u" % (
                    name, o, n, nr_free))
            for pfn in self.walk(first):
                self.check_block(zi, pfn, o)
            total += nr_free << o
        if total != int(z["nr_free"]):
            self.bad("%s: lists hold %u, nr_free %u" % (
                name, total, int(z["nr_free"])))
        wm = [int(z["wmark"][i]) for i in range(3)]
        if int(z["present"]) and not (wm[0] < wm[1] < wm[2]):
            self.bad("%s: watermarks %u/%u/%u not ordered" % (name, *wm))

    # ---- rooms

    def check_hot_page(self, pfn, where):
        if pfn in self.marked:
            self.bad("%s: pfn %#x is in the hot room twice" % (where, pfn))
        f = self.flags[pfn]
        if (f & ~PG_POISONED) != PG_HOT or self.mm.order[pfn] != 0:
            self.bad("%s: pfn %#x flags %#x order %u" % (
                where, pfn, f, self.mm.order[pfn]))
        self.marked.add(pfn)

    def check_hot(self, hot):
        hot_max = length(hot["pages"])
        count = int(hot["count"])
        if count > hot_max:
            self.bad("hot: count %u" % count)
        n = min(count, hot_max)
        raw = bytes(gdb.selected_inferior().read_memory(
            int(hot["pages"][0].address), 4 * n)) if n else b""
        for i in range(n):
            ptr = int.from_bytes(raw[4 * i:4 * i + 4], "little")
            pfn = self.mm.pfn_of_address(ptr) if ptr else None
            if pfn is None:
                self.bad("hot: pages[%u] = 0x%08x is no frame" % (i, ptr))
                continue
            self.check_hot_page(pfn, "hot")
        first = int(hot["spill"]["first"])
        if self.check_list(first, "hot spill") != int(hot["nr_spill"]):
            self.bad("hot: nr_spill %u does not match its list" %
                     int(hot["nr_spill"]))
        for pfn in self.walk(first):
            self.check_hot_page(pfn, "hot spill")

    def check_rooms(self):
        hot_rooms = val("hot_rooms")
        for cpu in range(length(hot_rooms)):
            self.check_hot(hot_rooms[cpu])
        rooms = val("excl_rooms")
        for i in range(length(rooms)):
            r = rooms[i]
            if not int(r["name"]):
                continue
            name, owner = cstr(r["name"]), u32(r["owner"])
            count, target = int(r["count"]), int(r["target"])
            first = int(r["list"]["first"])
            if not (self.check_list(first, name) == count and count <= target):
                self.bad("room %s: count %u target %u" % (name, count, target))
            if not owner_valid(owner):
                self.bad("room %s: owner %#x is no IRQ and no thread" % (
                    name, owner))
            for pfn in self.walk(first):
                if not (self.cflags(pfn) == PG_POOL and
                        self.mm.room[pfn] == i and
                        self.mm.owner[pfn] == owner):
                    self.bad("room %s: pfn %#x flags %#x" % (
                        name, pfn, self.cflags(pfn)))

    # ---- the map

    def check_alloc(self, pfn):
        order = self.mm.order[pfn]
        zend = self.zone_info[self.zone_index(pfn)][2]
        if (order > self.max_order or pfn & ((1 << order) - 1) or
                pfn + (1 << order) > zend):
            self.bad("pfn %#x: allocated block of order %u is not aligned, "
                     "too big or past its zone" % (pfn, order))
            return 0
        if self.flags[pfn] & PG_EXCLUSIVE:
            owner = self.mm.owner[pfn]
            if not (order == 0 and owner_valid(owner)):
                self.bad("pfn %#x: exclusive page of order %u, owner %#x" % (
                    pfn, order, owner))
        return order

    def check_map(self):
        mm, flags = self.mm, self.flags
        pfn = 0
        while pfn < mm.max_pfn:
            f = flags[pfn]
            order = 0
            if f & PG_RESERVED:
                self.reserved += 1
            elif f & PG_BUDDY:
                order = min(mm.order[pfn], self.max_order)
                zi = self.zone_index(pfn)
                self.zone_free[zi] += 1 << order
                end = min(pfn + (1 << order), mm.max_pfn)
                self.zone_poisoned[zi] += sum(
                    1 for i in range(pfn, end) if flags[i] & PG_POISONED)
            elif f & PG_HEAD:
                order = self.check_alloc(pfn)
                self.alloc += 1 << order
            elif f & PG_HOT:
                if pfn not in self.marked:
                    self.bad("pfn %#x is PG_hot but in no hot room" % pfn)
                self.hot += 1
            elif f & PG_POOL:
                self.pool += 1
            else:
                self.bad("pfn %#x (flags %#x) is in no room and no "
                         "allocation: lost" % (pfn, self.cflags(pfn)))
            for i in range(pfn + 1, min(pfn + (1 << order), mm.max_pfn)):
                if flags[i] & ~PG_POISONED:
                    self.bad("pfn %#x (flags %#x) overlaps the block at %#x "
                             "order %u" % (i, self.cflags(i), pfn, order))
            pfn += 1 << order

    def check_totals(self):
        for i, z in enumerate(self.zs):
            name = self.zone_info[i][0]
            if self.zone_free[i] != int(z["nr_free"]):
                self.bad("%s: map has %u free, nr_free %u" % (
                    name, self.zone_free[i], int(z["nr_free"])))
            if self.zone_poisoned[i] != int(z["nr_poisoned"]):
                self.bad("%s: map has %u poisoned, nr_poisoned %u" % (
                    name, self.zone_poisoned[i], int(z["nr_poisoned"])))
        rooms = val("excl_rooms")
        pool = sum(int(rooms[i]["count"]) for i in range(length(rooms))
                   if int(rooms[i]["name"]))
        hot_rooms = val("hot_rooms")
        hot = sum(int(hot_rooms[c]["count"]) + int(hot_rooms[c]["nr_spill"])
                  for c in range(length(hot_rooms)))
        free = sum(self.zone_free)
        managed = sum(int(z["present"]) for z in self.zs)
        if self.hot != hot:
            self.bad("map has %u hot, rooms %u" % (self.hot, hot))
        if self.alloc + free + self.hot + self.pool != managed:
            self.bad("map has %u allocated + %u free + %u hot + %u pool, "
                     "zones manage %u" % (self.alloc, free, self.hot,
                                          self.pool, managed))
        if self.pool != pool:
            self.bad("map has %u pool pages, rooms %u" % (self.pool, pool))
        expected = int(val("mm_reserved_pages"))
        if self.reserved != expected:
            self.bad("map has %u reserved, expected %u" % (
                self.reserved, expected))

    def run(self):
        for zi in range(self.nz):
            self.check_zone_lists(zi)
        self.check_rooms()
        self.check_map()
        self.check_totals()
        return self.problems



# ------------------------------------------------------ is the stop quiet?

def in_allocator(filename):
    return filename.startswith("mm/") or filename.startswith("include/mm/")


def frame_places(pcs):
    """(function, file) for each pc of a call chain: the function and the
    inline functions the pc is in, innermost first."""
    out = []
    for pc in pcs:
        try:
            block = gdb.block_for_pc(pc)
        except RuntimeError:
            block = None
        while block is not None:
            fn = block.function
            if fn is not None:
                out.append((fn.name, fn.symtab.filename if fn.symtab else "?"))
            block = block.superblock
    return out


def current_chain():
    """The pcs of the stopped context, by gdb's unwinder."""
    pcs, f = [], gdb.newest_frame()
    while f is not None and len(pcs) < 64:
        pcs.append(f.pc() - (1 if pcs else 0))
        try:
            f = f.older()
        except gdb.error:
            break
    return pcs


def saved_chain(t):
    """The pcs of a thread switched out in switch_to(): its saved stack
    holds edi, esi, ebx, ebp, then the return address (switch.asm); then
    the frame-pointer chain, kept inside the thread's stack."""
    inf = gdb.selected_inferior()
    lo, hi = int(t["stack_lo"]), int(t["stack_hi"])

    def word(addr):
        return int.from_bytes(bytes(inf.read_memory(addr, 4)), "little")

    esp = int(t["esp"])
    if not lo <= esp < hi - 20:
        return []
    pcs = [word(esp + 16) - 1]
    ebp = word(esp + 12)
    while lo <= ebp < hi - 8 and len(pcs) < 64:
        pcs.append(word(ebp + 4) - 1)
        ebp = word(ebp)
    return pcs


def unquiet_reasons():
    """Why the state at this stop may be in the middle of a move."""
    reasons = []
    for z in zones():
        lock = z["lock"]
        if int(lock["locked"]):
            pc = u32(lock["owner_pc"])
            fn = None
            try:
                b = gdb.block_for_pc(pc)
                fn = b.function.name if b and b.function else None
            except RuntimeError:
                pass
            reasons.append("zone %s's lock is held (taken in %s): its lists "
                           "and counts may be half changed" % (
                               zone_name(z), fn or "%#x" % pc))
    try:
        eflags = int(gdb.parse_and_eval("$eflags"))
    except gdb.error:
        eflags = 0x200
    depth = int(static("irq_depth", "context.c"))
    if depth:
        reasons.append("stopped in an interrupt handler (depth %d): the code "
                       "it interrupted may be in the middle of a move" % depth)
    elif not eflags & 0x200:
        reasons.append("interrupts are off here: the hot room or an exclusive "
                       "room may be in the middle of a push or pop")
    running = int(static("thread_id", "context.c"))
    chains = [("the stopped code", current_chain())]
    table = val("thread_table")
    for i in range(length(table)):
        t = table[i]
        if bool(t["used"]) and int(t["fn"]) and int(t["tid"]) != running \
                and str(t["state"]) != "THREAD_DEAD":
            chains.append(("thread %d (%s)" % (int(t["tid"]), cstr(t["name"])),
                           saved_chain(t)))
    for who, pcs in chains:
        places = [p for p in frame_places(pcs) if in_allocator(p[1])]
        # Asleep until pages are freed: waiting, not carrying frames.
        if places and places[0][1] != "mm/sleep.c":
            fn, fname = places[0]
            reasons.append("%s is inside the allocator (%s, %s): frames it "
                           "moves are in neither room until it goes on" % (
                               who, fn, fname))
    return reasons


class LabCheck(LabCommand):
    """lab-check - mm_check()'s rules, recounted from memory by gdb

It calls nothing in the kernel and changes nothing: every list, room and
frame is read at this stop and checked as mm_check() (mm/check.c) checks
them, and each mismatch is printed in mm_check()'s words. Then "ok" with
the totals, or the number of problems. A stop in the middle of a move (a
zone lock held, interrupts off, a thread inside the allocator) is named,
so that a half-done move is not taken for damage."""
    name = "lab-check"

    def show(self, arg):
        c = Checker()
        problems = c.run()
        for p in problems:
            print(p)
        if c.kernel_marks:
            print("lab-check: mm_check() was running (%d frames carry its "
                  "mark); the marks were ignored" % c.kernel_marks)
        reasons = unquiet_reasons()
        free = sum(c.zone_free)
        summary = ("%d free (%s), %d hot, %d in exclusive rooms, %d "
                   "allocated, %d reserved" % (
                       free, ", ".join("%s %d" % (c.zone_info[i][0],
                                                  c.zone_free[i])
                                       for i in range(c.nz)),
                       c.hot, c.pool, c.alloc, c.reserved))
        if not problems:
            print("lab-check: ok: " + summary)
        else:
            print("lab-check: %d problem%s" % (
                len(problems), "" if len(problems) == 1 else "s"))
        for r in reasons:
            print("lab-check: not a quiet stop: " + r)
        if problems and reasons:
            print("lab-check: these may be a move in progress, not damage: "
                  "continue to a quiet place (break shell_execute, say) and "
                  "run lab-check again")
