"""lab-check: mm_check()'s rules, recounted by gdb from memory alone.

mm/check.c walks every list and every frame inside the kernel, with the
zone locks held and interrupts off. lab-check applies the same rules to a
copy of the state read at a breakpoint, calls nothing in the kernel and
changes nothing, and prints each mismatch in mm_check()'s own words
("mm_check: Normal order 3: 1 listed, nr_free 2"), so the two can be
compared line for line. The rules, in mm_check()'s order:

  every list: its links, and a list that loops reported where it closes
      (each frame is walked once);
  each zone: every free list's links and length against nr_free; every
      block on it a PG_buddy head of that order, aligned, inside the zone,
      its buddy not left free and unmerged; the sum against nr_free; the
      watermarks ordered;
  the hot room: count within HOT_MAX, every entry a PG_hot order-0 frame,
      none held twice, the spill list's length against nr_spill;
  each exclusive room: list length against count (count <= target), a
      real owner, every page PG_pool with the room's index and owner;
  mem_map, block by block: every frame in exactly one place (reserved, a
      free block, the hot room, an exclusive room, an allocated block, a
      block in transit), no PG_hot frame outside the hot room, allocated
      and in-transit heads aligned and inside one zone, exclusive pages
      of order 0 with a real owner, a block in transit moved by a context
      that may be moving it now (Movers, below), the frames inside a block
      without state of their own;
  totals: free and poisoned frames per zone, hot, pool and reserved
      frames against the counters, and allocated + in transit + free +
      hot + pool equal to the frames the zones manage.

A breakpoint can stop the kernel in the middle of a move: a zone lock held
with a list half relinked, a hot room changed with interrupts off, a block
in transit whose mover is the stopped code. lab-check says when the stop
is not quiet, and why, instead of calling what it sees corruption.
"""
import gdb

