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


SWITCHED_OFF = '''import functools

from labelwright import ABSTAIN, labeling_function
from helpers import registered


# @labeling_function()
def refund(item):
    return "billing" if "refund" in item.text else ABSTAIN


# kept for later
#   @labeling_function()
def crash_words(item):
    return check_crash(item)


# @labeling_function()
def check_crash(item):
    return "technical" if "crash" in item.text else ABSTAIN


@functools.lru_cache(maxsize=None)
def cached(item):
    return "billing"


@registered
def project_made(item):
    return "billing"


# a plain comment
def plain(item):
    return ABSTAIN
'''


def test_an_lf_whose_decorator_is_commented_out_is_said_to_be_unused(tmp_path):
    """``# @labeling_function()`` turned an LF off, and nothing said it was no longer used;
    a function under ``@functools.lru_cache`` alone was no LF either, and not warned of.
    A commented-out decorator over a function an LF calls (a helper now) is not warned
    of, nor a decorator that may be the project's own way of making an LF."""
    (tmp_path / "rules.py").write_text(SWITCHED_OFF, encoding="utf-8")
    warnings = undecorated_lfs(tmp_path, ["billing", "technical"])
    assert len(warnings) == 3, warnings
    refund, crash_words, cached = warnings
    path = tmp_path / "rules.py"
    assert refund.startswith(
        f"{path}:8: refund(item) returns the label 'billing' (line 9) but has its "
        "@labeling_function() commented out (line 7), so it is no LF and is not used"), refund
    assert "uncomment the decorator; to keep it off on purpose, name it _refund" in refund
    # returns no label as written: the commented decorator alone says it was an LF
    assert crash_words.startswith(f"{path}:14: crash_words(item) has its @labeling_function() "
                                  "commented out (line 13)"), crash_words
    assert cached.startswith(
        f"{path}:24: cached(item) returns the label 'billing' (line 25), under "
        "@functools.lru_cache(maxsize=None) alone, but is no labeling function"), cached
    assert "add @labeling_function() on the line above it" in cached, cached


EXAMPLE_IN_A_COMMENT = '''\
from labelwright import ABSTAIN


# e.g.:
# @labeling_function()
# def refund(item): ...
def normalise(item):
    return item.text.lower()


# @labeling_function()
def switched_off(item):
    return ABSTAIN
'''


def test_a_decorator_in_an_example_comment_is_not_taken_for_one_switched_off(tmp_path):
    """A comment above a plain function holding an example LF (its decorator and its
    ``def``) was read as that function's decorator commented out: a false alarm. Only the
    comments up to a commented ``def`` belong to the function below."""
    (tmp_path / "rules.py").write_text(EXAMPLE_IN_A_COMMENT, encoding="utf-8")
    (warning,) = undecorated_lfs(tmp_path, ["billing", "technical"])
    assert warning.startswith(f"{tmp_path / 'rules.py'}:12: switched_off(item) has its "
                              "@labeling_function() commented out (line 11)"), warning


def test_line_numbers_hold_past_a_unicode_line_separator_in_a_string(tmp_path):
    """U+2028 (or U+0085) inside a string split a line for ``splitlines`` but not for
    Python: every line after it was read one off, and the commented decorator missed."""
    source = ('WORDS = "refund\u2028charge\u0085invoice"\n\n\n'
              '# @labeling_function()\ndef refund(item):\n    return "billing"\n')
    (tmp_path / "rules.py").write_text(source, encoding="utf-8")
    (warning,) = undecorated_lfs(tmp_path, ["billing", "technical"])
    assert warning.startswith(
        f"{tmp_path / 'rules.py'}:5: refund(item) returns the label 'billing' (line 6) but "
        "has its @labeling_function() commented out (line 4)"), warning
