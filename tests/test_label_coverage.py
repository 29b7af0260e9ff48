"""A label no LF votes for is named by check, by the run (its warnings, the manifest, the
CLI), and a label the LFs vote for that the label model all but never gives by the run."""

from __future__ import annotations

import json

import numpy as np

from labelwright.check import check_project
from labelwright.project import run_project

LABELS = ("billing", "technical", "account")

TICKET_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mentions_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text.lower() or "error" in item.text.lower() else ABSTAIN
'''

# ``account`` spelt out, but no ticket mentions a password: no vote on any item
SPELT_LFS = TICKET_LFS + '''

@labeling_function()
def password(item):
    return "account" if "password" in item.text.lower() else ABSTAIN
'''

# a label returned by name: what it votes is known only when it runs
BY_NAME_LFS = '''
from labelwright import ABSTAIN, labeling_function

BILLING = "billing"


@labeling_function()
def mentions_refund(item):
    return BILLING if "refund" in item.text.lower() else ABSTAIN
'''


def test_a_label_no_lf_votes_for_is_named_by_check_run_manifest_and_cli(make_project, cli):
    root = make_project(labels=LABELS)
    (warning,) = [w for w in check_project(root).warnings if "'account'" in w]
    assert warning.startswith("label 'account': no LF can vote for it (none returns it, no "
                              "glossary is of it), so it can be given only by reviews")
    result = run_project(root, report=False)
    (warning,) = [w for w in result.warnings if "'account'" in w]
    assert warning.startswith("label 'account': no LF votes for it in this run (0 of 6 items)")
    assert "this run gives it to 0 item(s)" in warning
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert warning in manifest["run_warnings"]
    code, out = cli("run", "--project", str(root))
    assert code == 0 and "label 'account': no LF votes for it in this run (0 of 6 items)" in out
    assert not [w for w in result.warnings if "'billing'" in w or "'technical'" in w]


def test_check_says_what_it_cannot_know_of_lfs_that_return_names(make_project):
    root = make_project(labels=LABELS, lfs={"tickets": BY_NAME_LFS})
    warnings = [w for w in check_project(root).warnings if w.startswith("label ")]
    assert [w.split(":")[0] for w in warnings] == ["label 'technical'", "label 'account'"]
    assert warnings[1].startswith("label 'account': no LF voted for it on the 6 item(s) "
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
    from labelwright.label_coverage import rarely_given_warnings

    labels = ("a", "b")
    # 40 items: 30 where one LF votes b alone, 10 where it votes a
    votes = np.array([[1, -1]] * 30 + [[0, 0]] * 10, dtype=np.int8)
    never = np.array([0] * 40)
    (warning,) = rarely_given_warnings(votes, never, labels)
    assert warning.startswith("label 'b': LFs vote for it on 30 items and it wins the majority "
                              "vote on 30 of them, but the label model gives it to only 0 of "
                              "them")
    some = np.array([1] * 3 + [0] * 37)  # 3 of 30: at the 10% line, not under it
    assert rarely_given_warnings(votes, some, labels) == []
    # outvoted on most of its items: the model follows the votes, nothing to say
    outvoted = np.array([[1, 0, 0]] * 30 + [[0, 0, 0]] * 10, dtype=np.int8)
    assert rarely_given_warnings(outvoted, never, labels) == []
    # counted a few rows at a time: the same counts
    assert rarely_given_warnings(votes, never, labels, chunk_rows=7) == [warning]
