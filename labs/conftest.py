"""pytest configuration of the lab graders (see labs/gradelib.py).

Adds the two marks every graded test carries, points(n) and hint(text),
the --lab option, and a fresh testlib context per test, so that every
QEMU a test starts is killed when it ends and its serial log is saved in
build/grade/labN/ when it fails.
"""
import pytest

from gradelib import save_log  # noqa: F401  (gradelib's fixtures below)
from gradelib import boot, host, ktest, lab  # noqa: F401
from testlib import context


def pytest_addoption(parser):
    parser.addoption("--lab", default="0", help="the lab being graded")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): what the test is worth")
    config.addinivalue_line("markers", "hint(text): where to look when it "
                            "fails")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("points") is None:
            raise pytest.UsageError("%s has no @pytest.mark.points(n)"
                                    % item.nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" or rep.failed:
        item.lab_failed = getattr(item, "lab_failed", False) or rep.failed


@pytest.fixture(autouse=True)
def _machines(request, lab):
    """Every console process the test starts belongs to its context."""
    ctx = context.TestContext(request.node.name)
    context.set_current(ctx)
    yield
    ctx.kill_all()
    if getattr(request.node, "lab_failed", False) and ctx.consoles:
        text = []
        for c in ctx.consoles:
            head, out = c.log()
            text.append(head + "\n" + out)
        path = save_log(lab, request.node.name, "\n\n".join(text))
        request.node.lab_log = path
    context.set_current(context.TestContext("(no test)"))
