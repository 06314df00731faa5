"""gdb's buddyinfo computes the fragmentation indexes itself (it never
calls the kernel): its functions must give what mm/view.c's give, on the
made-up free lists of tests/host/test_mm_frag.c, with the same values
worked out by hand. test_gdb_views.py compares the two views on a booted
machine, where most free memory is in large blocks; these lists reach
the corners (nothing free, one block too small, divisions that round).

No QEMU: gdb runs the functions in its own Python.
"""
import json

from testlib import TestFailure, gdb_batch

SCATTERED = [6, 3, 2, 1]
SCARCE = [2, 1]
SINGLE = [0, 0, 0, 1]
WHOLE = [1] + [0] * 9 + [1]
EMPTY = []

# (free list, order, unusable, extfrag), as test_mm_frag.c expects them.
CASES = [
    (SCATTERED, 0, 0, -1000), (SCATTERED, 1, 214, -1000),
    (SCATTERED, 2, 428, -1000), (SCATTERED, 3, 714, -1000),
    (SCATTERED, 4, 1000, 771), (SCATTERED, 5, 1000, 844),
    (SCATTERED, 10, 1000, 915),
    (SCARCE, 1, 500, -1000), (SCARCE, 2, 1000, 334), (SCARCE, 5, 1000, 625),
    (SINGLE, 3, 0, -1000), (SINGLE, 4, 1000, 0), (SINGLE, 10, 1000, 0),
    (WHOLE, 1, 0, -1000), (WHOLE, 10, 0, -1000),
    (EMPTY, 0, 1000, 0), (EMPTY, 10, 1000, 0),
]
# mm/view.c's show_index(): 7 columns each.
TEXTS = {0: "  0.000", 546: "  0.546", 1000: "  1.000", -1000: " -1.000",
         -1: "      -"}


def run_mirror(script):
    res = gdb_batch(["python import sys; sys.path.insert(0, 'tools/gdb')",
                     "python from labgdb import mm_views as m",
                     "python " + script], elf=None)
    lines = [x for x in res.out.splitlines() if x[:1] in "[{" and x]
    if res.status or not lines:
        raise TestFailure("gdb could not run the mirror:\n%s" % res)
    return json.loads(lines[-1])


def test_gdb_mirror_computes_the_indexes_of_made_up_lists():
    lists = [(c[0] + [0] * 11)[:11] for c in CASES]
    got = run_mirror(
        "import json; cases = %r; print(json.dumps([[m.unusable_free_index("
        "o, m.contig_page_info(nr, o)), m.fragmentation_index(o, "
        "m.contig_page_info(nr, o))] for nr, o in cases]))"
        % [(nr, c[1]) for nr, c in zip(lists, CASES)])
    bad = ["list %s, order %d: gdb gives unusable %d, extfrag %d; the "
           "kernel's are %d, %d" % (nr, c[1], u, e, c[2], c[3])
           for nr, c, (u, e) in zip(lists, CASES, got)
           if (u, e) != (c[2], c[3])]
    assert not bad, "\n".join(bad)


def test_gdb_mirror_prints_indexes_as_the_kernel():
    got = run_mirror("import json; print(json.dumps({v: m.index_text(v) "
                     "for v in %r}))" % list(TEXTS))
    assert {int(k): v for k, v in got.items()} == TEXTS, got
