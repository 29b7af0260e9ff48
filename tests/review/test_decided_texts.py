"""The text a decision was made on: recorded at import as a hash, and checked by runs
whatever became of the run it was exported from (labelwright.review.decisions.decided_texts)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import pytest

import labelwright
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_run
from labelwright.runs.item_texts import run_hash_hex
from labelwright.runs.manifest import read_manifest
from labelwright.runs.store import run_labels
from review_csv import fill_review_csv


def reviewed(make_project, tmp_path):
    """A project whose first run's queue ana reviewed (every item ``billing``): root, the
    run, the rows she filled in."""
    root = make_project(gold=None)
    run = run_project(root, report=False)
    exported = export_run(run.run_dir, "csv", tmp_path / "q.csv")[0]
    rows = fill_review_csv(exported, tmp_path / "done.csv", None, "billing")
    import_file(root, tmp_path / "done.csv", reviewer="ana")
    return root, run, rows


def edit_text(root, old, new):
    data = root / "data" / "items.csv"
    data.write_text(data.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_an_import_records_the_hash_of_the_text_the_run_exported(make_project, tmp_path):
    root, run, rows = reviewed(make_project, tmp_path)
    labels = run_labels(run.run_dir, read_manifest(run.run_dir), ["id", "text_hash"])
    hashes = {str(i): run_hash_hex(h) for i, h in zip(labels["id"], labels["text_hash"])}
    decisions = ledger.read_decisions(ledger.ledger_path(root))
    assert len(decisions) == len(rows)
    assert {d.item_id: d.text_hash for d in decisions} == {
        r["id"]: hashes[r["id"]] for r in rows}


def _delete(run_dir):
    shutil.rmtree(run_dir)


def _unreadable(run_dir):
    (run_dir / "manifest.json").write_text("{", encoding="utf-8")
    for name in ("review.jsonl", "sample.jsonl"):  # nothing of the run tells the old text
        (run_dir / name).unlink(missing_ok=True)


@pytest.mark.parametrize("lose", [_delete, _unreadable], ids=["deleted", "unreadable"])
def test_a_decision_on_an_old_text_is_set_aside_once_its_run_is_gone(make_project, tmp_path,
                                                                     lose):
    """A review decided on an item's old text was applied to its new text once the run it
    was exported from was gone or unreadable, with no word."""
    root, run, rows = reviewed(make_project, tmp_path)
    changed = rows[0]["id"]
    lose(run.run_dir)
    edit_text(root, rows[0]["text"], "The coffee maker works great, I love it")
    after = run_project(root, report=False)
    source = after.labels.set_index("id")["label_source"]
    assert source[changed] != "review"
    assert (source[sorted({r["id"] for r in rows} - {changed})] == "review").all()
    assert any(f"1 reviewed item(s) have another text now than the one their reviewers saw, "
               f"so those reviews are not used: {changed!r}" in w for w in after.warnings)
    set_aside = read_manifest(after.run_dir)["reviews"]["set_aside_other_text"]
    assert set_aside == [{"run_id": run.run_id, "id": changed}]


def test_a_decision_on_an_old_text_is_set_aside_after_a_prune(make_project, tmp_path, cli):
    root, run, rows = reviewed(make_project, tmp_path)
    run_project(root, report=False)
    code, out = cli("runs", "prune", "--keep", "1", "--no-keep-review-sources", "-p",
                    str(root))
    assert code == 0, out
    assert not run.run_dir.exists()
    edit_text(root, rows[0]["text"], "Totally new words here")
    after = run_project(root, report=False)
    assert after.labels.set_index("id")["label_source"][rows[0]["id"]] != "review"


def _old_ledger(root, run_id, items):
    """Decisions for ``items`` of run ``run_id`` as a labelwright from before the text hash
    imported them (no ``text_hash``)."""
    now = datetime.now(UTC).isoformat()
    ledger.append(ledger.ledger_path(root), [
        ledger.Decision(item, "billing", "ana", "", now, now, "old.csv", "s-old",
                        f"line {k + 2}", run_id, "csv", "queue")
        for k, item in enumerate(items)], sha256="s-old", reviewer="ana",
        source_file="old.csv", fmt="csv", imported_at=now)


@pytest.mark.parametrize("lose", [_delete, _unreadable], ids=["deleted", "unreadable"])
def test_decisions_without_a_hash_whose_run_is_gone_are_warned_about(make_project, tmp_path,
                                                                     lose):
    """A ledger from before the hash: its decisions are checked against their run while it
    can be read; once it cannot, a run says how many can no longer be checked, and from
    which run, instead of using them without a word."""
    root = make_project(gold=None)
    run = run_project(root, report=False)
    items = list(run.labels["id"].astype(str)[:3])
    _old_ledger(root, run.run_id, items)
    checked = run_project(root, report=False)
    assert not any("cannot be checked" in w for w in checked.warnings)
    lose(run.run_dir)
    after = run_project(root, report=False)
    (warning,) = [w for w in after.warnings if "cannot be checked" in w]
    assert warning.startswith(f"3 decision(s) exported from run {run.run_id} cannot be "
                              "checked for a changed text (")
    why = (f"its folder {run.run_dir} is gone" if lose is _delete
           else f"{run.run_dir / 'manifest.json'}: cannot read the manifest")
    assert why in warning
    assert read_manifest(after.run_dir)["reviews"]["text_unchecked"] == {run.run_id: 3}
    # still used: nothing tells they are on another text
    assert (after.labels.set_index("id")["label_source"][items] == "review").all()


def test_a_pruned_run_is_named_as_pruned(make_project, tmp_path):
    root = make_project(gold=None)
    run = run_project(root, report=False)
    _old_ledger(root, run.run_id, list(run.labels["id"].astype(str)[:2]))
    run_project(root, report=False)
    labelwright.prune_runs(root, 1, keep_review_sources=False, caches=False)
    after = run_project(root, report=False)
    (warning,) = [w for w in after.warnings if "cannot be checked" in w]
    assert f"2 decision(s) exported from run {run.run_id} cannot be checked" in warning
    assert "(pruned on " in warning and "labelwright" in warning


def test_a_hash_from_another_text_is_checked_against_the_export_when_it_is_there(
        make_project, tmp_path):
    """With the run's export at hand, a text that differs only in spacing keeps its
    review (as an import compares texts); another text is set aside."""
    root, run, rows = reviewed(make_project, tmp_path)
    edit_text(root, rows[0]["text"], rows[0]["text"].replace(" ", "  ", 1))
    edit_text(root, rows[1]["text"], "Another text altogether")
    after = run_project(root, report=False)
    source = after.labels.set_index("id")["label_source"]
    assert source[rows[0]["id"]] == "review" and source[rows[1]["id"]] != "review"
    assert json.loads((after.run_dir / "manifest.json").read_text())["reviews"][
        "reviewed_on_other_text"] == 1


def test_a_row_without_text_records_the_runs_text_or_nothing(make_project, tmp_path):
    """A file without a text column (a tool's export) decides on the text the run had; once
    the run is gone nothing tells it, and no hash is recorded rather than today's text's."""
    from labelwright.review.decisions.decided_texts import decided_hashes
    from labelwright.review.imports.readers import Row
    from labelwright.review.imports.shown_text import texts_shown

    root = make_project(gold=None)
    run = run_project(root, report=False)
    labels = run_labels(run.run_dir, read_manifest(run.run_dir), ["id", "text_hash"])
    hashes = {str(i): run_hash_hex(h) for i, h in zip(labels["id"], labels["text_hash"])}
    exported = texts_shown(run.run_dir, set(hashes))
    not_exported = next(i for i in hashes if i not in exported)
    rows = [Row("line 2", not_exported, run.run_id, "billing")]
    nowhere = lambda run_id, item: None  # noqa: E731 - no text was checked
    assert decided_hashes(root / "runs", rows, nowhere)(rows[0]) == hashes[not_exported]
    shutil.rmtree(run.run_dir)
    assert decided_hashes(root / "runs", rows, nowhere)(rows[0]) is None
