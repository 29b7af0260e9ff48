"""Copies of a text whose reviewed label rests on one rater's decision against the label
model and every LF vote wait for a second reviewer (labelwright.review.feedback.second_opinions)."""

import json

import numpy as np

from labelwright import run_project
from labelwright.copies import find_copies
from labelwright.review.feedback.second_opinions import (
    await_second_opinion,
    lone_decisions,
    waiting_copies,
)
from labelwright.triage.core import triage
from review_csv import review_items

LABELS = ["ok", "harassment", "self_harm"]


def _lone(gold, reviewers, copy_of, *, votes, model_label, adjudicators=()):
    texts = ["report of abuse"] * len(gold)
    ids = [f"p{k}" for k in range(len(gold))]
    return lone_decisions(copy_of, np.array(gold), reviewers, find_copies(texts).group,
                          adjudicators, np.array(model_label), np.array(votes, dtype=np.int8),
                          ids, LABELS)


VOTES = [[0, 1], [0, 1], [0, 1]]  # every copy: one vote ok, one harassment


def test_one_raters_label_against_the_model_and_every_vote_is_a_lone_decision():
    lone = _lone([2, -1, -1], [["alice"], [], []], [None, "p0", "p0"], votes=VOTES,
                 model_label=[0, 0, 0])
    assert [(d.item, d.copies, d.rater, d.label, d.model_label, d.voted) for d in lone] == [
        ("p0", 2, "alice", "self_harm", "ok", ("ok", "harassment"))]
    assert "'p0' (2 copies, alice: self_harm; model: ok; LFs: ok, harassment)" \
        == lone[0].words()
    assert waiting_copies([None, "p0", "p0"], lone).tolist() == [False, True, True]


def test_a_label_some_evidence_backs_or_two_raters_agree_on_is_not_lone():
    # an LF voted for it
    assert not _lone([1, -1, -1], [["alice"], [], []], [None, "p0", "p0"], votes=VOTES,
                     model_label=[0, 0, 0])
    # the model gave it
    assert not _lone([2, -1, -1], [["alice"], [], []], [None, "p0", "p0"], votes=VOTES,
                     model_label=[2, 2, 2])
    # no LF voted: nothing to go against
    assert not _lone([2, -1, -1], [["alice"], [], []], [None, "p0", "p0"],
                     votes=[[-1, -1]] * 3, model_label=[0, 0, 0])
    # two raters, on the item or on two items of the text
    assert not _lone([2, -1, -1], [["alice", "bob"], [], []], [None, "p0", "p0"],
                     votes=VOTES, model_label=[0, 0, 0])
    assert not _lone([2, 2, -1], [["alice"], ["bob"], []], [None, None, "p0"],
                     votes=VOTES, model_label=[0, 0, 0])
    # an adjudicator's decision is final
    assert not _lone([2, -1, -1], [["lead"], [], []], [None, "p0", "p0"], votes=VOTES,
                     model_label=[0, 0, 0], adjudicators=["lead"])
    # nothing carried: nothing to warn of
    assert not _lone([2, -1, -1], [["alice"], [], []], [None, None, None], votes=VOTES,
                     model_label=[0, 0, 0])


def test_waiting_copies_go_back_to_review_first_with_their_label():
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.55, 0.45]])
    votes = np.array([[0], [0], [0]], dtype=np.int8)
    tri = triage(probs, votes, np.array([0, 0, 0]), threshold=0.7, audit_size=0, seed=0)
    assert tri.order.tolist() == [2]
    out = await_second_opinion(tri, np.array([False, True, False]))
    assert out.status.tolist() == ["accepted", "review", "review"]
    assert out.reasons[1] == ("second_opinion",)
    assert out.order.tolist() == [1, 2]
    assert out.label.tolist() == tri.label.tolist()
    assert await_second_opinion(tri, np.zeros(3, dtype=bool)) is tri


# r1..r3 share a text every LF votes billing on; r4 another text
ROWS = [{"id": "r1", "text": "refund please"}, {"id": "r2", "text": "refund please"},
        {"id": "r3", "text": "refund  please"}, {"id": "r4", "text": "crash again"},
        {"id": "r5", "text": "refund the crash"}]


