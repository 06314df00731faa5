"""Labyrinth's gdb helpers: the kernel's views at any breakpoint.

.gdbinit sources this file (make gdb loads .gdbinit); `lab-help` lists the
commands. The commands live in the labgdb package next to this file:

    labgdb/mm_views.py      meminfo, buddyinfo, zoneinfo, labyrinth
    labgdb/kernel_views.py  ps, irqstat, dmesg
    labgdb/page.py          lab-page, lab-freelist, printers for struct
                            page and struct zone
    labgdb/check.py         lab-check (mm_check()'s rules, from gdb)
    labgdb/core.py          what they share: reading memory, page flags

They only read memory: nothing calls into the kernel, so they work at any
stop, in a handler or after an oops. To add a command: subclass
core.LabCommand (name, a docstring whose first line is "name ARGS - what",
show(arg)) and create it in labgdb/__init__.py's register(). Sourcing this
file again reloads every module, so an edit needs no new gdb.
"""
import os
import sys

import gdb

_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.insert(0, _here)

import labgdb  # noqa: E402

labgdb.register()
