"""dmesg: the log ring read back at the shell.

The ring holds the last 16 KiB the consoles were given (messages, shell
echo and output), so at any moment dmesg must print exactly the newest
part of what the serial line showed, and once the ring has wrapped, say
how many bytes came before it. dmesg's own output does not go into the
ring: a second dmesg does not print the first one.
"""
import re

from testlib import KERNEL, PROMPT, Qemu, TestFailure

MARK = re.compile(r"\[(\d+) earlier bytes of log overwritten\]\n")


def dmesg(vm, n=[0]):
    """Run dmesg; its output, and the serial text before it (the echo of
    `dmesg` included). Its output holds prompts (the ring has the shell's
    lines), so it ends where the next line was typed: a command name never
    seen before, which the shell refuses."""
    n[0] += 1
    end_mark = "end-of-dmesg-%d" % n[0]
    vm.command("")
    before = vm.text()[:vm.pos] + PROMPT + "dmesg\n"
    vm.send_line("dmesg")
    vm.wait_for(re.escape(PROMPT) + r"dmesg\n")
    start = vm.pos
    vm.send_line(end_mark)
    vm.wait_for(r"^%s: unknown command" % end_mark)
    text = vm.text()
    return text[start:text.index(PROMPT + end_mark + "\n", start)], before


def test_dmesg_prints_the_ring_before_and_after_it_wrapped():
    with Qemu(kernel=KERNEL) as vm:
        boot = vm.wait_boot()
        log = vm.text()[:vm.pos]
        first, before = dmesg(vm)
        # Every byte the serial line showed is in the ring: all of it, the
        # boot messages first and in order.
        assert first == before, "dmesg is not the serial text so far:\n" \
            "--- dmesg ---\n%s--- serial ---\n%s" % (first, before)
        assert first.startswith(log), first
        lines = first.split("\n")
        assert lines[0] == boot, lines[:3]
        order = [lines.index(x) for x in lines if re.match(
            r"(Command line:|x86:|Memory map|bootmem:|mm:|sched:|keyboard:|"
            r"sampler:|Type 'help')", x)]
        assert len(order) >= 9 and order == sorted(order), first

        for _ in range(14):             # about 1.4 KiB each
            vm.command("labyrinth")
        out, serial = dmesg(vm)
        m = MARK.match(out)
        if not m:
            raise TestFailure("no '[N earlier bytes of log overwritten]' at "
                              "the start:\n" + out[:300])
        body = out[m.end():]
        # What the ring was given: the serial text without the first
        # dmesg's output, which went to the consoles only.
        ring = serial[:len(before)] + serial[len(before) + len(first):]
        # The newest part, from a line's start; with the bytes before it,
        # every byte since boot.
        assert ring.endswith(body), "dmesg is not the end of the serial " \
            "text:\n--- dmesg ---\n%s" % body[:500]
        assert int(m.group(1)) + len(body) == len(ring), \
            "%s + %d bytes shown != %d bytes since boot" % (
                m.group(0).strip(), len(body), len(ring))
        assert ring[-len(body) - 1] == "\n", "starts inside a line"
        assert 16384 - 200 < len(body) <= 16384, len(body)
        assert "Labyrinth 0.1 - a teaching kernel" not in body
