"""``review retire``: decisions withdrawn by appending records, never by deleting them."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from labelwright.errors import ConfigError, ReviewError
from labelwright.project import run_project
from labelwright.review import retire_decisions
from labelwright.review.decisions import ledger
from labelwright.review.decisions.retirements import read_retirements
from labelwright.review.feedback.gold import reviewed_labels
from labelwright.runs.manifest import read_manifest
from review_csv import review_items

LABELS = ["billing", "technical"]


def _gold(root, *items):
    reviewed = reviewed_labels(root, list(items), LABELS)
    return {item: (LABELS[g] if g >= 0 else None) for item, g in zip(items, reviewed.gold)}


def _tables(root):
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        return {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.fixture
def gone(make_project):
    """A project whose ledger holds decisions on t1 and on two items deleted from the
    data since (``gone1``, ``gone2``)."""
    root = make_project()
    review_items(root, {"t1": "billing", "gone1": "technical", "gone2": "billing"})
    return root


def test_missing_retires_exactly_the_items_a_run_warns_about(gone, cli):
    first = run_project(gone, report=False)
    warned = [w for w in first.warnings if "not in" in w and "any more" in w]
    assert len(warned) == 1 and "'gone1'" in warned[0] and "'gone2'" in warned[0]
    digest = read_manifest(first.run_dir)["reviews"]["ledger_sha256"]
    code, out = cli("review", "retire", "--missing", "--reviewer", "lead", "--reason",
                    "rows deleted on request", "-p", str(gone))
    assert code == 0, out
    assert "Retired 2 decisions on 2 items" in out
    assert "gone1: technical by ana" in out and "gone2: billing by ana" in out
    assert "t1:" not in out
    later = run_project(gone, report=False)
    assert not [w for w in later.warnings if "any more" in w]
    reviews = read_manifest(later.run_dir)["reviews"]
    # the decisions are all still there, and so is their digest; the retirements beside it
    assert reviews["ledger_sha256"] == digest and reviews["decisions"] == 3
    assert reviews["retirements"] == 2 and reviews["decisions_retired"] == 2
    assert len(reviews["retirements_sha256"]) == 64
    assert len(ledger.read_decisions(ledger.ledger_path(gone))) == 3
    code, out = cli("review", "stats", "-p", str(gone))
    assert code == 0 and "any more" not in out and "gone1" not in out, out
    # nothing is left missing: a second --missing has nothing to do
    code, out = cli("review", "retire", "--missing", "--reviewer", "lead", "--reason", "x",
                    "-p", str(gone))
    assert code == 0 and "nothing to retire" in out, out
    assert len(read_retirements(ledger.ledger_path(gone))) == 2


def test_a_run_without_retirements_records_the_manifest_it_did(gone):
    """A ledger without the table: the run's reviews record no retirement field."""
    reviews = read_manifest(run_project(gone, report=False).run_dir)["reviews"]
    assert not {"retirements", "retirements_sha256", "decisions_retired"} & set(reviews)
    assert "retirements" not in _tables(gone)


def test_dry_run_lists_and_writes_nothing(gone, cli):
    code, out = cli("review", "retire", "--missing", "--dry-run", "--reviewer", "lead",
                    "--reason", "deleted", "-p", str(gone))
    assert code == 0, out
    assert "Would retire 2 decisions on 2 items (--dry-run: nothing written)" in out
    assert "gone1: technical by ana" in out
    assert "retirements" not in _tables(gone)
    assert sorted(reviewed_labels(gone, ["t1"], LABELS).unknown_items) == ["gone1", "gone2"]


def test_an_id_with_no_decision_is_named_with_the_closest(gone, cli):
    code, out = cli("review", "retire", "--item", "t1", "--item", "t11", "--reviewer",
                    "lead", "--reason", "wrong", "-p", str(gone))
    assert code == 1, out
    assert "1 item id(s) match no decision in the review ledger: 't11'" in out
    assert "did you mean 't1'?" in out and "nothing retired" in out
    assert "retirements" not in _tables(gone)  # not even t1's


def test_an_unknown_rater_is_named(gone):
    with pytest.raises(ReviewError, match=r"'anna' \(did you mean 'ana'\?\)"):
        retire_decisions(gone, rater="anna", reviewer="lead", reason="x")


