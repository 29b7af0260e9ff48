"""A label no LF votes for is named by check, by the run (its warnings, the manifest, the
CLI), and a label the LFs vote for that the label model all but never gives by the run."""

from __future__ import annotations

import json

import numpy as np

from labelwright.project import run_project
from labelwright.project.check import check_project
from ledger_rows import decide
from ticket_data import TICKET_LFS

LABELS = ("billing", "technical", "account")


# ``account`` spelt out, but no ticket mentions a password: no vote on any item
SPELT_LFS = TICKET_LFS + '''

@labeling_function()
def password(item):
    return "account" if "password" in item.text.lower() else ABSTAIN
'''

# a label returned by name: what it votes is known only when it runs
BY_NAME_LFS = '''
from labelwright import ABSTAIN, labeling_function

BY_WORD = {"refund": "billing"}


@labeling_function()
def mentions_refund(item):
    return BY_WORD["refund"] if "refund" in item.text.lower() else ABSTAIN
'''


def test_a_label_no_lf_votes_for_is_named_by_check_run_manifest_and_cli(make_project, cli):
    root = make_project(labels=LABELS)
    (warning,) = [w for w in check_project(root).warnings if "'account'" in w]
    assert warning.startswith("label 'account': no LF can vote for it (none returns it, no "
                              "glossary is of it), so it can be given only by reviews")
    result = run_project(root, report=False)
    (warning,) = [w for w in result.warnings if "'account'" in w]
    assert warning.startswith("label 'account': no LF votes for it in this run (0 of 6 items)")
    assert "never from a vote (this run gives it to no item): write an LF" in warning, warning
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert warning in manifest["run_warnings"]
    code, out = cli("run", "--project", str(root))
    assert code == 0 and "label 'account': no LF votes for it in this run (0 of 6 items)" in out
    assert not [w for w in result.warnings if "'billing'" in w or "'technical'" in w]


def test_check_says_what_it_cannot_know_of_lfs_that_return_names(make_project):
    root = make_project(labels=LABELS, lfs={"tickets": BY_NAME_LFS})
    warnings = [w for w in check_project(root).warnings if w.startswith("label ")]
    assert [w.split(":")[0] for w in warnings] == ["label 'technical'", "label 'account'"]
    assert warnings[1].startswith("label 'account': no LF voted for it on the 6 items "
                                  "tried, no LF returns it as written (return 'account') and "
                                  "no glossary is of it; LF(s) mentions_refund return values "
                                  "known only when they run")


def test_a_label_an_lf_spells_out_is_left_to_the_run(make_project):
    root = make_project(labels=LABELS, lfs={"tickets": SPELT_LFS})
    assert not [w for w in check_project(root).warnings if w.startswith("label ")]
    result = run_project(root, report=False)
    assert [w.split(":")[0] for w in result.warnings if w.startswith("label ")] == [
        "label 'account'"]


def test_a_label_that_wins_the_vote_but_the_model_never_gives_is_named():
    from labelwright.project.label_coverage import rarely_given_warnings

    labels = ("a", "b")
    # 40 items: 30 where one LF votes b alone, 10 where it votes a
    votes = np.array([[1, -1]] * 30 + [[0, 0]] * 10, dtype=np.int8)
    never = np.array([0] * 40)
    (warning,) = rarely_given_warnings(votes, never, labels)
    assert warning.startswith("label 'b': LFs vote for it on 30 items and it wins the majority "
                              "vote on 30 of them, but the label model gives it to none of "
                              "them:")
    some = np.array([1] * 3 + [0] * 37)  # 3 of 30: at the 10% line, not under it
    assert rarely_given_warnings(votes, some, labels) == []
    # outvoted on most of its items and given to some: the model follows the votes
    outvoted = np.array([[1, 0, 0]] * 30 + [[0, 0, 0]] * 10, dtype=np.int8)
    assert rarely_given_warnings(outvoted, some, labels) == []
    # counted a few rows at a time: the same counts
    assert rarely_given_warnings(votes, never, labels, chunk_rows=7) == [warning]


def test_a_label_the_model_gives_to_none_of_its_voted_items_is_named_even_when_outvoted():
    """A walkthrough's model gave 'harassment' to none of the 8,994 items voted for it,
    winning the majority vote outright on 1,707 (under half): the run said nothing."""
    from labelwright.project.label_coverage import rarely_given_warnings

    labels = ("ok", "harassment")
    # 100 items with a harassment vote: 20 where it is alone, 80 where two ok LFs outvote it
    votes = np.array([[-1, -1, 1]] * 20 + [[0, 0, 1]] * 80 + [[0, -1, -1]] * 50,
                     dtype=np.int8)
    never = np.zeros(150, dtype=np.int64)
    (warning,) = rarely_given_warnings(votes, never, labels)
    assert warning.startswith("label 'harassment': LFs vote for it on 100 items (it wins the "
                              "majority vote outright on 20), but the label model gives it "
                              "to none of them:")
    # never winning at all: still named
    outvoted = votes.copy()
    outvoted[:20, 0] = 0
    outvoted[:20, 1] = 0
    (warning,) = rarely_given_warnings(outvoted, never, labels)
    assert "(it wins the majority vote on none)" in warning
    # given to 1 of 100 items: at the 1% line, not under it
    once = never.copy()
    once[0] = 1
    assert rarely_given_warnings(votes, once, labels) == []


