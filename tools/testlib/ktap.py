"""KTAP (kernel TAP) parsing: the host tests and the in-kernel runner print it.

    KTAP version 1
    1..2
        KTAP version 1
        # Subtest: lib
        1..2
        ok 1 lib_snprintf_formats
            # lib_x: file.c:12: expected 3, got 4      (diagnostics)
        not ok 2 lib_x
    ok 1 lib
    ok 2 a_flat_test # SKIP not on this machine

Nesting is by indentation (4 spaces, or a tab, per level). A result with
subtests is a suite: its cases count, each named suite/case; a result
without subtests counts itself. Diagnostic lines ("# ...") between two
results are attached to the next result. If the output stops early (a
crash), the cases seen so far count and the missing ones are reported.
"""
import re

_RESULT = re.compile(r"^(not ok|ok)\s+(\d+)\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$")
_PLAN = re.compile(r"^1\.\.(\d+)")
_SUBTEST = re.compile(r"^#\s*Subtest:\s*(.+)$")


class Result:
    def __init__(self, name, ok, directive="", diag=()):
        self.name = name
        self.ok = ok
        self.directive = directive or ""
        self.diag = list(diag)

    @property
    def skipped(self):
        return self.directive.upper().startswith("SKIP")

    def __repr__(self):
        return "Result(%r, %r)" % (self.name, self.ok)


def _level(line):
    expanded = line.replace("\t", "    ")
    return (len(expanded) - len(expanded.lstrip(" "))) // 4, expanded.strip()


def parse(text):
    """Returns (results, problems): the counted results, and what was wrong
    with the stream as a whole (no KTAP at all, fewer results than planned).
    """
    pending = {}        # level -> results since the last result one level up
    diag = {}           # level -> diagnostics waiting for the next result
    plans = {}          # level -> planned count
    names = {}          # level -> "# Subtest:" name announced at that level
    seen_ktap = False
    for raw in text.splitlines():
        level, line = _level(raw)
        if not line:
            continue
        if line.startswith("KTAP version") or line.startswith("TAP version"):
            seen_ktap = True
            pending[level + 1] = []
            continue
        m = _PLAN.match(line)
        if m:
            seen_ktap = True
            plans[level] = int(m.group(1))
            continue
        m = _SUBTEST.match(line)
        if m:
            names[level] = m.group(1).strip()
            continue
        if line.startswith("#"):
            diag.setdefault(level, []).append(line)
            diag.setdefault(level - 1, []).append(line)
            continue
        m = _RESULT.match(line)
        if not m:
            continue
        seen_ktap = True
        ok, name, directive = m.group(1) == "ok", m.group(3).strip(), m.group(4) or ""
        name = name or "test %s" % m.group(2)
        children = pending.pop(level + 1, [])
        plans.pop(level + 1, None)
        names.pop(level + 1, None)
        if children:
            leaves = [Result(name + "/" + c.name, c.ok, c.directive, c.diag)
                      for c in children]
            if not ok and all(c.ok for c in children):
                leaves.append(Result(name, False, directive,
                                     diag.get(level, [])))
        else:
            leaves = [Result(name, ok, directive, diag.get(level, []))]
        diag.pop(level, None)
        diag.pop(level + 1, None)
        pending.setdefault(level, []).extend(leaves)
        pending.setdefault(level + 1, [])

    problems = []
    # Results of suites whose own result line never came (a crash).
    for level in sorted((lv for lv in pending if lv > 0), reverse=True):
        orphans = pending[level]
        if orphans:
            suite = names.get(level, "unfinished suite")
            pending.setdefault(level - 1, []).extend(
                Result(suite + "/" + r.name, r.ok, r.directive, r.diag)
                for r in orphans)
            problems.append("suite %s stopped after %d result(s)"
                            % (suite, len(orphans)))
            if level in plans and plans[level] > len(orphans):
                problems.append("%s: planned %d, got %d" % (
                    suite, plans[level], len(orphans)))
    results = pending.get(0, [])
    if not seen_ktap:
        problems.append("no KTAP output")
    elif 0 in plans:
        top = _top_level_count(text)
        if top < plans[0]:
            problems.append("planned %d, got %d" % (plans[0], top))
    return results, problems


def _top_level_count(text):
    return sum(1 for raw in text.splitlines()
               if _level(raw)[0] == 0 and _RESULT.match(raw.strip()))
