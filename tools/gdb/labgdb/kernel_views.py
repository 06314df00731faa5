"""ps, irqstat, dmesg: the threads, the interrupt counters, the log ring,
read by gdb.

Each prints what the shell command of the same name prints, in the same
layout (kernel/thread.c's thread_show_all(), kernel/irq.c's
irq_show_stats(), kernel/printk.c's log_dump()).
"""
import gdb

from .core import LabCommand, cstr, length, static, val

THREAD_STATES = {"THREAD_RUNNING": "running", "THREAD_READY": "ready",
                 "THREAD_SLEEPING": "sleeping", "THREAD_DEAD": "dead"}


def thread_line(t):
    state = str(t["state"])
    wait = "-"
    if state == "THREAD_SLEEPING" and int(t["wait_on"]):
        wait = cstr(t["wait_on"])
    return "%4u  %-15s %-9s %-12s %8d %8d  %08x-%08x" % (
        int(t["tid"]), cstr(t["name"]), THREAD_STATES.get(state, "?"), wait,
        int(t["ticks"]), int(t["switches"]), int(t["stack_lo"]),
        int(t["stack_hi"]))


def ps_lines():
    lines = [" TID  %-15s %-9s %-12s %8s %8s  %s" % (
        "NAME", "STATE", "WAITING ON", "TICKS", "SWITCHES", "STACK")]
    lines.append(thread_line(val("boot_thread")))
    table = val("thread_table")
    for i in range(length(table)):
        t = table[i]
        if bool(t["used"]) and int(t["fn"]):
            lines.append(thread_line(t))
    return lines


class Ps(LabCommand):
    """ps - the kernel threads: state, what they wait on, ticks"""
    name = "ps"
    shell_twin = True

    def show(self, arg):
        print("\n".join(ps_lines()))


def irqstat_lines():
    desc = static("irq_desc", "irq.c")
    mask = (int(static("mask2", "i8259.c")) << 8 |
            int(static("mask1", "i8259.c")))
    lines = ["IRQ  %-10s %12s %9s %9s  state" % ("name", "count", "spurious",
                                                "unhandled")]
    for line in range(length(desc)):
        d = desc[line]
        st = d["stats"]
        count, spur = int(st["count"]), int(st["spurious"])
        unh = int(st["unhandled"])
        handler = int(d["handler"])
        if not handler and not count and not spur and not unh:
            continue
        lines.append("%3u  %-10s %12d %9d %9d  %s" % (
            line, cstr(d["name"]) if handler else "-", count, spur, unh,
            "masked" if mask & (1 << line) else "open"))
    return lines + irq_cost_lines(desc)


def cost_median(c):
    """As irq_cost_median(): the middle of the recent costs, sorted."""
    n = min(int(c["timed"]), length(c["recent"]))
    if not n:
        return 0
    return sorted(int(c["recent"][i]) for i in range(n))[n // 2]


def irq_cost_lines(desc):
    """irqstat's second table (kernel/irq.c's irq_show_costs())."""
    costs = val("irq_costs")
    recent = length(costs[0]["plain"]["recent"])
    lines = ["cost in TSC cycles, from entry until interrupts are back on "
             "(median: last %u)" % recent,
             "IRQ  %-20s %9s %8s %8s %8s" % ("name", "timed", "min",
                                              "median", "max")]
    for line in range(length(desc)):
        d = desc[line]
        name = cstr(d["name"]) if int(d["handler"]) else "-"
        for field, what in (("plain", ", plain"), ("switched", ", switching"),
                            ("page", ", with a page")):
            c = costs[line][field]
            if not int(c["timed"]):
                continue
            label = (name + what)[:23]
            lines.append("%3u  %-20s %9d %8d %8d %8d" % (
                line, label, int(c["timed"]), int(c["min"]), cost_median(c),
                int(c["max"])))
    return lines


class IrqStat(LabCommand):
    """irqstat - interrupts per IRQ line, and what they cost"""
    name = "irqstat"
    shell_twin = True

    def show(self, arg):
        print("\n".join(irqstat_lines()))


def dmesg_text():
    """What kernel/printk.c's log_dump() gives for the ring as it is: from
    the oldest byte held (after the first line end, with a marker, once
    the ring has wrapped) to log_head."""
    buf = static("log_buf", "printk.c")
    head = int(static("log_head", "printk.c")) & 0xffffffff
    size = length(buf)
    raw = bytes(gdb.selected_inferior().read_memory(buf.address, size))
    pos, note = (head - size if head > size else 0), ""
    if pos:
        while pos < head:
            pos += 1
            if raw[(pos - 1) % size] == ord("\n"):
                break
        note = "[%d earlier bytes of log overwritten]\n" % pos
    body = bytes(raw[p % size] for p in range(pos, head))
    return note + body.decode("latin-1")


class Dmesg(LabCommand):
    """dmesg - the kernel log ring, oldest first (the last 16 KiB)"""
    name = "dmesg"
    shell_twin = True

    def show(self, arg):
        gdb.write(dmesg_text())