def test_items_given_a_label_none_of_their_votes_is_for_are_counted_and_named():
    """A walkthrough's snorkel run moved 173 covered items to 'personal' without a
    'personal' vote among them, with no word; default's fit moved 2."""
    from labelwright.project.label_coverage import unsupported_labels_warnings

    labels = ("a", "b", "c")
    # 100 covered items (votes a or b), 20 uncovered; the model gives c to 25 items voted a
    votes = np.array([[0, -1]] * 60 + [[-1, 1]] * 40 + [[-1, -1]] * 20, dtype=np.int8)
    given = np.array([0] * 35 + [2] * 25 + [1] * 40 + [2] * 20)  # uncovered c: not counted
    ids = [f"t{i}" for i in range(len(votes))]
    (warning,) = unsupported_labels_warnings(votes, given, labels, ids)
    assert warning.startswith("the label model gives 25 of the 100 items with votes a label "
                              "none of their votes is for: 'c' 25 (e.g. 't35')")
    # counted on the model's labels: a reviewed item among them is not sent to review
    assert warning.endswith("(those without a reviewed label go to review with the reason "
                            "against_votes)")
    assert unsupported_labels_warnings(votes, given, labels, ids, chunk_rows=7) == [warning]
    # a label among an item's votes, though outvoted there, is a label its votes are for
    split = np.array([[0, 1]] * 100, dtype=np.int8)
    assert unsupported_labels_warnings(split, np.array([1] * 100), labels, ids) == []
    # fewer than 20 such items: a few coin flips or gold-moved items say little
    few = given.copy()
    few[35:60] = [2] * 19 + [0] * 6
    assert unsupported_labels_warnings(votes, few, labels, ids) == []


def test_items_with_a_reviewed_label_are_not_counted_against_the_model():
    """After reviews every run warned of 102 items given a label none of their votes is
    for, though each had its label from a review or a reviewed copy: a reviewed label is
    not the model's reading of the LFs, and such an item goes to no review."""
    from labelwright.project.label_coverage import unsupported_labels_warnings

    labels = ("a", "b", "c")
    votes = np.array([[0, -1]] * 60 + [[-1, 1]] * 40, dtype=np.int8)
    given = np.array([0] * 35 + [2] * 25 + [1] * 40)
    ids = [f"t{i}" for i in range(len(votes))]
    reviewed = np.zeros(len(votes), dtype=bool)
    reviewed[35:40] = True  # 5 of the 25 reviewed: 20 left, still warned of
    (warning,) = unsupported_labels_warnings(votes, given, labels, ids, reviewed=reviewed)
    assert warning.startswith("the label model gives 20 of the 95 items with votes and no "
                              "reviewed label a label none of their votes is for: 'c' 20 "
                              "(e.g. 't40')")
    reviewed[35:45] = True  # 15 left: too few to say much
    assert unsupported_labels_warnings(votes, given, labels, ids, reviewed=reviewed,
                                       chunk_rows=7) == []
    assert unsupported_labels_warnings(votes, given, labels, ids,
                                       reviewed=np.zeros(len(votes), dtype=bool)) == \
        unsupported_labels_warnings(votes, given, labels, ids)


def test_a_run_names_items_its_model_moved_away_from_every_vote(make_project):
    """A class balance that outweighs one-sided LFs: the run's warnings, and the manifest,
    say how many covered items got a label none of their votes is for."""
    rows = [{"id": f"r{i}", "text": f"refund please {i}"} for i in range(40)] \
        + [{"id": f"c{i}", "text": f"app crash {i}"} for i in range(40)]
    root = make_project(rows=rows, gold=None, model="dawid_skene", lfs={"tickets": TICKET_LFS})
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'name = "dawid_skene"', 'name = "dawid_skene"\nclass_balance = [0.02, 0.98]'),
        encoding="utf-8")
    result = run_project(root, report=False)
    assert (result.labels.model_label == "technical").all()  # the balance wins
    (warning,) = [w for w in result.warnings if w.startswith("the label model gives")]
    assert warning.startswith("the label model gives 40 of the 80 items with votes a label none "
                              "of their votes is for: 'technical' 40 (e.g. 'r0')")
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert warning in manifest["run_warnings"]
    # ten of them reviewed (as the model gave them): counted no more
    for i in range(10):
        decide(root, f"r{i}", "technical", "ana", result.run_dir.name)
    again = run_project(root, report=False)
    (warning,) = [w for w in again.warnings if w.startswith("the label model gives")]
    assert warning.startswith("the label model gives 30 of the 70 items with votes and no "
                              "reviewed label a label none of their votes is for: "
                              "'technical' 30 (e.g. 'r10')")