from .core import (OWNER_IRQ_BASE, OWNER_THREAD_BASE, PFN_NONE, PG_BUDDY,
                   PG_CHECKED, PG_EXCLUSIVE, PG_HEAD, PG_HOT, PG_POISONED,
                   PG_POOL, PG_RESERVED, PG_TRANSIT, LabCommand, cstr,
                   irqs_in_progress, length, mem_map_copy, owner_full_name,
                   owner_is_irq, owner_is_thread, owner_name, static,
                   thread_alive, threads, u32, val, zone_name, zones)


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
        self.hot = self.pool = self.alloc = self.transit = self.reserved = 0
        self.movers = Movers()
        self.moving = []        # (pfn, order, mover) of accepted blocks

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

    def walk(self, first):
        """The pfns of a list, each once: it stops where the list comes back
        to a frame (then self.again is that frame, else PFN_NONE), or at a
        link past max_pfn."""
        out, seen, cur = [], set(), first
        self.again = PFN_NONE
        while cur != PFN_NONE:
            if cur >= self.mm.max_pfn:
                self.bad("list at %#x links to %#x, past max_pfn %#x "
                         "(lab-check only: the kernel would read past "
                         "mem_map)" % (first, cur, self.mm.max_pfn))
                break
            if cur in seen:
                self.again = cur
                break
            seen.add(cur)
            out.append(cur)
            cur = self.mm.next[cur]
        return out

    def check_list(self, first, what):
        """check_list(): links, and a loop reported where it closes. The
        list's frames, each once: the later walks go over these."""
        prev = PFN_NONE
        pfns = self.walk(first)
        for pfn in pfns:
            if self.mm.prev[pfn] != prev:
                self.bad("%s: pfn %#x prev %#x, not %#x" % (
                    what, pfn, self.mm.prev[pfn], prev))
            prev = pfn
        if self.again != PFN_NONE:
            self.bad("%s: list loops back to pfn %#x after %u frame%s" % (
                what, self.again, len(pfns), "" if len(pfns) == 1 else "s"))
        return pfns

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
            pfns = self.check_list(first, name)
            if len(pfns) != nr_free:
                self.bad("%s order %u: %u listed, nr_free %u" % (
                    name, o, len(pfns), nr_free))
            for pfn in pfns:
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
        pfns = self.check_list(int(hot["spill"]["first"]), "hot spill")
        if len(pfns) != int(hot["nr_spill"]):
            self.bad("hot: nr_spill %u does not match its list" %
                     int(hot["nr_spill"]))
        for pfn in pfns:
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
            pfns = self.check_list(int(r["list"]["first"]), name)
            if not (len(pfns) == count and count <= target):
                self.bad("room %s: count %u target %u" % (name, count, target))
            if not owner_valid(owner):
                self.bad("room %s: owner %#x is no IRQ and no thread" % (
                    name, owner))
            for pfn in pfns:
                if not (self.cflags(pfn) == PG_POOL and
                        self.mm.room[pfn] == i and
                        self.mm.owner[pfn] == owner):
                    self.bad("room %s: pfn %#x flags %#x" % (
                        name, pfn, self.cflags(pfn)))

    # ---- the map

    def check_block_head(self, pfn, what):
        """check_block_head(): the order of a block that is not free, or 0
        if it is not aligned, too big or past its zone."""
        order = self.mm.order[pfn]
        zend = self.zone_info[self.zone_index(pfn)][2]
        if (order > self.max_order or pfn & ((1 << order) - 1) or
                pfn + (1 << order) > zend):
            self.bad("pfn %#x: %s block of order %u is not aligned, too big "
                     "or past its zone" % (pfn, what, order))
            return 0
        return order

    def check_alloc(self, pfn):
        order = self.check_block_head(pfn, "allocated")
        if self.flags[pfn] & PG_EXCLUSIVE:
            owner = self.mm.owner[pfn]
            if not (order == 0 and owner_valid(owner)):
                self.bad("pfn %#x: exclusive page of order %u, owner %#x" % (
                    pfn, order, owner))
        return order

    def check_transit(self, pfn):
        """check_transit(), with movers judged at this stop (Movers)."""
        order = self.check_block_head(pfn, "in-transit")
        mover = self.mm.owner[pfn]
        lost, note = self.movers.judge(mover)
        if lost:
            self.bad("pfn %#x order %u: in transit, moved by %s, which cannot "
                     "be moving it now: lost%s" % (
                         pfn, order, owner_name(mover),
                         " (lab-check only: %s)" % note if note else ""))
        else:
            self.moving.append((pfn, order, mover))
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
            elif f & PG_TRANSIT:
                order = self.check_transit(pfn)
                self.transit += 1 << order
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
        if self.alloc + self.transit + free + self.hot + self.pool != managed:
            self.bad("map has %u allocated + %u in transit + %u free + %u hot "
                     "+ %u pool, zones manage %u" % (
                         self.alloc, self.transit, free, self.hot, self.pool,
                         managed))
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


def allocator_place(pcs):
    """(function, file) of the innermost allocator frame of a call chain,
    or None: outside the allocator, or asleep in it until pages are freed
    (mm/sleep.c: waiting, not carrying frames)."""
    places = [p for p in frame_places(pcs) if in_allocator(p[1])]
    if places and places[0][1] != "mm/sleep.c":
        return places[0]
    return None


def handler_part(pcs):
    """The interrupt handler's own part of a call chain stopped in it: the
    frames up to irq_dispatch() (kernel/irq.c, which counts the handler in
    irq_depth); the rest is the code it interrupted."""
    for i, pc in enumerate(pcs):
        if any(fn == "irq_dispatch" for fn, _ in frame_places([pc])):
            return pcs[:i + 1]
    return pcs


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
        place = allocator_place(pcs)
        if place:
            reasons.append("%s is inside the allocator (%s, %s): it may be "
                           "in the middle of a move" % (who, *place))
    return reasons


