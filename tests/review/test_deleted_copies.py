"""Copies whose reviewed item was deleted from the data (review/feedback/deleted_copies.py)."""

import json
from pathlib import Path

import pandas as pd

from labelwright import run_project
from review_csv import review_items

# c1, c2 and c9 share a text
ROWS = [{"id": "c1", "text": "refund the crash"}, {"id": "c2", "text": "refund the crash"},
        {"id": "c9", "text": "refund the crash"}, {"id": "c4", "text": "no votes here"},
        {"id": "c6", "text": "refund please"}, {"id": "c7", "text": "crash again"}]


def _delete(root: Path, *gone: str) -> None:
    pd.DataFrame([r for r in ROWS if r["id"] not in gone]).to_csv(
        root / "data" / "items.csv", index=False)


def _set_copies(root: Path, setting: str) -> None:
    path = root / "labelwright.toml"
    text = path.read_text(encoding="utf-8")
    if "[review]" not in text:
        text += '\n[review]\ncopies = "one"\n'
    path.write_text(text.replace('copies = "one"', f'copies = "{setting}"')
                    .replace('copies = "all"', f'copies = "{setting}"'), encoding="utf-8")


def _tied_c1(make_project) -> Path:
    """A project whose item c1 two raters reviewed with different labels (a tie)."""
    root = make_project(rows=ROWS, gold=None)
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical"}, run_id=first.run_id, rater="ana", sha="s1")
    review_items(root, {"c1": "billing"}, run_id=first.run_id, rater="ben", sha="s2")
    return root


def _lost_warning(warnings: list[str]) -> list[str]:
    return [w for w in warnings if "no longer carry" in w]


def test_two_deleted_reviewed_items_of_one_text_count_each_copy_once(make_project, cli):
    """Each deleted reviewed item counted the copies of its text, so two of one text
    counted the one copy left twice (labels_lost_with_deleted_items 2, one item lost)."""
    root = make_project(rows=ROWS, gold=None)
    _set_copies(root, "all")  # both exported, so the runs' records hold both texts
    first = run_project(root, report=False)
    exported = {json.loads(line)["id"]
                for line in (first.run_dir / "review.jsonl").read_text().splitlines()}
    assert {"c1", "c2"} <= exported
    review_items(root, {"c1": "technical", "c2": "technical"}, run_id=first.run_id)
    _set_copies(root, "one")
    _delete(root, "c1", "c2")
    third = run_project(root, report=False)
    labels = third.labels.set_index("id")
    stale = labels["reasons"].fillna("").str.split(";").map(lambda r: "stale" in r)
    assert stale.sum() == 1 and stale["c9"]
    manifest = json.loads((third.run_dir / "manifest.json").read_text())["triage"]
    assert manifest["copies"]["labels_lost_with_deleted_items"] == int(stale.sum())
    said = _lost_warning(third.warnings)
    assert said, third.warnings
    assert "2 reviewed item(s) are no longer in the data" in said[0]
    assert "to the 1 item(s) with their text" in said[0]
    assert "'c1', 'c2' (1 item with their text 'refund the crash')" in said[0]
    code, out = cli("runs", "verify", "--recompute", "--project", str(root))
    assert code == 0, out


def test_a_recompute_says_when_the_texts_of_deleted_items_are_gone_with_their_run(
        make_project):
    """The copies that lost their label are found by the deleted items' texts in the run
    folders they were exported from; with that folder deleted since, the refit cannot find
    them, and says why rather than leave a bare difference."""
    import shutil

    import labelwright

    root = make_project(rows=ROWS, gold=None)
    _set_copies(root, "all")
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical", "c2": "technical"}, run_id=first.run_id)
    _set_copies(root, "one")
    _delete(root, "c1", "c2")
    third = run_project(root, report=False)
    (check,) = labelwright.verify_runs(root, third.run_id, recompute=True)
    assert check.recomputed.refit and check.recomputed.refit_notes == []
    shutil.rmtree(first.run_dir)
    (check,) = labelwright.verify_runs(root, third.run_id, recompute=True)
    assert [d.ids for d in check.recomputed.labels if d.column == "reasons"] == [("c9",)]
    assert check.recomputed.refit_notes == [
        f"the run folders the texts of reviewed items no longer in the data are read from "
        f"are gone ({first.run_id}): the refit finds 0 copies to have lost their label with "
        "them, the run counted 1"]


def test_a_deleted_item_whose_reviews_never_settled_takes_nothing_from_its_copies(
        make_project, cli):
    """A deleted reviewed item whose raters tied gave its copies no label, yet the run said
    they lost it and queued them as stale."""
    root = _tied_c1(make_project)
    second = run_project(root, report=False)
    before = second.labels.set_index("id")
    assert before.loc["c2", "label_source"] == "model"  # the tie carried nothing
    _delete(root, "c1")
    third = run_project(root, report=False)
    labels = third.labels.set_index("id")
    for copy in ("c2", "c9"):
        assert "stale" not in str(labels.loc[copy, "reasons"]).split(";")
        assert labels.loc[copy, "label_source"] == "model"
    assert not _lost_warning(third.warnings), third.warnings
    manifest = json.loads((third.run_dir / "manifest.json").read_text())["triage"]
    assert manifest["copies"]["labels_lost_with_deleted_items"] == 0
    code, out = cli("runs", "verify", "--recompute", "--project", str(root))
    assert code == 0, out


def test_a_deleted_item_whose_text_no_run_holds_is_said_so(make_project):
    """The run said such items were exported by runs whose folders are gone, when the
    folders were there and only their records did not hold the item."""
    root = make_project(rows=ROWS, gold=None)
    first = run_project(root, report=False)
    exported = {json.loads(line)["id"]
                for line in (first.run_dir / "review.jsonl").read_text().splitlines()}
    shown, hidden = sorted({"c1", "c2", "c9"} & exported)[0], "c6"
    assert hidden in exported  # a run holds c6; and one of c1/c2/c9 (one per text)
    left_out = sorted({"c1", "c2", "c9"} - exported)
    review_items(root, {shown: "technical", left_out[0]: "technical"}, run_id=first.run_id)
    _delete(root, shown, left_out[0])
    third = run_project(root, report=False)
    said = _lost_warning(third.warnings)
    assert said, third.warnings
    assert "1 more reviewed item(s) no longer in the data: no run's records hold their " \
           "text" in said[0]
    assert "folders are gone" not in said[0]
    assert first.run_dir.is_dir()
