"""``labelwright train`` and ``labelwright report`` on a run that has an end model or a
report already: they say so, and keep the files they replace, which ``runs verify`` lists
apart and ``labelwright erase`` erases from."""

from __future__ import annotations

import json

from kept_bytes import files_holding
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.runs.erase.items import erase_items
from labelwright.runs.replaced import REPLACED
from ticket_data import TICKETS

SECRET = "Zelda Quixote"


def _review(root):
    decision = ledger.Decision("t1", "billing", "importer", "alice", "", "now", "f.csv", "s1",
                               "row 1", "r1", "csv")
    ledger.append(ledger.ledger_path(root), [decision], sha256="s1", reviewer="importer",
                  source_file="f.csv", fmt="csv", imported_at="now")


def test_train_again_says_what_it_replaces_and_keeps_it(make_project, cli):
    """A second `train` (or one on a run an older labelwright trained) overwrote the end
    model without a word: what the first was trained on was lost."""
    root = make_project()
    _review(root)
    run = run_project(root, report=False)
    code, out = cli("train", "-p", str(root))
    assert code == 0 and "replaced" not in out, out
    model, labels = run.run_dir / "end_model.json", run.run_dir / "end_model_labels.parquet"
    doc = json.loads(model.read_text())
    del doc["training"]  # as an older train wrote it
    model.write_text(json.dumps(doc))
    first = model.read_bytes(), labels.read_bytes()
    code, out = cli("train", "-p", str(root))
    assert code == 0, out
    (kept,) = (run.run_dir / REPLACED).iterdir()
    assert (kept / "end_model.json").read_bytes() == first[0]
    assert (kept / "end_model_labels.parquet").read_bytes() == first[1]
    assert ("replaced the end model the run folder held (an older `labelwright train` "
            f"wrote it, which did not record what it was trained on); kept it as it was in "
            f"{kept}") in out
    # the same inputs again write the same files: nothing is replaced in fact, nothing kept
    code, out = cli("train", "-p", str(root))
    assert code == 0 and "replaced" not in out, out
    assert len(list((run.run_dir / REPLACED).iterdir())) == 1
    # a review since: another model, and the one it replaces is kept
    decision = ledger.Decision("t2", "technical", "importer", "bob", "", "later", "g.csv",
                               "s2", "row 1", "r2", "csv")
    ledger.append(ledger.ledger_path(root), [decision], sha256="s2", reviewer="importer",
                  source_file="g.csv", fmt="csv", imported_at="later")
    code, out = cli("train", "-p", str(root))
    assert code == 0, out
    assert len(list((run.run_dir / REPLACED).iterdir())) == 2
    assert f"(1 reviewed) of run {run.run_id}, reading 1 ledger decision); kept it" in out
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0 and f"{run.run_id}: ok (" in out, out
    assert (f"not hashed: {REPLACED}/{kept.name}/end_model.json, {REPLACED}/{kept.name}/"
            "end_model_labels.parquet, ") in out
    assert "(the files a later `labelwright train` or `labelwright report` replaced, kept as " \
        "they were)" in out
    assert "by hand" not in out


def test_report_again_keeps_the_report_it_replaces_and_erase_reaches_it(make_project, cli):
    rows = [*TICKETS, {"id": "t7", "text": f"{SECRET}: no refund and the app crashes",
                       "plan": "pro", "gold": ""}]
    root = make_project(rows=rows, extra="random_sample = 10\n")
    run = run_project(root)
    report = run.run_dir / "report.html"
    assert SECRET.encode() in report.read_bytes()
    # the same page again: nothing replaced in fact, nothing kept
    code, out = cli("report", "-p", str(root))
    assert code == 0 and "replaced" not in out, out
    assert not (run.run_dir / REPLACED).exists()
    # a page another labelwright built (here: with a line of its own) is kept
    first = report.read_bytes().replace(b"</body>", b"<p>built by an older labelwright</p></body>")
    report.write_bytes(first)
    code, out = cli("report", "-p", str(root))
    assert code == 0, out
    (kept,) = (run.run_dir / REPLACED).iterdir()
    assert (kept / "report.html").read_bytes() == first
    assert f"replaced the run's report.html; kept the one it held as it was in {kept}" in out
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0 and f"not hashed: {REPLACED}/{kept.name}/report.html (the files" in out
    path = root / "data" / "items.csv"
    path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                            if not line.startswith("t7,")))
    erase_items(root, ["t7"], reviewer="dana", reason="request")
    assert not [f for f in files_holding(root / "runs", SECRET)], \
        files_holding(root / "runs", SECRET)


def test_a_train_whose_write_fails_puts_the_model_that_was_there_back(make_project,
                                                                      monkeypatch):
    """train moved the end model into replaced/ before writing the new one: a write that
    failed (a full disk, Ctrl-C) left the run folder without a model."""
    import pytest

    import labelwright.runs.store as store
    from labelwright.end_model.train import train_run

    root = make_project()
    _review(root)
    run = run_project(root, report=False)
    train_run(root)
    model, labels = run.run_dir / "end_model.json", run.run_dir / "end_model_labels.parquet"
    before = model.read_bytes(), labels.read_bytes()
    decision = ledger.Decision("t2", "technical", "importer", "bob", "", "later", "g.csv",
                               "s2", "row 1", "r2", "csv")  # so the next model differs
    ledger.append(ledger.ledger_path(root), [decision], sha256="s2", reviewer="importer",
                  source_file="g.csv", fmt="csv", imported_at="later")
    write = store.atomic_write

    def failing(path, *args, **kwargs):
        if path.name == "end_model.json":
            raise OSError("No space left on device")
        return write(path, *args, **kwargs)

    monkeypatch.setattr(store, "atomic_write", failing)
    with pytest.raises(OSError, match="No space left"):
        train_run(root)
    assert (model.read_bytes(), labels.read_bytes()) == before
    assert not (run.run_dir / REPLACED).exists()
