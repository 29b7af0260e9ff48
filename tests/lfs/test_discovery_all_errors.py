"""Discovery says every LF module that fails to import and every name clash at once:
``check`` showed one duplicate name, and the broken modules only after it was fixed."""

import pytest

from labelwright import check_project, run_project
from labelwright.errors import DuplicateLFError, LFError, LFFailure
from labelwright.lfs.discovery import discover

TWICE = """\
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def dup(item):
    return ABSTAIN


unnamed = labeling_function()(lambda item: ABSTAIN)
"""
BROKEN = {"c_syntax": "def f(:\n    pass\n", "d_missing": "import no_such_module_xyz\n"}


def _write(folder, modules):
    folder.mkdir(exist_ok=True)
    for name, source in modules.items():
        (folder / f"{name}.py").write_text(source, encoding="utf-8")


def test_every_broken_module_and_every_clash_in_one_error(tmp_path):
    _write(tmp_path, {"a": TWICE, "b": TWICE, **BROKEN})
    with pytest.raises(LFError) as info:
        discover(tmp_path)
    lines = str(info.value).splitlines()
    assert any("c_syntax.py:1: syntax error" in line for line in lines), lines
    assert any("d_missing.py:1: importing the module failed: ModuleNotFoundError" in line
               for line in lines), lines
    assert any("two labeling functions are named 'dup'" in line for line in lines), lines
    assert any("two labeling functions are named '<lambda>'" in line for line in lines)


def test_a_lambda_clash_says_how_to_name_a_lambda(tmp_path):
    """'rename one' cannot be done to a lambda."""
    _write(tmp_path, {"a": TWICE.replace("def dup", "def one"),
                      "b": TWICE.replace("def dup", "def two")})
    with pytest.raises(DuplicateLFError) as info:
        discover(tmp_path)
    assert 'give the lambda a name: labeling_function(name="...")(lambda item: ...)' \
        in str(info.value)
    assert "rename one" not in str(info.value)


def test_check_lists_each_module_and_clash_as_its_own_problem(make_project):
    root = make_project(lfs={"a": TWICE, "b": TWICE, **BROKEN})
    problems = check_project(root).problems
    assert sum("c_syntax.py:1: syntax error" in p for p in problems) == 1, problems
    assert sum("d_missing.py" in p for p in problems) == 1, problems
    assert sum("named 'dup'" in p for p in problems) == 1, problems
    assert sum("named '<lambda>'" in p for p in problems) == 1, problems


def test_a_message_over_several_lines_is_one_problem(make_project):
    """A module raising ``ValueError("first line\\nsecond line")`` at import was told as
    two problems, the second line alone as if it were an error of its own."""
    raising = 'raise ValueError("first line\\nsecond line not indented\\n  indented")\n'
    root = make_project(lfs={"a": TWICE, "e_msg": raising, **BROKEN})
    problems = check_project(root).problems
    [said] = [p for p in problems if "e_msg.py" in p]
    assert said.endswith("ValueError: first line\nsecond line not indented\n  indented")
    assert not [p for p in problems if p.startswith("second line")], problems
    assert sum("d_missing.py" in p for p in problems) == 1, problems


FACTORY = """\
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def f(item):
    return ABSTAIN


@labeling_function()
def f(item):
    return ABSTAIN


def keyword(word):
    @labeling_function(name=f"has_{word}")
    def lf(item):
        return ABSTAIN
    return lf


keyword("refund")
"""
# an LF made before the import of a broken module fails: kept nowhere, as its module
IMPORTS_BROKEN = """\
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def before(item):
    return ABSTAIN


import d_missing
"""


def test_lfs_kept_nowhere_are_said_with_a_failed_import(tmp_path):
    """An LF made and dropped, or replaced by a second def of its name, was said only once
    no module failed to import: a second round of check."""
    _write(tmp_path, {"a_factory": FACTORY, "e_imports": IMPORTS_BROKEN, **BROKEN})
    with pytest.raises(LFError) as info:
        discover(tmp_path)
    lines = str(info.value).splitlines()
    assert any("d_missing.py:1: importing the module failed" in line for line in lines), lines
    assert any(f"two labeling functions are named 'f': one made at {tmp_path / 'a_factory.py'}:"
               "4, kept nowhere" in line for line in lines), lines
    assert any(f"{tmp_path / 'a_factory.py'}:15: labeling function 'has_refund' is made but "
               "kept nowhere" in line for line in lines), lines
    # the LFs of a module that failed (or imports one that did) are kept nowhere: its
    # import error says why
    assert not any("'before'" in line for line in lines), lines


@pytest.mark.parametrize(("statement", "written"), [
    ("from .reviews import star_rating", "from reviews import star_rating"),
    ("from . import reviews", "import reviews"),
    ("from .reviews import (star_rating,\n    other)", "from reviews import ..."),
])
def test_a_relative_import_says_so_and_how_to_import_by_name(tmp_path, statement, written):
    """It was told as "ModuleNotFoundError: No module named 'labelwright_lfs'", the name
    of labelwright's own package for LF modules."""
    _write(tmp_path, {"reviews": "def star_rating(item):\n    return 5\nother = 1\n",
                      "stars": f"import os\n{statement}\n"})
    with pytest.raises(LFError) as info:
        discover(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'stars.py'}:2: a relative import does not work "
                              "in an LF module"), message
    assert f"import another module of the folder by its name (here: {written})" in message
    assert "labelwright_lfs" not in message


IMPORTS_WHEN_CALLED = """\
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def refund_words(item):
    {statement}
    return "billing" if "refund" in item.text else ABSTAIN
"""


@pytest.mark.parametrize(("statement", "written"), [
    ("from .words import REFUND", "from words import REFUND"),
    ("from . import words", "import words"),
])
def test_a_relative_import_in_an_lfs_body_names_the_file_and_the_import_to_write(
        make_project, statement, written):
    """Run by an LF, it was told as "ModuleNotFoundError: No module named
    'labelwright_lfs'" on every item (check, a run's failures, --fail-fast), the name of
    labelwright's own package for LF modules, where one at a module's top is told by its
    file and how to import by name."""
    root = make_project(lfs={"rules": IMPORTS_WHEN_CALLED.format(statement=statement),
                             "words": "REFUND = 'refund'\n"})
    told = ("rules.py:6: a relative import does not work in an LF module (LF modules are "
            f"not a package): import another module of the folder by its name (here: "
            f"{written})")
    [said] = [p for p in check_project(root).problems if p.startswith("LF refund_words (")]
    assert told in said and "labelwright_lfs" not in said, said
    kept = run_project(root, report=False, cache=False).applied.failures["refund_words"]
    assert kept.traceback.rstrip().endswith(told), kept.traceback
    assert statement in kept.traceback  # the frames are the LF's own
    with pytest.raises(LFFailure) as info:
        run_project(root, fail_fast=True, report=False, cache=False)
    assert told in str(info.value) and "labelwright_lfs" not in str(info.value)
