"""A file an LF module opens by a relative path is read from the current folder: the error
says so and how to name the module's own folder, and names no made-up file."""

import pytest

from labelwright import check_project
from labelwright.errors import LFError
from labelwright.lfs.discovery import discover

AT_IMPORT = """\
from labelwright import ABSTAIN, labeling_function

WORDS = open("words_missing.txt").read().split()


@labeling_function()
def words(item):
    return "billing" if set(item.text.split()) & set(WORDS) else ABSTAIN
"""

IN_THE_LF = """\
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def words(item):
    with open("words_missing.txt") as f:
        return "billing" if item.text in f.read() else ABSTAIN
"""


def test_a_relative_path_failing_at_import_gets_a_hint_and_no_made_up_file(tmp_path,
                                                                            monkeypatch):
    """Run from inside the LF folder, Python's own '<frozen importlib._bootstrap>' frame
    was named as a file of the folder."""
    (tmp_path / "lfs.py").write_text(AT_IMPORT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LFError) as info:
        discover(tmp_path)
    message = str(info.value)
    assert "lfs.py:3: importing the module failed: FileNotFoundError" in message
    assert "<frozen" not in message
    assert "read from the current folder" in message
    assert "use Path(__file__).parent / 'words_missing.txt'" in message


def test_a_relative_path_failing_in_an_lf_gets_the_hint_in_check(make_project):
    report = check_project(make_project(lfs={"lfs": IN_THE_LF}))
    [said] = [p for p in report.problems if p.startswith("LF words (")]
    assert "FileNotFoundError" in said
    assert "use Path(__file__).parent / 'words_missing.txt'" in said


def test_the_hint_says_whether_the_file_is_beside_the_module(make_project):
    """``Path(__file__).parent / 'words_missing.txt'`` was advised whether or not the file
    is there: a file kept elsewhere is not found by it either."""
    root = make_project(lfs={"lfs": IN_THE_LF})
    [said] = [p for p in check_project(root).problems if p.startswith("LF words (")]
    assert "if the file is beside the module, use Path(__file__).parent / " \
           "'words_missing.txt'" in said
    (root / "labeling_functions" / "words_missing.txt").write_text("refund", encoding="utf-8")
    [said] = [p for p in check_project(root).problems if p.startswith("LF words (")]
    assert "it is beside the module: use Path(__file__).parent / 'words_missing.txt'" in said


def test_run_says_the_file_is_beside_the_module_as_check_does(make_project, monkeypatch):
    """``run`` printed "if the file is beside the module" when it is: it did not pass the
    LF's module to the hint."""
    from typer.testing import CliRunner

    from labelwright.cli.app import app

    root = make_project(lfs={"lfs": IN_THE_LF})
    (root / "labeling_functions" / "words_missing.txt").write_text("refund", encoding="utf-8")
    monkeypatch.chdir(root)
    ran = CliRunner().invoke(app, ["run", "--no-report", "-p", str(root)])
    assert "FileNotFoundError" in ran.output, ran.output
    assert "it is beside the module: use Path(__file__).parent / 'words_missing.txt'" \
        in ran.output, ran.output
    assert "if the file is beside the module" not in ran.output