def test_a_label_without_votes_that_reviews_gave_says_how_many_items():
    """"(this run gives it to 0 item(s))": the count worded for any number."""
    from labelwright.project.label_coverage import unvoted_labels_warnings

    votes = np.array([[0, -1], [0, 0], [-1, -1]], dtype=np.int8)
    for given, said in (([0, 0, -1], "(this run gives it to no item)"),
                        ([0, 1, -1], "(this run gives it to 1 item, by reviews or the class "
                                     "balance)"),
                        ([1, 1, 1], "(this run gives it to 3 items, by reviews or the class "
                                    "balance)")):
        (warning,) = unvoted_labels_warnings(votes, ("a", "b"), np.array(given))
        assert warning.startswith("label 'b': no LF votes for it in this run (0 of 3 items)")
        assert said in warning, warning


def test_the_coverage_of_each_label_names_the_least_covered():
    from labelwright.project.label_coverage import items_voted_per_label, label_coverage_line

    # 6 items, 2 LFs; "Katy Perry" has one item with a vote, two votes on it counting once
    votes = np.array([[0, 0], [0, -1], [1, 1], [-1, 0], [-1, -1], [2, 0]])
    labels = ["Psy", "Katy Perry", "Shakira – Waka Waka"]
    assert items_voted_per_label(votes, 3, chunk_rows=2).tolist() == [4, 1, 1]
    assert label_coverage_line(votes, labels) == (
        "  coverage per label (items with a vote for it): Psy 66.7% (4), Katy Perry 16.7% (1), "
        "Shakira – Waka Waka 16.7% (1); least covered: Katy Perry, Shakira – Waka Waka")
    # all alike: no label is the least covered
    assert label_coverage_line(votes[1:3, :1], ["Psy", "Katy Perry"]) == (
        "  coverage per label (items with a vote for it): Psy 50.0% (1), Katy Perry 50.0% (1)")
    assert label_coverage_line(votes[:0], labels) is None
    assert label_coverage_line(votes, ["Psy"]) is None


def test_with_many_labels_only_the_least_covered_are_named():
    from labelwright.project.label_coverage import label_coverage_line

    labels = [f"l{k}" for k in range(12)]
    votes = np.repeat(np.arange(12), np.arange(1, 13))[:, None]  # label k on k + 1 items
    line = label_coverage_line(votes, labels)
    assert line is not None
    assert line.endswith("the least covered: l0 1.3% (1), l1 2.6% (2), l2 3.8% (3), "
                         "l3 5.1% (4), l4 6.4% (5) (and 7 more labels)")


def test_the_coverage_and_conflicts_of_every_label_as_a_frame(make_project):
    """The line names 5 of more than 10 labels; the frame holds each, with the items where
    another label has a vote too."""
    from labelwright.project.label_coverage import label_coverage_frame

    # item 5 has votes for Psy and Shakira: a conflict of both; item 2's two Katy Perry
    # votes agree
    votes = np.array([[0, 0], [0, -1], [1, 1], [-1, 0], [-1, -1], [2, 0]])
    labels = ["Psy", "Katy Perry", "Shakira", "Adele"]
    frame = label_coverage_frame(votes, labels, chunk_rows=4)  # item 5 in a chunk alone
    assert frame.index.tolist() == labels and frame.index.name == "label"
    assert frame["items"].tolist() == [4, 1, 1, 0]
    assert frame["coverage"].round(3).tolist() == [0.667, 0.167, 0.167, 0.0]
    assert frame["conflicts"].tolist() == [1, 0, 1, 0]
    assert frame["conflict_share"].iloc[:3].tolist() == [0.25, 0.0, 1.0]
    assert np.isnan(frame["conflict_share"].iloc[3])  # no votes: nothing to share
    root = make_project(labels=LABELS)
    result = run_project(root, report=False)
    by_label = result.coverage_by_label
    assert by_label.index.tolist() == list(LABELS)
    assert by_label.loc["account", "items"] == 0  # no LF votes for it (the test above)
    assert by_label["items"].tolist() == items_per_label(result.applied.matrix.votes)


def items_per_label(votes: np.ndarray) -> list[int]:
    return [int(((votes == k).any(axis=1)).sum()) for k in range(len(LABELS))]
