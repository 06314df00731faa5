"""The layers point one way (docs/ARCHITECTURE.md, "Layers"): read from
the built objects with nm, the machine layer (arch/) calls no driver (the
console layer it writes an oops through is kernel/console.c), and the timer calls none of its tick's users (the
sampler, the scheduler): they register; lib/ calls nothing outside lib/
but libgcc's helpers. A call added the wrong way fails here, naming the
object, the symbol and where that symbol lives."""
import glob
import os
import subprocess

from testlib import BUILD, TestFailure

NM = os.environ.get("NM", "i686-linux-gnu-nm")
LAYERS = ("arch", "boot", "kernel", "mm", "drivers", "lib")


def nm_all(args, objs):
    """{object: [symbol, ...]} from one nm run over every object."""
    out = subprocess.run([NM, "-A"] + args + objs, capture_output=True,
                         text=True, check=True).stdout
    found = {o: [] for o in objs}
    for line in out.splitlines():
        path, _, rest = line.partition(":")
        if rest.split():
            found[path].append(rest.split()[-1])
    return found


def objects():
    objs = []
    for layer in LAYERS:
        objs += glob.glob(os.path.join(BUILD, layer, "**", "*.o"),
                          recursive=True)
    if not objs:
        raise TestFailure("no objects under %s: build first" % BUILD)
    return sorted(objs)


def rel(path):
    return os.path.relpath(path, BUILD)


def symbols():
    """(objects, {symbol: object defining it}, {object: undefined})."""
    objs = objects()
    where = {}
    for o, syms in nm_all(["-g", "--defined-only"], objs).items():
        for sym in syms:
            where[sym] = rel(o)
    return objs, where, nm_all(["-u"], objs)


def calls_into(objs, where, undefined, allowed):
    """Each undefined symbol of objs defined in an object that
    allowed(definer) refuses, as "object calls symbol (definer)"."""
    bad = []
    for o in objs:
        for sym in undefined[o]:
            definer = where.get(sym)
            if definer and not allowed(definer):
                bad.append("%s calls %s (%s)" % (rel(o), sym, definer))
    return bad


def check(bad, rule):
    if bad:
        raise TestFailure("%s:\n  %s" % (rule, "\n  ".join(bad)))


def test_arch_calls_no_driver():
    objs, where, undefined = symbols()
    arch = [o for o in objs if rel(o).startswith("arch/")]
    check(calls_into(arch, where, undefined,
                     lambda d: not d.startswith("drivers/")),
          "arch/ reaches a driver")


def test_console_layer_calls_no_driver():
    # It writes and polls through what each console registered.
    objs, where, undefined = symbols()
    console = [o for o in objs if rel(o) == "kernel/console.o"]
    assert console, "no kernel/console.o"
    check(calls_into(console, where, undefined,
                     lambda d: not d.startswith("drivers/")),
          "the console layer reaches a driver by name")


def test_timer_calls_none_of_its_tick_users():
    objs, where, undefined = symbols()
    timer = [o for o in objs if rel(o) == "arch/x86/timer.o"]
    if not timer:
        raise TestFailure("no arch/x86/timer.o in %s" % BUILD)
    check(calls_into(timer, where, undefined, lambda d: d not in (
        "kernel/sched.o", "drivers/sampler.o")),
          "the timer calls a tick user by name (they register)")


def test_lib_calls_nothing_above_it():
    objs, where, undefined = symbols()
    lib = [o for o in objs if rel(o).startswith("lib/")]
    bad = []
    for o in lib:
        for sym in undefined[o]:
            definer = where.get(sym)
            if sym.startswith("__") and definer is None:
                continue        # libgcc: __udivdi3 and friends
            if definer is None or not definer.startswith("lib/"):
                bad.append("%s calls %s (%s)" % (rel(o), sym,
                                                 definer or "not in lib/"))
    check(bad, "lib/ depends on something above it")
