"""An Explanation in words from Python: ``print(explain_item(...))`` gives the lines
``labelwright explain`` prints, to show a colleague from a notebook where a label came
from; before, print gave the one-line repr and the story was only in the CLI."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.runs import explain
from labelwright.project import run_project
from labelwright.runs.explain.item import explain_item
from labelwright.scaffold import init_project


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("storyproj")
    init_project(root)
    return root, run_project(root, report=False)


def test_print_tells_where_the_label_came_from_as_the_command_does(project):
    root, result = project
    e = explain_item(root, "r02")
    story = str(e)
    assert story == e.describe()
    assert story.splitlines()[0] == f"item r02 in run {result.run_id}"
    assert "  text: 'Broke after two days. Returned it.'" in story
    voted = [v for v in e.votes if v.vote is not None]
    assert f"Votes: {len(voted)} of {len(e.votes)} LFs" in story
    for v in voted:
        assert f"  {v.lf} -> {v.vote}  ({v.kind}, {v.location})" in story
    assert "  complaints: 'Broke' (term 'break') -> negative" in story
    assert story.splitlines()[-1].startswith("Final label: negative (source: model, confidence")
    assert "\n" not in repr(e)
    app = typer.Typer()
    app.command()(explain)
    app.command("noop")(lambda: None)
    printed = CliRunner().invoke(app, ["explain", "r02", "--project", str(root)]).stdout
    table = ("Votes", *(f"  {v.lf} -> " for v in voted))  # the command's is a table
    for line in story.splitlines():
        if not line.startswith(table):
            assert line in printed, line


def test_a_long_text_is_cut_unless_asked_for_whole(project):
    root, _ = project
    e = explain_item(root, "r02")
    cut = e.describe(text_chars=5)
    assert "  text: 'Broke' ... (the first 5 of 34 characters; describe(text_chars=None) " \
           "shows them all)" in cut
    assert "Returned it." in e.describe(text_chars=None)


def test_print_names_the_synonym_that_matched_as_the_command_does(project):
    """explain's match lines name the synonym behind a match; print(explain_item(...))
    says them in the same words, from the same lines."""
    root, _ = project
    story = explain_item(root, "r03").describe()
    assert ("  praise: 'great' (term 'excellent', synonym 'great') -> positive (cancelled by "
            "'not')") in story.splitlines(), story
