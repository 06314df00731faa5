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


def test_dmesg_shows_the_boot_messages_in_order():
    with Qemu(kernel=KERNEL) as vm:
        boot = vm.wait_boot()
        log = vm.text()[:vm.pos]
        out, before = dmesg(vm)
        # Every byte the serial line showed is in the ring: all of it.
        assert out == before, "dmesg is not the serial text so far:\n" \
            "--- dmesg ---\n%s--- serial ---\n%s" % (out, before)
        lines = out.split("\n")
        assert lines[0] == boot, lines[:3]
        order = [lines.index(x) for x in lines if re.match(
            r"(Command line:|x86:|Memory map|bootmem:|mm:|sched:|keyboard:|"
            r"sampler:|Type 'help')", x)]
        assert len(order) == 9 and order == sorted(order), out
        assert out.startswith(log), out


def test_dmesg_after_the_ring_wrapped():
    with Qemu(kernel=KERNEL) as vm:
        vm.wait_boot()
        for _ in range(14):             # about 1.4 KiB each
            vm.command("labyrinth")
        out, before = dmesg(vm)
        m = MARK.match(out)
        if not m:
            raise TestFailure("no '[N earlier bytes of log overwritten]' at "
                              "the start:\n" + out[:300])
        body = out[m.end():]
        # The newest part, whole lines, and with what went before it,
        # every byte since boot.
        assert before.endswith(body), "dmesg is not the end of the serial " \
            "text:\n--- dmesg ---\n%s" % body[:500]
        assert int(m.group(1)) + len(body) == len(before), \
            "%s + %d bytes shown != %d bytes since boot" % (
                m.group(0).strip(), len(body), len(before))
        assert before[-len(body) - 1] == "\n", "starts inside a line"
        assert 16384 - 200 < len(body) <= 16384, len(body)
        assert "Labyrinth 0.1 - a teaching kernel" not in body
        # dmesg printed nothing into the ring: the ring is the serial text
        # without the first dmesg's output.
        again, before2 = dmesg(vm)
        ring = before2[:len(before)] + before2[len(before) + len(out):]
        m2 = MARK.match(again)
        body2 = again[m2.end():]
        assert ring.endswith(body2) and \
            int(m2.group(1)) + len(body2) == len(ring), \
            "the second dmesg is not the serial text without the first " \
            "dmesg's output:\n%s" % again[-800:]
