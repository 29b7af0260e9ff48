"""`labelwright analyze --lf`: the items behind one LF's numbers."""

import re

import numpy as np
import pytest
from typer.testing import CliRunner

from labelwright.cli.app import app
from labelwright.lfs.examples import lf_examples, select_lfs
from labelwright.matrix import LabelMatrix

LABELS = ("neg", "pos")


def matrix(votes):
    votes = np.asarray(votes, dtype=np.int8)
    return LabelMatrix(votes, ["a", "b", "glossary:g"],
                       [f"i{i}" for i in range(len(votes))], LABELS)


def test_groups_split_votes_by_what_is_known_and_what_others_say():
    m = matrix([[1, 1, -1],   # i0: a right (known pos)
                [1, 0, -1],   # i1: a wrong (known neg), b disagrees
                [1, 0, 1],    # i2: conflict, nothing known
                [1, -1, -1],  # i3: a votes alone, nothing known: in no group
                [-1, 0, 0],   # i4: a abstains
                [0, 1, -1]])  # i5: a votes neg, b pos, nothing known: conflict
    known = np.array([1, 0, -1, -1, 0, -1])
    texts = [f"text {i}" for i in range(6)]
    (a,) = lf_examples(m, texts, known, ["a"], n=10)
    assert a.votes == 5
    assert [e.item_id for e in a.groups["wrong"]] == ["i1"]
    assert [e.item_id for e in a.groups["right"]] == ["i0"]
    assert [e.item_id for e in a.groups["conflict"]] == ["i2", "i5"]
    assert a.groups["sample"] == [] and a.sizes["sample"] == 0
    wrong = a.groups["wrong"][0]
    assert (wrong.vote, wrong.known, wrong.text) == ("pos", "neg", "text 1")
    assert wrong.others == {"neg": ["b"]}
    conflict = a.groups["conflict"][0]
    assert conflict.known is None and conflict.others == {"neg": ["b"], "pos": ["glossary:g"]}


def test_an_lf_with_nothing_known_where_it_votes_gets_a_sample_of_its_votes():
    m = matrix([[0, -1, -1], [0, -1, -1], [-1, 1, -1], [0, -1, 1]])
    (a,) = lf_examples(m, ["w", "x", "y", "z"], np.array([-1, -1, 1, -1]), ["a"], n=2)
    assert a.sizes == {"wrong": 0, "conflict": 1, "right": 0, "sample": 3, "failed": 0}
    assert len(a.groups["sample"]) == 2  # at most n, drawn from the 3
    assert {e.item_id for e in a.groups["sample"]} <= {"i0", "i1", "i3"}


def test_the_draw_is_seeded_and_does_not_depend_on_the_other_lfs_asked_for():
    rng = np.random.default_rng(3)
    votes = rng.integers(-1, 2, size=(200, 3))
    m = matrix(votes)
    known = rng.integers(-1, 2, size=200)
    texts = [str(i) for i in range(200)]
    alone = lf_examples(m, texts, known, ["b"], n=4, seed=7)[0]
    both = lf_examples(m, texts, known, ["a", "b"], n=4, seed=7)[1]
    assert alone == both
    other_seed = lf_examples(m, texts, known, ["b"], n=4, seed=8)[0]
    assert other_seed.sizes == alone.sizes
    assert other_seed.groups != alone.groups  # 4 of dozens: another seed draws others
    for group, shown in alone.groups.items():
        assert len(shown) == min(4, alone.sizes[group])


def test_select_lfs_takes_names_and_patterns_in_matrix_order_and_names_close_ones():
    names = ["kw_refund", "kw_invoice", "glossary:billing", "glossary:bugs"]
    assert select_lfs(names, ["glossary:*", "kw_refund"]) == [
        "kw_refund", "glossary:billing", "glossary:bugs"]
    with pytest.raises(ValueError, match=r"no LF named 'kw_refnd' among the project's 4 LFs; "
                                         r"did you mean 'kw_refund'"):
        select_lfs(names, ["kw_refnd"])
    with pytest.raises(ValueError, match=r"no LF named 'x\*'.*the project's LFs: 'kw_refund'"):
        select_lfs(names, ["x*"])


def test_examples_check_their_inputs():
    m = matrix([[0, 1, -1]])
    with pytest.raises(ValueError, match="one entry per item"):
        lf_examples(m, ["t"], np.array([0, 1]), ["a"])
    with pytest.raises(ValueError, match="n must be >= 0"):
        lf_examples(m, ["t"], np.array([0]), ["a"], n=-1)


