# .gdbinit - Labyrinth's gdb setup, loaded by `make gdb`:
#
#   gdb -iex "add-auto-load-safe-path $PWD/.gdbinit" -x $PWD/.gdbinit \
#       -ex "target remote 127.0.0.1:PORT" build/kernel.elf
#
# gdb may read this file twice (the local .gdbinit auto-load once the safe
# path allows it, then -x), so everything here must be harmless to repeat:
# settings, and Python that registers its commands only once.
#
# Symbols come from build/kernel.elf (built with -ggdb -Og, NASM with DWARF),
# so `break kmain`, `list`, `bt` and `info line` show source lines.

set disassembly-flavor intel
set print pretty on
set history save off
# QEMU's gdbstub speaks i386 for qemu-system-i386: no set architecture.

# The kernel's views (meminfo, buddyinfo, zoneinfo, labyrinth, ps, irqstat,
# dmesg), lab-page, lab-freelist, lab-check and the struct page / struct
# zone printers: tools/gdb/labyrinth.py and tools/gdb/labgdb/. `lab-help`
# lists them; docs/GDB.md explains them.
python
import os
import gdb

def _labyrinth_load():
    here = [os.getcwd()]
    try:
        elf = gdb.current_progspace().filename
        if elf:
            here.append(os.path.dirname(os.path.dirname(os.path.abspath(elf))))
    except Exception:
        pass
    for root in here:
        script = os.path.join(root, "tools", "gdb", "labyrinth.py")
        if os.path.exists(script):
            gdb.execute("source " + script)
            gdb.execute("source " + os.path.join(os.path.dirname(script), "trace.py"))
            return
    print("labyrinth: tools/gdb/labyrinth.py not found; helpers not loaded")

_labyrinth_load()
end
