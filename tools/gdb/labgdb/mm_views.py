"""meminfo, buddyinfo, zoneinfo, labyrinth: mm/view.c's views, read by gdb.

Each prints exactly what the shell command of the same name prints, line
for line and column for column (tests/integration/test_gdb_views.py
compares them). The shell reads each zone under its lock; gdb reads the
memory as it is at the stop, so a view taken where a zone is mid-change
(see lab-check) shows the half-done change.
"""
from .core import (PAGE_KIB, LabCommand, cstr, length, owner_name, static,
                   val, zone_name, zones)


def kb_line(name, pages):
    return "%-16s%8d kB" % (name + ":", pages * PAGE_KIB)


def hot_room():
    return val("hot_rooms")[0]


def hot_pages(hot):
    """hot_room_pages(): the stack plus the spill list."""
    return int(hot["count"]) + int(hot["nr_spill"])


def excl_rooms():
    """(index, room) of the exclusive room slots in use."""
    rooms = val("excl_rooms")
    return [(i, rooms[i]) for i in range(length(rooms))
            if int(rooms[i]["name"])]


def present_zones():
    return [z for z in zones() if int(z["present"])]


def zone_by_type(name):
    """ZONE_DMA or ZONE_NORMAL by its enum name, as mm/view.c names them."""
    return zones()[int(val(name))]


class MemInfo(LabCommand):
    """meminfo - memory usage in kB"""
    name = "meminfo"
    shell_twin = True

    def show(self, arg):
        dma, normal = zone_by_type("ZONE_DMA"), zone_by_type("ZONE_NORMAL")
        total = int(dma["present"]) + int(normal["present"])
        hot = hot_pages(hot_room())
        free = hot + sum(int(z["nr_free"]) for z in zones())
        pool = sum(int(r["count"]) for _, r in excl_rooms())
        used = total - free - pool if total > free + pool else 0
        rows = [("MemTotal", total), ("MemFree", free), ("MemUsed", used),
                ("HotRoom", hot), ("ExclusiveRooms", pool),
                ("DmaTotal", int(dma["present"])),
                ("DmaFree", int(dma["nr_free"])),
                ("NormalTotal", int(normal["present"])),
                ("NormalFree", int(normal["nr_free"])),
                ("Reserved", int(val("mm_reserved_pages"))),
                ("MemMap", int(val("mm_map_pages")))]
        for name, pages in rows:
            print(kb_line(name, pages))


# The fragmentation indexes, as mm/view.c computes them (lab 6; the
# handout, docs/labs/lab6-measurement.md, defines them). gdb computes them
# itself rather than calling the kernel, and shows "-" where the kernel's
# boot probe found a lab 6 starter, as the shell does.
FRAG_NOT_COMPUTED = -1


def contig_page_info(nr, order, counted=True):
    """(free pages, free blocks, suitable blocks): fill_contig_page_info();
    all 0 when the kernel's is the starter (counted=False)."""
    if not counted:
        return 0, 0, 0
    free = sum(n << k for k, n in enumerate(nr))
    suitable = sum(n << (k - order) for k, n in enumerate(nr) if k >= order)
    return free, sum(nr), suitable


def unusable_free_index(order, info):
    free, _, suitable = info
    if not free:
        return 1000
    return (free - (suitable << order)) * 1000 // free