def test_reviewer_reason_and_a_selection_are_required(gone):
    for kwargs, words in (({"reviewer": " ", "reason": "x"}, "reviewer name is required"),
                          ({"reviewer": "lead", "reason": ""}, "reason is required"),
                          ({"reviewer": "lead", "reason": "x"}, "name the decisions")):
        with pytest.raises(ReviewError, match=words):
            retire_decisions(gone, **kwargs)


def test_a_raters_decisions_are_retired_and_the_others_settle(make_project):
    root = make_project()
    review_items(root, {"t1": "billing", "t2": "billing"}, rater="ana", sha="a")
    review_items(root, {"t1": "technical", "t2": "technical"}, rater="ben", sha="b")
    assert _gold(root, "t1", "t2") == {"t1": None, "t2": None}  # a tie each
    report = retire_decisions(root, rater="ben", items=["t1"], reviewer="lead",
                              reason="misread the guidelines")
    assert [(d.item_id, d.rater) for d in report.decisions] == [("t1", "ben")]
    assert _gold(root, "t1", "t2") == {"t1": "billing", "t2": None}
    retire_decisions(root, rater="ben", reviewer="lead", reason="misread the guidelines")
    assert _gold(root, "t1", "t2") == {"t1": "billing", "t2": "billing"}
    (record,) = [r for r in read_retirements(ledger.ledger_path(root)) if r.item_id == "t2"]
    assert (record.action, record.rater, record.reviewer, record.reason, record.selection) == (
        "retire", "ben", "lead", "misread the guidelines", "--rater ben")


def test_retiring_again_is_an_error_naming_the_items(make_project):
    root = make_project()
    review_items(root, {"t1": "billing"})
    retire_decisions(root, items=["t1"], reviewer="lead", reason="x")
    with pytest.raises(ReviewError, match=r"1 item\(s\) have no decision to retire \(each "
                                          r"is retired already\): 't1'; nothing retired"):
        retire_decisions(root, items=["t1"], reviewer="lead", reason="x")


def test_items_file_and_undo(make_project, tmp_path, cli):
    root = make_project()
    review_items(root, {"t1": "billing", "t2": "technical", "t3": "billing"})
    listed = tmp_path / "ids.txt"
    listed.write_text("t1\n\nt2\n", encoding="utf-8")
    code, out = cli("review", "retire", "--items-file", str(listed), "--reviewer", "lead",
                    "--reason", "wrong", "-p", str(root))
    assert code == 0 and "Retired 2 decisions on 2 items" in out, out
    assert _gold(root, "t1", "t2", "t3") == {"t1": None, "t2": None, "t3": "billing"}
    code, out = cli("review", "retire", "--undo", "--item", "t2", "--reviewer", "lead",
                    "--reason", "retired by mistake", "-p", str(root))
    assert code == 0 and "Un-retired 1 decision on 1 item" in out, out
    assert _gold(root, "t1", "t2", "t3") == {"t1": None, "t2": "technical", "t3": "billing"}
    assert [r.action for r in read_retirements(ledger.ledger_path(root))] == [
        "retire", "retire", "undo"]
    with pytest.raises(ReviewError, match=r"no decision to un-retire \(none is retired\): "
                                          r"'t3'; nothing un-retired$"):
        retire_decisions(root, items=["t3"], undo=True, reviewer="lead", reason="x")


def test_undo_says_what_it_brought_back_by_rater_and_what_to_do_next(make_project, cli):
    """An undo had said only "Un-retired 1 decision on 1 item", its errors "nothing
    retired"; now it names each decision's retirement, the raters and counts, the next
    step."""
    root = make_project()
    review_items(root, {"t1": "billing", "t2": "technical"})
    review_items(root, {"t1": "billing"}, rater="bob", sha="s2")
    retire_decisions(root, items=["t1", "t2"], reviewer="lead", reason="misread")
    code, out = cli("review", "retire", "--undo", "--item", "t1", "--item", "t2",
                    "--reviewer", "lead", "--reason", "ana was right", "--dry-run",
                    "-p", str(root))
    said = " ".join(out.split())
    assert code == 0, out
    assert "Would un-retire 3 decisions on 2 items (--dry-run: nothing written)" in said
    assert "by rater: ana: 2 decisions, bob: 1 decision" in said
    assert "next: the same command without --dry-run un-retires them" in said
    code, out = cli("review", "retire", "--undo", "--item", "t1", "--item", "t2",
                    "--reviewer", "lead", "--reason", "ana was right", "-p", str(root))
    said = " ".join(out.split())
    assert code == 0, out
    assert "Un-retired 3 decisions on 2 items" in said
    assert "; was retired " in said and " by lead: misread)" in said
    assert "back in use, by rater: ana: 2 decisions, bob: 1 decision" in said
    assert "next: run `labelwright run` (or `labelwright train`)" in said
    assert "(the same `labelwright review retire` without --undo retires them again)" in said
    code, out = cli("review", "retire", "--undo", "--rater", "bob", "--reviewer", "lead",
                    "--reason", "x", "-p", str(root))
    assert code != 0
    assert ("rater 'bob' has no decision to un-retire (none of theirs is retired); nothing "
            "un-retired") in " ".join(out.split())


