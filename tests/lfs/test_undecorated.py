"""A function that reads like an LF but lacks @labeling_function() is warned of by check:
it was left out in silence, and check said ok."""

from __future__ import annotations

from labelwright import check_project
from labelwright.lfs.undecorated import undecorated_lfs

MODULE = '''
from labelwright import ABSTAIN, labeling_function


def forgot(item):
    if "refund" in item.text.lower():
        return "billing"
    return ABSTAIN


def _is_crash(x):
    return "technical" if "crash" in x.text else ABSTAIN


@labeling_function()
def crash(x):
    return _is_crash(x)


def wrapped(item):
    return "billing"


wrapped_lf = labeling_function(name="wrapped_lf")(wrapped)


def two_args(item, words):
    return "billing"


def not_a_label(item):
    return "Billing department"


@labeling_function()
def kept(item):
    return ABSTAIN
'''


def test_only_the_undecorated_function_returning_a_label_is_named(tmp_path):
    (tmp_path / "rules.py").write_text(MODULE, encoding="utf-8")
    warnings = undecorated_lfs(tmp_path, ["billing", "technical"])
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{tmp_path / 'rules.py'}:5: forgot(item) returns the label "
                                  "'billing' (line 7) but is no labeling function, so it never "
                                  "votes: add @labeling_function() on the line above "
                                  "`def forgot`"), warnings


def test_a_function_another_module_imports_is_no_forgotten_lf(tmp_path):
    (tmp_path / "helpers.py").write_text("def billing_word(item):\n    return 'billing'\n",
                                         encoding="utf-8")
    (tmp_path / "rules.py").write_text(
        "from helpers import billing_word\n", encoding="utf-8")
    assert undecorated_lfs(tmp_path, ["billing", "technical"]) == []


def test_check_warns_of_it(make_project):
    root = make_project(lfs={"rules": MODULE})
    report = check_project(root)
    assert report.ok, report.problems
    assert any("rules.py:5: forgot(item) returns the label 'billing'" in w
               for w in report.warnings), report.warnings


def test_a_private_function_is_no_forgotten_lf_and_a_constant_label_is_read(tmp_path):
    """``def _fallback(item): return "billing"`` (a helper by its name) was warned of, and
    ``return BILLING`` with ``BILLING = "billing"`` was not."""
    (tmp_path / "rules.py").write_text(
        'BILLING = "billing"\n\n\ndef _fallback(item):\n    return "billing"\n\n\n'
        "def forgot(item):\n    return BILLING\n", encoding="utf-8")
    [warning] = undecorated_lfs(tmp_path, ["billing", "technical"])
    assert "forgot(item) returns the label 'billing' (line 9)" in warning, warning
    assert "(or name it _forgot to keep it off)" in warning, warning
