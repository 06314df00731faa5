"""gdb commands that show the kernel's state, for a student stopped at a
breakpoint: the same views as the shell, read from memory by gdb.

    lab-help      the list of Labyrinth gdb commands
    buddyinfo     free blocks per order in each zone (zones[].free_area)
    zoneinfo      each zone's frames, free count and watermarks

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


class LabHelp(LabCommand):
    """lab-help - list the Labyrinth gdb commands."""
    name = "lab-help"

    def show(self, arg):
        for name, doc in sorted(LabCommand.registry.items()):
            print("  " + doc)


BuddyInfo()
ZoneInfo()
LabHelp()