def test_the_records_refuse_updates_and_deletes(make_project):
    root = make_project()
    review_items(root, {"t1": "billing"})
    retire_decisions(root, items=["t1"], reviewer="lead", reason="x")
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        for sql in ("UPDATE retirements SET reason = 'y'", "DELETE FROM retirements"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)


def test_a_retired_item_is_queued_again_and_a_new_decision_counts(make_project, cli):
    """Retired with no other decision: no reviewed label, back in the queue; a decision
    imported after the retirement is a new one (no --relabel needed) and counts."""
    root = make_project()
    first = run_project(root, report=False)
    review_items(root, {"t6": "technical"}, run_id=first.run_id)
    reviewed = run_project(root, report=False)
    labels = pd.read_parquet(reviewed.run_dir / "labels.parquet").set_index("id")
    assert labels.loc["t6", "label_source"] == "review"
    retire_decisions(root, items=["t6"], reviewer="lead", reason="misread")
    again = run_project(root, report=False)
    labels = pd.read_parquet(again.run_dir / "labels.parquet").set_index("id")
    assert labels.loc["t6", "label_source"] != "review"
    assert labels.loc["t6", "status"] != "reviewed"
    sheet = root / "t6.csv"
    sheet.write_text(f"id,review_label,run_id\nt6,billing,{again.run_id}\n", encoding="utf-8")
    code, out = cli("review", "import", str(sheet), "--reviewer", "ana", "-p", str(root))
    assert code == 0 and "1 decision(s) added" in out, out
    assert _gold(root, "t6") == {"t6": "billing"}


def test_review_stats_leaves_a_retired_rater_out_of_agreement(make_project):
    from labelwright.review import review_stats

    root = make_project()
    run_project(root, report=False)
    review_items(root, {"t1": "billing", "t2": "billing"}, rater="ana", sha="a")
    review_items(root, {"t1": "technical", "t2": "technical"}, rater="ben", sha="b")
    assert review_stats(root).raters == ["ana", "ben"]
    assert review_stats(root).items_multi == 2
    retire_decisions(root, rater="ben", reviewer="lead", reason="misread the guidelines")
    stats = review_stats(root)
    assert stats.raters == ["ana"] and stats.items_multi == 0


def test_a_ledger_changed_while_choosing_is_not_written(make_project):
    """Decisions appended (or retired) after the choice: nothing written, so a position
    chosen against one ledger is never filed against another."""
    from labelwright.review.decisions.retirements import (
        Retirement,
        RetirementsChanged,
        append_retirements,
    )

    root = make_project()
    review_items(root, {"t1": "billing"})
    path = ledger.ledger_path(root)
    record = Retirement("retire", -1, "t1", "ana", "lead", "2026-12-05T00:00:00+00:00", "x",
                        "--item t1", position=0)
    with pytest.raises(RetirementsChanged):
        append_retirements(path, [record], decisions=2, records_read=0)
    assert read_retirements(path) == []
    append_retirements(path, [record], decisions=1, records_read=0)
    with pytest.raises(RetirementsChanged):
        append_retirements(path, [record], decisions=1, records_read=0)
    (read,) = read_retirements(path)
    assert (read.position, read.item_id, read.reason) == (0, "t1", "x")


