"""check's trial of the LFs on the first items: what it says of an LF that raises."""

from __future__ import annotations

from labelwright import check_project

MOSTLY_BROKEN = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mostly_broken(item):
    if item.id != "t1":
        raise ValueError("[E999] the first line of a long error.\\n\\nhttps://example.invalid/x")
    return ABSTAIN


@labeling_function()
def fine(item):
    return "billing" if "refund" in item.text else ABSTAIN
'''


def _said(report, name):
    return [w for w in report.warnings if w.startswith(f"LF {name} (")]


def test_a_failure_is_told_by_its_type_and_first_line(make_project):
    """The last line of the traceback was all check showed: a link, for spaCy's errors."""
    report = check_project(make_project(lfs={"t": MOSTLY_BROKEN}))
    [said] = _said(report, "mostly_broken")
    assert "ValueError: [E999] the first line of a long error." in said, said
    assert "example.invalid" not in said


def test_an_lf_failing_on_most_items_tried_is_called_broken(make_project, cli):
    """An LF failing on almost every item was one warning among many, and check said ok."""
    root = make_project(lfs={"t": MOSTLY_BROKEN})
    report = check_project(root)
    [said] = _said(report, "mostly_broken")
    n = report.n_tried
    assert f"it fails on {100 * (n - 1) // n}% of the items tried: it is broken, not a rule " \
        "that abstains" in said
    assert report.ok and report.mostly_failing == ["mostly_broken"]
    code, out = cli("check", "-p", str(root))
    assert code == 0 and "but mostly_broken raised on most of the items tried: broken" in out
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0, out
    assert f"LF 'mostly_broken' raised on {n - 1} items of {n}: it fails on " \
        f"{100 * (n - 1) // n}% of items: it is broken, not a rule that abstains" in out