def test_one_raters_decision_against_all_evidence_waits_for_a_second_reviewer(make_project,
                                                                               cli):
    """One reviewer's self_harm on a report of abuse took 247 copies with it, all
    "reviewed", with no word and none back in the queue."""
    root = make_project(rows=ROWS, gold=None)
    first = run_project(root, report=False)
    review_items(root, {"r1": "technical"}, run_id=first.run_id, rater="ana", sha="s1")
    second = run_project(root, report=False)
    labels = second.labels.set_index("id")
    for copy in ("r2", "r3"):  # the decision carries, but is not taken as reviewed
        assert labels.loc[copy, "label"] == "technical"
        assert (labels.loc[copy, "label_source"], labels.loc[copy, "copy_of"]) == ("copy", "r1")
        assert labels.loc[copy, "status"] == "review"
        assert labels.loc[copy, "reasons"] == "second_opinion"
    assert labels.loc["r1", "status"] == "reviewed"
    said = [w for w in second.warnings if "second reviewer" in w]
    assert said and "'r1' (2 copies, ana: technical; model: billing; LFs: billing)" in said[0]
    assert "--reason second_opinion` for someone other than ana" in said[0]
    queue = [json.loads(line) for line in
             (second.run_dir / "review.jsonl").read_text(encoding="utf-8").splitlines()]
    assert queue[0]["id"] in ("r2", "r3") and queue[0]["reasons"] == ["second_opinion"]
    assert not {"r2", "r3"} - {queue[0]["id"]} & {r["id"] for r in queue}  # one per text
    code, out = cli("review", "export", "--project", str(root), "--format", "csv",
                    "--reason", "second_opinion")
    assert code == 0, out
    assert "1 of 1 queued (second_opinion) item" in out
    # a training set keeps the waiting copies as in review; --accepted-only leaves them out
    from labelwright.review.training_set import training_frame
    frame = second.labels.copy()
    texts = [r["text"] for r in ROWS]
    ids = [r["id"] for r in ROWS]
    kept = training_frame(frame, ids=ids, texts=texts).set_index("id")
    assert kept.loc["r2", "status"] == "review" and kept.loc["r2", "probability"] == 1.0
    sure = training_frame(frame, ids=ids, texts=texts, accepted_only=True)
    assert not {"r2", "r3"} & set(sure["id"]) and "r1" in set(sure["id"])
    code, out = cli("explain", "r2", "--project", str(root))
    assert code == 0, out
    assert "review queue: second_opinion" in out and "it waits for a second reviewer" in out
    code, out = cli("runs", "verify", "--recompute", "--project", str(root))
    assert code == 0 and "and triage its statuses" in out, out
    # a second reviewer who agrees ends the wait
    review_items(root, {queue[0]["id"]: "technical"}, run_id=second.run_id, rater="ben",
                 sha="s2")
    third = run_project(root, report=False)
    labels = third.labels.set_index("id")
    assert (labels.loc[["r1", "r2", "r3"], "status"] == "reviewed").all()
    assert not [w for w in third.warnings if "second reviewer" in w]


def test_an_adjudicators_decision_against_all_evidence_carries_without_a_wait(make_project):
    root = make_project(rows=ROWS, gold=None, extra='\n[review]\nadjudicators = ["lead"]\n')
    first = run_project(root, report=False)
    review_items(root, {"r1": "technical"}, run_id=first.run_id, rater="lead", sha="s1")
    second = run_project(root, report=False)
    labels = second.labels.set_index("id")
    assert (labels.loc[["r2", "r3"], "status"] == "reviewed").all()
    assert not [w for w in second.warnings if "second reviewer" in w]


def test_import_warns_of_a_lone_decision_against_all_evidence_before_a_run_spreads_it(
        make_project, cli, tmp_path):
    root = make_project(rows=ROWS, gold=None)
    first = run_project(root, report=False)
    sheet = tmp_path / "ana.csv"
    sheet.write_text(f"id,run_id,text,review_label\nr1,{first.run_id},refund please,technical\n"
                     f"r4,{first.run_id},crash again,billing\n", encoding="utf-8")
    code, out = cli("review", "import", str(sheet), "--reviewer", "ana", "--project",
                    str(root))
    assert code == 0, out
    assert "1 decision(s) are the only ones on their text" in out
    assert (f"'r1' (2 copies, ana: technical; model: billing; LFs: billing) from run "
            f"{first.run_id}") in out
    assert "--reason second_opinion` for someone other than ana" in out
    # r4's text has no copies: its decision reaches no other item, and is not named
    assert "'r4'" not in out
    # a second rater's agreeing decision on a copy is no lone decision
    other = tmp_path / "ben.csv"
    other.write_text(f"id,run_id,text,review_label\nr2,{first.run_id},refund please,"
                     "technical\n", encoding="utf-8")
    code, out = cli("review", "import", str(other), "--reviewer", "ben", "--project",
                    str(root))
    assert code == 0, out
    assert "only ones on their text" not in out