def fragmentation_index(order, info):
    free, blocks, suitable = info
    if not blocks:
        return 0
    if suitable:
        return -1000
    return max(0, 1000 - (1000 + (free * 1000 >> order)) // blocks)


def index_text(index):
    """mm/view.c's show_index(): 0.250, -1.000, or - (not computed)."""
    if index == FRAG_NOT_COMPUTED:
        return " %6s" % "-"
    return " %s%d.%03d" % ("-" if index < 0 else " ", abs(index) // 1000,
                            abs(index) % 1000)


def frag_missing():
    """(fill, unusable, extfrag): which of the kernel's functions its boot
    probe found unwritten (frag_index_probe())."""
    return tuple(bool(int(val(name))) for name in (
        "frag_fill_missing", "frag_unusable_missing",
        "frag_extfrag_missing"))


class BuddyInfo(LabCommand):
    """buddyinfo - free blocks per zone and order, fragmentation indexes"""
    name = "buddyinfo"
    shell_twin = True

    def show(self, arg):
        orders = length(zones()[0]["free_area"])
        missing = frag_missing()
        rows = (("unusable:", unusable_free_index, missing[1]),
                ("extfrag:", fragmentation_index, missing[2]))
        print("%-14s" % "order:" + "".join(" %6u" % o for o in range(orders)))
        for z in present_zones():
            fa = z["free_area"]
            nr = [int(fa[o]["nr_free"]) for o in range(orders)]
            print("zone %8s:" % zone_name(z) + "".join(
                " %6d" % n for n in nr))
            for label, index, absent in rows:
                print("  %-12s" % label + "".join(index_text(
                    FRAG_NOT_COMPUTED if absent else
                    index(o, contig_page_info(nr, o, not missing[0])))
                    for o in range(orders)))
        if any(missing):
            names = ("fill_contig_page_info()", "unusable_free_index()",
                     "fragmentation_index()")
            print("lab 6: not written yet in mm/view.c:%s (see "
                  "docs/labs/lab6-measurement.md)" % "".join(
                      " " + n for n, m in zip(names, missing) if m))


def zone_lines(z):
    fa = z["free_area"]
    wm = z["wmark"]
    room, res = z["room"], z["reserve"]
    start, end = int(z["start_pfn"]), int(z["end_pfn"])
    return [
        "zone %s" % zone_name(z),
        "  pages free     %d" % int(z["nr_free"]),
        "        min      %d" % int(wm[0]),
        "        low      %d" % int(wm[1]),
        "        high     %d" % int(wm[2]),
        "        spanned  %d" % (end - start),
        "        present  %d" % int(z["present"]),
        "        poisoned %d" % int(z["nr_poisoned"]),
        "  pfns           %#x-%#x" % (start, end),
        "  free blocks    " + "".join(
            " %d" % int(fa[o]["nr_free"]) for o in range(length(fa))),
        "  zone room      served %d misses %d collisions %d" % (
            int(room["served"]), int(room["misses"]), int(room["collisions"])),
        "  reserve room   served %d misses %d collisions %d" % (
            int(res["served"]), int(res["misses"]), int(res["collisions"])),
    ]


class ZoneInfo(LabCommand):
    """zoneinfo - each zone's size, watermarks and counters"""
    name = "zoneinfo"
    shell_twin = True

    def show(self, arg):
        for z in present_zones():
            print("\n".join(zone_lines(z)))


def room_line(name, pages, st):
    return "  %-22s %8d pages  served %d  misses %d  collisions %d" % (
        name, pages, int(st["served"]), int(st["misses"]),
        int(st["collisions"]))


# path.c's struct path_step kinds and wmark_names[] (mm/internal.h).
ROOM_END, ROOM_HOT, ROOM_ZONE, ROOM_RESERVE = range(4)
WMARK_NAMES = ("min", "low", "high")


def path_line(cls, width):
    """path.c's path_show(): one GFP class and the rooms it walks."""
    steps, names, i = cls["path"], [zone_name(z) for z in zones()], 0
    out = []
    while int(steps[i]["kind"]) != ROOM_END:
        st = steps[i]
        kind, zone = int(st["kind"]), names[int(st["zone"])]
        if kind == ROOM_HOT:
            out.append("hot")
        elif kind == ROOM_ZONE:
            out.append("%s>%s" % (zone, WMARK_NAMES[int(st["mark"])]))
        else:
            out.append("reserve(%s)" % zone)
        i += 1
    return "  %-*s  %s; else %s [failed %d]" % (
        width, cstr(cls["name"]), " -> ".join(out), cstr(cls["on_fail"]),
        int(cls["failures"]))


def labyrinth_lines():
    hot = hot_room()
    lines = ["rooms:", room_line("hot (cpu 0)", hot_pages(hot), hot["stats"])]
    for z in present_zones():
        free, wmin = int(z["nr_free"]), int(z["wmark"][0])
        lines.append(room_line("zone " + zone_name(z), max(free - wmin, 0),
                               z["room"]))
        lines.append(room_line("reserve " + zone_name(z), min(free, wmin),
                               z["reserve"]))
    for _, r in excl_rooms():
        lines.append(room_line("exclusive " + cstr(r["name"]),
                               int(r["count"]), r["stats"]))
        lines.append("    owner %s, target %d, refilled %d" % (
            owner_name(r["owner"]), int(r["target"]), int(r["refills"])))
    lines.append("paths (GFP_EXCLUSIVE: the owner's room first):")
    classes = val("gfp_classes")
    n = length(classes)
    width = max(len(cstr(classes[i]["name"])) for i in range(n))
    lines += [path_line(classes[i], width) for i in range(n)]
    lines.append("sleeps %d, would-sleep %d, gave up %d, interrupted %d "
                 "(mm_wait_ms=%d)" % (
                     int(static("nr_slept", "sleep.c")),
                     int(static("nr_would_sleep", "sleep.c")),
                     int(static("nr_gave_up", "sleep.c")),
                     int(static("nr_interrupted", "sleep.c")),
                     int(val("param_wait_ms"))))
    counts = static("report_count", "report.c")
    names = static("bug_names", "report.c")
    lines.append("reports:" + "".join(
        " [%s: %d]" % (cstr(names[i]), int(counts[i]))
        for i in range(length(counts)) if int(counts[i])))
    return lines


class Labyrinth(LabCommand):
    """labyrinth - the map: rooms, free pages, paths, collisions"""
    name = "labyrinth"
    shell_twin = True

    def show(self, arg):
        print("\n".join(labyrinth_lines()))
