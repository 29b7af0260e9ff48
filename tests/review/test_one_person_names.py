"""``review stats`` names raters whose names hold one person's name as different tools write
it (`label-studio:bob@team.org`, `reviews-bob`): counted apart, one person reviewing in two
tools was two raters agreeing with each other, with no hint."""

from __future__ import annotations

import json

from test_import import ls_export

from labelwright.project import run_project
from labelwright.review.decisions.tool_names import one_person_names, person_part
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import read_review
from review_csv import review_items
from ticket_data import many_tickets


def test_the_person_part_of_each_tools_names():
    assert person_part("label-studio:Bob@Team.org") == "bob"
    assert person_part("argilla:u-frank") == "u-frank"
    assert person_part("reviews-bob") == "bob"
    assert person_part("bob@team.org") == "bob"
    assert person_part("label-studio:3") == "3"
    assert one_person_names(["alice", "label-studio:alice@x.org", "reviews-alice", "bob",
                             "label-studio:3"]) == [
        ("alice", ["alice", "label-studio:alice@x.org", "reviews-alice"])]


def test_review_stats_names_them_until_same_rater_ties_them(make_project, cli):
    root = make_project(rows=many_tickets(), gold=None)
    run = run_project(root, report=False)
    queued = [str(r["id"]) for r in read_review(run.run_dir)][:2]
    review_items(root, {queued[0]: "billing", queued[1]: "billing"}, run_id=run.run_id,
                 rater="label-studio:bob@team.org")
    review_items(root, {queued[0]: "billing"}, run_id=run.run_id, rater="reviews-bob",
                 sha="s2")
    code, out = cli("review", "stats", "-p", str(root))
    said = " ".join(out.split())
    assert code == 0, out
    assert ("raters whose names may be one person's: 'label-studio:bob@team.org' (named by "
            "a csv file) and 'reviews-bob' (named by a csv file), both 'bob'; counted as "
            "raters apart") in said
    assert ('[review] same_rater = { "reviews-bob" = "label-studio:bob@team.org" }') in said
    config = root / "labelwright.toml"
    tie = '\n[review]\nsame_rater = { "reviews-bob" = "label-studio:bob@team.org" }\n'
    config.write_text(config.read_text(encoding="utf-8") + tie, encoding="utf-8")
    code, out = cli("review", "stats", "-p", str(root))
    assert code == 0, out
    assert "may be one person's" not in " ".join(out.split())


def test_a_pseudonym_erase_gave_is_no_ones_other_name(make_project, cli):
    """`erase --rater` names a rater `erased-rater-1`; a team's `rater-1` is not the same
    person, and the hint tied the two by their last part (and would tie an erased person to
    a name still in the ledger)."""
    assert one_person_names(["erased-rater-1", "rater-1"],
                            pseudonyms={"erased-rater-1"}) == []
    root = make_project(rows=many_tickets(), gold=None)
    run = run_project(root, report=False)
    queued = [str(r["id"]) for r in read_review(run.run_dir)][:2]
    review_items(root, {queued[0]: "billing"}, run_id=run.run_id, rater="dana")
    review_items(root, {queued[0]: "billing", queued[1]: "billing"}, run_id=run.run_id,
                 rater="rater-1", sha="s2")
    code, out = cli("erase", "--rater", "dana", "--reviewer", "lead", "--reason", "r",
                    "-p", str(root))
    assert code == 0, out
    code, out = cli("review", "stats", "-p", str(root))
    said = " ".join(out.split())
    assert code == 0 and "erased-rater-1 1" in said, out
    assert "may be one person's" not in said, out


def test_the_hint_says_what_is_known_of_each_name(reviewed_project, tmp_path, cli):
    """`alice` (the --reviewer of Label Studio annotations that named nobody) and
    `label-studio:alice@x.org` were said to be "from different tools": both came from
    Label Studio, and the hint now says so of each name."""
    run = reviewed_project.run_id
    tasks = ls_export(run, {"t6": [({"id": 1, "email": "alice@x.org"}, "billing")],
                            "t5": [(None, "technical")]})
    tasks[1]["annotations"][0].pop("completed_by")
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks))
    import_file(reviewed_project.root, path, reviewer="alice")
    code, out = cli("review", "stats", run, "-p", str(reviewed_project.root))
    said = " ".join(out.split())
    assert code == 0, out
    assert ("raters whose names may be one person's: 'alice' (--reviewer of a label-studio "
            "file) and 'label-studio:alice@x.org' (named by a label-studio file), both "
            "'alice'; counted as raters apart") in said
    assert "different tools" not in said
