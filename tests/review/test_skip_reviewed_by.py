"""``review export --skip-reviewed-by``: a reviewer's next export leaves out the items they
decided already (a disputed tie at the queue's head went back to the same reviewers every
day, and a changed mind there refused their whole file)."""

from __future__ import annotations

import csv

import pytest

from labelwright.errors import ReviewError
from labelwright.project import run_project
from labelwright.review.decisions import ledger, rater_ids
from labelwright.review.queue.export import export_review
from review_csv import review_items
from ticket_data import many_tickets


def _ids(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


def test_the_items_a_rater_decided_are_left_out_before_the_budget(make_project, tmp_path):
    root = make_project(rows=many_tickets(), gold=None,
                        extra='random_sample = 10\n[review]\nsame_rater = { "ana@x" = "ana" }\n')
    first = run_project(root, report=False)
    queue = _ids(export_review(first.run_dir, "csv", tmp_path / "all.csv", sample=True).files[0])
    assert len(queue) == 10
    # ana decided the first two (one under another name that counts as her), bo the third
    review_items(root, {queue[0]: "billing"}, run_id=first.run_id, rater="ana")
    review_items(root, {queue[1]: "technical"}, run_id=first.run_id, rater="ana@x", sha="s2")
    review_items(root, {queue[2]: "billing"}, run_id=first.run_id, rater="bo", sha="s3")
    done = export_review(first.run_dir, "csv", tmp_path / "ana.csv", budget=1, sample=True,
                         skip_reviewed_by="ana")
    assert done.skipped_reviewed == 2
    assert _ids(done.files[0]) == [queue[2]]  # the budget fills with items new to her
    assert done.queued == len(queue) - 2


def test_a_rater_with_no_decision_is_an_error_naming_the_raters(make_project, tmp_path, cli):
    root = make_project(rows=many_tickets(), gold=None, extra="random_sample = 10\n")
    first = run_project(root, report=False)
    drawn = _ids(export_review(first.run_dir, "csv", tmp_path / "s.csv", sample=True).files[0])
    review_items(root, {drawn[0]: "billing"}, run_id=first.run_id, rater="alice")
    with pytest.raises(ReviewError, match=r"--skip-reviewed-by 'alcie': no decision of that "
                                          r"rater .*did you mean 'alice'\? raters: 'alice'"):
        export_review(first.run_dir, "csv", tmp_path / "x.csv", skip_reviewed_by="alcie")
    code, out = cli("review", "export", "-p", str(root), "--sample", "--skip-reviewed-by",
                    "alice", "-o", str(tmp_path / "q.csv"))
    assert code == 0 and "left out 1 item alice has a decision on (--skip-reviewed-by)" in \
        " ".join(out.split()), out
    assert _ids(tmp_path / "q.csv") == drawn[1:]


def test_any_name_of_a_rater_skips_what_that_rater_decided(make_project, tmp_path, cli):
    """A name that counts as another ([review] same_rater; a Label Studio id an export paired
    with an email) names that rater: every name's decisions are left out, and the export
    says whom it counts as."""
    root = make_project(rows=many_tickets(), gold=None,
                        extra='random_sample = 10\n[review]\nsame_rater = { "ana@x" = "ana" }\n')
    first = run_project(root, report=False)
    drawn = _ids(export_review(first.run_dir, "csv", tmp_path / "s.csv", sample=True).files[0])
    review_items(root, {drawn[0]: "billing"}, run_id=first.run_id, rater="ana")
    review_items(root, {drawn[1]: "billing"}, run_id=first.run_id, rater="ana@x", sha="s2")
    done = export_review(first.run_dir, "csv", tmp_path / "a.csv", sample=True,
                         skip_reviewed_by="ana@x")
    assert (done.skipped_reviewed, done.skipped_as) == (2, "ana")
    assert export_review(first.run_dir, "csv", tmp_path / "b.csv", sample=True,
                         skip_reviewed_by="ana").skipped_as is None
    review_items(root, {drawn[2]: "billing"}, run_id=first.run_id, rater="label-studio:2",
                 sha="s3")
    rater_ids.remember(ledger.ledger_path(root),
                       {"label-studio:2": {"label-studio:bo@x.org"}}, sha256="s4",
                       imported_at="now")
    code, out = cli("review", "export", "-p", str(root), "--sample", "--skip-reviewed-by",
                    "label-studio:2", "-o", str(tmp_path / "q.csv"))
    said = " ".join(out.split())
    assert code == 0, out
    assert "left out 1 item label-studio:2 has a decision on (--skip-reviewed-by)" in said
    assert ("label-studio:2 counts as label-studio:bo@x.org ([review] same_rater, or a Label "
            "Studio export that paired the id with an email)") in said
    assert _ids(tmp_path / "q.csv") == [i for i in drawn if i != drawn[2]]


def test_skip_reviewed_leaves_out_what_any_rater_decided(make_project, tmp_path, cli):
    """A team splitting what is left leaves out every reviewer's decisions at once (one
    --skip-reviewed-by each, given twice, is refused)."""
    root = make_project(rows=many_tickets(), gold=None, extra="random_sample = 10\n")
    first = run_project(root, report=False)
    drawn = _ids(export_review(first.run_dir, "csv", tmp_path / "s.csv", sample=True).files[0])
    review_items(root, {drawn[0]: "billing"}, run_id=first.run_id, rater="alice")
    review_items(root, {drawn[3]: "billing"}, run_id=first.run_id, rater="bob", sha="s2")
    code, out = cli("review", "export", "-p", str(root), "--sample", "--skip-reviewed",
                    "-o", str(tmp_path / "q.csv"))
    assert code == 0 and "left out 2 items a rater has a decision on (--skip-reviewed)" in \
        " ".join(out.split()), out
    assert _ids(tmp_path / "q.csv") == [i for i in drawn if i not in (drawn[0], drawn[3])]
    with pytest.raises(ValueError, match="give it or --skip-reviewed-by, not both"):
        export_review(first.run_dir, "csv", tmp_path / "x.csv", sample=True,
                      skip_reviewed=True, skip_reviewed_by="alice")


def test_shards_skipping_their_own_reviewers_decisions_never_overlap(make_project, tmp_path,
                                                                       cli):
    """Each reviewer exports shard k/3 leaving out what they decided: no item is in two
    shards, and the line does not promise that the shards hold the rest."""
    root = make_project(rows=many_tickets(), gold=None, extra="random_sample = 30\n")
    first = run_project(root, report=False)
    drawn = _ids(export_review(first.run_dir, "csv", tmp_path / "s.csv", sample=True).files[0])
    raters = ("alice", "bob", "chen")
    for k, rater in enumerate(raters):  # each decided a different few, across the shards
        review_items(root, {item: "billing" for item in drawn[k:k + 4]},
                     run_id=first.run_id, rater=rater, sha=f"s{k}")
    shards = []
    for k, rater in enumerate(raters, start=1):
        out = tmp_path / f"{rater}.csv"
        code, said = cli("review", "export", "-p", str(root), "--sample", "--shard",
                         f"{k}/3", "--skip-reviewed-by", rater, "-o", str(out))
        said = " ".join(said.split())
        assert code == 0, said
        assert "hold the rest" not in said and "none of them is in any other shard" in said
        shards.append(_ids(out))
    together = sum(shards, [])
    assert len(together) == len(set(together))
    for k in range(len(raters)):  # nobody got an item of their own decisions
        assert not set(shards[k]) & set(drawn[k:k + 4])
