"""Deliberate faults in the test kernel (fault=KIND): the oops explains the
fault (its name, CR2 for a page fault, the registers, a backtrace with
symbol names) and the machine halts instead of rebooting."""
import re

from testlib import TEST_KERNEL, Qemu, TestFailure

# A backtrace line: [<c0109728>] ktest_boot+0x41
FRAME = r"\[<[0-9a-f]{8}>\]\s+([A-Za-z_][\w.]*)\+0x[0-9a-f]+"


def _oops(kind, name_rx):
    vm = Qemu(kernel=TEST_KERNEL, append="fault=" + kind).start()
    vm.wait_for(r"^Labyrinth ")
    vm.wait_for(r"provoking a fault: " + kind)
    m = vm.wait_for(r"^(Oops: [^\n]*\n|Kernel panic: [^\n]*\n|labyrinth> )")
    if not re.match(r"Oops: " + name_rx, m.group(1)):
        raise TestFailure("expected 'Oops: %s', got %r" % (name_rx, m.group(1).strip()))
    oops_at = vm.pos
    vm.wait_for(r"^EIP: 0x[0-9a-f]{8}\s+provoke_fault\+0x[0-9a-f]+")
    vm.wait_for(r"^EAX: [0-9a-f]{8} EBX: [0-9a-f]{8}")
    frames = []
    while "kmain" not in frames:
        frames.append(vm.wait_for(FRAME, timeout=10).group(1))
    assert "ktest_boot" in frames, "backtrace %s lacks ktest_boot" % frames
    # Halted, not rebooted: QEMU (-no-reboot) is still there a while later
    # and no second banner came.
    vm.expect_no(r"^Labyrinth ", seconds=3)
    if not vm.alive():
        raise TestFailure("QEMU exited after the oops (status %s): the kernel "
                          "reset or triple-faulted instead of halting"
                          % vm.proc.poll())
    return vm.text()[oops_at:]


def test_page_fault_oops():
    text = _oops("pagefault", r"Page fault")
    m = re.search(r"^CR2: (0x[0-9a-f]+)", text, re.M)
    assert m, "no CR2 line in the oops"
    assert int(m.group(1), 16) == 0, "CR2 should be the NULL address: " + m.group(1)


def test_invalid_opcode_oops():
    _oops("invalid-opcode", r"Invalid opcode")


def test_divide_error_oops():
    _oops("divide", r"Divide error")


def test_panic_names_caller_and_halts():
    vm = Qemu(kernel=TEST_KERNEL, append="fault=panic").start()
    vm.wait_for(r"^Kernel panic: ktest: panic on request")
    vm.wait_for(r"called from provoke_fault\+0x[0-9a-f]+")
    vm.wait_for(r"System halted")
    vm.expect_no(r"^Labyrinth ", seconds=2)
    assert vm.alive(), "QEMU exited after the panic (status %s)" % vm.proc.poll()


def test_stack_overflow_names_the_thread():
    # A thread recursing into the unmapped guard page below its stack: the
    # double-fault task reports it (its own stack), no triple fault.
    vm = Qemu(kernel=TEST_KERNEL, append="fault=stackoverflow").start()
    vm.wait_for(r"provoking a fault: stackoverflow")
    vm.wait_for(r"^Oops: Double fault\n")
    vm.wait_for(r"^stack overflow in thread \d+ \(overflow\)\n")
    vm.wait_for(r"^CR2: 0x[0-9a-f]{8}")
    vm.wait_for(FRAME)
    vm.wait_for(r"end Oops: System halted")
    vm.expect_no(r"^Labyrinth ", seconds=2)
    assert vm.alive(), "QEMU exited (status %s): a triple fault" % vm.proc.poll()