def test_a_rater_is_the_rater_review_stats_lists(make_project, cli):
    """``--rater bob`` with ``label-studio:2`` tied to bob: both names' decisions, as
    ``review stats`` counts them one rater; a tied name, the decisions filed under it."""
    root = make_project(extra='[review]\nsame_rater = { "label-studio:2" = "bob", '
                              '"label-studio:9" = "bob" }\n')
    review_items(root, {"t1": "billing", "t2": "billing"}, rater="ana", sha="a")
    review_items(root, {"t1": "technical"}, rater="bob", sha="b")
    review_items(root, {"t2": "technical"}, rater="label-studio:2", sha="c")
    with pytest.raises(ReviewError, match=r"'bobb' \(did you mean 'bob'\?\)"):
        retire_decisions(root, rater="bobb", reviewer="lead", reason="x")
    with pytest.raises(ReviewError, match=r"rater 'label-studio:9' counts as 'bob' .*no "
                                          r"decision is filed under .*--rater 'bob' chooses"):
        retire_decisions(root, rater="label-studio:9", reviewer="lead", reason="x")
    # the tied name alone: the decisions filed under it, not bob's others
    alone = retire_decisions(root, rater="label-studio:2", reviewer="lead", reason="x",
                             dry_run=True)
    assert [(d.item_id, d.rater) for d in alone.decisions] == [("t2", "label-studio:2")]
    code, out = cli("review", "retire", "--rater", "bob", "--reviewer", "lead", "--reason",
                    "misread the guidelines", "-p", str(root))
    assert code == 0 and "Retired 2 decisions on 2 items" in out, out
    assert sorted((r.item_id, r.rater) for r in read_retirements(ledger.ledger_path(root))) \
        == [("t1", "bob"), ("t2", "label-studio:2")]
    assert _gold(root, "t1", "t2") == {"t1": "billing", "t2": "billing"}


def test_an_item_the_rater_never_decided_is_told_apart_from_a_retired_one(make_project):
    root = make_project()
    review_items(root, {"t1": "billing", "t2": "billing"}, rater="ana", sha="a")
    review_items(root, {"t1": "technical"}, rater="ben", sha="b")
    with pytest.raises(ReviewError) as caught:
        retire_decisions(root, items=["t2"], rater="ben", reviewer="lead", reason="x")
    assert str(caught.value) == "1 item(s) have no decision by ben: 't2'; nothing retired"
    retire_decisions(root, items=["t1"], rater="ben", reviewer="lead", reason="x")
    with pytest.raises(ReviewError) as caught:
        retire_decisions(root, items=["t1", "t2"], rater="ben", reviewer="lead", reason="x")
    assert str(caught.value) == (
        "1 item(s) have no decision by ben: 't2'; 1 item(s) have no decision by ben to "
        "retire (each is retired already): 't1'; nothing retired")


class _CountedId(str):
    """An item id that counts how often it is compared (a set finds it by hash)."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        _CountedId.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_many_ids_are_checked_against_the_decisions_once_each(make_project):
    """Each id named is looked up among the decisions chosen, not compared with each of
    them: 2,000 ids (--items-file of a large deletion) take a few comparisons each."""
    root = make_project()
    ids = [f"x{k}" for k in range(2000)]
    review_items(root, dict.fromkeys(ids, "billing"))
    _CountedId.compared = 0
    report = retire_decisions(root, items=[_CountedId(i) for i in ids], dry_run=True,
                              reviewer="lead", reason="rows deleted")
    assert sorted(report.items) == sorted(ids)
    assert _CountedId.compared < 10 * len(ids), _CountedId.compared


def test_missing_leaves_out_an_id_the_data_holds_written_as_a_whole_number(make_project,
                                                                            cli):
    """'1.0' in the ledger where the data has '1' is an id exported another way, which
    the run's warning says, not a deleted row: --missing leaves it and says why."""
    from ticket_data import TICKETS

    root = make_project(rows=[{**row, "id": str(k)} for k, row in enumerate(TICKETS, 1)])
    review_items(root, {"1.0": "billing", "gone": "technical"})
    code, out = cli("review", "retire", "--missing", "--reviewer", "lead", "--reason",
                    "rows deleted", "-p", str(root))
    assert code == 0, out
    assert "Retired 1 decision on 1 item" in out and "gone: technical" in out
    assert ("left out of --missing: 1 reviewed item the data holds with the id written "
            "another way; the data has ids '1' where the reviews name '1.0'") in out
    assert [r.item_id for r in read_retirements(ledger.ledger_path(root))] == ["gone"]
    code, out = cli("review", "retire", "--missing", "--reviewer", "lead", "--reason", "x",
                    "-p", str(root))
    assert code == 0 and "nothing to retire: no other reviewed item is missing" in out, out
    assert "left out of --missing" in out
    report = retire_decisions(root, items=["1.0"], missing=True, reviewer="lead",
                              reason="named")
    assert report.items == ["1.0"] and report.float_spelt == []


