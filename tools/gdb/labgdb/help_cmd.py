"""lab-help: every Labyrinth gdb command with its one-line description."""
from .core import LabCommand

FOOTER = """\
Pretty-printers: print mem_map[PFN], print *page, print zones[1] show one
decoded line (print/r shows the raw fields).
More: help COMMAND, and docs/GDB.md."""


def title_and_text(cmd):
    doc = (cmd.__doc__ or "").strip().splitlines()[0]
    title, _, text = doc.partition(" - ")
    return title, text


def entry(cmd):
    title, text = title_and_text(cmd)
    if len(title) > 24:
        return "  %s\n  %-24s %s" % (title, "", text)
    return "  %-24s %s" % (title, text)


class LabHelp(LabCommand):
    """lab-help - list the Labyrinth gdb commands"""
    name = "lab-help"
    needs_kernel = False

    def show(self, arg):
        cmds = sorted(LabCommand.registry.values(), key=lambda c: c.name)
        print("Labyrinth gdb commands: they read memory only, so they work at "
              "any stop.")
        print("The shell's views, in the shell's layout:")
        for c in cmds:
            if c.shell_twin:
                print(entry(c))
        print("gdb only:")
        for c in cmds:
            if not c.shell_twin:
                print(entry(c))
        print(FOOTER)