def test_analyze_lf_prints_only_that_lf_and_the_items_behind_its_numbers(tmp_path):
    runner = CliRunner()
    root = tmp_path / "proj"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    shown = runner.invoke(app, ["analyze", "-p", str(root), "--lf", "star_rating",
                                "--examples", "2"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    out = shown.output
    table = out.split("Labeling functions")[1].split("total coverage")[0]
    assert "star_rating" in table and "returned_it" not in table
    assert re.search(r"star_rating \(labeling_functions/\w+\.py:\d+\): votes on", out), out
    # each group line says how many items it has, and at most 2 are shown
    examples = out.split("votes on", 1)[1]  # the LF's own lines, after the coverage lines
    groups = [line for line in examples.splitlines() if line.startswith("  ") and ": " in line
              and not line.startswith("    ")]
    assert groups, out
    for line in groups:
        assert line.rstrip().endswith(("(showing 2)", ": 1", ": 2")), line
    bad = runner.invoke(app, ["analyze", "-p", str(root), "--lf", "star_ratin"])
    assert bad.exit_code == 2
    assert "did you mean 'star_rating'" in " ".join(bad.output.split())


def test_the_items_an_lf_raised_on_are_a_group_of_their_own():
    m = matrix([[0, 1, -1], [-1, 1, -1], [-1, 0, -1], [1, -1, -1]])
    known = np.array([0, -1, -1, 1])
    (a,) = lf_examples(m, ["w", "x", "y", "z"], known, ["a"], n=1,
                       failed={"a": (2, ["i1", "i2"]), "b": (1, ["i0"])})
    assert a.sizes["failed"] == 2  # how many it raised on; the first n shown
    (shown,) = a.groups["failed"]
    assert (shown.item_id, shown.vote, shown.text, shown.others) == ("i1", "(raised)", "x",
                                                                    {"pos": ["b"]})
    (b,) = lf_examples(m, ["w", "x", "y", "z"], known, ["b"], n=3)
    assert b.sizes["failed"] == 0 and b.groups["failed"] == []


def test_a_glossary_lfs_examples_and_explain_name_the_phrase_that_matched(tmp_path):
    """A lemma-mode synonym matches words that read as its lemma ('dogging' matched 'my
    dog'); the examples of a glossary LF showed the text and the other votes, explain the
    term alone ('great' (term 'excellent')): which phrase made the vote could not be told."""
    runner = CliRunner()
    root = tmp_path / "proj"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    shown = runner.invoke(app, ["analyze", "-p", str(root), "--lf", "glossary:praise"],
                          env={"COLUMNS": "250"})
    assert shown.exit_code == 0, shown.output
    said = " ".join(shown.output.split())
    assert ("r04: votes positive, known positive | matched: 'Excellent' (term 'excellent'); "
            "'adore' (term 'love', synonym 'adore') | others:") in said, shown.output
    star = runner.invoke(app, ["analyze", "-p", str(root), "--lf", "star_rating"],
                         env={"COLUMNS": "250"})
    assert "matched:" not in star.output  # a Python LF has no glossary matches
    assert runner.invoke(app, ["run", "-p", str(root)]).exit_code == 0
    told = runner.invoke(app, ["explain", "r03", "-p", str(root)], env={"COLUMNS": "250"})
    assert ("praise: 'great' (term 'excellent', synonym 'great') -> positive (cancelled by "
            "'not')") in told.output, told.output


def test_matches_reach_only_the_glossary_lfs_examples():
    from labelwright.lfs.item import GlossaryMatch

    m = matrix([[1, -1, 1], [-1, 0, 1]])
    dog = GlossaryMatch("g", "pos", "dating service", "dog", 3, 4, phrase="dogging")
    cancelled = GlossaryMatch("g", "pos", "love", "love", 1, 2, excluded_by="not",
                              phrase="love")
    other = GlossaryMatch("h", "pos", "x", "x", 0, 1, phrase="x")
    matches = [[dog, cancelled, other, dog], [other]]
    a, g = lf_examples(m, ["my dog", "x"], np.array([0, -1]), ["a", "glossary:g"],
                       matches=matches)
    assert [e.matched for e in a.groups["wrong"]] == [()]
    assert [e.matched for e in g.groups["wrong"]] == [
        ("'dog' (term 'dating service', synonym 'dogging')",)]
    assert [e.matched for e in g.groups["conflict"]] == [()]


def test_items_of_one_text_are_one_example_that_counts_the_others():
    """Support messages repeat: five copies of "no tengo internet" in a group are one
    example, saying how many more items of the group hold its text, and the other examples
    are other texts. The group's size still counts every item."""
    from rich.console import Console

    from labelwright.cli.lf_examples import print_lf_examples

    m = matrix([[1, -1, -1]] * 7)
    texts = ["no tengo internet"] * 5 + ["sin señal", "la fibra no va"]
    (a,) = lf_examples(m, texts, np.array([0] * 7), ["a"], n=3)
    assert a.sizes["wrong"] == 7
    assert [e.text for e in a.groups["wrong"]] == texts[4:]
    assert [e.same_text for e in a.groups["wrong"]] == [4, 0, 0]
    console = Console(width=200, record=True)
    print_lf_examples(console, [a])
    out = console.export_text()
    assert out.count("'no tengo internet'") == 1
    assert "'no tengo internet' (and 4 more items of this group with this text)" in out
    assert "wrong: votes pos where the known label is another: 7" in out
    # texts all different: the draw is the one it was
    distinct = [f"text {i}" for i in range(7)]
    assert all(e.same_text == 0 for e in lf_examples(m, distinct, np.zeros(7), ["a"],
                                                       n=3)[0].groups["wrong"])
