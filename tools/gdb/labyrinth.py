"""gdb commands that show the kernel's state, for a student stopped at a
breakpoint: the same views as the shell, read from memory by gdb.

    lab-help      the list of Labyrinth gdb commands
    meminfo       MemTotal, MemFree and the rooms' shares, in kB
    buddyinfo     free blocks per order in each zone (zones[].free_area)
    zoneinfo      each zone's frames, free count and watermarks
    labyrinth     the rooms: hot, each zone, each reserve, each exclusive
                  room, with free pages and served/misses/collisions

A command whose symbols are not in this kernel says so instead of failing.
To add a view: subclass LabCommand, set name and doc, write show(), and
instantiate it at the end of this file. The file may be sourced more than
once (.gdbinit can be read twice); commands are registered again harmlessly.
"""
import gdb

PAGE_KIB = 4


class LabCommand(gdb.Command):
    name = None
    registry = {}

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)
        LabCommand.registry[self.name] = (self.__doc__ or "").strip().splitlines()[0]

    def invoke(self, arg, from_tty):
        try:
            self.show(arg)
        except gdb.error as e:
            print("%s: cannot read the kernel's state here (%s)" % (self.name, e))

    def show(self, arg):
        raise NotImplementedError


def _zones():
    zones = gdb.parse_and_eval("zones")
    n = zones.type.sizeof // zones[0].type.sizeof
    for i in range(n):
        yield zones[i]


def _zone_name(z):
    try:
        return z["name"].string()
    except gdb.error:
        return "?"


class BuddyInfo(LabCommand):
    """buddyinfo - free blocks of each order in each zone (like /proc/buddyinfo)."""
    name = "buddyinfo"

    def show(self, arg):
        for z in _zones():
            fa = z["free_area"]
            orders = fa.type.sizeof // fa[0].type.sizeof
            counts = [int(fa[o]["nr_free"]) for o in range(orders)]
            print("zone %-8s %s" % (_zone_name(z), " ".join("%6d" % c for c in counts)))


class ZoneInfo(LabCommand):
    """zoneinfo - frames, free pages and watermarks of each zone."""
    name = "zoneinfo"

    def show(self, arg):
        for z in _zones():
            wm = z["wmark"]
            print("zone %-8s pfn %#x-%#x present %d free %d (%d KiB) "
                  "watermarks min %d low %d high %d" % (
                      _zone_name(z), int(z["start_pfn"]), int(z["end_pfn"]),
                      int(z["present"]), int(z["nr_free"]),
                      int(z["nr_free"]) * PAGE_KIB, int(wm[0]), int(wm[1]),
                      int(wm[2])))


def _hot_pages():
    """Pages in CPU 0's hot room (its array plus its spill list)."""
    hot = gdb.parse_and_eval("hot_rooms")[0]
    pages = int(hot["count"])
    try:
        pages += int(hot["nr_spill"])
    except gdb.error:
        pass
    return hot, pages


def _excl_rooms():
    """The exclusive rooms in use: (name, room)."""
    rooms = gdb.parse_and_eval("excl_rooms")
    n = rooms.type.sizeof // rooms[0].type.sizeof
    for i in range(n):
        r = rooms[i]
        if int(r["name"]) != 0:
            yield r["name"].string(), r


def _stats(st):
    return "served %d  misses %d  collisions %d" % (
        int(st["served"]), int(st["misses"]), int(st["collisions"]))


class MemInfo(LabCommand):
    """meminfo - MemTotal, MemFree and where the free pages are (kB)."""
    name = "meminfo"

    def show(self, arg):
        zones = list(_zones())
        total = sum(int(z["present"]) for z in zones)
        _, hot = _hot_pages()
        free = sum(int(z["nr_free"]) for z in zones) + hot
        excl = sum(int(r["count"]) for _, r in _excl_rooms())
        rows = [("MemTotal", total), ("MemFree", free), ("HotRoom", hot),
                ("ExclusiveRooms", excl)]
        rows += [(_zone_name(z) + "Free", int(z["nr_free"])) for z in zones]
        for label, pages in rows:
            print("%-16s%8d kB" % (label + ":", pages * PAGE_KIB))


# Kept in step with mm/internal.h: enum room_kind and the watermark order.
ROOM_END, ROOM_HOT, ROOM_ZONE, ROOM_RESERVE = range(4)
WMARK_NAMES = ("min", "low", "high")


def _room_line(name, pages, stats, extra=""):
    print("  %-22s %8d pages  %s%s" % (name, pages, _stats(stats), extra))


def _path_text(steps, zone_names):
    out, i = [], 0
    while int(steps[i]["kind"]) != ROOM_END:
        st = steps[i]
        kind, zone = int(st["kind"]), zone_names[int(st["zone"])]
        if kind == ROOM_HOT:
            out.append("hot")
        elif kind == ROOM_ZONE:
            out.append("%s>%s" % (zone, WMARK_NAMES[int(st["mark"])]))
        else:
            out.append("reserve(%s)" % zone)
        i += 1
    return " -> ".join(out)


class Labyrinth(LabCommand):
    """labyrinth - the map: rooms with free pages and counters, the paths."""
    name = "labyrinth"

    def show(self, arg):
        zones = list(_zones())
        hot, pages = _hot_pages()
        print("rooms:")
        _room_line("hot (cpu 0)", pages, hot["stats"])
        for z in zones:
            if int(z["present"]) == 0:
                continue
            # The reserve room is the zone's pages under its min watermark.
            free, wmin = int(z["nr_free"]), int(z["wmark"][0])
            _room_line("zone " + _zone_name(z), max(free - wmin, 0),
                       z["room"])
            _room_line("reserve " + _zone_name(z), min(free, wmin),
                       z["reserve"])
        for name, r in _excl_rooms():
            _room_line("exclusive " + name, int(r["count"]), r["stats"],
                       "  (target %d)" % int(r["target"]))
        print("paths:")
        names = [_zone_name(z) for z in zones]
        classes = gdb.parse_and_eval("gfp_classes")
        n = classes.type.sizeof // classes[0].type.sizeof
        for i in range(n):
            c = classes[i]
            print("  %-38s %s  [failed %d]" % (
                c["name"].string(), _path_text(c["path"], names),
                int(c["failures"])))


class LabHelp(LabCommand):
    """lab-help - list the Labyrinth gdb commands."""
    name = "lab-help"

    def show(self, arg):
        for name, doc in sorted(LabCommand.registry.items()):
            print("  " + doc)


MemInfo()
BuddyInfo()
ZoneInfo()
Labyrinth()
LabHelp()