def test_undo_missing_with_nothing_retired_says_so(gone, cli):
    code, out = cli("review", "retire", "--undo", "--missing", "--reviewer", "lead",
                    "--reason", "x", "-p", str(gone))
    assert code == 0, out
    assert ("nothing to un-retire: no retired decision is on an item the data no longer "
            "holds") in out
    assert "no reviewed item is missing" not in out


def test_an_import_repeating_a_retired_decision_says_it_stays_retired(make_project, cli):
    """A cumulative export brought a retired decision again: the import said only "already
    in the ledger ... not added again", with no word that it stays retired."""
    root = make_project()
    first = run_project(root, report=False)
    sheet = root / "a1.csv"
    sheet.write_text(f"id,review_label,run_id\nt6,technical,{first.run_id}\n", encoding="utf-8")
    assert cli("review", "import", str(sheet), "--reviewer", "ana", "-p", str(root))[0] == 0
    retire_decisions(root, rater="ana", reviewer="lead", reason="misread the guidelines")
    again = root / "a2.csv"
    again.write_text(f"id,review_label,run_id\nt6,technical,{first.run_id}\n"
                     f"t5,billing,{first.run_id}\n", encoding="utf-8")
    code, out = cli("review", "import", str(again), "--reviewer", "ana", "-p", str(root))
    said = " ".join(out.split())
    assert code == 0 and "1 decision(s) already in the ledger" in said, said
    assert ("of them, the decisions on 1 item are retired and stay so ('t6'); `labelwright "
            "review retire --undo --item ID` brings one back") in said, said
    assert _gold(root, "t5", "t6") == {"t5": "billing", "t6": None}


def test_review_decisions_is_the_ledger_as_a_frame_with_retirements_marked(gone, tmp_path):
    """A notebook user had no public reader of the review ledger."""
    from labelwright.review import review_decisions
    from labelwright.review.decisions.frame import COLUMNS

    (tmp_path / "fresh").mkdir()
    (tmp_path / "fresh" / "labelwright.toml").write_text((gone / "labelwright.toml").read_text())
    empty = review_decisions(tmp_path / "fresh")  # nothing imported yet
    assert list(empty.columns) == list(COLUMNS) and empty.empty
    # the ledger itself, or a folder inside the project, as load_project takes one
    assert len(review_decisions(gone / "reviews.sqlite")) == len(review_decisions(gone)) == 3
    assert len(review_decisions(gone / "labeling_functions")) == 3
    # a folder in no project, or a file that is no ledger, had read as an empty ledger
    (tmp_path / "nowhere").mkdir()
    with pytest.raises(ConfigError, match=r"no labelwright.toml in .*nowhere"):
        review_decisions(tmp_path / "nowhere")
    with pytest.raises(ReviewError, match=r"labelwright.toml: not a review ledger"):
        review_decisions(gone / "labelwright.toml")
    frame = review_decisions(gone)
    assert list(frame["item_id"]) == ["t1", "gone1", "gone2"]
    assert list(frame["label"]) == ["billing", "technical", "billing"]
    assert not frame["retired"].any() and frame["retired_note"].isna().all()
    retire_decisions(gone, items=["gone1"], reviewer="lead", reason="deleted")
    frame = review_decisions(gone)
    assert list(frame["retired"]) == [False, True, False]
    assert "lead" in frame.loc[1, "retired_note"] and "deleted" in frame.loc[1, "retired_note"]
    kept = review_decisions(gone, include_retired=False)
    assert list(kept["item_id"]) == ["t1", "gone2"]
    # who decided: the file's annotator where it names one, else the reviewer
    assert list(frame["rater"]) == [a or r for a, r in zip(frame["annotator"],
                                                            frame["reviewer"])]
    assert list(frame["rater"])[1] == "ana"