class Movers:
    """Who may be in the middle of a move at this stop, for the blocks in
    transit (PG_transit: the mover is in the block's owner field).

    mm_check() accepts a block in transit when its mover may be moving it
    while the check runs: any thread but the caller, and, when the check
    runs in an interrupt handler, any context but that handler. At a stop
    nothing is calling: the stopped context (the interrupt being served,
    or else the running thread) is judged as mm_check() judges its caller,
    unless the stop is inside the allocator (then it may be mid-move, and
    lab-check says the stop is not quiet). gdb also sees what mm_check()
    cannot: which threads exist and which interrupts are being served. A
    mover may be moving now if it is
      - a thread that exists and has not exited,
      - an interrupt being served (the stop is in it or in one nested in
        it),
    and the stopped context only as said. Any other mover (no such
    thread, one that exited, an interrupt not being served, no owner at
    all) cannot be: the block is lost. Where mm_check() called from the
    stopped context would have accepted it, the report says why gdb
    does not ("lab-check only: ...")."""

    def __init__(self):
        self.irqs = irqs_in_progress()
        self.in_irq = bool(self.irqs)
        tid = int(static("thread_id", "context.c"))
        self.stopped = (OWNER_IRQ_BASE + self.irqs[-1] if self.in_irq
                        else OWNER_THREAD_BASE + tid)
        chain = current_chain()
        if self.in_irq:
            chain = handler_part(chain)
        self.stopped_moving = allocator_place(chain) is not None
        self.threads = threads()

    def kernel_accepts(self, mover):
        """mover_may_be_moving() in mm/check.c, called from the stopped
        context."""
        if not owner_valid(mover) or mover == self.stopped:
            return False
        return self.in_irq or owner_is_thread(mover)

    def why_not(self, mover):
        """None if mover may be moving now, else why it cannot be."""
        if not owner_valid(mover):
            return "no IRQ and no thread"
        if mover == self.stopped:
            return (None if self.stopped_moving else
                    "the stopped context, outside the allocator")
        if owner_is_irq(mover):
            line = mover - OWNER_IRQ_BASE
            return (None if line in self.irqs else
                    "IRQ%d is not being served" % line)
        tid = mover - OWNER_THREAD_BASE
        t = self.threads.get(tid)
        if t is None:
            return "there is no thread %u" % tid
        if not thread_alive(t):
            return "thread %u (%s) has exited" % (tid, cstr(t["name"]))
        return None

    def judge(self, mover):
        """(lost, note): note says why, where mm_check() would accept."""
        why = self.why_not(mover)
        if why is None:
            return False, None
        return True, (why if self.kernel_accepts(mover) else None)


class LabCheck(LabCommand):
    """lab-check - mm_check()'s rules, recounted from memory by gdb

It calls nothing in the kernel and changes nothing: every list, room and
frame is read at this stop and checked as mm_check() (mm/check.c) checks
them, and each mismatch is printed in mm_check()'s words. Then the blocks
in transit (between two rooms) whose mover may be moving them now, and
"ok" with the totals, or the number of problems. A block in transit is
lost if its mover cannot be moving it: a thread that does not exist or
has exited, an IRQ not being served, or the stopped code itself when the
stop is outside the allocator. A stop in the middle of a move (a zone
lock held, interrupts off, a thread inside the allocator) is named, so
that a half-done move is not taken for damage."""
    name = "lab-check"
    SHOW_MOVING = 8         # blocks in transit listed by name

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
                   "allocated, %d in transit, %d reserved" % (
                       free, ", ".join("%s %d" % (c.zone_info[i][0],
                                                  c.zone_free[i])
                                       for i in range(c.nz)),
                       c.hot, c.pool, c.alloc, c.transit, c.reserved))
        for pfn, order, mover in c.moving[:self.SHOW_MOVING]:
            print("lab-check: in transit: pfn %#x order %d, moved by %s" % (
                pfn, order, owner_full_name(mover)))
        if len(c.moving) > self.SHOW_MOVING:
            print("lab-check: in transit: ... %d more blocks" % (
                len(c.moving) - self.SHOW_MOVING))
        if not problems:
            print("lab-check: ok: " + summary)
        else:
            print("lab-check: %d problem%s" % (
                len(problems), "" if len(problems) == 1 else "s"))
            if c.transit:
                print("lab-check: %d frame%s in transit" % (
                    c.transit, "" if c.transit == 1 else "s"))
        for r in reasons:
            print("lab-check: not a quiet stop: " + r)
        if problems and reasons:
            print("lab-check: these may be a move in progress, not damage: "
                  "continue to a quiet place (break shell_execute, say) and "
                  "run lab-check again")
