"""Reviews of a run's random sample from a sheet that names no export (the README's
`q[["id", "run_id", "review_label"]]` of `result.review_queue(sample=True)`): an item only
the sample held is filed as the sample's. Filed as from neither export, auto read a
reviewed random sample as queue picks ("not a random sample of the items") and never chose
or calibrated with it."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.feedback.gold import reviewed_labels
from labelwright.review.imports.file import import_file


def test_a_decision_on_an_item_only_the_sample_held_is_the_samples(make_project, tmp_path):
    root = make_project(gold=None, extra="random_sample = 6\n")
    result = run_project(root, report=False)
    sample = result.review_queue(sample=True)
    queued = set(result.review_queue()["id"])
    only_sample = [i for i in sample["id"] if i not in queued]
    both = [i for i in sample["id"] if i in queued]
    assert only_sample, "the test needs sample items the queue does not hold"
    sample["review_label"] = "billing"
    sample[["id", "run_id", "review_label"]].to_csv(tmp_path / "done.csv", index=False)
    report = import_file(root, tmp_path / "done.csv", reviewer="ana")
    filed = {d.item_id: d.export for d in ledger.read_decisions(ledger.ledger_path(root))}
    assert {filed[i] for i in only_sample} == {"sample"}
    assert {filed[i] for i in both} <= {""}  # the queue held them too: it cannot tell
    assert any(f"{len(only_sample)} decision" in note and "filed as from its random sample"
               in note for note in report.notes), report.notes
    ids = list(result.dataset.ids)
    marked = reviewed_labels(root, ids, ("billing", "technical"), runs_dir=root / "runs")
    assert {i for i, s in zip(ids, marked.sampled, strict=True) if s} >= set(only_sample)


def test_a_sheet_filed_as_from_no_export_before_is_not_filed_again(make_project, tmp_path,
                                                                    monkeypatch):
    """A ledger that filed these decisions as from no export (before a sample-only item's
    row was filed as the sample's) holds them already: the sheet filled in further and
    imported again is matched with them, not filed a second time as the sample's."""
    import labelwright.review.imports.file as import_module

    root = make_project(gold=None, extra="random_sample = 6\n")
    sample = run_project(root, report=False).review_queue(sample=True)
    sample["review_label"] = "billing"
    sample[["id", "run_id", "review_label"]].to_csv(tmp_path / "done.csv", index=False)
    with monkeypatch.context() as patched:  # as the earlier import filed them
        patched.setattr(import_module, "sample_only", lambda rows, exports: {})
        assert import_file(root, tmp_path / "done.csv", reviewer="ana").added == len(sample)
    assert {d.export for d in ledger.read_decisions(ledger.ledger_path(root))} == {""}
    sample[["run_id", "id", "review_label"]].iloc[::-1].to_csv(tmp_path / "again.csv",
                                                             index=False)
    assert import_file(root, tmp_path / "again.csv", reviewer="ana").added == 0
    assert len(ledger.read_decisions(ledger.ledger_path(root))) == len(sample)
