"""Labyrinth's gdb commands and pretty-printers (see ../labyrinth.py)."""
import importlib

from . import core, mm_views, kernel_views, page, check, help_cmd

# In import order: page uses check's Movers, so check is reloaded first.
MODULES = (core, mm_views, kernel_views, check, page, help_cmd)


def register():
    """(Re)load every module and create the commands. Sourcing the loader
    again after editing a module picks the edit up."""
    for m in MODULES:
        importlib.reload(m)
    core.LabCommand.registry.clear()
    mm_views.MemInfo()
    mm_views.BuddyInfo()
    mm_views.ZoneInfo()
    mm_views.Labyrinth()
    kernel_views.Ps()
    kernel_views.IrqStat()
    kernel_views.Dmesg()
    page.LabPage()
    page.LabFreelist()
    check.LabCheck()
    help_cmd.LabHelp()
    page.register_printers()
